import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WEEKDAYS } from '#lx/contracts';
import {
  generateLeadRows,
  leadRowsToCsv,
  pingFieldsOf,
  scenarioOneOrder,
  type LeadRow,
} from '#lx/market-generator';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { upload, waitForVerified } from './support/sellers.js';
import {
  byExternalId,
  confirmDeposit,
  openMarket,
  orderRequest,
  participantCalls,
  pullOrder,
  register,
  scenarioOneFailures,
  scenarioOneRows,
  waitUntil,
  type Registered,
} from './support/scenarios.js';

/**
 * Scenario 1 (docs/scenarios.md §1) sold in real time (docs/architecture.md §5.2): the retailer's
 * order carries a delivery schedule in its own zone and an hourly cap, and the seller posts its
 * pool one lead at a time (some after a ping) instead of uploading it. Every answer is checked as it
 * comes; the order ends with the seed's figures — the same as the batch path's, computed here too
 * from the same pool uploaded to a twin order in another market — a second order of the same buyer,
 * outside its schedule, buys nothing until its schedule opens, and the replay proof reproduces the
 * markets' outputs.
 */

const ZONE = 'Europe/Moscow';
const FLOOR = 60_000;
const COMMISSION_BPS = 1500;
/** The seed's order report: 50 leads at 600 RUB, 11 conversions (docs/scenarios.md §1). */
const SEED_REPORT = {
  currency: 'RUB',
  leadsBought: 50,
  spend: 3_000_000,
  costPerLead: 60_000,
  conversions: 11,
  conversionRateBps: 2200,
  conversionRatePercent: 22,
  costPerAcquisition: 272_727,
};

/** The buyer's local weekday and hour now, in its zone. */
function localNow(zone: string): { weekday: number; hour: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date());
  const weekday = parts.find((part) => part.type === 'weekday')!.value.toLowerCase();
  return {
    weekday: WEEKDAYS.indexOf(weekday as (typeof WEEKDAYS)[number]),
    hour: Number(parts.find((part) => part.type === 'hour')!.value),
  };
}

const now = localNow(ZONE);
const weekday = (offset: number) => WEEKDAYS[(now.weekday + offset) % 7]!;
/**
 * Open from the start of this local hour to the end of tomorrow, local time: open for the whole run
 * even across midnight, and closed an hour ago (a window that starts at the hour of placement).
 */
const openNow = {
  timeZone: ZONE,
  windows: [
    { days: [weekday(0)], from: `${String(now.hour).padStart(2, '0')}:00`, to: '24:00' },
    { days: [weekday(1)], from: '00:00', to: '24:00' },
  ],
};
/** Days 2–5 from now, local time: the nearest opening is more than a day away. */
const closedNow = {
  timeZone: ZONE,
  windows: [{ days: [2, 3, 4, 5].map(weekday), from: '00:00', to: '24:00' }],
};

interface PostAnswer {
  leadId: string;
  status: 'rejected' | 'resting' | 'sold' | 'not_listed' | 'pending';
  reasons?: string[];
  buyers?: number;
  price?: number;
  proceeds?: number;
  currency?: string;
  sales?: { allocationId: string; price: number; proceeds: number }[];
  ping?: { pingId: string; honoured?: boolean; price?: number; refusal?: string };
  outcomeUrl: string;
}

describe('scenario 1 in real time: a scheduled order fed by posted leads', () => {
  let exchange: RunningExchange;
  let seller: Registered;
  let optika: Registered;
  let twin: Registered;
  let auditor: Registered;
  const call = participantCalls(() => exchange);
  const orders: Record<'open' | 'closed' | 'twin', string> = { open: '', closed: '', twin: '' };
  const reports: Record<'realtime' | 'batch', Record<string, unknown>> = { realtime: {}, batch: {} };
  const sold: string[] = [];
  /** A ping honoured by the post that followed it: its history is read at the end. */
  let honouredPing = '';

  // The pool of scenario 1's e2e test (60 inside the filters, 150 near misses, 30 far off), posted
  // in the order of the sellers' external ids (so inside and outside interleave), and three leads
  // verification refuses.
  const { inside, nearMisses, farOff } = scenarioOneRows();
  const pool = byExternalId([...inside, ...nearMisses, ...farOff]);
  const underAge: LeadRow[] = generateLeadRows({
    seed: 'scenario-1-realtime-refused',
    count: 3,
    vertical: 'eyewear',
    country: 'RU',
    capturedAround: new Date(),
    captureWindowMinutes: 60,
    partialShare: 0,
    duplicateShare: 0,
    badShare: 0,
  }).rows.map((row, index) => ({
    ...row,
    external_id: `refused-${index}`,
    age: 16,
    date_of_birth: undefined,
  }));

  const terms = { vertical: 'eyewear', floor: FLOOR, exclusivity: 'exclusive' };
  /** The answer to a post, read again from its outcome URL while the market has not answered yet. */
  const post = async (row: LeadRow, pingId?: string): Promise<PostAnswer> => {
    const response = await call('sellers', seller, 'POST', '/v1/leads', {
      ...terms,
      externalId: row.external_id,
      lead: row,
      ...(pingId ? { pingId } : {}),
    });
    expect([200, 202]).toContain(response.status);
    if (response.body.status !== 'pending') return response.body;
    return waitUntil(`the outcome of ${row.external_id}`, async () => {
      const outcome = await call('sellers', seller, 'GET', response.body.outcomeUrl);
      return outcome.body.status !== 'pending' ? (outcome.body as PostAnswer) : undefined;
    });
  };
  type PingAnswer = { pingId: string; status: string; price?: number; buyers?: number; reason?: string };
  /** The market's answer to a ping, read again from its answer URL while it has not answered yet. */
  const ping = async (row: LeadRow): Promise<PingAnswer> => {
    const response = await call('sellers', seller, 'POST', '/v1/pings', {
      ...terms,
      lead: pingFieldsOf(row),
    });
    expect([200, 202]).toContain(response.status);
    if (response.body.status !== 'pending') return response.body;
    return waitUntil(`the answer to the ping for ${row.external_id}`, async () => {
      const answer = await call('sellers', seller, 'GET', response.body.answerUrl);
      return answer.body.status !== 'pending' ? (answer.body as PingAnswer) : undefined;
    });
  };
  const purchasesOf = async (buyer: Registered, orderId: string) =>
    (await call('buyers', buyer, 'GET', `/v1/purchased-leads?orderId=${orderId}&limit=100`)).body.items as {
      allocationId: string;
      orderId: string;
      price: number;
      rule: string;
    }[];
  /** Reports `count` of the order's purchases as converted and reads its report once it counts them. */
  const convertAndReport = async (buyer: Registered, orderId: string, count: number) => {
    for (const purchase of (await purchasesOf(buyer, orderId)).slice(0, count)) {
      const reported = await call(
        'buyers',
        buyer,
        'POST',
        `/v1/purchased-leads/${purchase.allocationId}/conversion`,
        {
          at: new Date().toISOString(),
        },
      );
      expect([200, 201]).toContain(reported.status);
    }
    return waitUntil(`the conversions in the report of ${orderId}`, async () => {
      const response = await call('buyers', buyer, 'GET', `/v1/reports/orders/${orderId}`);
      return response.body.conversions === count ? (response.body as Record<string, unknown>) : undefined;
    });
  };

  beforeAll(async () => {
    exchange = await startExchange('scenario1rt', { LX_RATE_LIMIT_PER_MINUTE: '100000' });
    seller = await register(exchange, 'seller', 'Moscow Leads LLC');
    optika = await register(exchange, 'buyer', 'Optika Premium');
    twin = await register(exchange, 'buyer', 'Optika Premium (batch twin)');
    auditor = await register(exchange, 'auditor', 'Audit & Co');
    const settings = {
      currency: 'RUB',
      commissionBps: COMMISSION_BPS,
      returnWindowHours: 72,
      dedupeWindowDays: 30,
      // A pinged price stands a minute: the post that follows is honoured even on a busy machine.
      pingTtlSeconds: 60,
    };
    await openMarket(exchange, 'eyewear', settings);
    await openMarket(exchange, 'insurance', settings);
    await confirmDeposit(exchange, optika, 5_000_000, 'bank-rt-optika');
    await confirmDeposit(exchange, twin, 5_000_000, 'bank-rt-twin');
  });
  afterAll(async () => exchange?.stop());

  it('stages the scenario’s pool: 60 leads inside the filters, 180 outside', () => {
    expect(inside).toHaveLength(60);
    expect(nearMisses.length + farOff.length).toBe(180);
    expect(pool.filter((row) => scenarioOneFailures(row).length === 0)).toHaveLength(60);
  });

  it('places the seed’s order with a schedule open now in Moscow and an hourly cap, and a second one closed now', async () => {
    const open = await call('buyers', optika, 'POST', '/v1/orders', {
      ...orderRequest(scenarioOneOrder()),
      schedule: openNow,
      hourlyCapCount: 50,
      hourlyCapSpend: 3_000_000,
    });
    expect(open.status).toBe(201);
    expect(open.body).toMatchObject({ reserved: 3_000_000, currency: 'RUB' });
    expect(open.body.terms).toMatchObject({
      schedule: openNow,
      hourlyCapCount: 50,
      hourlyCapSpend: 3_000_000,
    });
    orders.open = open.body.orderId;
    // Any lead of the market at a higher bid: were its schedule ignored it would win every lead,
    // since a buyer's best order is the one that bids.
    const closed = await call('buyers', optika, 'POST', '/v1/orders', {
      ...pullOrder({ bid: 90_000, quantity: 10 }),
      schedule: closedNow,
    });
    expect(closed.status).toBe(201);
    orders.closed = closed.body.orderId;
    const preview = async (schedule: unknown) =>
      (
        await call('buyers', optika, 'POST', '/v1/orders/preview', {
          vertical: 'eyewear',
          filters: {},
          schedule,
        })
      ).body.schedule;
    expect(await preview(openNow)).toMatchObject({ openNow: true });
    expect(await preview(closedNow)).toMatchObject({ openNow: false });
  });

  it('answers each posted lead in its response: sold to the open order at 600 RUB until it is filled, else resting or rejected', async () => {
    let pinged = 0;
    const insideRows = pool.filter((row) => scenarioOneFailures(row).length === 0);
    const wantedIds = new Set(insideRows.slice(0, 50).map((row) => row.external_id));
    const postOne = async (row: LeadRow, index: number): Promise<void> => {
      const wanted = wantedIds.has(row.external_id);
      // Every seventh lead is pinged first: the price it would fetch now, then the post that follows.
      let pingId: string | undefined;
      if (index % 7 === 0) {
        const answer = await ping(row);
        pingId = answer.pingId;
        pinged += 1;
        if (wanted)
          expect([row.external_id, answer]).toEqual([
            row.external_id,
            expect.objectContaining({ status: 'bid', price: FLOOR, buyers: 1 }),
          ]);
        else expect([row.external_id, answer.status]).toEqual([row.external_id, 'no_bid']);
      }
      const answer = await post(row, pingId);
      if (wanted) {
        expect([row.external_id, answer]).toEqual([
          row.external_id,
          expect.objectContaining({
            status: 'sold',
            buyers: 1,
            price: FLOOR,
            proceeds: FLOOR - (FLOOR * COMMISSION_BPS) / 10_000,
            currency: 'RUB',
          }),
        ]);
        expect(answer.sales).toHaveLength(1);
        expect(answer.sales![0]!.price).toBeLessThanOrEqual(60_000);
        if (pingId) {
          expect(answer.ping).toEqual({ pingId, honoured: true, price: FLOOR });
          honouredPing ||= pingId;
        }
        sold.push(answer.sales![0]!.allocationId);
      } else {
        expect([row.external_id, answer]).toEqual([
          row.external_id,
          expect.objectContaining({ status: 'resting', buyers: 0, price: 0 }),
        ]);
        if (pingId) expect(answer.ping).toMatchObject({ pingId, honoured: false });
      }
    };
    // The leads the order wants go one after another, in the pool's order (the first 50 sell); the
    // others, which no open order wants, go six at a time beside them.
    const outside = pool.map((row, index) => ({ row, index })).filter(({ row }) => !insideRows.includes(row));
    const postOutside = async () => {
      while (outside.length > 0) {
        const next = outside.shift()!;
        await postOne(next.row, next.index);
      }
    };
    await Promise.all([
      (async () => {
        for (const row of insideRows) await postOne(row, pool.indexOf(row));
      })(),
      ...Array.from({ length: 6 }, postOutside),
    ]);
    expect(pinged).toBeGreaterThan(30);
    for (const row of underAge) {
      const answer = await post(row);
      expect(answer).toMatchObject({ status: 'rejected', reasons: ['under_age'] });
    }
    expect(sold).toHaveLength(50);
    // 60 posts one after another and 180 six at a time, each answered by the engine.
  }, 600_000);

  it('the open order bought those 50 leads and closed; the order outside its schedule bought nothing', async () => {
    const bought = await waitUntil('the buyers’ read model to hold the 50 purchases', async () => {
      const items = await purchasesOf(optika, orders.open);
      return items.length >= 50 ? items : undefined;
    });
    expect(new Set(bought.map((purchase) => purchase.allocationId))).toEqual(new Set(sold));
    expect(bought.every((purchase) => purchase.price === FLOOR)).toBe(true);
    const all = await call('buyers', optika, 'GET', '/v1/purchased-leads?limit=100');
    expect(all.body.items).toHaveLength(50);
    expect(await purchasesOf(optika, orders.closed)).toEqual([]);
    const order = await waitUntil('the filled order to close', async () => {
      const response = await call('buyers', optika, 'GET', `/v1/orders/${orders.open}`);
      return response.body.status === 'closed' ? response.body : undefined;
    });
    expect(order.status).toBe('closed');
    expect((await call('buyers', optika, 'GET', `/v1/orders/${orders.closed}`)).body.status).toBe('open');
  });

  it('reports 11 conversions: 30 000 RUB, CPL 600 RUB, 22 %, CPA ≈ 2 727 RUB — the seed’s figures', async () => {
    reports.realtime = await convertAndReport(optika, orders.open, 11);
    expect(reports.realtime).toMatchObject({ orderId: orders.open, status: 'closed', ...SEED_REPORT });
  });

  it('the same pool uploaded as a batch to a twin order ends with the same figures', async () => {
    // Another market, so that the people are not duplicates of the ones just posted.
    const uploaded = await upload(exchange, {
      key: seller.apiKey,
      body: leadRowsToCsv(pool),
      query: `vertical=insurance&floor=${FLOOR}&exclusivity=exclusive`,
    });
    expect(uploaded.status).toBe(202);
    const { batch } = await waitForVerified(exchange, seller.apiKey, uploaded.body.batchId);
    expect(batch.progress).toMatchObject({ accepted: pool.length, rejected: 0 });
    const placed = await call('buyers', twin, 'POST', '/v1/orders', {
      ...orderRequest(scenarioOneOrder()),
      vertical: 'insurance',
    });
    expect(placed.status).toBe(201);
    orders.twin = placed.body.orderId;
    await waitUntil(
      'the twin order to sweep 50 resting leads',
      async () => ((await purchasesOf(twin, orders.twin)).length >= 50 ? true : undefined),
      90_000,
    );
    reports.batch = await convertAndReport(twin, orders.twin, 11);
    const figures = (report: Record<string, unknown>) =>
      Object.fromEntries(Object.keys(SEED_REPORT).map((field) => [field, report[field]]));
    expect(figures(reports.batch)).toEqual(SEED_REPORT);
    expect(figures(reports.realtime)).toEqual(figures(reports.batch));
  });

  it('once its schedule is amended open, the second order takes resting leads at their floor', async () => {
    const { vertical: _vertical, ...terms } = {
      ...pullOrder({ bid: 90_000, quantity: 10 }),
      schedule: openNow,
    };
    const amended = await call('buyers', optika, 'PUT', `/v1/orders/${orders.closed}/terms`, terms);
    expect(amended.status).toBe(200);
    const swept = await waitUntil('the amended order’s sweep', async () => {
      const items = await purchasesOf(optika, orders.closed);
      return items.length >= 10 ? items : undefined;
    });
    expect(swept.map((purchase) => [purchase.price, purchase.rule])).toEqual(
      Array.from({ length: 10 }, () => [FLOOR, 'resting-lead-floor']),
    );
  });

  it('the replay proof re-runs both markets from the log to the same digests', async () => {
    const proof = await waitUntil(
      'the replay proof to cover both markets',
      async () => {
        const response = await call('settlement', auditor, 'POST', '/v1/audit/replay');
        const markets = (response.body.markets ?? []) as { vertical: string; recordedOutputs: number }[];
        const covered = (vertical: string, outputs: number) =>
          (markets.find((market) => market.vertical === vertical)?.recordedOutputs ?? 0) >= outputs;
        // Eyewear: 50 + 10 sales, the posts' outcomes, the pings' answers; insurance: 50 sales.
        return response.status === 200 && covered('eyewear', 60 + pool.length) && covered('insurance', 50)
          ? response.body
          : undefined;
      },
      180_000,
    );
    expect(proof.ok).toBe(true);
    for (const market of proof.markets as {
      vertical: string;
      identical: boolean;
      recordedDigest: string;
      replayedDigest: string;
      firstDivergence: unknown;
    }[]) {
      expect(market).toMatchObject({ identical: true, firstDivergence: null });
      expect(market.replayedDigest).toBe(market.recordedDigest);
    }
  }, 300_000);

  it('the auditor reads a ping’s history: the ping, its answer, the post that followed and its outcome, in words', async () => {
    const timeline = await waitUntil('the ping’s four events in the audit index', async () => {
      const response = await call('settlement', auditor, 'GET', `/v1/audit/timeline/ping/${honouredPing}`);
      return response.status === 200 && response.body.events.length >= 4 ? response : undefined;
    });
    expect(timeline.body.events.map((event: { type: string }) => event.type)).toEqual([
      'PingReceived',
      'PingAnswered',
      'LeadListed',
      'LeadPostOutcome',
    ]);
    const summaries = timeline.body.events.map((event: { summary: string | null }) => event.summary);
    expect(summaries[1]).toMatch(/^Ping answered: 1 buyer would pay 600\.00 RUB each/);
    expect(summaries[3]).toBe(
      'Posted lead sold: 1 sale, 600.00 RUB in all; its ping was honoured at 600.00 RUB',
    );
    const found = await call('settlement', auditor, 'GET', `/v1/audit/search?q=${honouredPing}`);
    expect(found.body.items).toEqual([expect.objectContaining({ kind: 'ping', id: honouredPing })]);
  });
});
