import { describe, expect, it } from '@jest/globals';
import { generateLeadRows, leadRowsToCsv, leadRowsToNdjson } from '#lx/market-generator';
import { parseUpload, type UploadFormat } from './parse-upload.js';
import { UploadRejected } from './upload-rejected.js';

const limits = { maxRows: 100, maxBytes: 16 * 1024 * 1024 };
const { rows } = generateLeadRows({
  seed: 'parse-upload',
  count: 3,
  vertical: 'eyewear',
  capturedAround: new Date('2026-03-01T12:00:00Z'),
  badShare: 0,
  duplicateShare: 0,
  partialShare: 0,
});
const csv = leadRowsToCsv(rows);

async function* chunks(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

async function outcome(text: string, format: UploadFormat = 'csv') {
  const records = [];
  try {
    for await (const record of parseUpload(chunks(text), format, limits)) records.push(record);
    return { records };
  } catch (error) {
    if (error instanceof UploadRejected) return { status: error.status, code: error.code };
    throw error;
  }
}

describe('parseUpload: whatever the file, a row verdict or an UploadRejected', () => {
  it('reads a quote inside an unquoted cell as part of the value', async () => {
    const header = csv.slice(0, csv.indexOf('\r\n'));
    const addressColumn = header.split(',').indexOf('address');
    const withQuote = (value: string) => {
      const cells = csv.split('\r\n')[1]!.split(',');
      cells[addressColumn] = value;
      return `${header}\r\n${cells.join(',')}\r\n`;
    };
    for (const value of ['O"Brien', '12" Tverskaya', 'ends with"']) {
      const { records } = await outcome(withQuote(value));
      expect(records?.map((record) => record.record.address)).toEqual([value]);
    }
  });

  it('refuses NDJSON sent as CSV as a file without a header', async () => {
    expect(await outcome(leadRowsToNdjson(rows))).toEqual({ status: 422, code: 'missing-header' });
  });

  it('maps every parser error to a 4xx refusal of the file', async () => {
    expect(await outcome(`${csv}"unclosed,quote\r\n`)).toEqual({ status: 400, code: 'malformed-csv' });
    expect(await outcome(`${csv}${'x'.repeat(4 * 1024 * 1024 + 1)},x\r\n`)).toEqual({
      status: 413,
      code: 'record-too-large',
    });
  });
});
