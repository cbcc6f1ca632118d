import type { EntityManager } from 'typeorm';
import { formatPosition, type RecordedEvent } from '#lx/event-store';
import type { CatalogueEvents, EventData, LeadAllocated, SettlementFinalized } from '#lx/contracts';
import { projectionWithHandlers, type Projection } from '#lx/projections';
import {
  accountId,
  ledgerEffectOf,
  type KnownOrder,
  type LedgerEffect,
  type LedgerEvent,
  type Posting,
} from '../domain/ledger-postings.js';

/*
 * The double-entry ledger as a read model (schema `rm_ledger`): accounts with their balances, one
 * row per leg of every posting (each linked to the event and log position that caused it), and one
 * transfer per allocation. Every posting balances, and after every batch of events (one transaction
 * of the projection runner) the accounts of each currency must sum to zero; if they do not, the
 * batch is rolled back, its events are applied one by one, and the projection stops on the event
 * that unbalanced the books.
 */

export class LedgerOutOfBalanceError extends Error {
  readonly code = 'ledger-out-of-balance';
  constructor(
    readonly position: string,
    readonly imbalances: readonly { currency: string; sum: string }[],
  ) {
    super(
      `Ledger out of balance after the event at ${position}: ` +
        imbalances.map(({ currency, sum }) => `${currency} sums to ${sum}`).join(', '),
    );
    this.name = 'LedgerOutOfBalanceError';
  }
}

export class LedgerTransferConflictError extends Error {
  readonly code = 'ledger-transfer-conflict';
  constructor(message: string) {
    super(message);
    this.name = 'LedgerTransferConflictError';
  }
}

export const ledgerProjection: Projection = projectionWithHandlers<CatalogueEvents>({
  name: 'ledger',
  version: 1,
  entities: [],
  createTables: () => [
    `CREATE TABLE ledger_account (
       account_id text NOT NULL, currency text NOT NULL, kind text NOT NULL, owner_id text NOT NULL,
       balance bigint NOT NULL DEFAULT 0, PRIMARY KEY (account_id, currency))`,
    `CREATE INDEX ledger_account_owner ON ledger_account (owner_id)`,
    `CREATE TABLE ledger_entry (
       entry_id bigserial PRIMARY KEY,
       event_id uuid NOT NULL, event_type text NOT NULL, position text NOT NULL,
       position_commit numeric(20, 0) NOT NULL, position_prepare bigint NOT NULL,
       occurred_at timestamptz NOT NULL,
       posting_kind text NOT NULL, reference text NOT NULL,
       account_id text NOT NULL, account_kind text NOT NULL, owner_id text NOT NULL,
       currency text NOT NULL, amount bigint NOT NULL)`,
    `CREATE INDEX ledger_entry_owner ON ledger_entry (owner_id, entry_id)`,
    `CREATE INDEX ledger_entry_reference ON ledger_entry (reference)`,
    `CREATE TABLE ledger_transfer (
       allocation_id text PRIMARY KEY, status text NOT NULL,
       buyer_id text NOT NULL, seller_id text NOT NULL, order_id text NOT NULL, currency text NOT NULL,
       price bigint NOT NULL, proceeds bigint NOT NULL, commission bigint NOT NULL,
       opened_by_event uuid NOT NULL, opened_at_position text NOT NULL,
       closed_by_event uuid, closed_at_position text,
       refunded_by_event uuid, refunded_to text)`,
    `CREATE TABLE ledger_order (
       order_id text PRIMARY KEY, buyer_id text NOT NULL, currency text NOT NULL, budget bigint NOT NULL)`,
  ],
  handlers: {
    FundsDeposited: bookOnly,
    OrderPlaced: bookOnly,
    OrderAmended: bookOnly,
    BudgetReleased: bookOnly,
    async LeadAllocated(event, manager) {
      await book(event, manager);
      await openTransfer(manager, event);
    },
    async SettlementFinalized(event, manager) {
      const effect = await book(event, manager);
      await closeTransfer(manager, event, effect.transfer!.status);
    },
    async RefundCredited(event, manager) {
      await book(event, manager);
      await manager.query(
        `UPDATE ledger_transfer SET refunded_by_event = $2, refunded_to = $3 WHERE allocation_id = $1`,
        [event.data.allocationId, event.id, event.data.creditedTo],
      );
    },
    PayoutIssued: bookOnly,
  },
  // A page of events in a few statements: see `bookPage`.
  handleBatch: bookPage,
  // Every posting balances on its own (checked in `post`); the books as a whole are summed once
  // per batch, not per event: the sum reads every account, so per event it grew with the ledger.
  async afterBatch(events, manager) {
    await assertBalanced(manager, formatPosition(events.at(-1)!.position));
  },
});

/**
 * What every ledger event does: remembers the order's budget (for the next amendment) and posts
 * its balanced legs. Returns the effect, for the transfer the allocation's events open and close.
 */
async function book(recorded: RecordedEvent, manager: EntityManager): Promise<LedgerEffect> {
  const event = recorded as unknown as LedgerEvent;
  const effect = ledgerEffectOf(event, await knownOrder(manager, event));
  if (effect.orderBudget) {
    const { orderId, buyerId, currency, budget } = effect.orderBudget;
    await manager.query(
      `INSERT INTO ledger_order (order_id, buyer_id, currency, budget) VALUES ($1, $2, $3, $4)
       ON CONFLICT (order_id) DO UPDATE SET budget = EXCLUDED.budget`,
      [orderId, buyerId, currency, budget],
    );
  }
  if (effect.posting) await post(manager, recorded, effect.posting);
  return effect;
}

/** An event that moves money between accounts and does nothing else. */
async function bookOnly(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  await book(recorded, manager);
}

async function knownOrder(manager: EntityManager, event: LedgerEvent): Promise<KnownOrder | undefined> {
  if (event.type !== 'OrderAmended') return undefined;
  const [row] = await manager.query(`SELECT budget, currency FROM ledger_order WHERE order_id = $1`, [
    event.data.orderId,
  ]);
  return row ? { budget: Number(row.budget), currency: row.currency } : undefined;
}

/** Every posting balances on its own: its legs sum to zero. */
function assertPostingBalances(recorded: RecordedEvent, posting: Posting): void {
  const sum = posting.legs.reduce((total, leg) => total + leg.amount, 0);
  if (sum !== 0)
    throw new LedgerOutOfBalanceError(formatPosition(recorded.position), [
      { currency: posting.currency, sum: String(sum) },
    ]);
}

async function post(manager: EntityManager, recorded: RecordedEvent, posting: Posting): Promise<void> {
  assertPostingBalances(recorded, posting);
  const position = formatPosition(recorded.position);
  for (const leg of posting.legs) {
    const id = accountId(leg.account);
    await manager.query(
      `INSERT INTO ledger_account (account_id, currency, kind, owner_id, balance) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (account_id, currency) DO UPDATE SET balance = ledger_account.balance + EXCLUDED.balance`,
      [id, posting.currency, leg.account.kind, leg.account.ownerId, leg.amount],
    );
    await manager.query(
      `INSERT INTO ledger_entry (event_id, event_type, position, position_commit, position_prepare, occurred_at,
         posting_kind, reference, account_id, account_kind, owner_id, currency, amount)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        recorded.id,
        recorded.type,
        position,
        recorded.position.commit.toString(),
        recorded.position.prepare.toString(),
        recorded.metadata.occurredAt,
        posting.kind,
        posting.reference,
        id,
        leg.account.kind,
        leg.account.ownerId,
        posting.currency,
        leg.amount,
      ],
    );
  }
}

async function openTransfer(
  manager: EntityManager,
  recorded: RecordedEvent<string, EventData<typeof LeadAllocated>>,
): Promise<void> {
  const a = recorded.data;
  await manager.query(
    `INSERT INTO ledger_transfer (allocation_id, status, buyer_id, seller_id, order_id, currency, price, proceeds,
       commission, opened_by_event, opened_at_position)
     VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      a.allocationId,
      a.buyerId,
      a.sellerId,
      a.orderId,
      a.currency,
      a.price,
      a.proceeds,
      a.commission,
      recorded.id,
      formatPosition(recorded.position),
    ],
  );
}

async function closeTransfer(
  manager: EntityManager,
  recorded: RecordedEvent<string, EventData<typeof SettlementFinalized>>,
  status: 'pending' | 'posted' | 'voided',
): Promise<void> {
  const position = formatPosition(recorded.position);
  const { allocationId, proceeds, commission, currency } = recorded.data;
  const result: [unknown[], number] = await manager.query(
    `UPDATE ledger_transfer SET status = $2, closed_by_event = $3, closed_at_position = $4
      WHERE allocation_id = $1 AND status = 'pending' AND proceeds = $5 AND commission = $6 AND currency = $7`,
    [allocationId, status, recorded.id, position, proceeds, commission, currency],
  );
  // A transfer closes once, for the amounts it opened with: anything else is a broken log.
  if (result[1] !== 1)
    throw new LedgerTransferConflictError(
      `SettlementFinalized at ${position} for allocation ${allocationId}, which matches no pending transfer of those amounts`,
    );
}

async function assertBalanced(manager: EntityManager, position: string): Promise<void> {
  const rows: { currency: string; sum: string }[] = await manager.query(
    `SELECT currency, sum(balance)::text AS sum FROM ledger_account GROUP BY currency HAVING sum(balance) <> 0`,
  );
  if (rows.length > 0) throw new LedgerOutOfBalanceError(position, rows);
}

/** A `ledger_transfer` row as the page leaves it. */
interface TransferRow {
  allocationId: string;
  status: string;
  buyerId: string;
  sellerId: string;
  orderId: string;
  currency: string;
  price: number;
  proceeds: number;
  commission: number;
  openedByEvent: string;
  openedAtPosition: string;
  closedByEvent: string | null;
  closedAtPosition: string | null;
  refundedByEvent: string | null;
  refundedTo: string | null;
}

/**
 * A page of ledger events in a handful of statements instead of several per event, leaving the
 * tables exactly as the handlers applied one by one would (the projection tests compare both
 * paths row by row): the page's effects are worked out in order in memory — from one read of the
 * orders it amends and the transfers it closes or refunds — and then written as one upsert of the
 * orders' budgets, one of the accounts' balances (each account's legs summed), one insert of the
 * entries in log order (so `entry_id`s come out as one by one), one insert of the transfers the
 * page opens (as the page leaves them) and one update of the earlier transfers it changes. Anything
 * the handlers would refuse — an unknown order, an unbalanced posting, a transfer opened twice or
 * closed against no pending transfer of those amounts — throws here, and the runner applies the
 * page one event at a time, so the handler reports it on its own event.
 */
async function bookPage(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
  const page = events as unknown as readonly LedgerEvent[];
  const amendedIds = [...new Set(page.flatMap((e) => (e.type === 'OrderAmended' ? [e.data.orderId] : [])))];
  const known = new Map<string, KnownOrder>();
  if (amendedIds.length > 0) {
    const rows: { order_id: string; budget: string; currency: string }[] = await manager.query(
      `SELECT order_id, budget, currency FROM ledger_order WHERE order_id = ANY($1::text[])`,
      [amendedIds],
    );
    for (const row of rows) known.set(row.order_id, { budget: Number(row.budget), currency: row.currency });
  }
  const referredIds = [
    ...new Set(
      page.flatMap((e) =>
        e.type === 'SettlementFinalized' || e.type === 'RefundCredited' ? [e.data.allocationId] : [],
      ),
    ),
  ];
  const earlierTransfers = new Map<string, TransferRow>();
  if (referredIds.length > 0) {
    const rows: Record<string, string | null>[] = await manager.query(
      `SELECT allocation_id, status, buyer_id, seller_id, order_id, currency, price::text, proceeds::text,
              commission::text, opened_by_event::text, opened_at_position, closed_by_event::text, closed_at_position,
              refunded_by_event::text, refunded_to
         FROM ledger_transfer WHERE allocation_id = ANY($1::text[])`,
      [referredIds],
    );
    for (const row of rows)
      earlierTransfers.set(row.allocation_id!, {
        allocationId: row.allocation_id!,
        status: row.status!,
        buyerId: row.buyer_id!,
        sellerId: row.seller_id!,
        orderId: row.order_id!,
        currency: row.currency!,
        price: Number(row.price),
        proceeds: Number(row.proceeds),
        commission: Number(row.commission),
        openedByEvent: row.opened_by_event!,
        openedAtPosition: row.opened_at_position!,
        closedByEvent: row.closed_by_event ?? null,
        closedAtPosition: row.closed_at_position ?? null,
        refundedByEvent: row.refunded_by_event ?? null,
        refundedTo: row.refunded_to ?? null,
      });
  }
  const openedTransfers = new Map<string, TransferRow>();
  const changedTransfers = new Set<string>();
  const transferOf = (allocationId: string) =>
    openedTransfers.get(allocationId) ?? earlierTransfers.get(allocationId);

  // ledger_order: the first write of the page inserts buyer and currency, later ones only the budget.
  const orders = new Map<string, { orderId: string; buyerId: string; currency: string; budget: number }>();
  // ledger_account: the legs' sum per account, in order of first use.
  const accounts = new Map<
    string,
    { id: string; currency: string; kind: string; ownerId: string; amount: number }
  >();
  const entries = {
    eventIds: [] as string[],
    eventTypes: [] as string[],
    positions: [] as string[],
    commits: [] as string[],
    prepares: [] as string[],
    occurredAt: [] as string[],
    postingKinds: [] as string[],
    references: [] as string[],
    accountIds: [] as string[],
    accountKinds: [] as string[],
    ownerIds: [] as string[],
    currencies: [] as string[],
    amounts: [] as number[],
  };

  for (const [index, event] of page.entries()) {
    const recorded = events[index]!;
    const position = formatPosition(recorded.position);
    const effect = ledgerEffectOf(
      event,
      event.type === 'OrderAmended' ? known.get(event.data.orderId) : undefined,
    );
    if (effect.orderBudget) {
      const { orderId, buyerId, currency, budget } = effect.orderBudget;
      const first = orders.get(orderId);
      orders.set(orderId, first ? { ...first, budget } : { orderId, buyerId, currency, budget });
      known.set(orderId, { budget, currency: known.get(orderId)?.currency ?? currency });
    }
    if (effect.posting) {
      const posting = effect.posting;
      assertPostingBalances(recorded, posting);
      for (const leg of posting.legs) {
        const id = accountId(leg.account);
        const key = `${id}\u0000${posting.currency}`;
        const account = accounts.get(key);
        if (account) account.amount += leg.amount;
        else
          accounts.set(key, {
            id,
            currency: posting.currency,
            kind: leg.account.kind,
            ownerId: leg.account.ownerId,
            amount: leg.amount,
          });
        entries.eventIds.push(recorded.id);
        entries.eventTypes.push(recorded.type);
        entries.positions.push(position);
        entries.commits.push(recorded.position.commit.toString());
        entries.prepares.push(recorded.position.prepare.toString());
        entries.occurredAt.push(recorded.metadata.occurredAt);
        entries.postingKinds.push(posting.kind);
        entries.references.push(posting.reference);
        entries.accountIds.push(id);
        entries.accountKinds.push(leg.account.kind);
        entries.ownerIds.push(leg.account.ownerId);
        entries.currencies.push(posting.currency);
        entries.amounts.push(leg.amount);
      }
    }
    if (event.type === 'LeadAllocated') {
      const a = event.data;
      if (transferOf(a.allocationId))
        throw new LedgerTransferConflictError(
          `LeadAllocated at ${position}: allocation ${a.allocationId} opened twice`,
        );
      openedTransfers.set(a.allocationId, {
        allocationId: a.allocationId,
        status: 'pending',
        buyerId: a.buyerId,
        sellerId: a.sellerId,
        orderId: a.orderId,
        currency: a.currency,
        price: a.price,
        proceeds: a.proceeds,
        commission: a.commission,
        openedByEvent: recorded.id,
        openedAtPosition: position,
        closedByEvent: null,
        closedAtPosition: null,
        refundedByEvent: null,
        refundedTo: null,
      });
    } else if (event.type === 'SettlementFinalized') {
      const { allocationId, proceeds, commission, currency } = event.data;
      const transfer = transferOf(allocationId);
      if (
        !transfer ||
        transfer.status !== 'pending' ||
        transfer.proceeds !== proceeds ||
        transfer.commission !== commission ||
        transfer.currency !== currency
      )
        throw new LedgerTransferConflictError(
          `SettlementFinalized at ${position} for allocation ${allocationId}, which matches no pending transfer of those amounts`,
        );
      transfer.status = effect.transfer!.status;
      transfer.closedByEvent = recorded.id;
      transfer.closedAtPosition = position;
      if (!openedTransfers.has(allocationId)) changedTransfers.add(allocationId);
    } else if (event.type === 'RefundCredited') {
      // As the handler's UPDATE: no transfer, nothing to mark.
      const transfer = transferOf(event.data.allocationId);
      if (transfer) {
        transfer.refundedByEvent = recorded.id;
        transfer.refundedTo = event.data.creditedTo;
        if (!openedTransfers.has(transfer.allocationId)) changedTransfers.add(transfer.allocationId);
      }
    }
  }

  if (orders.size > 0) {
    const rows = [...orders.values()];
    await manager.query(
      `INSERT INTO ledger_order (order_id, buyer_id, currency, budget)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
       ON CONFLICT (order_id) DO UPDATE SET budget = EXCLUDED.budget`,
      [
        rows.map((r) => r.orderId),
        rows.map((r) => r.buyerId),
        rows.map((r) => r.currency),
        rows.map((r) => r.budget),
      ],
    );
  }
  if (accounts.size > 0) {
    const rows = [...accounts.values()];
    await manager.query(
      `INSERT INTO ledger_account (account_id, currency, kind, owner_id, balance)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
       ON CONFLICT (account_id, currency) DO UPDATE SET balance = ledger_account.balance + EXCLUDED.balance`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.currency),
        rows.map((r) => r.kind),
        rows.map((r) => r.ownerId),
        rows.map((r) => r.amount),
      ],
    );
  }
  if (entries.eventIds.length > 0)
    await manager.query(
      `INSERT INTO ledger_entry (event_id, event_type, position, position_commit, position_prepare, occurred_at,
         posting_kind, reference, account_id, account_kind, owner_id, currency, amount)
       SELECT event_id, event_type, position, position_commit, position_prepare, occurred_at,
              posting_kind, reference, account_id, account_kind, owner_id, currency, amount
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::numeric[], $5::bigint[], $6::timestamptz[],
                     $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::bigint[])
              WITH ORDINALITY AS e(event_id, event_type, position, position_commit, position_prepare, occurred_at,
                                   posting_kind, reference, account_id, account_kind, owner_id, currency, amount, n)
        ORDER BY n`,
      [
        entries.eventIds,
        entries.eventTypes,
        entries.positions,
        entries.commits,
        entries.prepares,
        entries.occurredAt,
        entries.postingKinds,
        entries.references,
        entries.accountIds,
        entries.accountKinds,
        entries.ownerIds,
        entries.currencies,
        entries.amounts,
      ],
    );
  const transferColumns = (rows: readonly TransferRow[]) => [
    rows.map((r) => r.allocationId),
    rows.map((r) => r.status),
    rows.map((r) => r.buyerId),
    rows.map((r) => r.sellerId),
    rows.map((r) => r.orderId),
    rows.map((r) => r.currency),
    rows.map((r) => r.price),
    rows.map((r) => r.proceeds),
    rows.map((r) => r.commission),
    rows.map((r) => r.openedByEvent),
    rows.map((r) => r.openedAtPosition),
    rows.map((r) => r.closedByEvent),
    rows.map((r) => r.closedAtPosition),
    rows.map((r) => r.refundedByEvent),
    rows.map((r) => r.refundedTo),
  ];
  const transferValues = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
      $8::bigint[], $9::bigint[], $10::uuid[], $11::text[], $12::uuid[], $13::text[], $14::uuid[], $15::text[])`;
  if (openedTransfers.size > 0)
    await manager.query(
      `INSERT INTO ledger_transfer (allocation_id, status, buyer_id, seller_id, order_id, currency, price, proceeds,
         commission, opened_by_event, opened_at_position, closed_by_event, closed_at_position, refunded_by_event,
         refunded_to)
       SELECT * FROM ${transferValues}`,
      transferColumns([...openedTransfers.values()]),
    );
  if (changedTransfers.size > 0)
    await manager.query(
      `UPDATE ledger_transfer t
          SET status = u.status, closed_by_event = u.closed_by_event, closed_at_position = u.closed_at_position,
              refunded_by_event = u.refunded_by_event, refunded_to = u.refunded_to
         FROM ${transferValues}
              AS u(allocation_id, status, buyer_id, seller_id, order_id, currency, price, proceeds, commission,
                   opened_by_event, opened_at_position, closed_by_event, closed_at_position, refunded_by_event,
                   refunded_to)
        WHERE t.allocation_id = u.allocation_id`,
      transferColumns([...changedTransfers].map((id) => earlierTransfers.get(id)!)),
    );
}
