import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  flushRedisPrefix,
  interruptDatabase,
  startExchange,
  type RunningExchange,
} from './support/exchange.js';
import { MarketLoad } from './support/market-load.js';
import { sleep, waitUntil } from './support/scenarios.js';

/*
 * The faults a running exchange meets (issue 18), under a mixed market: sellers uploading, the
 * engine trading, buyers ordering and returning, webhooks going out.
 *  - PostgreSQL restarting: the shared server cannot be restarted here, so the test does to the
 *    exchange's own database what a restart does to its clients — every backend terminated, new
 *    connections refused for a while, again and again. The apps keep running and reconnect, no
 *    acknowledged write is lost or doubled, every subscription and projection resumes.
 *  - Redis flushed (it keeps nothing on disk): every key of the exchange's prefix deleted. The
 *    return-window closings are derived again from the log, so a window still closes.
 * `npm run chaos` runs the same faults longer and prints the figures.
 */

const WINDOW_MS = 6_000;

describe('faults under load', () => {
  let exchange: RunningExchange;
  let load: MarketLoad;

  beforeAll(async () => {
    exchange = await startExchange('faults', {
      LX_RATE_LIMIT_PER_MINUTE: '1000000',
      LX_RETURN_WINDOW_MS: String(WINDOW_MS),
      LX_SCHEDULE_RECONCILE_SECONDS: '1',
    });
    load = await MarketLoad.prepare(exchange, {
      leadsPerSecond: 10,
      batchRows: 5,
      orderEveryMs: 1_000,
      orderQuantity: 5,
      returnEveryMs: 1_500,
      // An upload cut by the fault keeps its key locked (issue 18 item 4): not retried for ever here.
      giveUpAfterMs: 15_000,
    });
  });

  afterAll(async () => {
    await load?.close();
    await exchange?.stop();
  });

  // Its "doubled write" once was an upload whose submission reached the log just before the
  // database went away: fixed (ReceiveUpload finishes such a batch; abandoned-uploads.int.spec.ts).
  // Back in `npm test` after passing 4 runs of 4 at load average 7–9 (2026-12-04).
  it('PostgreSQL terminating every connection and refusing new ones: nothing acknowledged is lost or doubled', async () => {
    load.start();
    await sleep(3_000);
    for (let round = 0; round < 2; round++) {
      const interruption = await interruptDatabase(exchange.database, { refuseForMs: 1_500, rounds: 3 });
      expect(interruption.terminated).toBeGreaterThan(0);
      const ended = Date.now();
      await waitUntil(
        'a write acknowledged after the interruption',
        async () => load.firstAcknowledgedAfter(ended) !== null,
        30_000,
      );
      await sleep(1_000);
    }
    await load.stop();
    // Webhook delivery is not awaited: its subscription is another change's (libs/buyers webhook-delivery).
    const verdict = await load.verify({ settleTimeoutMs: 30_000, waitForWebhooks: false });
    expect(verdict.details).toEqual([]);
    expect(verdict.byKind.upload.acknowledged).toBeGreaterThan(0);
    expect(verdict.byKind.order.acknowledged).toBeGreaterThan(0);
    expect({ total: verdict.total, byKind: verdict.byKind }).toMatchObject({
      total: { lost: 0, doubled: 0 },
    });
    // While the database was away, a request was refused as retryable (503), never as a bug (500).
    expect(load.failedStatuses.get(500) ?? 0).toBe(0);
    expect(verdict.allocations).toBeGreaterThan(0);
    expect(verdict.leadsSoldTwice).toBe(0);
    // The buyers' projection resumed from its checkpoint and holds every allocation of the log.
    expect(verdict.purchasesInReadModel).toBe(verdict.allocations);
    for (const app of ['sellers', 'buyers', 'settlement'] as const) {
      const health = await exchange.call(app, 'GET', '/health');
      expect([app, health.status]).toEqual([app, 200]);
    }
  });

  it('Redis flushed: the return windows still close, derived again from the log', async () => {
    const transferOf = async (allocationId: string) =>
      (
        await exchange.call('settlement', 'GET', `/v1/ledger/transfers/${allocationId}`, {
          key: exchange.operatorKey,
        })
      ).body as { status?: string };
    // Fresh trades, whose windows are still open: their closing jobs are in Redis, then they are not.
    const before = await load.allocationsInLog();
    load.start();
    await waitUntil('new allocations', async () => (await load.allocationsInLog()) >= before + 5, 30_000);
    // The sales whose windows are still open, as the ledger has them (newest first), looked at while
    // the market still trades: the read models may lag the log by more than WINDOW_MS on a loaded
    // machine, so they are asked until they show some, rather than once.
    let pending: string[] = [];
    await waitUntil(
      'transfers still pending',
      async () => {
        const page = await exchange.call(
          'settlement',
          'GET',
          `/v1/ledger/transfers?status=pending&buyerId=${load.buyer.participantId}&limit=50`,
          { key: exchange.operatorKey },
        );
        pending = (page.body.items as { allocationId: string }[]).map((item) => item.allocationId);
        return pending.length > 0;
      },
      20_000,
      100,
    );
    expect(pending.length).toBeGreaterThan(0);
    await load.stop();
    expect(await flushRedisPrefix(`${exchange.redisPrefix}:`)).toBeGreaterThan(0);

    await waitUntil(
      `${pending.length} windows closed`,
      async () => {
        for (const allocationId of pending)
          if ((await transferOf(allocationId)).status === 'pending') return false;
        return true;
      },
      45_000,
      500,
    );
    const settled = await Promise.all(pending.map(async (id) => (await transferOf(id)).status));
    expect(settled.every((status) => status === 'posted' || status === 'voided')).toBe(true);
  });

  it('an order retried with the same Idempotency-Key after Redis lost the key’s record is placed once', async () => {
    const place = () =>
      exchange.call('buyers', 'POST', '/v1/orders', {
        key: load.buyer.apiKey,
        headers: { 'idempotency-key': 'faults-one-order' },
        body: {
          vertical: 'eyewear',
          filters: {},
          bid: 60_000,
          modifiers: [],
          quantity: 1,
          budget: 60_007, // tells this order apart from the load's
          exclusivity: 'any',
          delivery: 'pull',
        },
      });
    const first = await place();
    expect(first.status).toBe(201);
    // What a client sees when the answer is lost after the write: it retries; meanwhile Redis lost the record.
    await flushRedisPrefix(`${exchange.redisPrefix}:`);
    const retried = await place();
    expect(retried.status).toBe(201);
    expect(retried.body.orderId).toBe(first.body.orderId);
    const orders = await exchange.call('buyers', 'GET', '/v1/orders?limit=500', { key: load.buyer.apiKey });
    const placed = (orders.body.items as { terms: { budget: number } }[]).filter(
      (order) => order.terms.budget === 60_007,
    );
    expect(placed).toHaveLength(1);
  });
});
