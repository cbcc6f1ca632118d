/**
 * A CSV cell that a spreadsheet will not run as a formula (OWASP "CSV injection"): a cell starting
 * with = + - @ tab or CR is prefixed with an apostrophe, and every cell is quoted.
 */
export function safeCsvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export const csvLine = (cells: (string | number)[]): string => `${cells.map(safeCsvCell).join(',')}\r\n`;
