import type { LeadColumnName } from '#lx/market-generator';

/**
 * One uploaded row as parsed, before verification: cells by column, as text (CSV) or as the
 * JSON value (NDJSON). Nothing here has been checked yet.
 */
export type RawLeadRecord = Partial<Record<LeadColumnName, unknown>>;

export type ParseProblem =
  'wrong_column_count' | 'unknown_field' | 'malformed_record' | 'duplicate_external_id';

/** A row of the upload with its line: the header is line 1 in CSV, the first record line 1 in NDJSON. */
export interface NumberedRecord {
  line: number;
  record: RawLeadRecord;
  /** Problems found while parsing (wrong cell count, malformed JSON), already row rejections. */
  parseProblems: readonly ParseProblem[];
}
