import { describe, expect, it } from '@jest/globals';
import { csvCell, csvLine } from './csv-cell.js';

describe('CSV cells', () => {
  it('neutralises every cell a spreadsheet would read as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+7 999 123-45-67')).toBe(`"'+7 999 123-45-67"`);
    expect(csvCell('-2+3')).toBe(`"'-2+3"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('\t=1')).toBe(`"'\t=1"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  });

  it('leaves ordinary values alone and quotes separators', () => {
    expect(csvLine(['Anna', 60000, true, null, undefined, 'a,b', 'say "hi"'])).toBe(
      'Anna,60000,true,,,"a,b","say ""hi"""',
    );
    expect(csvCell(-5)).toBe('-5');
  });
});
