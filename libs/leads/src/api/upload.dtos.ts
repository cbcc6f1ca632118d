import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { ListingExclusivity } from '#lx/contracts';
import { PageQuery } from '#lx/http';

/** The listing kinds the catalogue's `ListingExclusivity` knows, in its order. */
const LISTING_KINDS = ListingExclusivity.options.map((listing) => listing.shape.kind.value);
type ListingKind = (typeof LISTING_KINDS)[number];

/** Listing terms of an upload, in the query string (the body is the file itself). */
export class UploadTermsQuery {
  @ApiProperty({
    example: 'eyewear',
    description: 'The market (vertical) every lead of the batch is listed in',
  })
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'vertical must be a lower-case slug such as eyewear' })
  vertical!: string;

  @ApiProperty({
    example: 60000,
    description: "Floor price per lead, in minor units of the market's currency (60000 = 600,00 RUB)",
  })
  /** Floor price per lead, in minor units of the market's currency. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  floor!: number;

  @ApiProperty({
    enum: LISTING_KINDS,
    description: 'Sold once, or to up to maxSales buyers at one uniform price',
  })
  @IsIn(LISTING_KINDS)
  exclusivity!: ListingKind;

  @ApiPropertyOptional({
    minimum: 2,
    maximum: 10,
    description: 'For a shared listing: at most this many buyers',
  })
  /** For a shared listing: sold to at most this many buyers. */
  @ValidateIf((query: UploadTermsQuery) => query.exclusivity === 'shared' || query.maxSales !== undefined)
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(10)
  maxSales?: number;

  @ApiPropertyOptional({ description: "How long the leads stay listed; default: the market's setting" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  listingLifetimeHours?: number;
}

/** A lead's status as its seller sees it: `sold` once it made every sale its exclusivity allows. */
export const LEAD_STATUSES = ['listed', 'sold', 'withdrawn', 'erased', 'expired'] as const;

export class ListLeadsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/)
  batchId?: string;

  @ApiPropertyOptional({ enum: LEAD_STATUSES })
  @IsOptional()
  @IsIn(LEAD_STATUSES)
  status?: string;
}

export class WithdrawRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 1000, description: 'Why (kept in the log)' })
  @IsOptional()
  @IsString()
  @Matches(/^[\s\S]{1,1000}$/)
  reason?: string;
}
