import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { FundsDeposited, ReturnRequested, SellerResponded, newEvent, type EventInput } from '#lx/contracts';
import { AggregateRepository } from '#lx/event-sourcing';
import { PostgresEventStore, type RecordedEvent } from '#lx/event-store';
import { scenarioOneOrder } from '#lx/market-generator';
import { ProjectionRunner } from '#lx/projections';
import { testRedisPrefix, waitUntilTrue } from '#lx/testing';
import {
  accountBalances,
  ledgerProjection,
  readBuyerStatement,
  readSellerStatement,
  transferOf,
} from '../../../ledger/src/index.js';
import {
  appendAt,
  leadAllocated,
  leadListed,
  orderPlaced,
  type OrderTermsInput,
} from '../../../ledger/src/testing/settlement-fixtures.js';
import { settings } from '../../../matching/src/testing/market-fixtures.js';
import { ANNA_STATEMENT } from '../testing/scenario-three-statements.js';
import { openSettlementDatabase, type SettlementDatabase } from '../testing/settlement-database.js';
import { ReturnDecisionExistsError } from '../domain/return-errors.js';
import { returnFactsProjection } from './return-facts.projection.js';
import { readSellerHistory, sellerHistoryProjection } from './seller-history.projection.js';
import { ReturnWindowQueue, startReturnWindowWorker } from './return-window.queue.js';
import { startSettlementReactions, type SettlementReactions } from './settlement-reactions.js';

jest.setTimeout(180_000);

/*
 * Scenario 3, "the dispute" (docs/scenarios.md): a buyer who bought 50 leads returns 8. The
 * settlement reactions run as in the app (subscriptions, projections, the BullMQ window job), fed
 * by the events the buyers app, the sellers app and the engine append in production.
 */

const WINDOW_MS = 25_000;
const PRICE = 60_000; // 600 RUB
const COMMISSION = 9_000; // 15 %
const PROCEEDS = 51_000;

describe('scenario 3: the dispute', () => {
  let settlementDatabase: SettlementDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  const runners: ProjectionRunner[] = [];
  let reactions: SettlementReactions;
  let queue: ReturnWindowQueue;
  let worker: { close(): Promise<void> };
  const run = Date.now().toString(36);
  const buyer = `buyer-${run}`;
  const [anna, boris] = [`seller-anna-${run}`, `seller-boris-${run}`];
  const allocation = (n: number) => `alloc-${run}-${n}`;
  const sellerOf = (n: number) => (n <= 30 ? anna : boris);

  beforeAll(async () => {
    settlementDatabase = await openSettlementDatabase('scenario_three', [
      'rm_ledger',
      'rm_return_facts',
      'rm_seller_history',
    ]);
    ({ store, dataSource } = settlementDatabase);
    for (const projection of [ledgerProjection, returnFactsProjection, sellerHistoryProjection])
      runners.push(await ProjectionRunner.start({ projection, store, dataSource, pollIntervalMs: 50 }));
    const options = {
      defaultDedupeWindowDays: 30,
      returnCapWindowDays: 30,
      returnWindowMsOverride: WINDOW_MS,
    };
    const connection = { redisUrl: 'redis://127.0.0.1:6379', prefix: testRedisPrefix('scenario3') };
    queue = new ReturnWindowQueue(connection);
    const repository = new AggregateRepository(store);
    reactions = startSettlementReactions({ store, repository, dataSource, scheduler: queue, options });
    worker = startReturnWindowWorker({ ...connection, window: reactions.window, lockDurationMs: 5_000 });
  });

  afterAll(async () => {
    await worker?.close();
    await reactions?.stop();
    await queue?.queue.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    for (const runner of runners) await runner.stop();
    await settlementDatabase?.close();
  });

  const returnOf = async (n: number) => store.readStream(`return-${allocation(n)}`);
  const decisionOf = async (n: number) =>
    (await returnOf(n)).find((event) => event.type === 'ReturnAccepted' || event.type === 'ReturnRejected');

  const request = (n: number, fields: Partial<EventInput<typeof ReturnRequested>>) =>
    newEvent(ReturnRequested, {
      allocationId: allocation(n),
      leadId: `lead-${run}-${n}`,
      orderId: `order-${run}`,
      buyerId: buyer,
      sellerId: sellerOf(n),
      reason: 'invalid_phone',
      evidence: [{ kind: 'call_log', description: 'Five calls over two days, number not answering' }],
      ...fields,
    });

  it('buys 50 leads, one of them a person bought last week from another seller', async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const lastWeek = now - 6 * 24 * 3_600_000;
    // The engine tests' market: RUB, 15 % commission, 72-hour windows, 30 days of dedupe.
    await appendAt(store, 'marketSettings-eyewear', settings(), iso(lastWeek - 60_000));
    const deposit = {
      buyerId: buyer,
      depositId: `dep-${run}`,
      amount: 3_100_000,
      currency: 'RUB',
      reference: 'wire',
    };
    await appendAt(store, `buyer-${buyer}`, newEvent(FundsDeposited, deposit), iso(lastWeek - 50_000));
    // Last week: one lead of person "irina" from Boris, on a small order.
    const {
      vertical: _v,
      currency: _c,
      ...scenarioTerms
    } = scenarioOneOrder() as unknown as Partial<OrderTermsInput> & { vertical: string; currency: string };
    await appendAt(
      store,
      `buyer-${buyer}`,
      orderPlaced(
        { orderId: `order-old-${run}`, buyerId: buyer, budget: PRICE },
        { ...scenarioTerms, quantity: 1, budget: PRICE },
      ),
      iso(lastWeek - 40_000),
    );
    await appendAt(
      store,
      `lead-${run}-0`,
      leadListed({ leadId: `lead-${run}-0`, sellerId: boris, person: 'irina' }),
      iso(lastWeek - 30_000),
    );
    await appendAt(
      store,
      'market-eyewear',
      leadAllocated({
        allocationId: allocation(0),
        leadId: `lead-${run}-0`,
        orderId: `order-old-${run}`,
        buyerId: buyer,
        sellerId: boris,
        price: PRICE,
        at: iso(lastWeek),
      }),
      iso(lastWeek),
      'engine:eyewear',
    );
    // Today: the order of scenario 1, filled with 50 leads (30 from Anna, 20 from Boris).
    await appendAt(
      store,
      `buyer-${buyer}`,
      orderPlaced({ orderId: `order-${run}`, buyerId: buyer, budget: 50 * PRICE }, scenarioTerms),
      iso(now - 2_000),
    );
    for (let n = 1; n <= 50; n++) {
      const person = n === 5 ? 'irina' : `person-${n}`; // lead 5 (Anna's) is Irina again
      await appendAt(
        store,
        `lead-${run}-${n}`,
        leadListed({ leadId: `lead-${run}-${n}`, sellerId: sellerOf(n), person }),
        iso(now - 1_000),
      );
      const allocated = leadAllocated({
        allocationId: allocation(n),
        leadId: `lead-${run}-${n}`,
        orderId: `order-${run}`,
        buyerId: buyer,
        sellerId: sellerOf(n),
        price: PRICE,
        at: iso(now),
      });
      await appendAt(store, 'market-eyewear', allocated, iso(now), 'engine:eyewear');
    }
    // Last week's purchase has long left its window: it is posted without anyone asking.
    await waitUntilTrue(
      'last week’s transfer to be posted',
      async () => (await transferOf(dataSource, allocation(0)))?.status === 'posted',
    );
  });

  it('decides what the log can prove and waits for the seller on the rest', async () => {
    const at = new Date().toISOString();
    const phone = [2, 3, 32];
    for (const n of phone)
      await appendAt(
        store,
        `return-${allocation(n)}`,
        request(n, n === 32 ? { replace: true } : {}),
        at,
        buyer,
      );
    await appendAt(
      store,
      `return-${allocation(5)}`,
      request(5, { reason: 'duplicate', evidence: [] }),
      at,
      buyer,
    );
    await appendAt(
      store,
      `return-${allocation(35)}`,
      request(35, { reason: 'duplicate', evidence: [] }),
      at,
      buyer,
    );
    for (const n of [6, 7, 36])
      await appendAt(
        store,
        `return-${allocation(n)}`,
        request(n, { reason: 'other', text: 'Was not interested', evidence: [] }),
        at,
        buyer,
      );

    await waitUntilTrue('the automatic decisions', async () => {
      const decided = await Promise.all([5, 35, 6, 7, 36].map(decisionOf));
      return decided.every(Boolean);
    });
    const decision = async (n: number) => {
      const event = (await decisionOf(n))!;
      return { type: event.type, ...(event.data as { rule: string; decidedBy: string }) };
    };
    expect(await decision(5)).toMatchObject({
      type: 'ReturnAccepted',
      rule: 'duplicate-of-earlier-purchase',
      decidedBy: 'system',
    });
    expect(((await decisionOf(5))!.data as { rationale: string }).rationale).toContain(allocation(0));
    expect(await decision(35)).toMatchObject({
      type: 'ReturnRejected',
      rule: 'duplicate-of-earlier-purchase',
    });
    for (const n of [6, 7, 36])
      expect(await decision(n)).toMatchObject({
        type: 'ReturnRejected',
        rule: 'reason-not-returnable',
        decidedBy: 'system',
      });
    // The phone claims are for the seller to answer first; the rules applied to them are recorded.
    for (const n of phone) {
      await waitUntilTrue('the rules applied to a phone claim', async () => (await returnOf(n)).length === 2);
      const events = await returnOf(n);
      expect(events.map((event) => event.type)).toEqual(['ReturnRequested', 'ReturnChecked']);
      const { checks } = events[1]!.data as { checks: { rule: string; outcome: string }[] };
      expect(checks.map((check) => check.rule)).toEqual([
        'return-window-elapsed',
        'reason-not-returnable',
        'over-return-cap',
      ]);
    }
  });

  it('escalates the contested phone claims to an auditor, who decides each once', async () => {
    for (const n of [2, 3, 32]) {
      const response = newEvent(SellerResponded, {
        allocationId: allocation(n),
        sellerId: sellerOf(n),
        position: 'contest',
        statement: 'The number was verified by SMS at capture',
        evidence: [{ kind: 'carrier_lookup', description: 'Carrier lookup at capture: active mobile line' }],
      });
      await appendAt(store, `return-${allocation(n)}`, response, new Date().toISOString(), sellerOf(n));
    }
    await waitUntilTrue('the escalations', async () =>
      (await Promise.all([2, 3, 32].map(returnOf))).every(
        (events) => events.at(-1)?.type === 'ReturnEscalated',
      ),
    );
    const auditor = `auditor-${run}`;
    const decide = (n: number, outcome: 'accept' | 'reject', rationale: string) =>
      reactions.decisions.decideAsAuditor(
        { kind: 'decide-as-auditor', allocationId: allocation(n), auditorId: auditor, outcome, rationale },
        new Date(),
      );
    await decide(2, 'accept', 'Carrier records show the line disconnected before the sale');
    await decide(3, 'reject', 'The call log shows calls outside business hours only; the line is active');
    await decide(32, 'accept', 'Number belongs to a different person per carrier lookup');
    await expect(decide(2, 'reject', 'second thoughts')).rejects.toBeInstanceOf(ReturnDecisionExistsError);
    expect((await decisionOf(2))!.data).toMatchObject({ rule: 'auditor-decision', decidedBy: auditor });
  });

  it('ends in an exact ledger: who was refunded, who was debited, what happened to the commission', async () => {
    await waitUntilTrue(
      'every window to close',
      async () => {
        const [row] = await dataSource.query(
          `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
                  count(*) FILTER (WHERE status = 'voided' AND refunded_to IS NULL)::int AS unrefunded
             FROM ledger_transfer`,
        );
        return row.pending === 0 && row.unrefunded === 0;
      },
      WINDOW_MS + 60_000,
    );
    const balances = Object.fromEntries(
      (await accountBalances(dataSource, { currency: 'RUB' })).map((a) => [a.accountId, a.balance]),
    );
    expect(balances).toEqual({
      // 3 100 000 deposited; 51 leads at 600 RUB spent; 5 and 2 refunded to the available balance;
      // 32 asked for a replacement while its order was live, so its price is back on the order.
      [`buyer_available:${buyer}`]: 3_100_000 - 51 * PRICE + 2 * PRICE,
      [`buyer_reserved:${buyer}`]: PRICE,
      // Anna sold 30 and was debited 2 (leads 2 and 5); Boris sold 21 and was debited 1 (lead 32).
      [`seller_pending:${anna}`]: 0,
      [`seller_available:${anna}`]: 28 * PROCEEDS,
      [`seller_pending:${boris}`]: 0,
      [`seller_available:${boris}`]: 20 * PROCEEDS,
      // The commission of the three accepted returns is reversed; the other 48 is revenue.
      'exchange_commission_pending:exchange': 0,
      'exchange_revenue:exchange': 48 * COMMISSION,
      'exchange_refunds_payable:exchange': 0,
      'external_cash:external': -3_100_000,
    });
    for (const n of [2, 5, 32]) expect((await transferOf(dataSource, allocation(n)))?.status).toBe('voided');
    expect((await transferOf(dataSource, allocation(32)))?.refundedTo).toBe('order_budget');
    expect((await transferOf(dataSource, allocation(2)))?.refundedTo).toBe('available');
    for (const n of [3, 35, 6, 7, 36])
      expect((await transferOf(dataSource, allocation(n)))?.status).toBe('posted');

    const annaStatement = await readSellerStatement(dataSource, anna, 'RUB');
    expect(annaStatement).toMatchObject(ANNA_STATEMENT);
    expect(await readSellerHistory(dataSource, anna)).toMatchObject({
      sold: 30,
      returned: 2,
      returnRatePercent: 6,
    });
    expect(await readSellerHistory(dataSource, boris)).toMatchObject({
      sold: 21,
      returned: 1,
      returnRatePercent: 4,
    });
    const buyerStatement = await readBuyerStatement(dataSource, buyer, 'RUB');
    expect(buyerStatement).toMatchObject({ deposits: 3_100_000, spend: 51 * PRICE, refunds: 3 * PRICE });
  });

  it('never decides a return after the window closed and the transfer was posted', async () => {
    const late = newEvent(ReturnRequested, {
      ...request(10, {}).data,
      reason: 'invalid_email',
      evidence: [{ kind: 'email_bounce', description: 'Hard bounce' }],
    });
    await appendAt(store, `return-${allocation(10)}`, late, new Date().toISOString(), buyer);
    await waitUntilTrue('the late request to be refused', async () => Boolean(await decisionOf(10)));
    const types = (await returnOf(10)).map((event: RecordedEvent) => event.type);
    expect(types).toEqual(['ReturnWindowClosed', 'ReturnRequested', 'ReturnRejected']);
    expect((await decisionOf(10))!.data).toMatchObject({ rule: 'return-window-elapsed' });
    expect((await transferOf(dataSource, allocation(10)))?.status).toBe('posted');
    expect((await store.readStream(`settlement-${allocation(10)}`)).map((e) => e.data)).toMatchObject([
      { outcome: 'posted' },
    ]);
  });
});
