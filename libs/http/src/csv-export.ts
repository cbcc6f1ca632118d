import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { CSV_DIALECTS, type CsvDialect } from '#lx/csv';

/** `?dialect=` of every CSV download: how the one CSV writer (#lx/csv) writes it. */
export function CsvDialectProperty(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      enum: CSV_DIALECTS,
      default: 'spreadsheet',
      description:
        '`spreadsheet` (default): for Excel, LibreOffice or Google Sheets in any locale — every cell quoted, any text that could start a formula (= + - @ tab CR, at the start or after , ; tab or a line break inside a cell) marked as text with an apostrophe, UTF-8 byte-order mark. `rfc4180`: for machines (CRM imports) — plain RFC 4180, every value exactly as stored.',
    }),
    IsOptional(),
    IsIn(CSV_DIALECTS),
  );
}

export class CsvDialectQuery {
  @CsvDialectProperty()
  dialect?: CsvDialect;
}

/** Marks the response as a CSV download named `filename` (the handler returns the document). */
export function csvDownload(response: Response, filename: string): void {
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader(
    'Content-Disposition',
    `attachment; filename="${filename.replace(/[^A-Za-z0-9_.-]/g, '_')}"`,
  );
}
