import type { DataSource, EntityManager } from 'typeorm';
import type {
  AccountBalance,
  PayoutView,
  TransferFilter,
  TransferView,
} from '../application/ledger-views.js';
import type { PayoutBalances } from '../application/payouts.js';
import {
  buyerStatement,
  sellerStatement,
  type AccountLine,
  type BuyerStatement,
  type PayoutLine,
  type SaleLine,
  type SellerStatement,
} from '../domain/statements.js';
import { SALE_SOURCES_SCHEMA } from './sale-sources.projection.js';

/** Reads of the ledger read model; table names resolve through the `rm_ledger` search_path entry. */
type Executor = Pick<DataSource | EntityManager, 'query'>;

export type { AccountBalance, PayoutView, TransferFilter, TransferView };

export async function accountBalances(
  executor: Executor,
  filter: { ownerId?: string; currency?: string } = {},
): Promise<AccountBalance[]> {
  const rows: { account_id: string; kind: string; owner_id: string; currency: string; balance: string }[] =
    await executor.query(
      `SELECT account_id, kind, owner_id, currency, balance::text FROM ledger_account
        WHERE ($1::text IS NULL OR owner_id = $1) AND ($2::text IS NULL OR currency = $2)
        ORDER BY currency, account_id`,
      [filter.ownerId ?? null, filter.currency ?? null],
    );
  return rows.map((row) => ({
    accountId: row.account_id,
    kind: row.kind,
    ownerId: row.owner_id,
    currency: row.currency,
    balance: Number(row.balance),
  }));
}

/** Whether every currency's accounts sum to zero (double entry: what one account holds another owes). */
export async function ledgerBalanced(executor: Executor): Promise<boolean> {
  const unbalanced: unknown[] = await executor.query(
    `SELECT currency FROM ledger_account GROUP BY currency HAVING sum(balance) <> 0`,
  );
  return unbalanced.length === 0;
}

export async function balanceOf(executor: Executor, kind: string, ownerId: string, currency: string) {
  const [row] = await executor.query(
    `SELECT balance::text FROM ledger_account WHERE account_id = $1 AND currency = $2`,
    [`${kind}:${ownerId}`, currency],
  );
  return row ? Number(row.balance) : 0;
}

/** Currencies in which a participant has accounts. */
export async function currenciesOf(executor: Executor, ownerId: string): Promise<string[]> {
  const rows: { currency: string }[] = await executor.query(
    `SELECT DISTINCT currency FROM ledger_account WHERE owner_id = $1 ORDER BY currency`,
    [ownerId],
  );
  return rows.map((row) => row.currency);
}

export async function transferOf(executor: Executor, allocationId: string): Promise<TransferView | null> {
  const [row] = await executor.query(`SELECT * FROM ledger_transfer WHERE allocation_id = $1`, [
    allocationId,
  ]);
  return row ? toTransfer(row) : null;
}

export async function transfers(executor: Executor): Promise<TransferView[]> {
  const rows = await executor.query(`SELECT * FROM ledger_transfer ORDER BY allocation_id`);
  return rows.map(toTransfer);
}

/** One page of transfers, newest first (by the log position that opened them). */
export async function transferPage(
  executor: Executor,
  filter: TransferFilter,
  limit: number,
  before: { c: string; p: string; a: string } | null,
): Promise<(TransferView & { openedAt: string | null; cursor: { c: string; p: string; a: string } })[]> {
  const rows: Record<string, string | null>[] = await executor.query(
    `SELECT t.*, split_part(t.opened_at_position, '/', 1) AS c, split_part(t.opened_at_position, '/', 2) AS p,
            opened.occurred_at
       FROM ledger_transfer t
       LEFT JOIN LATERAL (SELECT occurred_at FROM ledger_entry e
                           WHERE e.reference = t.allocation_id AND e.posting_kind = 'allocation' LIMIT 1) opened ON true
      WHERE ($1::text IS NULL OR t.status = $1) AND ($2::text IS NULL OR t.buyer_id = $2)
        AND ($3::text IS NULL OR t.seller_id = $3) AND ($4::text IS NULL OR t.currency = $4)
        AND ($5::numeric IS NULL OR (split_part(t.opened_at_position, '/', 1)::numeric,
                                     split_part(t.opened_at_position, '/', 2)::numeric, t.allocation_id)
                                    < ($5::numeric, $6::numeric, $7::text))
      ORDER BY split_part(t.opened_at_position, '/', 1)::numeric DESC,
               split_part(t.opened_at_position, '/', 2)::numeric DESC, t.allocation_id DESC
      LIMIT $8`,
    [
      filter.status ?? null,
      filter.buyerId ?? null,
      filter.sellerId ?? null,
      filter.currency ?? null,
      before?.c ?? null,
      before?.p ?? null,
      before?.a ?? null,
      limit + 1,
    ],
  );
  return rows.map((row) => ({
    ...toTransfer(row),
    openedAt: row.occurred_at ? new Date(row.occurred_at).toISOString() : null,
    cursor: { c: row.c!, p: row.p!, a: row.allocation_id! },
  }));
}

/** One page of payouts to sellers, newest first. */
export async function payoutPage(
  executor: Executor,
  filter: { sellerId?: string; currency?: string },
  limit: number,
  beforeEntry: string | null,
): Promise<(PayoutView & { entryId: string })[]> {
  const rows: Record<string, string | Date>[] = await executor.query(
    `SELECT entry_id::text, reference, owner_id, currency, amount::text, occurred_at, position FROM ledger_entry
      WHERE posting_kind = 'payout' AND account_kind = 'seller_available'
        AND ($1::text IS NULL OR owner_id = $1) AND ($2::text IS NULL OR currency = $2)
        AND ($3::bigint IS NULL OR entry_id < $3::bigint)
      ORDER BY entry_id DESC LIMIT $4`,
    [filter.sellerId ?? null, filter.currency ?? null, beforeEntry, limit + 1],
  );
  return rows.map((row) => ({
    entryId: row.entry_id as string,
    payoutId: row.reference as string,
    sellerId: row.owner_id as string,
    currency: row.currency as string,
    amount: -Number(row.amount),
    occurredAt: new Date(row.occurred_at!).toISOString(),
    position: row.position as string,
  }));
}

function toTransfer(row: Record<string, string | null>): TransferView {
  return {
    allocationId: row.allocation_id!,
    status: row.status as TransferView['status'],
    buyerId: row.buyer_id!,
    sellerId: row.seller_id!,
    orderId: row.order_id!,
    currency: row.currency!,
    price: Number(row.price),
    proceeds: Number(row.proceeds),
    commission: Number(row.commission),
    openedAtPosition: row.opened_at_position!,
    closedAtPosition: row.closed_at_position,
    refundedTo: row.refunded_to,
  };
}

/** How many payouts the seller has had: the next payout's sequence number is this plus one. */
export async function payoutsIssued(executor: Executor, sellerId: string): Promise<number> {
  const [row] = await executor.query(
    `SELECT count(DISTINCT reference)::int AS n FROM ledger_entry WHERE posting_kind = 'payout' AND owner_id = $1`,
    [sellerId],
  );
  return row.n;
}

/** Sellers with a positive available balance, for the scheduled payout run. */
export async function sellersWithAvailableBalance(executor: Executor) {
  const rows: { owner_id: string; currency: string; balance: string }[] = await executor.query(
    `SELECT owner_id, currency, balance::text FROM ledger_account
      WHERE kind = 'seller_available' AND balance > 0 ORDER BY owner_id, currency`,
  );
  return rows.map((row) => ({
    sellerId: row.owner_id,
    currency: row.currency,
    balance: Number(row.balance),
  }));
}

/** The payouts' port, answered from the ledger read model. */
export function ledgerPayoutBalances(executor: Executor): PayoutBalances {
  return {
    availableBalance: (sellerId, currency) => balanceOf(executor, 'seller_available', sellerId, currency),
    payoutsIssued: (sellerId) => payoutsIssued(executor, sellerId),
    sellersWithAvailableBalance: () => sellersWithAvailableBalance(executor),
  };
}

export async function readSellerStatement(
  executor: Executor,
  sellerId: string,
  currency: string,
): Promise<SellerStatement> {
  const sources = await saleSourcesOf(executor, sellerId);
  const sales: SaleLine[] = (
    await executor.query(
      `SELECT t.allocation_id, t.order_id, t.buyer_id, t.opened_at_position, t.status, t.price, t.commission,
              t.proceeds, sold.occurred_at
         FROM ledger_transfer t
         LEFT JOIN LATERAL (SELECT occurred_at FROM ledger_entry e
                             WHERE e.reference = t.allocation_id AND e.posting_kind = 'allocation' LIMIT 1) sold ON true
        WHERE t.seller_id = $1 AND t.currency = $2 ORDER BY t.opened_at_position, t.allocation_id`,
      [sellerId, currency],
    )
  ).map((row: Record<string, string>) => ({
    allocationId: row.allocation_id!,
    orderId: row.order_id!,
    buyerId: row.buyer_id!,
    position: row.opened_at_position!,
    soldAt: new Date(row.occurred_at!).toISOString(),
    status: row.status as SaleLine['status'],
    price: Number(row.price),
    commission: Number(row.commission),
    proceeds: Number(row.proceeds),
    source: sources.get(row.allocation_id!)?.source ?? null,
    subSource: sources.get(row.allocation_id!)?.subSource ?? null,
  }));
  const payouts: PayoutLine[] = (
    await executor.query(
      `SELECT reference, position, occurred_at, amount::text FROM ledger_entry
        WHERE posting_kind = 'payout' AND account_kind = 'seller_available' AND owner_id = $1 AND currency = $2
        ORDER BY entry_id`,
      [sellerId, currency],
    )
  ).map((row: Record<string, string | Date>) => ({
    payoutId: row.reference as string,
    position: row.position as string,
    occurredAt: new Date(row.occurred_at!).toISOString(),
    amount: -Number(row.amount),
  }));
  const balances = {
    pending: await balanceOf(executor, 'seller_pending', sellerId, currency),
    available: await balanceOf(executor, 'seller_available', sellerId, currency),
  };
  return sellerStatement(sellerId, currency, sales, payouts, balances);
}

/**
 * The source and sub-source of the seller's sales of tagged leads, by allocation, from the sale-sources
 * read model; none where that read model is not built (a process hosting the ledger alone).
 */
async function saleSourcesOf(
  executor: Executor,
  sellerId: string,
): Promise<Map<string, { source: string; subSource: string | null }>> {
  const [found] = await executor.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [
    `${SALE_SOURCES_SCHEMA}.sale_source`,
  ]);
  if (!found?.present) return new Map();
  const rows: { allocation_id: string; source: string; sub_source: string | null }[] = await executor.query(
    `SELECT allocation_id, source, sub_source FROM ${SALE_SOURCES_SCHEMA}.sale_source WHERE seller_id = $1`,
    [sellerId],
  );
  return new Map(rows.map((row) => [row.allocation_id, { source: row.source, subSource: row.sub_source }]));
}

export async function readBuyerStatement(
  executor: Executor,
  buyerId: string,
  currency: string,
): Promise<BuyerStatement> {
  const lines: AccountLine[] = (
    await executor.query(
      `SELECT position, occurred_at, posting_kind, reference, account_kind, amount::text FROM ledger_entry
        WHERE owner_id = $1 AND currency = $2 AND account_kind IN ('buyer_available', 'buyer_reserved')
        ORDER BY entry_id`,
      [buyerId, currency],
    )
  ).map((row: Record<string, string | Date>) => ({
    position: row.position as string,
    occurredAt: new Date(row.occurred_at!).toISOString(),
    kind: row.posting_kind as AccountLine['kind'],
    reference: row.reference as string,
    account: row.account_kind as AccountLine['account'],
    amount: Number(row.amount),
  }));
  return buyerStatement(buyerId, currency, lines);
}
