import { Writable } from 'node:stream';

import { describe, expect, it } from '@jest/globals';

import { generateLeadRows, generateLeadRowsStream } from './lead-rows.js';
import { LEAD_COLUMNS, LEAD_COLUMN_NAMES, type LeadRow } from './upload-format.js';
import { leadRowsToCsv, leadRowsToNdjson, writeLeadCsv, writeLeadNdjson } from './writers.js';

/** RFC 4180, strictly: quoted fields may hold the delimiter, CR, LF and doubled quotes. */
function parseCsv(text: string, delimiter = ','): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  const endRecord = () => {
    record.push(field);
    records.push(record);
    record = [];
    field = '';
  };
  while (i < text.length) {
    if (field === '' && text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text.startsWith('""', i)) {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else {
          field += text[i];
          i++;
        }
      }
      if (i < text.length && text[i] !== delimiter && text[i] !== '\r' && text[i] !== '\n') {
        throw new Error(`text after a closing quote at ${i}`);
      }
    } else if (text[i] === '"') {
      throw new Error(`bare quote in an unquoted field at ${i}`);
    } else if (text[i] === delimiter) {
      record.push(field);
      field = '';
      i++;
    } else if (text.startsWith('\r\n', i)) {
      endRecord();
      i += 2;
    } else if (text[i] === '\n') {
      endRecord();
      i++;
    } else {
      field += text[i];
      i++;
    }
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

class MemorySink extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void) {
    this.chunks.push(chunk);
    done();
  }
  text() {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

const AROUND = new Date('2025-06-01T12:00:00.000Z');

const tricky: LeadRow = {
  external_id: 'tricky-1',
  first_name: 'Anna "Nyusha"',
  last_name: "O'Neil; Петрова",
  email: 'anna@example.com',
  address: 'г. Москва, ул. Ленина, д. 1\nподъезд 2',
  interests: ['premium_glasses', 'sunglasses'],
  age: 41,
  country: 'RU',
  region: 'RU-MOW',
  captured_at: '2025-06-01T10:00:00.000Z',
  consent_text: 'Line one, "quoted";\r\nline two\nline three\rend',
  consent_sellers_named: ['ООО «Оптика Люкс»', 'Seller, S.L.'],
};

const expectedCells = (row: LeadRow): string[] =>
  LEAD_COLUMNS.map(({ name }) => {
    const value = row[name];
    return value === undefined ? '' : Array.isArray(value) ? value.join('|') : String(value);
  });

describe('CSV writing', () => {
  it.each([',', ';'] as const)('round-trips quotes, delimiters and line breaks with "%s"', (delimiter) => {
    const text = leadRowsToCsv([tricky, { ...tricky, external_id: 'plain', consent_text: 'plain' }], {
      delimiter,
    });
    const [header, ...records] = parseCsv(text, delimiter);
    expect(header).toEqual(LEAD_COLUMN_NAMES);
    expect(records).toEqual([
      expectedCells(tricky),
      expectedCells({ ...tricky, external_id: 'plain', consent_text: 'plain' }),
    ]);
  });

  it('quotes only the fields that need it', () => {
    const line = leadRowsToCsv([tricky]).split('\r\n')[1]!;
    expect(line.startsWith('tricky-1,"Anna ""Nyusha""",O\'Neil; Петрова,anna@example.com,,,41,')).toBe(true);
    const semicolons = leadRowsToCsv([tricky], { delimiter: ';' }).split('\r\n')[1]!;
    expect(
      semicolons.startsWith('tricky-1;"Anna ""Nyusha""";"O\'Neil; Петрова";anna@example.com;;;41;'),
    ).toBe(true);
  });

  it('round-trips a generated batch, consent texts with quotes and line breaks included', () => {
    const { rows } = generateLeadRows({
      seed: 5,
      count: 800,
      country: 'mixed',
      vertical: 'insurance',
      capturedAround: AROUND,
    });
    const records = parseCsv(leadRowsToCsv(rows)).slice(1);
    expect(records).toEqual(rows.map(expectedCells));
    expect(rows.some((row) => row.consent_text?.includes('\n'))).toBe(true);
    expect(rows.some((row) => row.consent_text?.includes('"'))).toBe(true);
  });

  it('writes a byte-order mark and bare LF only when asked', () => {
    expect(leadRowsToCsv([tricky], { bom: true }).startsWith('\uFEFFexternal_id,')).toBe(true);
    expect(leadRowsToCsv([tricky]).startsWith('external_id,')).toBe(true);
    const lf = leadRowsToCsv([{ ...tricky, consent_text: undefined, address: undefined }], {
      lineEnding: '\n',
    });
    expect(lf).not.toContain('\r');
    expect(lf.split('\n')).toHaveLength(3);
  });

  it('streams to a writable the same bytes it would build as a string, from arrays and async generators', async () => {
    const options = { seed: 9, count: 3000, vertical: 'loans', capturedAround: AROUND } as const;
    const { rows } = generateLeadRows(options);
    const expected = leadRowsToCsv(rows, { delimiter: ';', bom: true });

    const fromArray = new MemorySink();
    const summary = await writeLeadCsv(rows, fromArray, { delimiter: ';', bom: true });
    expect(fromArray.text()).toBe(expected);
    expect(summary).toEqual({ rows: 3000, bytes: Buffer.byteLength(expected) });
    expect(fromArray.chunks.length).toBeGreaterThan(10);

    async function* rowsOnly() {
      for await (const lead of generateLeadRowsStream(options)) yield lead.row;
    }
    const fromStream = new MemorySink();
    await writeLeadCsv(rowsOnly(), fromStream, { delimiter: ';', bom: true });
    expect(fromStream.text()).toBe(expected);
  });
});

describe('NDJSON writing', () => {
  it('writes one object per line, lists as arrays, absent values left out, keys in column order', async () => {
    const sink = new MemorySink();
    const summary = await writeLeadNdjson([tricky, { ...tricky, external_id: 'second' }], sink);
    const text = sink.text();
    expect(text).toBe(leadRowsToNdjson([tricky, { ...tricky, external_id: 'second' }]));
    expect(summary.rows).toBe(2);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first.interests).toEqual(['premium_glasses', 'sunglasses']);
    expect(first.age).toBe(41);
    expect(first.consent_text).toBe(tricky.consent_text);
    expect('phone' in first).toBe(false);
    expect(Object.keys(first)).toEqual(LEAD_COLUMN_NAMES.filter((name) => tricky[name] !== undefined));
  });

  it('parses back to the generated rows', () => {
    const { rows } = generateLeadRows({ seed: 3, count: 500, vertical: 'eyewear', capturedAround: AROUND });
    const parsed = leadRowsToNdjson(rows)
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as LeadRow);
    const withoutAbsent = (row: LeadRow) => JSON.parse(JSON.stringify(row)) as LeadRow;
    expect(parsed).toEqual(rows.map(withoutAbsent));
  });
});
