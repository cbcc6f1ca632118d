import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CsvDialect } from '#lx/csv';
import { CsvDialectProperty } from '#lx/http';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQuery } from '#lx/http';

export class StatementQuery {
  @ApiPropertyOptional({
    example: 'RUB',
    description: 'ISO 4217; default: every currency the participant has accounts in',
  })
  /** ISO 4217; default: every currency the participant has accounts in. */
  @IsOptional()
  @Matches(/^[A-Z]{3}$/)
  currency?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  /** With `format=csv`. */
  @CsvDialectProperty()
  dialect?: CsvDialect;
}

export class AccountsQuery {
  @ApiPropertyOptional({ description: 'A participant id, or `exchange`' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,160}$/)
  ownerId?: string;

  @ApiPropertyOptional({ example: 'RUB' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/)
  currency?: string;
}

export class PayoutRequest {
  @ApiProperty({ example: 'RUB' })
  @Matches(/^[A-Z]{3}$/)
  currency!: string;

  @ApiPropertyOptional({ description: 'Operators name the seller; a seller always pays out its own balance' })
  /** Operators name the seller; a seller always pays out its own balance. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,160}$/)
  sellerId?: string;
}

export class TransfersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['pending', 'posted', 'voided'] })
  @IsOptional()
  @IsIn(['pending', 'posted', 'voided'])
  status?: 'pending' | 'posted' | 'voided';

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,160}$/)
  buyerId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,160}$/)
  sellerId?: string;

  @ApiPropertyOptional({ example: 'RUB' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/)
  currency?: string;
}

export class PayoutsQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,160}$/)
  sellerId?: string;

  @ApiPropertyOptional({ example: 'RUB' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/)
  currency?: string;
}
