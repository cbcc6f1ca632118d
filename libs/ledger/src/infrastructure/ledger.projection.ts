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

async function post(manager: EntityManager, recorded: RecordedEvent, posting: Posting): Promise<void> {
  const sum = posting.legs.reduce((total, leg) => total + leg.amount, 0);
  if (sum !== 0)
    throw new LedgerOutOfBalanceError(formatPosition(recorded.position), [
      { currency: posting.currency, sum: String(sum) },
    ]);
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
