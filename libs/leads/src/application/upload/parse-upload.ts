import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { LEAD_COLUMNS, type LeadColumnName } from '#lx/market-generator';
import type { NumberedRecord, RawLeadRecord } from '../../domain/raw-lead-record.js';
import { invalidHeader, UploadRejected } from './upload-rejected.js';

export type UploadFormat = 'csv' | 'ndjson';

export interface UploadLimits {
  maxRows: number;
  maxBytes: number;
}

const COLUMN_NAMES = new Set<string>(LEAD_COLUMNS.map((column) => column.name));
const REQUIRED_COLUMNS = LEAD_COLUMNS.filter((column) => column.required).map((column) => column.name);
// The longest record csv-parse buffers, and the longest NDJSON line: a 1 MB cell fits, a runaway
// unclosed quote does not hold the whole file in memory.
const MAX_RECORD_CHARS = 4 * 1024 * 1024;
const MAX_HEADER_CHARS = 64 * 1024;

/**
 * Reads an upload as it streams in, one record at a time: the file is never held in memory.
 * Structural problems of the file (encoding, header, syntax, limits) throw `UploadRejected`;
 * problems of one row travel with the row as `parseProblems`.
 */
export async function* parseUpload(
  body: AsyncIterable<Buffer | string>,
  format: UploadFormat,
  limits: UploadLimits,
): AsyncGenerator<NumberedRecord> {
  const text = decodeUtf8(body, limits.maxBytes);
  let rows = 0;
  const source = format === 'csv' ? csvRecords(text) : ndjsonRecords(text);
  for await (const record of source) {
    if (++rows > limits.maxRows)
      throw new UploadRejected(413, 'too-many-rows', `The file has more than ${limits.maxRows} rows`, {
        maxRows: limits.maxRows,
      });
    yield record;
  }
  if (rows === 0) throw new UploadRejected(422, 'empty-upload', 'The file has no lead rows');
}

/** Strict UTF-8 (a BOM is dropped); invalid bytes, NUL characters and oversize bodies refuse the file. */
async function* decodeUtf8(body: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  const decode = (chunk?: Buffer) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new UploadRejected(
        400,
        'invalid-encoding',
        `The file is not valid UTF-8 (near byte ${bytes}); save it as UTF-8 (with or without BOM)`,
      );
    }
  };
  for await (const raw of body) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    bytes += chunk.length;
    if (bytes > maxBytes)
      throw new UploadRejected(413, 'upload-too-large', `The file is larger than ${maxBytes} bytes`, {
        maxBytes,
      });
    const text = decode(chunk);
    if (text.includes('\u0000'))
      throw new UploadRejected(
        400,
        'invalid-encoding',
        'The file contains NUL characters: it is not a text file',
      );
    if (text) yield text;
  }
  const rest = decode();
  if (rest) yield rest;
}

async function* csvRecords(text: AsyncIterable<string>): AsyncGenerator<NumberedRecord> {
  const iterator = text[Symbol.asyncIterator]();
  // The header decides the delimiter: `;` is what spreadsheets write where the decimal mark is a comma.
  let head = '';
  while (!head.includes('\n')) {
    const next = await iterator.next();
    if (next.done) break;
    head += next.value;
    if (head.length > MAX_HEADER_CHARS && !head.slice(0, MAX_HEADER_CHARS).includes('\n'))
      throw new UploadRejected(422, 'missing-header', headerHelp('The first line is not a header'));
  }
  if (head.trim() === '') throw new UploadRejected(422, 'empty-upload', 'The file is empty');
  const headerLine = head.slice(0, head.includes('\n') ? head.indexOf('\n') : head.length);
  const delimiter = count(headerLine, ';') > count(headerLine, ',') ? ';' : ',';

  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    // A quote inside an unquoted cell (`O"Brien`, `12" Tverskaya`) is part of the value, as spreadsheets write it.
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  async function* rest(): AsyncGenerator<string> {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const input = Readable.from(rest());
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);

  let header: (LeadColumnName | null)[] | null = null;
  let line = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      line++;
      if (!header) {
        header = checkHeader(cells);
        continue;
      }
      if (cells.every((cell) => cell.trim() === '')) continue;
      const record: RawLeadRecord = {};
      header.forEach((name, index) => {
        if (name && cells[index] !== undefined) record[name] = cells[index];
      });
      yield {
        line,
        record,
        parseProblems: cells.length === header.length ? [] : ['wrong_column_count'],
      };
    }
  } catch (error) {
    if (error instanceof UploadRejected) throw error;
    // Every error of the parser is about the file (its codes are not all prefixed CSV_).
    if (error instanceof CsvError) {
      const { code, lines, message } = error as CsvError & { lines?: number };
      if (code === 'CSV_MAX_RECORD_SIZE')
        throw new UploadRejected(
          413,
          'record-too-large',
          `The record near line ${lines ?? line + 1} is longer than ${MAX_RECORD_CHARS} characters`,
        );
      throw new UploadRejected(
        400,
        'malformed-csv',
        `The file is not valid CSV near line ${lines ?? line + 1}: ${message}`,
        {
          csvError: code,
          line: lines,
        },
      );
    }
    throw error;
  } finally {
    input.destroy();
  }
  if (!header) throw new UploadRejected(422, 'missing-header', headerHelp('The file has no header'));
}

function checkHeader(cells: string[]): (LeadColumnName | null)[] {
  const names = cells.map((cell) => cell.trim());
  const unknown = names.filter((name) => !COLUMN_NAMES.has(name));
  if (unknown.length === names.length)
    throw new UploadRejected(422, 'missing-header', headerHelp('The first line is not a header'));
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  const missing = REQUIRED_COLUMNS.filter((name) => !names.includes(name));
  if (unknown.length > 0 || repeated.length > 0 || missing.length > 0)
    throw invalidHeader({ unknown, repeated, missing }, 'See GET /v1/upload-format for the columns.');
  return names as LeadColumnName[];
}

const headerHelp = (problem: string) =>
  `${problem}: the first line must name the columns, e.g. ${LEAD_COLUMNS.slice(0, 4)
    .map((column) => column.name)
    .join(',')},… (GET /v1/upload-format lists them all)`;

/** One JSON value as an upload row (an NDJSON line, or the lead of a POST /v1/leads). */
export function recordOfJson(value: unknown, line: number): NumberedRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { line, record: {}, parseProblems: ['malformed_record'] };
  const record: RawLeadRecord = {};
  let unknown = false;
  for (const [key, cell] of Object.entries(value)) {
    if (COLUMN_NAMES.has(key)) record[key as LeadColumnName] = cell;
    else unknown = true;
  }
  return { line, record, parseProblems: unknown ? ['unknown_field'] : [] };
}

async function* ndjsonRecords(text: AsyncIterable<string>): AsyncGenerator<NumberedRecord> {
  let pending = '';
  let line = 0;
  const toRecord = (raw: string): NumberedRecord | null => {
    line++;
    if (raw.trim() === '') return null;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return { line, record: {}, parseProblems: ['malformed_record'] };
    }
    return recordOfJson(value, line);
  };
  for await (const chunk of text) {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const record = toRecord(pending.slice(0, newline).replace(/\r$/, ''));
      pending = pending.slice(newline + 1);
      if (record) yield record;
    }
    if (pending.length > MAX_RECORD_CHARS)
      throw new UploadRejected(
        413,
        'record-too-large',
        `Line ${line + 1} is longer than ${MAX_RECORD_CHARS} characters`,
      );
  }
  const last = toRecord(pending.replace(/\r$/, ''));
  if (last) yield last;
}

function count(text: string, character: string): number {
  let total = 0;
  for (const c of text) if (c === character) total++;
  return total;
}
