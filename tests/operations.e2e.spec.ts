import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { leadRowsToCsv } from '#lx/market-generator';
import { startExchange, type AppName, type RunningExchange } from './support/exchange.js';
import { allLeads, upload, waitForVerified } from './support/sellers.js';
import {
  confirmDeposit,
  openMarket,
  register,
  waitUntil,
  type Registered,
  pullOrder,
  eyewearLeads,
} from './support/scenarios.js';

/*
 * What an operator watches, over HTTP: the business metrics on /metrics after a little trading,
 * /health/live and /health/ready (which fails while a projection lags), and the queue dashboard
 * of the settlement app, for operators only.
 */

const PRICE = 50_000;
const READY_MAX_LAG_SECONDS = 2;

/** One sample of a Prometheus text exposition, by name and exact labels; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]),
    );
    if (wanted.length === Object.keys(found).length && wanted.every(([key, value]) => found[key] === value))
      return Number(match[3]);
  }
  return undefined;
}

describe('operations: metrics, health and the queue dashboard', () => {
  let exchange: RunningExchange;
  let seller: Registered;
  let buyer: Registered;
  let accepted: number;
  let rejected: number;

  const metrics = async (app: AppName) => {
    const response = await exchange.call(app, 'GET', '/metrics');
    expect(response.status).toBe(200);
    return response.body as string;
  };

  beforeAll(async () => {
    exchange = await startExchange('operations', {
      LX_READY_MAX_LAG_SECONDS: String(READY_MAX_LAG_SECONDS),
      LX_RATE_LIMIT_PER_MINUTE: '100000',
    });
    seller = await register(exchange, 'seller', 'Vera Leads');
    buyer = await register(exchange, 'buyer', 'Optika Metrics');
    await openMarket(exchange, 'eyewear');
    await confirmDeposit(exchange, buyer, 1_000_000, 'wire-metrics');
    const placed = await exchange.call('buyers', 'POST', '/v1/orders', {
      key: buyer.apiKey,
      body: pullOrder({ bid: PRICE, quantity: 3 }),
    });
    expect(placed.status).toBe(201);
    const rows = eyewearLeads('operations-e2e', 12, { badShare: 0.3 }).rows;
    const uploaded = await upload(exchange, {
      key: seller.apiKey,
      body: leadRowsToCsv(rows),
      query: `vertical=eyewear&floor=${PRICE}&exclusivity=exclusive`,
    });
    expect(uploaded.status).toBe(202);
    const { batch } = await waitForVerified(exchange, seller.apiKey, uploaded.body.batchId);
    ({ accepted, rejected } = batch.progress);
    expect(accepted).toBeGreaterThanOrEqual(3);
    expect(rejected).toBeGreaterThan(0);
    expect(await allLeads(exchange, seller.apiKey, uploaded.body.batchId)).toHaveLength(accepted);
    await waitUntil('three purchases', async () => {
      const page = await exchange.call('buyers', 'GET', '/v1/purchased-leads?limit=100', {
        key: buyer.apiKey,
      });
      return page.body.items?.length === 3 || undefined;
    });
  });
  afterAll(async () => exchange?.stop());

  it('sellers: leads listed and rejected per market, verification queue, projection lag', async () => {
    const text = await waitUntil('the sellers read model to count the batch', async () => {
      const now = await metrics('sellers');
      return sample(now, 'lx_leads_listed', { vertical: 'eyewear' }) === accepted ? now : undefined;
    });
    expect(sample(text, 'lx_leads_rejected', { vertical: 'eyewear' })).toBe(rejected);
    expect(sample(text, 'lx_queue_jobs', { queue: 'lead-verification', state: 'failed' })).toBe(0);
    expect(sample(text, 'lx_queue_jobs', { queue: 'lead-verification', state: 'waiting' })).toBe(0);
    expect(sample(text, 'lx_projection_lag_events', { projection: 'seller_leads' })).toBe(0);
    expect(sample(text, 'lx_projection_lag_seconds', { projection: 'seller_leads' })).toBe(0);
  });

  it('settlement: allocations, a balanced ledger, return-window jobs waiting, every projection’s lag', async () => {
    // The ledger and the return window learn of the allocations each from its own subscription.
    const text = await waitUntil(
      'the ledger and the return window to hold the three allocations',
      async () => {
        const now = await metrics('settlement');
        const allocations = sample(now, 'lx_allocations', { currency: 'RUB', status: 'pending' });
        // One closing job per allocation, due when its 72-hour return window ends.
        const closings = sample(now, 'lx_queue_jobs', {
          queue: 'settlement-return-window',
          state: 'delayed',
        });
        return allocations === 3 && closings === 3 ? now : undefined;
      },
    );
    expect(sample(text, 'lx_ledger_imbalance', { currency: 'RUB' })).toBe(0);
    expect(sample(text, 'lx_queue_jobs', { queue: 'market-clock', state: 'failed' })).toBe(0);
    for (const projection of ['audit_index', 'ledger', 'return_facts', 'seller_history']) {
      expect(sample(text, 'lx_projection_lag_events', { projection })).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'lx_projection_lag_seconds', { projection })).toBeGreaterThanOrEqual(0);
    }
  });

  it('buyers: webhook dead letters and the webhook queue', async () => {
    const text = await metrics('buyers');
    expect(sample(text, 'lx_webhook_dead_letters')).toBe(0);
    expect(sample(text, 'lx_queue_jobs', { queue: 'buyers-webhooks', state: 'failed' })).toBe(0);
    expect(sample(text, 'lx_projection_lag_events', { projection: 'buyer_purchases' })).toBe(0);
  });

  it('/health/live and /health/ready answer 200, /health as before', async () => {
    for (const app of ['sellers', 'buyers', 'settlement'] as const) {
      expect((await exchange.call(app, 'GET', '/health/live')).status).toBe(200);
      const ready = await exchange.call(app, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.info).toMatchObject({ database: { status: 'up' }, projections: { status: 'up' } });
      expect((await exchange.call(app, 'GET', '/health')).status).toBe(200);
    }
  });

  it('/health/ready answers 503 naming the projection while it lags, 200 once it caught up; /health/live stays 200', async () => {
    // The exclusive lock a schema swap takes: the ledger's runner waits for it before applying anything.
    const blocker = new pg.Client({ connectionString: exchange.database.url });
    await blocker.connect();
    try {
      await blocker.query(`SELECT pg_advisory_lock(hashtext('lx_projection'), hashtext('ledger'))`);
      await confirmDeposit(exchange, buyer, 1000, 'wire-while-lagging');
      const notReady = await waitUntil(
        'settlement to report the ledger lagging',
        async () => {
          const ready = await exchange.call('settlement', 'GET', '/health/ready');
          return ready.status === 503 ? ready : undefined;
        },
        (READY_MAX_LAG_SECONDS + 10) * 1000,
      );
      expect(notReady.headers.get('content-type')).toContain('application/problem+json');
      // The deposit at least: the earlier sales' events (a settlement, a budget release) may still arrive.
      expect(notReady.body.checks.projections.ledger.eventsBehind).toBeGreaterThanOrEqual(1);
      expect(notReady.body).toMatchObject({
        status: 503,
        detail: `projections: ledger lagging more than ${READY_MAX_LAG_SECONDS} s (LX_READY_MAX_LAG_SECONDS)`,
        checks: {
          database: { status: 'up' },
          projections: {
            status: 'down',
            ledger: { eventsBehind: expect.any(Number) },
            audit_index: { eventsBehind: 0 },
          },
        },
      });
      expect(notReady.body.checks.projections.ledger.seconds).toBeGreaterThan(READY_MAX_LAG_SECONDS);
      expect((await exchange.call('settlement', 'GET', '/health/live')).status).toBe(200);
      // Lag is per app: the sellers app hosts no ledger.
      expect((await exchange.call('sellers', 'GET', '/health/ready')).status).toBe(200);
      const text = await metrics('settlement');
      // The deposit at least: the earlier sales' events (a settlement, a budget release) may still arrive.
      expect(sample(text, 'lx_projection_lag_events', { projection: 'ledger' })).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'lx_projection_lag_seconds', { projection: 'ledger' })).toBeGreaterThan(
        READY_MAX_LAG_SECONDS,
      );
    } finally {
      await blocker.query(`SELECT pg_advisory_unlock(hashtext('lx_projection'), hashtext('ledger'))`);
      await blocker.end();
    }
    await waitUntil('settlement to be ready again', async () => {
      const ready = await exchange.call('settlement', 'GET', '/health/ready');
      return ready.status === 200 || undefined;
    });
  });

  it('the queue dashboard is for operators only: 401 without a key, 403 for a buyer, 200 for the operator', async () => {
    const noKey = await exchange.call('settlement', 'GET', '/admin/queues');
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await exchange.call('settlement', 'GET', '/admin/queues', { key: buyer.apiKey })).status).toBe(
      403,
    );
    expect(
      (await exchange.call('settlement', 'GET', '/admin/queues/api/queues', { key: buyer.apiKey })).status,
    ).toBe(403);
    expect((await exchange.call('settlement', 'GET', '/admin/queues', { key: 'lx_not-a-key' })).status).toBe(
      401,
    );

    const page = await exchange.call('settlement', 'GET', '/admin/queues', { key: exchange.operatorKey });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const queues = await exchange.call('settlement', 'GET', '/admin/queues/api/queues', {
      key: exchange.operatorKey,
    });
    expect(queues.status).toBe(200);
    expect((queues.body.queues as { name: string }[]).map((queue) => queue.name).sort()).toEqual([
      'market-clock',
      'settlement-payouts',
      'settlement-return-window',
    ]);
    // A browser sends the key as the password of HTTP Basic authentication.
    const basic = Buffer.from(`operator:${exchange.operatorKey}`).toString('base64');
    const inBrowser = await exchange.call('settlement', 'GET', '/admin/queues', {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(inBrowser.status).toBe(200);
    // Those credentials go with any page's requests: a change asked from another site is refused.
    const crossSite = await exchange.call(
      'settlement',
      'PUT',
      '/admin/queues/api/queues/market-clock/pause',
      {
        headers: { authorization: `Basic ${basic}`, origin: 'https://elsewhere.example' },
      },
    );
    expect(crossSite.status).toBe(403);
    const paused = await exchange.call('settlement', 'PUT', '/admin/queues/api/queues/market-clock/pause', {
      headers: { authorization: `Basic ${basic}`, origin: exchange.url('settlement') },
    });
    expect(paused.status).toBe(200);
    const resumed = await exchange.call('settlement', 'PUT', '/admin/queues/api/queues/market-clock/resume', {
      key: exchange.operatorKey,
    });
    expect(resumed.status).toBe(200);
  });
});
