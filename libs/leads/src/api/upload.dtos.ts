import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';

/** Listing terms of an upload, in the query string (the body is the file itself). */
export class UploadTermsQuery {
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'vertical must be a lower-case slug such as eyewear' })
  vertical!: string;

  /** Floor price per lead, in minor units of the market's currency. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  floor!: number;

  @IsIn(['exclusive', 'shared'])
  exclusivity!: 'exclusive' | 'shared';

  /** For a shared listing: sold to at most this many buyers. */
  @ValidateIf((query: UploadTermsQuery) => query.exclusivity === 'shared' || query.maxSales !== undefined)
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(10)
  maxSales?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  listingLifetimeHours?: number;
}

export class ListLeadsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @IsString()
  cursor?: string;

  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/)
  batchId?: string;

  @IsOptional()
  @IsIn(['listed', 'sold_out', 'withdrawn', 'erased', 'expired'])
  status?: string;
}

export class WithdrawRequest {
  @IsOptional()
  @IsString()
  @Matches(/^[\s\S]{1,1000}$/)
  reason?: string;
}
