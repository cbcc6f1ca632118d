import { CsvError, parse } from 'csv-parse/sync';
import { invalidHeader, UploadRejected } from '../upload/upload-rejected.js';

/*
 * An operator's do-not-contact file (docs/architecture.md §4.3): the phones and e-mails of a list
 * as a regulator's register or a CRM export gives them. Read whole (a request is at most
 * LX_MAX_BODY_BYTES), each entry with its line, so a bad one is named by its line, never its value.
 */

export type DoNotContactFileFormat = 'csv' | 'text';

/** The media types a list's file may come as. */
export const DO_NOT_CONTACT_FILE_TYPES: Readonly<Record<string, DoNotContactFileFormat>> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'text/plain': 'text',
};

/** One entry of the file: what it gives, or why its line cannot be read. */
export interface DoNotContactFileEntry {
  line: number;
  phone?: string;
  email?: string;
  country?: string;
  problem?: string;
}

const COLUMNS: Readonly<Record<string, 'phone' | 'email' | 'country'>> = {
  phone: 'phone',
  email: 'email',
  'e-mail': 'email',
  country: 'country',
};

/**
 * The entries of a file: CSV with a header naming `phone`, `email` (and optionally `country`)
 * columns, CSV of one column without a header, or plain text with one phone or e-mail a line. In a
 * headerless file an entry with an `@` is an e-mail, any other a phone. Blank lines are skipped.
 * A file that cannot be read as a whole throws `UploadRejected`; a line that cannot be read is an
 * entry with its `problem`.
 */
export function readDoNotContactFile(
  text: string,
  format: DoNotContactFileFormat,
  maxEntries: number,
): DoNotContactFileEntry[] {
  if (text.includes('\u0000'))
    throw new UploadRejected(
      400,
      'invalid-encoding',
      'The file contains NUL characters: it is not a text file',
    );
  const entries = format === 'csv' ? csvEntries(text) : textEntries(text);
  if (entries.length === 0)
    throw new UploadRejected(422, 'empty-upload', 'The file names no phone or e-mail');
  if (entries.length > maxEntries)
    throw new UploadRejected(
      413,
      'too-many-entries',
      `The file has ${entries.length} entries, more than the ${maxEntries} a request takes: split it and add the parts to the list one after another`,
      { maxEntries },
    );
  return entries;
}

function textEntries(text: string): DoNotContactFileEntry[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .flatMap((raw, index) => {
      const value = raw.trim();
      return value === '' ? [] : [oneValue(value, index + 1)];
    });
}

function csvEntries(text: string): DoNotContactFileEntry[] {
  const newline = text.search(/\r|\n/);
  const firstLine = newline < 0 ? text : text.slice(0, newline);
  // `;` is what spreadsheets write where the decimal mark is a comma.
  const delimiter = count(firstLine, ';') > count(firstLine, ',') ? ';' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      info: true,
      trim: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as never;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const { lines } = error as CsvError & { lines?: number };
    throw new UploadRejected(400, 'malformed-csv', `The file is not valid CSV near line ${lines ?? 1}`, {
      csvError: error.code,
      ...(lines !== undefined ? { line: lines } : {}),
    });
  }
  // A record's info gives the line it ends on; a quoted cell may span lines.
  const rows = records
    .map(({ record, info }) => ({ cells: record, line: info.lines - newlines(record) }))
    .filter(({ cells }) => cells.some((cell) => cell !== ''));
  const [first, ...rest] = rows;
  if (!first) return [];
  const names = first.cells.map((cell) => cell.toLowerCase());
  if (!names.some((name) => name in COLUMNS)) {
    if (first.cells.length > 1)
      throw new UploadRejected(
        422,
        'missing-header',
        'A file of more than one column names its columns in the first line: phone, email (and country for phones written without their country code)',
      );
    return rows.map(({ cells, line }) =>
      cells.length === 1 ? oneValue(cells[0]!, line) : { line, problem: 'expected one column' },
    );
  }
  return headed(names, rest);
}

function headed(names: string[], rows: { cells: string[]; line: number }[]): DoNotContactFileEntry[] {
  const unknown = names.filter((name) => !(name in COLUMNS));
  const columns = names.map((name) => COLUMNS[name]);
  const repeated = columns.filter((column, index) => column && columns.indexOf(column) !== index);
  if (unknown.length > 0 || repeated.length > 0 || !columns.some((c) => c === 'phone' || c === 'email'))
    throw invalidHeader(
      { unknown, repeated },
      'The columns are phone, email and country (for phones written without their country code).',
    );
  return rows.map(({ cells, line }) => {
    if (cells.length !== columns.length)
      return { line, problem: `expected ${columns.length} columns, found ${cells.length}` };
    const entry: DoNotContactFileEntry = { line };
    columns.forEach((column, index) => {
      if (column && cells[index]) entry[column] = cells[index];
    });
    return checked(entry);
  });
}

function oneValue(value: string, line: number): DoNotContactFileEntry {
  return checked(value.includes('@') ? { line, email: value } : { line, phone: value });
}

/** The bounds of the JSON entries (`PersonContacts`), so a file's entry is held to the same. */
function checked(entry: DoNotContactFileEntry): DoNotContactFileEntry {
  const { line } = entry;
  if (entry.phone !== undefined && !within(entry.phone, 3, 40))
    return { line, problem: 'phone: must be 3 to 40 characters' };
  if (entry.email !== undefined && !within(entry.email, 3, 254))
    return { line, problem: 'email: must be 3 to 254 characters' };
  if (entry.country !== undefined && !/^[A-Za-z]{2}$/.test(entry.country))
    return { line, problem: 'country: must be an ISO 3166-1 alpha-2 code, such as RU' };
  if (entry.phone === undefined && entry.email === undefined && entry.problem === undefined)
    return { line, problem: 'give a phone, an e-mail or both' };
  return entry;
}

const within = (value: string, min: number, max: number) => value.length >= min && value.length <= max;

const count = (text: string, character: string) => text.split(character).length - 1;
const newlines = (cells: string[]) => cells.reduce((total, cell) => total + count(cell, '\n'), 0);
