import { describe, expect, it } from '@jest/globals';
import { UploadRejected } from '../upload/upload-rejected.js';
import { readDoNotContactFile } from './do-not-contact-file.js';

const refusal = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    if (error instanceof UploadRejected)
      return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the file to be refused');
};

describe('reading a do-not-contact file', () => {
  it('reads headed CSV columns, in any order, with a BOM, CRLF and semicolons', () => {
    expect(
      readDoNotContactFile(
        '\uFEFFemail;Phone;country\r\nivan@example.ru;8 916 123-45-67;RU\r\n\r\n;+34 600 123 456;\r\n',
        'csv',
        10,
      ),
    ).toEqual([
      { line: 2, email: 'ivan@example.ru', phone: '8 916 123-45-67', country: 'RU' },
      { line: 4, phone: '+34 600 123 456' },
    ]);
  });

  it('reads one headerless column, an e-mail by its @, and plain text one entry a line', () => {
    expect(readDoNotContactFile('+79161234567\nanna@example.ru\n', 'csv', 10)).toEqual([
      { line: 1, phone: '+79161234567' },
      { line: 2, email: 'anna@example.ru' },
    ]);
    expect(readDoNotContactFile('  +79161234567 \n\n# not a phone\r\nanna@example.ru', 'text', 10)).toEqual([
      { line: 1, phone: '+79161234567' },
      { line: 3, phone: '# not a phone' },
      { line: 4, email: 'anna@example.ru' },
    ]);
  });

  it('names the line of an entry it cannot read: wrong column count, an empty row, values out of bounds', () => {
    const entries = readDoNotContactFile(
      'phone,email\n+79161234567\n"",""\n' + `${'9'.repeat(41)},a@b.ru\n+79161234567,x@y.ru,extra\n`,
      'csv',
      10,
    );
    expect(entries).toEqual([
      { line: 2, problem: 'expected 2 columns, found 1' },
      { line: 4, problem: 'phone: must be 3 to 40 characters' },
      { line: 5, problem: 'expected 2 columns, found 3' },
    ]);
    expect(readDoNotContactFile('phone,country\n+79161234567,Russia\n', 'csv', 10)).toEqual([
      { line: 2, problem: 'country: must be an ISO 3166-1 alpha-2 code, such as RU' },
    ]);
  });

  it('counts a quoted cell over several lines from the line it starts on', () => {
    expect(readDoNotContactFile('email\n"a@b.ru"\n"c\n@d.ru"\ne@f.ru\n', 'csv', 10)).toEqual([
      { line: 2, email: 'a@b.ru' },
      { line: 3, email: 'c\n@d.ru' },
      { line: 5, email: 'e@f.ru' },
    ]);
  });

  it('refuses a file it cannot read as a whole: no header over several columns, unknown columns, empty, too many, NUL', () => {
    expect(refusal(() => readDoNotContactFile('+79161234567,anna@example.ru\n', 'csv', 10))).toMatchObject({
      status: 422,
      code: 'missing-header',
    });
    expect(refusal(() => readDoNotContactFile('phone,name\n+79161234567,Anna\n', 'csv', 10))).toMatchObject({
      status: 422,
      code: 'invalid-header',
      message: expect.stringContaining('unknown columns: "name"'),
    });
    expect(refusal(() => readDoNotContactFile('phone,phone\n1,2\n', 'csv', 10))).toMatchObject({
      code: 'invalid-header',
      message: expect.stringContaining('repeated columns: phone'),
    });
    expect(refusal(() => readDoNotContactFile('\n \n', 'text', 10))).toMatchObject({
      status: 422,
      code: 'empty-upload',
    });
    expect(refusal(() => readDoNotContactFile('phone\n', 'csv', 10))).toMatchObject({ code: 'empty-upload' });
    expect(refusal(() => readDoNotContactFile('a@b.ru\nc@d.ru\ne@f.ru\n', 'text', 2))).toMatchObject({
      status: 413,
      code: 'too-many-entries',
    });
    expect(refusal(() => readDoNotContactFile('a@b.ru\u0000\n', 'text', 2))).toMatchObject({
      status: 400,
      code: 'invalid-encoding',
    });
    expect(refusal(() => readDoNotContactFile('email\n"a@b.ru\n', 'csv', 2))).toMatchObject({
      status: 400,
      code: 'malformed-csv',
    });
  });
});
