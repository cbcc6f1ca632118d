import { describe, expect, it } from '@jest/globals';
import { csvDocument } from '#lx/csv';
import { sellerStatementRecords } from './statement-csv.js';
import { sellerStatement } from './statements.js';

describe('statement CSV', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    const sale = {
      allocationId: '=HYPERLINK("http://evil")',
      orderId: 'o-1',
      buyerId: '@buyer',
      position: '1/2',
      status: 'posted' as const,
      price: 60_000,
      commission: 9_000,
      proceeds: 51_000,
    };
    const records = sellerStatementRecords(
      sellerStatement('s-1', 'RUB', [sale], [], { pending: 0, available: 51_000 }),
    );
    const [header, line] = csvDocument(records, 'spreadsheet').slice(1).split('\r\n');
    expect(header).toBe(
      '"type","reference","counterparty","position","status","price","commission","proceeds","currency"',
    );
    expect(line).toBe(
      `"sale","'=HYPERLINK(""http://evil"")","'@buyer","1/2","posted","60000","9000","51000","RUB"`,
    );
    expect(csvDocument(records, 'rfc4180').split('\r\n')[1]).toBe(
      `sale,"=HYPERLINK(""http://evil"")",@buyer,1/2,posted,60000,9000,51000,RUB`,
    );
  });
});
