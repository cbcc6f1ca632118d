import type { PostingKind } from './ledger-postings.js';

/*
 * Statements: what a seller sold, got returned, paid in commission and was paid out; what a buyer
 * deposited, spent and got refunded. Each line points at the log position that caused it.
 */

export interface SaleLine {
  allocationId: string;
  orderId: string;
  buyerId: string;
  position: string;
  /** When the lead was allocated. */
  soldAt: string;
  status: 'pending' | 'posted' | 'voided';
  price: number;
  commission: number;
  proceeds: number;
  /** The seller's source tag of the lead sold, and its sub-source; null when the lead had none. */
  source: string | null;
  subSource: string | null;
}

/** A statement's sales of one source and sub-source (docs/architecture.md §6 "statements by source"). */
export interface SourceLine {
  source: string | null;
  subSource: string | null;
  sold: { count: number; gross: number; proceeds: number };
  returned: { count: number; gross: number; proceedsDebited: number };
  /** Commission on the sales that stood. */
  commission: number;
  /** Proceeds of the sales that stood: what the source earned the seller. */
  netProceeds: number;
}

export interface PayoutLine {
  payoutId: string;
  position: string;
  occurredAt: string;
  amount: number;
}

export interface SellerStatement {
  sellerId: string;
  currency: string;
  sold: { count: number; gross: number; proceeds: number };
  returned: { count: number; gross: number; proceedsDebited: number; commissionReversed: number };
  /** Commission on the sales that stood (returned sales' commission is reversed). */
  commission: number;
  paidOut: number;
  balances: { pending: number; available: number };
  /** The sales split by source and sub-source, in tag order, untagged last; they sum to sold and returned. */
  bySource: SourceLine[];
  sales: SaleLine[];
  payouts: PayoutLine[];
}

export function sellerStatement(
  sellerId: string,
  currency: string,
  sales: SaleLine[],
  payouts: PayoutLine[],
  balances: { pending: number; available: number },
): SellerStatement {
  const returned = sales.filter((sale) => sale.status === 'voided');
  const kept = sales.filter((sale) => sale.status !== 'voided');
  return {
    sellerId,
    currency,
    sold: { count: sales.length, gross: sum(sales, 'price'), proceeds: sum(sales, 'proceeds') },
    returned: {
      count: returned.length,
      gross: sum(returned, 'price'),
      proceedsDebited: sum(returned, 'proceeds'),
      commissionReversed: sum(returned, 'commission'),
    },
    commission: sum(kept, 'commission'),
    paidOut: payouts.reduce((total, payout) => total + payout.amount, 0),
    balances,
    bySource: salesBySource(sales),
    sales,
    payouts,
  };
}

const compareTags = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

/** The sales grouped by source and sub-source, each group summed like the statement itself. */
export function salesBySource(sales: readonly SaleLine[]): SourceLine[] {
  const groups = new Map<string, SaleLine[]>();
  for (const sale of sales) {
    const key = JSON.stringify([sale.source, sale.subSource]);
    groups.set(key, [...(groups.get(key) ?? []), sale]);
  }
  return [...groups.values()]
    .map((group) => {
      const returned = group.filter((sale) => sale.status === 'voided');
      const kept = group.filter((sale) => sale.status !== 'voided');
      return {
        source: group[0]!.source,
        subSource: group[0]!.subSource,
        sold: { count: group.length, gross: sum(group, 'price'), proceeds: sum(group, 'proceeds') },
        returned: {
          count: returned.length,
          gross: sum(returned, 'price'),
          proceedsDebited: sum(returned, 'proceeds'),
        },
        commission: sum(kept, 'commission'),
        netProceeds: sum(kept, 'proceeds'),
      };
    })
    .sort((a, b) => compareTags(a.source, b.source) || compareTags(a.subSource, b.subSource));
}

export interface AccountLine {
  position: string;
  occurredAt: string;
  kind: PostingKind;
  reference: string;
  account: 'buyer_available' | 'buyer_reserved';
  amount: number;
}

export interface BuyerStatement {
  buyerId: string;
  currency: string;
  deposits: number;
  /** The price of every lead bought, returned ones included. */
  spend: number;
  refunds: number;
  balances: { available: number; reserved: number };
  lines: AccountLine[];
}

export function buyerStatement(buyerId: string, currency: string, lines: AccountLine[]): BuyerStatement {
  const total = (kind: PostingKind, account: AccountLine['account']) =>
    lines
      .filter((line) => line.kind === kind && line.account === account)
      .reduce((sum, line) => sum + line.amount, 0);
  const balance = (account: AccountLine['account']) =>
    lines.filter((line) => line.account === account).reduce((sum, line) => sum + line.amount, 0);
  return {
    buyerId,
    currency,
    deposits: total('deposit', 'buyer_available'),
    spend: -total('allocation', 'buyer_reserved'),
    refunds: total('refund', 'buyer_available') + total('refund', 'buyer_reserved'),
    balances: { available: balance('buyer_available'), reserved: balance('buyer_reserved') },
    lines,
  };
}

function sum<T, K extends keyof T>(rows: readonly T[], key: K): number {
  return rows.reduce((total, row) => total + Number(row[key]), 0);
}
