import type { CsvValue } from '#lx/csv';
import type { BuyerStatement, SellerStatement } from './statements.js';

/** The CSV records of a seller's statement: a header, then one per sale and payout. */
export function sellerStatementRecords(statement: SellerStatement): CsvValue[][] {
  return [
    [
      'type',
      'reference',
      'counterparty',
      'position',
      'status',
      'price',
      'commission',
      'proceeds',
      'currency',
    ],
    ...statement.sales.map((sale) => [
      'sale',
      sale.allocationId,
      sale.buyerId,
      sale.position,
      sale.status,
      sale.price,
      sale.commission,
      sale.proceeds,
      statement.currency,
    ]),
    ...statement.payouts.map((payout) => [
      'payout',
      payout.payoutId,
      '',
      payout.position,
      'paid',
      '',
      '',
      -payout.amount,
      statement.currency,
    ]),
  ];
}

/** The CSV records of a buyer's statement: a header, then one per ledger line. */
export function buyerStatementRecords(statement: BuyerStatement): CsvValue[][] {
  return [
    ['position', 'occurred_at', 'kind', 'reference', 'account', 'amount', 'currency'],
    ...statement.lines.map((line) => [
      line.position,
      line.occurredAt,
      line.kind,
      line.reference,
      line.account,
      line.amount,
      statement.currency,
    ]),
  ];
}
