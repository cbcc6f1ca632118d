/*
 * The one CSV writer of the exchange: every CSV it produces (the buyer's export of purchased
 * leads, a batch's rejections, statements) is written here, in one of two dialects.
 *
 * - `rfc4180` is for machines (CRM importers, scripts): RFC 4180 exactly — CRLF line ends, a cell
 *   quoted only when it holds a comma, quote, CR or LF, quotes doubled — and every value as it is.
 * - `spreadsheet` is for people who open the file in Excel, LibreOffice or Google Sheets, whose
 *   list separator may be `,`, `;` or tab depending on the locale. Every cell is quoted, and no
 *   text can start a formula (OWASP "CSV injection") however the line is split: a cell that
 *   starts — after any whitespace or quotes — with = + - @ (or their full-width forms), tab, CR or LF gets a
 *   leading apostrophe, the spreadsheet's "this is text" mark; so does any such start after a
 *   `,` `;` tab, CR or LF inside a cell (`Ivan;=1+2` opened where `;` separates cells is two
 *   cells, the second a formula, unless it reads `Ivan;'=1+2`). Numbers, and text that is a plain
 *   decimal (`-90.00`), are written as they are.
 *   A phone number stays readable: `'+7 999 …` shows as text, where `+7 999 …` would be
 *   evaluated as arithmetic or lose its plus. The document starts with a byte-order mark, without
 *   which Excel reads UTF-8 (Cyrillic names) as a legacy code page.
 *
 * Pure and dependency-free, so domain code (statements) can use it.
 */

export const CSV_DIALECTS = ['spreadsheet', 'rfc4180'] as const;
export type CsvDialect = (typeof CSV_DIALECTS)[number];

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = '=+\\-@\\uFF1D\\uFF0B\\uFF0D\\uFF20\\t\\r\\n';
/** A cell whose first non-blank character a spreadsheet reads as the start of a formula. */
const STARTS_FORMULA = new RegExp(`^[\\s"]*[${FORMULA_START}]`);
/** The same start after a separator a spreadsheet might split the cell at. */
const FORMULA_AFTER_SEPARATOR = new RegExp(`([,;\\t\\r\\n])(?=[ \\u00A0"]*[${FORMULA_START}])`, 'g');
/** A plain decimal, negative or not (`-90.00`): a number to a spreadsheet, never a formula. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell in the given dialect. */
export function csvCell(value: CsvValue, dialect: CsvDialect): string {
  if (value === null || value === undefined) return dialect === 'spreadsheet' ? '""' : '';
  let text = String(value);
  if (dialect === 'rfc4180') return NEEDS_QUOTES.test(text) ? quoted(text) : text;
  if (typeof value === 'string' && !PLAIN_NUMBER.test(text)) {
    text = text.replace(FORMULA_AFTER_SEPARATOR, "$1'");
    if (STARTS_FORMULA.test(text)) text = `'${text}`;
  }
  return quoted(text);
}

/** One record, without its line end. */
export function csvRecord(values: readonly CsvValue[], dialect: CsvDialect): string {
  return values.map((value) => csvCell(value, dialect)).join(',');
}

/** Records, each ended by CRLF (the header is the first record). */
export function csvDocument(records: readonly (readonly CsvValue[])[], dialect: CsvDialect): string {
  let out = dialect === 'spreadsheet' ? '\uFEFF' : '';
  for (const record of records) out += `${csvRecord(record, dialect)}\r\n`;
  return out;
}

function quoted(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}
