import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { LEAD_COLUMNS, type LeadRow } from './upload-format.js';

export type LeadRowSource = Iterable<LeadRow> | AsyncIterable<LeadRow>;

export interface CsvOptions {
  /** `;` is what spreadsheet software writes in locales with a decimal comma (Spain, Russia). Default `,`. */
  delimiter?: ',' | ';';
  /** A UTF-8 byte-order mark, without which Excel shows Cyrillic and accents as mojibake. Default false. */
  bom?: boolean;
  /** RFC 4180 says CRLF. Default `\r\n`. */
  lineEnding?: '\r\n' | '\n';
}

export interface WriteSummary {
  rows: number;
  bytes: number;
}

// Rows are gathered into chunks of about this many characters: one write per row is slow,
// one write per file holds the whole file in memory.
const CHUNK_CHARACTERS = 64 * 1024;

function csvField(value: LeadRow[keyof LeadRow], delimiter: string): string {
  if (value === undefined) return '';
  const text = Array.isArray(value) ? value.join('|') : String(value);
  const needsQuotes =
    text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r');
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRecord(row: LeadRow, delimiter: string): string {
  return LEAD_COLUMNS.map((column) => csvField(row[column.name], delimiter)).join(delimiter);
}

function csvHeader(delimiter: string): string {
  return LEAD_COLUMNS.map((column) => column.name).join(delimiter);
}

/** Keys in column order, absent values left out, lists as JSON arrays. */
function ndjsonRecord(row: LeadRow): string {
  const record: Record<string, unknown> = {};
  for (const { name } of LEAD_COLUMNS) {
    if (row[name] !== undefined) record[name] = row[name];
  }
  return JSON.stringify(record);
}

export function leadRowsToCsv(rows: Iterable<LeadRow>, options: CsvOptions = {}): string {
  const { delimiter = ',', bom = false, lineEnding = '\r\n' } = options;
  const lines = [csvHeader(delimiter)];
  for (const row of rows) lines.push(csvRecord(row, delimiter));
  return (bom ? '\uFEFF' : '') + lines.join(lineEnding) + lineEnding;
}

export function leadRowsToNdjson(rows: Iterable<LeadRow>): string {
  let text = '';
  for (const row of rows) text += `${ndjsonRecord(row)}\n`;
  return text;
}

/**
 * Streams rows to a file (given a path) or to a stream, which is ended when done; memory use
 * does not grow with the number of rows, so a generator of a million rows can feed it.
 */
export async function writeLeadCsv(
  rows: LeadRowSource,
  target: string | Writable,
  options: CsvOptions = {},
): Promise<WriteSummary> {
  const { delimiter = ',', bom = false, lineEnding = '\r\n' } = options;
  return writeLines(
    rows,
    target,
    (bom ? '\uFEFF' : '') + csvHeader(delimiter) + lineEnding,
    (row) => csvRecord(row, delimiter) + lineEnding,
  );
}

export async function writeLeadNdjson(rows: LeadRowSource, target: string | Writable): Promise<WriteSummary> {
  return writeLines(rows, target, '', (row) => `${ndjsonRecord(row)}\n`);
}

async function writeLines(
  rows: LeadRowSource,
  target: string | Writable,
  preamble: string,
  line: (row: LeadRow) => string,
): Promise<WriteSummary> {
  const summary: WriteSummary = { rows: 0, bytes: 0 };
  async function* chunks(): AsyncGenerator<string> {
    let chunk = preamble;
    for await (const row of rows) {
      chunk += line(row);
      summary.rows++;
      if (chunk.length >= CHUNK_CHARACTERS) {
        summary.bytes += Buffer.byteLength(chunk);
        yield chunk;
        chunk = '';
      }
    }
    summary.bytes += Buffer.byteLength(chunk);
    if (chunk) yield chunk;
  }
  const destination = typeof target === 'string' ? createWriteStream(target, { encoding: 'utf8' }) : target;
  await pipeline(Readable.from(chunks()), destination);
  return summary;
}
