/*
 * CSV export safe against formula injection (OWASP "CSV Injection"): a cell that a spreadsheet
 * would read as a formula is prefixed with a single quote, then quoted per RFC 4180.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain signed decimal is a number to a spreadsheet, never a formula: `-90.00` stays as it is. */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return values.map(csvCell).join(',');
}
