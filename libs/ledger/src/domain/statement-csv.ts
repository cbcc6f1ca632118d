import { csvLine } from '#lx/buyers';
import type { BuyerStatement, SellerStatement } from './statements.js';

/** One line per sale and payout, each cell escaped against formula injection. */
export function sellerStatementCsv(statement: SellerStatement): string {
  const rows = [
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
  return rows.map(csvLine).join('\r\n') + '\r\n';
}

export function buyerStatementCsv(statement: BuyerStatement): string {
  const rows = [
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
  return rows.map(csvLine).join('\r\n') + '\r\n';
}
