import type { CsvDialect } from '#lx/csv';
import { CsvDialectProperty } from '#lx/http';
import { IsIn, IsOptional, Matches } from 'class-validator';

export class StatementQuery {
  /** ISO 4217; default: every currency the participant has accounts in. */
  @IsOptional()
  @Matches(/^[A-Z]{3}$/)
  currency?: string;

  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  /** With `format=csv`. */
  @CsvDialectProperty()
  dialect?: CsvDialect;
}

export class AccountsQuery {
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,160}$/)
  ownerId?: string;

  @IsOptional()
  @Matches(/^[A-Z]{3}$/)
  currency?: string;
}

export class PayoutRequest {
  @Matches(/^[A-Z]{3}$/)
  currency!: string;

  /** Operators name the seller; a seller always pays out its own balance. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,160}$/)
  sellerId?: string;
}
