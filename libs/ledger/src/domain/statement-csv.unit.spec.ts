import { describe, expect, it } from '@jest/globals';
import { buyerStatementsCsv, sellerStatementsCsv } from './statement-csv.js';
import { buyerStatement, sellerStatement, type SaleLine } from './statements.js';

const sale = (overrides: Partial<SaleLine> = {}): SaleLine => ({
  allocationId: 'a-1',
  orderId: 'o-1',
  buyerId: 'b-1',
  position: '10/2',
  soldAt: '2026-11-20T10:00:00.000Z',
  status: 'posted',
  price: 60_000,
  commission: 9_000,
  proceeds: 51_000,
  source: null,
  subSource: null,
  ...overrides,
});

const lines = (csv: string) => csv.trimEnd().split('\r\n');

describe('statement CSV', () => {
  it('gives every line a date, amounts in major units beside the currency, and a header people read', () => {
    const csv = sellerStatementsCsv(
      [
        sellerStatement(
          's-1',
          'RUB',
          [
            sale({ source: 'google', subSource: 'brand' }),
            sale({ allocationId: 'a-2', status: 'voided', soldAt: '2026-11-21T08:30:00.000Z' }),
          ],
          [{ payoutId: 'p-1', position: '12/1', occurredAt: '2026-11-24T09:00:00.000Z', amount: 51_000 }],
          { pending: 0, available: 0 },
        ),
      ],
      'rfc4180',
    );
    expect(lines(csv)).toEqual([
      'Date (UTC),Entry,Reference,Buyer,Source,Sub-source,Status,Price,Commission,Proceeds to you,Currency,Log position',
      '2026-11-20 10:00 UTC,Sale,a-1,b-1,google,brand,"sold, settled",600.00,-90.00,510.00,RUB,10/2',
      '2026-11-21 08:30 UTC,Sale,a-2,b-1,,,"returned, reversed",600.00,0.00,0.00,RUB,10/2',
      '2026-11-24 09:00 UTC,Payout,p-1,,,,paid out,,,-510.00,RUB,12/1',
    ]);
  });

  it('puts every currency under one header, in time order', () => {
    const csv = buyerStatementsCsv(
      [
        buyerStatement('b-1', 'RUB', [
          {
            position: '3/1',
            occurredAt: '2026-11-22T00:00:00.000Z',
            kind: 'deposit',
            reference: 'w-1',
            account: 'buyer_available',
            amount: 4_000_000,
          },
        ]),
        buyerStatement('b-1', 'EUR', [
          {
            position: '2/1',
            occurredAt: '2026-11-21T00:00:00.000Z',
            kind: 'refund',
            reference: 'a-9',
            account: 'buyer_available',
            amount: 1_250,
          },
        ]),
      ],
      'rfc4180',
    );
    expect(lines(csv)).toEqual([
      'Date (UTC),Entry,Reference,Balance,Amount,Currency,Log position',
      '2026-11-21 00:00 UTC,Refund of a returned lead,a-9,available,12.50,EUR,2/1',
      '2026-11-22 00:00 UTC,Deposit,w-1,available,40000.00,RUB,3/1',
    ]);
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    const csv = sellerStatementsCsv(
      [
        sellerStatement(
          's-1',
          'RUB',
          [sale({ allocationId: '=HYPERLINK("http://evil")', buyerId: '@buyer' })],
          [],
          {
            pending: 0,
            available: 51_000,
          },
        ),
      ],
      'spreadsheet',
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    // A plain negative amount is a number to a spreadsheet, never a formula: it stays as it is.
    expect(lines(csv)[1]).toBe(
      `"2026-11-20 10:00 UTC","Sale","'=HYPERLINK(""http://evil"")","'@buyer","","","sold, settled","600.00","-90.00","510.00","RUB","10/2"`,
    );
  });
});

describe('a seller’s statement by source', () => {
  it('splits the sales by source and sub-source, untagged last, and the parts sum to the whole', () => {
    const sales = [
      sale({ allocationId: 'a-1', source: 'google', subSource: 'brand' }),
      sale({ allocationId: 'a-2', source: 'google', subSource: 'brand', status: 'voided' }),
      sale({ allocationId: 'a-3', source: 'affiliates', subSource: 'aff-1', status: 'pending' }),
      sale({ allocationId: 'a-4' }),
      sale({
        allocationId: 'a-5',
        source: 'google',
        subSource: null,
        price: 40_000,
        commission: 6_000,
        proceeds: 34_000,
      }),
    ];
    const statement = sellerStatement('s-1', 'RUB', sales, [], { pending: 0, available: 0 });
    expect(statement.bySource).toEqual([
      {
        source: 'affiliates',
        subSource: 'aff-1',
        sold: { count: 1, gross: 60_000, proceeds: 51_000 },
        returned: { count: 0, gross: 0, proceedsDebited: 0 },
        commission: 9_000,
        netProceeds: 51_000,
      },
      {
        source: 'google',
        subSource: 'brand',
        sold: { count: 2, gross: 120_000, proceeds: 102_000 },
        returned: { count: 1, gross: 60_000, proceedsDebited: 51_000 },
        commission: 9_000,
        netProceeds: 51_000,
      },
      {
        source: 'google',
        subSource: null,
        sold: { count: 1, gross: 40_000, proceeds: 34_000 },
        returned: { count: 0, gross: 0, proceedsDebited: 0 },
        commission: 6_000,
        netProceeds: 34_000,
      },
      {
        source: null,
        subSource: null,
        sold: { count: 1, gross: 60_000, proceeds: 51_000 },
        returned: { count: 0, gross: 0, proceedsDebited: 0 },
        commission: 9_000,
        netProceeds: 51_000,
      },
    ]);
    const total = (pick: (line: (typeof statement.bySource)[number]) => number) =>
      statement.bySource.reduce((sum, line) => sum + pick(line), 0);
    expect(total((line) => line.sold.gross)).toBe(statement.sold.gross);
    expect(total((line) => line.returned.count)).toBe(statement.returned.count);
    expect(total((line) => line.commission)).toBe(statement.commission);
  });
});
