import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import {
  BudgetReleased,
  FundsDeposited,
  OrderAmended,
  PayoutIssued,
  RefundCredited,
  SettlementFinalized,
  eventCatalogue,
  newEvent,
  type EventData,
} from '#lx/contracts';
import { PostgresEventStore, type LogPosition, type RecordedEvent } from '#lx/event-store';
import { SeededRandom } from '#lx/market-generator';
import { ProjectionRunner, readCheckpoint } from '#lx/projections';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { leadAllocated, orderPlaced } from '../testing/settlement-fixtures.js';
import { ledgerProjection } from './ledger.projection.js';
import { accountBalances, readBuyerStatement, readSellerStatement, transfers } from './ledger.queries.js';
import { runProjection } from '../../../projections/src/testing/run-projection.js';
import { compareBatchedWithPerEvent } from '../../../projections/src/testing/batched-vs-per-event.js';

jest.setTimeout(180_000);

/*
 * A randomized market (deposits, orders, amendments, allocations, settlements, returns' refunds,
 * releases, payouts) appended to a real event store; the ledger projection runs over it, and every
 * account must equal what a second, deliberately simple fold of the log computes, with the books
 * of each currency summing to zero.
 */

interface SimOrder {
  orderId: string;
  buyerId: string;
  currency: string;
  budget: number;
  remaining: number;
  closed: boolean;
}
interface SimAllocation {
  allocationId: string;
  orderId: string;
  buyerId: string;
  sellerId: string;
  currency: string;
  price: number;
  commission: number;
  proceeds: number;
  state: 'pending' | 'posted' | 'voided' | 'refunded';
}

async function simulateMarket(store: PostgresEventStore, seed: number, steps: number): Promise<LogPosition> {
  const random = new SeededRandom(seed);
  const id = (prefix: string) => `${prefix}-${seed}-${random.uuid().slice(0, 8)}`;
  const buyers = [id('b'), id('b'), id('b')];
  const sellers = [id('s'), id('s'), id('s')];
  const currencies = ['RUB', 'EUR'];
  const available = new Map<string, number>(); // `${buyer}/${currency}`
  const sellerAvailable = new Map<string, number>();
  const orders: SimOrder[] = [];
  const allocations: SimAllocation[] = [];
  let payouts = 0;
  const t0 = Date.parse('2030-01-01T00:00:00.000Z');
  let clock = t0;
  let last: LogPosition | null = null;
  const append = async (stream: string, event: { type: string; data: unknown }) => {
    clock += random.int(1, 600) * 1000;
    const metadata = { occurredAt: new Date(clock).toISOString() };
    const appended = await store.appendToStream(stream, [{ ...event, metadata }], {
      expectedRevision: 'any',
    });
    last = appended.position;
  };

  for (let step = 0; step < steps; step++) {
    const action = random.weighted([
      ['deposit', 2],
      ['order', 3],
      ['amend', 1],
      ['allocate', 8],
      ['finalize', 5],
      ['refund', 3],
      ['release', 1],
      ['payout', 2],
    ] as const);
    switch (action) {
      case 'deposit': {
        const buyerId = random.pick(buyers);
        const currency = random.pick(currencies);
        const amount = random.int(10_000, 500_000);
        const key = `${buyerId}/${currency}`;
        available.set(key, (available.get(key) ?? 0) + amount);
        const data = { buyerId, depositId: id('d'), amount, currency, reference: `bank-${step}` };
        await append(`buyer-${buyerId}`, newEvent(FundsDeposited, data));
        break;
      }
      case 'order': {
        const funded = [...available].filter(([, amount]) => amount >= 5_000);
        if (funded.length === 0) break;
        const [key, amount] = random.pick(funded);
        const [buyerId, currency] = key.split('/') as [string, string];
        const budget = random.int(5_000, amount);
        available.set(key, amount - budget);
        const order = { orderId: id('o'), buyerId, currency, budget, remaining: budget, closed: false };
        orders.push(order);
        await append(`buyer-${buyerId}`, orderPlaced({ ...order, bid: Math.min(budget, 1_000) }));
        break;
      }
      case 'amend': {
        const open = orders.filter((order) => !order.closed);
        if (open.length === 0) break;
        const order = random.pick(open);
        const key = `${order.buyerId}/${order.currency}`;
        const increase = random.int(0, available.get(key) ?? 0);
        available.set(key, (available.get(key) ?? 0) - increase);
        order.budget += increase;
        order.remaining += increase;
        const { orderId, buyerId, budget } = order;
        const terms = orderPlaced({ ...order, bid: Math.min(budget, 1_000) }).data;
        const { vertical: _v, currency: _c, ...amended } = terms;
        await append(`buyer-${buyerId}`, newEvent(OrderAmended, { ...amended, orderId, buyerId, budget }));
        break;
      }
      case 'allocate': {
        const open = orders.filter((order) => !order.closed && order.remaining >= 1_000);
        if (open.length === 0) break;
        const order = random.pick(open);
        const price = random.int(1_000, Math.min(order.remaining, 80_000));
        order.remaining -= price;
        const event = leadAllocated({
          allocationId: id('a'),
          leadId: id('l'),
          orderId: order.orderId,
          buyerId: order.buyerId,
          sellerId: random.pick(sellers),
          price,
          commissionBps: random.pick([0, 1250, 1500, 3333]),
          currency: order.currency,
          at: new Date(clock).toISOString(),
        });
        allocations.push({ ...event.data, state: 'pending' } as SimAllocation);
        await append('market-eyewear', event);
        break;
      }
      case 'finalize': {
        const pending = allocations.filter((allocation) => allocation.state === 'pending');
        if (pending.length === 0) break;
        const allocation = random.pick(pending);
        const outcome = random.chance(0.25) ? 'voided' : 'posted';
        allocation.state = outcome;
        if (outcome === 'posted') {
          const key = `${allocation.sellerId}/${allocation.currency}`;
          sellerAvailable.set(key, (sellerAvailable.get(key) ?? 0) + allocation.proceeds);
        }
        const { allocationId, sellerId, buyerId, currency, proceeds, commission } = allocation;
        const data = { allocationId, sellerId, buyerId, currency, proceeds, commission, outcome } as const;
        await append(`settlement-${allocationId}`, newEvent(SettlementFinalized, data));
        break;
      }
      case 'refund': {
        const voided = allocations.filter((allocation) => allocation.state === 'voided');
        if (voided.length === 0) break;
        const allocation = random.pick(voided);
        allocation.state = 'refunded';
        const order = orders.find((o) => o.orderId === allocation.orderId)!;
        const creditedTo = !order.closed && random.chance(0.5) ? 'order_budget' : 'available';
        if (creditedTo === 'order_budget') order.remaining += allocation.price;
        else {
          const key = `${allocation.buyerId}/${allocation.currency}`;
          available.set(key, (available.get(key) ?? 0) + allocation.price);
        }
        const { allocationId, orderId, buyerId, currency, price: amount } = allocation;
        const data = { allocationId, orderId, buyerId, currency, amount, creditedTo } as const;
        await append(`buyer-${buyerId}`, newEvent(RefundCredited, data));
        break;
      }
      case 'release': {
        const open = orders.filter((order) => !order.closed);
        if (open.length === 0) break;
        const order = random.pick(open);
        order.closed = true;
        const key = `${order.buyerId}/${order.currency}`;
        available.set(key, (available.get(key) ?? 0) + order.remaining);
        const { orderId, buyerId, currency, remaining: amount } = order;
        order.remaining = 0;
        const data = { orderId, buyerId, currency, amount, reason: 'order_closed' } as const;
        await append(`buyer-${buyerId}`, newEvent(BudgetReleased, data));
        break;
      }
      case 'payout': {
        const owed = [...sellerAvailable].filter(([, amount]) => amount > 0);
        if (owed.length === 0) break;
        const [key, balance] = random.pick(owed);
        const [sellerId, currency] = key.split('/') as [string, string];
        const amount = random.int(1, balance);
        sellerAvailable.set(key, balance - amount);
        const payoutId = `${sellerId}.${++payouts}`;
        const data = { payoutId, sellerId, amount, currency, reference: `wire-${payouts}` };
        await append(`payout-${payoutId}`, newEvent(PayoutIssued, data));
        break;
      }
    }
  }
  return last!;
}

/** The oracle: a second fold of the log, written from docs/architecture.md §6 without the ledger's code. */
function recomputeBalances(events: readonly RecordedEvent[]): Map<string, number> {
  const balances = new Map<string, number>();
  const budgets = new Map<string, { budget: number; currency: string }>();
  const add = (account: string, currency: string, amount: number) => {
    const key = `${account}|${currency}`;
    balances.set(key, (balances.get(key) ?? 0) + amount);
  };
  for (const event of events) {
    const d = event.data as Record<string, never>;
    switch (event.type) {
      case 'FundsDeposited':
        add(`buyer_available:${d.buyerId}`, d.currency, d.amount);
        add('external_cash:external', d.currency, -d.amount);
        break;
      case 'OrderPlaced':
        budgets.set(d.orderId, { budget: d.budget, currency: d.currency });
        add(`buyer_available:${d.buyerId}`, d.currency, -d.budget);
        add(`buyer_reserved:${d.buyerId}`, d.currency, d.budget);
        break;
      case 'OrderAmended': {
        const before = budgets.get(d.orderId)!;
        const increase = (d.budget as number) - before.budget;
        budgets.set(d.orderId, { ...before, budget: d.budget });
        add(`buyer_available:${d.buyerId}`, before.currency, -increase);
        add(`buyer_reserved:${d.buyerId}`, before.currency, increase);
        break;
      }
      case 'BudgetReleased':
        add(`buyer_reserved:${d.buyerId}`, d.currency, -d.amount);
        add(`buyer_available:${d.buyerId}`, d.currency, d.amount);
        break;
      case 'LeadAllocated':
        add(`buyer_reserved:${d.buyerId}`, d.currency, -d.price);
        add(`seller_pending:${d.sellerId}`, d.currency, d.proceeds);
        add('exchange_commission_pending:exchange', d.currency, d.commission);
        break;
      case 'SettlementFinalized':
        add(`seller_pending:${d.sellerId}`, d.currency, -d.proceeds);
        add('exchange_commission_pending:exchange', d.currency, -d.commission);
        if (d.outcome === 'posted') {
          add(`seller_available:${d.sellerId}`, d.currency, d.proceeds);
          add('exchange_revenue:exchange', d.currency, d.commission);
        } else
          add(
            'exchange_refunds_payable:exchange',
            d.currency,
            (d.proceeds as number) + (d.commission as number),
          );
        break;
      case 'RefundCredited':
        add('exchange_refunds_payable:exchange', d.currency, -d.amount);
        add(
          `${d.creditedTo === 'available' ? 'buyer_available' : 'buyer_reserved'}:${d.buyerId}`,
          d.currency,
          d.amount,
        );
        break;
      case 'PayoutIssued':
        add(`seller_available:${d.sellerId}`, d.currency, -d.amount);
        add('external_cash:external', d.currency, d.amount);
        break;
    }
  }
  return balances;
}

async function readWholeLog(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let after = null;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 500 });
    events.push(...page.events);
    after = page.nextAfter;
    if (page.isEnd) return events;
  }
}

describe('ledger projection over a randomized market', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    database = await createTestDatabase('ledger_simulation');
    store = await PostgresEventStore.connect({ connectionString: database.url, registry: eventCatalogue });
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      entities: [...ledgerProjection.entities],
      extra: { options: '-c search_path=rm_ledger,public' },
    });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await runner?.stop();
    await dataSource?.destroy();
    await store?.close();
    await database?.drop();
  });

  it.each([1, 2, 3])('every account equals an independent fold of the log (seed %i)', async (seed) => {
    const last = await simulateMarket(store, seed, 220);
    runner ??= await runProjection(ledgerProjection, store, dataSource);
    // The position of the last append, not headPosition(): the head stops below any transaction
    // still open (the projection's own), so it can lag what was appended.
    await runner.waitForPosition(last, 120_000);

    const expected = recomputeBalances(await readWholeLog(store));
    const actual = new Map(
      (await accountBalances(dataSource)).map((a) => [`${a.accountId}|${a.currency}`, a.balance] as const),
    );
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    const byCurrency = new Map<string, number>();
    for (const [key, balance] of actual) {
      const currency = key.split('|')[1]!;
      byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + balance);
    }
    expect([...byCurrency.values()].every((sum) => sum === 0)).toBe(true);
    expect(byCurrency.size).toBe(2);
    // Something happened in every kind of account, so the comparison above covers each posting rule.
    const kinds = new Set([...actual.keys()].map((key) => key.split(':')[0]));
    expect([...kinds].sort()).toEqual([
      'buyer_available',
      'buyer_reserved',
      'exchange_commission_pending',
      'exchange_refunds_payable',
      'exchange_revenue',
      'external_cash',
      'seller_available',
      'seller_pending',
    ]);
  });

  it('links every transfer to the events that opened and closed it, and states match the log', async () => {
    const log = await readWholeLog(store);
    const finalized = new Map(
      log
        .filter((event) => event.type === 'SettlementFinalized')
        .map((event) => [(event.data as EventData<typeof SettlementFinalized>).allocationId, event] as const),
    );
    const all = await transfers(dataSource);
    expect(all.length).toBe(log.filter((event) => event.type === 'LeadAllocated').length);
    for (const transfer of all) {
      const closing = finalized.get(transfer.allocationId);
      expect(transfer.status).toBe(closing ? (closing.data as { outcome: string }).outcome : 'pending');
      expect(transfer.closedAtPosition).toBe(
        closing ? `${closing.position.commit}/${closing.position.prepare}` : null,
      );
    }
  });

  it('states for a seller and a buyer add up to their balances', async () => {
    const [anyTransfer] = await transfers(dataSource);
    const seller = await readSellerStatement(dataSource, anyTransfer!.sellerId, anyTransfer!.currency);
    expect(seller.sold.proceeds - seller.returned.proceedsDebited - seller.paidOut).toBe(
      seller.balances.pending + seller.balances.available,
    );
    const buyer = await readBuyerStatement(dataSource, anyTransfer!.buyerId, anyTransfer!.currency);
    const lines = buyer.lines.reduce((sum, line) => sum + line.amount, 0);
    expect(lines).toBe(buyer.balances.available + buyer.balances.reserved);
    expect(buyer.deposits - buyer.spend + buyer.refunds).toBe(lines);
  });

  it('builds the same tables a page at a time (handleBatch) as one event at a time (handle)', async () => {
    const result = await compareBatchedWithPerEvent(ledgerProjection, store, dataSource, [500, 7]);
    expect(result.log).toEqual([]);
    for (const { comparison } of result.comparisons) {
      expect(comparison.tables.filter((table) => !table.equal)).toEqual([]);
      expect(comparison.tables.map((table) => table.table).sort()).toEqual([
        'ledger_account',
        'ledger_entry',
        'ledger_order',
        'ledger_transfer',
      ]);
      expect(comparison.tables.every((table) => (table.liveRows ?? 0) > 0)).toBe(true);
    }
    // Pages of 500 hold whole stretches of the market; pages of 7 close transfers opened pages before.
    expect(result.batchesApplied[500]).toBeGreaterThan(0);
    expect(result.batchesApplied[7]).toBeGreaterThan(50);
  });

  it('stops loudly, on the event, when the books no longer balance', async () => {
    await dataSource.query(
      `UPDATE ledger_account SET balance = balance + 7 WHERE account_id = 'exchange_revenue:exchange' AND currency = 'RUB'`,
    );
    const before = await readCheckpoint(dataSource, 'rm_ledger');
    const deposit = {
      buyerId: 'tamper-check',
      depositId: 'tamper-1',
      amount: 100,
      currency: 'RUB',
      reference: 'x',
    };
    await store.appendToStream('buyer-tamper-check', [newEvent(FundsDeposited, deposit)], {
      expectedRevision: 'any',
    });
    let lastError: string | null = null;
    for (let waited = 0; lastError === null && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      lastError = (await runner.status()).lastError;
    }
    expect(lastError).toMatch(/ledger out of balance .* RUB sums to 7/i);
    expect(await readCheckpoint(dataSource, 'rm_ledger')).toEqual(before);
    expect(await accountBalances(dataSource, { ownerId: 'tamper-check' })).toEqual([]);
  });
});
