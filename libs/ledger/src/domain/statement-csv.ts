import { formatInstant, majorUnits } from '#lx/contracts';
import { csvDocument, type CsvDialect } from '#lx/csv';
import type { AccountLine, BuyerStatement, SellerStatement } from './statements.js';

/*
 * Statements as a spreadsheet user reads them: one header, a date on every line (UTC), amounts in
 * major units (`600.00`, a dot as the decimal mark) beside their currency, words instead of codes;
 * the log position last, for whoever checks a line against the log. Written by the one CSV writer
 * in the dialect asked for (spreadsheet-safe or RFC 4180).
 */

const SALE_STATUS: Record<string, string> = {
  pending: 'sold, return window open',
  posted: 'sold, settled',
  voided: 'returned, reversed',
};

export function sellerStatementsCsv(statements: readonly SellerStatement[], dialect: CsvDialect): string {
  const header = [
    'Date (UTC)',
    'Entry',
    'Reference',
    'Buyer',
    'Source',
    'Sub-source',
    'Status',
    'Price',
    'Commission',
    'Proceeds to you',
    'Currency',
    'Log position',
  ];
  const lines = statements.flatMap((statement) => {
    const money = (minor: number) => majorUnits(minor, statement.currency);
    return [
      ...statement.sales.map((sale) => {
        // A returned sale earned nothing: its proceeds were taken back and its commission reversed.
        const kept = sale.status === 'voided' ? 0 : 1;
        return {
          at: sale.soldAt,
          cells: [
            formatInstant(sale.soldAt),
            'Sale',
            sale.allocationId,
            sale.buyerId,
            sale.source ?? '',
            sale.subSource ?? '',
            SALE_STATUS[sale.status] ?? sale.status,
            money(sale.price),
            money(-sale.commission * kept),
            money(sale.proceeds * kept),
            statement.currency,
            sale.position,
          ],
        };
      }),
      ...statement.payouts.map((payout) => ({
        at: payout.occurredAt,
        cells: [
          formatInstant(payout.occurredAt),
          'Payout',
          payout.payoutId,
          '',
          '',
          '',
          'paid out',
          '',
          '',
          money(-payout.amount),
          statement.currency,
          payout.position,
        ],
      })),
    ];
  });
  return toCsv(header, lines, dialect);
}

const ENTRIES: Record<AccountLine['kind'], string> = {
  deposit: 'Deposit',
  order_reserved: 'Budget reserved for an order',
  budget_released: 'Unspent budget released',
  allocation: 'Lead bought',
  settlement_posted: 'Sale settled',
  settlement_voided: 'Sale reversed',
  refund: 'Refund of a returned lead',
  payout: 'Payout',
};
const ACCOUNTS: Record<AccountLine['account'], string> = {
  buyer_available: 'available',
  buyer_reserved: 'reserved for orders',
};

export function buyerStatementsCsv(statements: readonly BuyerStatement[], dialect: CsvDialect): string {
  const header = ['Date (UTC)', 'Entry', 'Reference', 'Balance', 'Amount', 'Currency', 'Log position'];
  const lines = statements.flatMap((statement) =>
    statement.lines.map((line) => ({
      at: line.occurredAt,
      cells: [
        formatInstant(line.occurredAt),
        ENTRIES[line.kind] ?? line.kind,
        line.reference,
        ACCOUNTS[line.account] ?? line.account,
        majorUnits(line.amount, statement.currency),
        statement.currency,
        line.position,
      ],
    })),
  );
  return toCsv(header, lines, dialect);
}

function toCsv(
  header: string[],
  lines: { at: string; cells: (string | number)[] }[],
  dialect: CsvDialect,
): string {
  // In time order across currencies and kinds; the sort is stable, so a statement's own order holds.
  const ordered = [...lines].sort((a, b) => a.at.localeCompare(b.at));
  return csvDocument([header, ...ordered.map((line) => line.cells)], dialect);
}
