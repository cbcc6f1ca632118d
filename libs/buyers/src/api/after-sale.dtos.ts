import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Evidence, LEAD_STAGES, ReturnReason } from '#lx/contracts';
import type { CsvDialect } from '#lx/csv';
import { CsvDialectProperty, PageLimit, PageQuery } from '#lx/http';

const DELIVERIES_PAGE_LIMIT = 200;

// The catalogue's vocabulary: a reason or evidence kind the API accepts is one the log accepts.
const REASONS = ReturnReason.options;
const EVIDENCE = Evidence.shape.kind.options;

export class EvidenceDto {
  @ApiProperty({ enum: EVIDENCE })
  @IsIn(EVIDENCE)
  kind!: string;

  @ApiProperty({ example: 'Called 3 times on 2 days, number not in service' })
  @IsString()
  @Length(1, 2000)
  description!: string;

  @ApiPropertyOptional({ description: 'Where the proof is kept (a call-log id, a URL)' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reference?: string;
}

export class RequestReturnRequest {
  @ApiProperty({ enum: REASONS })
  @IsIn(REASONS)
  reason!:
    | 'invalid_phone'
    | 'invalid_email'
    | 'duplicate'
    | 'fake_or_fraud'
    | 'no_consent'
    | 'filter_mismatch'
    | 'other';

  @ApiPropertyOptional({ description: 'Required when the reason is other' })
  @ValidateIf((request: RequestReturnRequest) => request.reason === 'other' || request.text !== undefined)
  @IsString()
  @Length(1, 2000)
  text?: string;

  @ApiProperty({ type: [EvidenceDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => EvidenceDto)
  evidence!: EvidenceDto[];

  @ApiPropertyOptional({ description: 'Ask for a replacement lead if the return is accepted' })
  @IsOptional()
  @IsBoolean()
  replace?: boolean;
}

export class MoneyDto {
  @ApiProperty({ example: 1500000 })
  @IsInt()
  @Min(0)
  amount!: number;

  @ApiProperty({ example: 'RUB' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency!: string;
}

export class ReportConversionRequest {
  @ApiProperty({ example: '2025-06-02T10:00:00.000Z', description: 'When the lead converted (UTC)' })
  @IsISO8601({ strict: true })
  @Matches(/Z$/, { message: 'at must be a UTC instant ending in Z' })
  at!: string;

  @ApiPropertyOptional({ type: MoneyDto, description: 'What the conversion was worth to the buyer' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  value?: MoneyDto;
}

export class PurchasedLeadsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only the leads of this order' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,160}$/)
  orderId?: string;

  @ApiPropertyOptional({ example: 'RU-MOW', description: 'ISO 3166-2 region' })
  @IsOptional()
  @Matches(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, { message: 'region must be an ISO 3166-2 code' })
  region?: string;

  @ApiPropertyOptional({ enum: LEAD_STAGES })
  @IsOptional()
  @IsIn(LEAD_STAGES)
  stage?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  allocatedFrom?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  allocatedTo?: string;
}

export class PurchasedLeadsExportQuery extends PurchasedLeadsQuery {
  @CsvDialectProperty()
  dialect?: CsvDialect;
}

export class DeliveriesQuery {
  @ApiPropertyOptional({
    description: 'The nextCursor of the previous answer; default: the acknowledged cursor',
  })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  after?: string;

  /** Each item carries personal data read from the vault: a smaller page than other lists. */
  @PageLimit(DELIVERIES_PAGE_LIMIT)
  limit?: number;
}

export class AckDeliveriesRequest {
  @ApiProperty({ description: 'The nextCursor of the last page processed' })
  @IsString()
  @Length(1, 500)
  cursor!: string;
}

export class MarketDepthQuery {
  @ApiProperty({ example: 'eyewear' })
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'vertical must be a lower-case vertical slug' })
  vertical!: string;
}

export class DailyReportQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 366, default: 30, description: 'Days back, today included' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  days?: number;
}
