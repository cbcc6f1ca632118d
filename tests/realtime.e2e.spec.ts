import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateLeadRows, pingFieldsOf, type LeadRow } from '#lx/market-generator';
import { startExchange, type RunningExchange } from './support/exchange.js';
import {
  confirmDeposit,
  openMarket,
  register,
  sleep,
  waitUntil,
  type Registered,
} from './support/scenarios.js';

/**
 * Real-time selling over HTTP (docs/architecture.md §5.2): one lead posted and answered in the same
 * response (rejected, resting, sold), idempotent by its external id; a ping answered with the price
 * and honoured by the post that follows it, or refused once expired; personal data in a ping
 * refused; and the replay proof reproducing every ping's answer and every post's outcome.
 */
describe('real-time selling: single-lead posting and ping-post', () => {
  let exchange: RunningExchange;
  let seller: Registered;
  let optika: Registered;
  let rival: Registered;
  let auditor: Registered;
  const rows: LeadRow[] = generateLeadRows({
    seed: 'realtime-e2e',
    count: 12,
    vertical: 'eyewear',
    country: 'RU',
    capturedAround: new Date(),
    captureWindowMinutes: 60,
    badShare: 0,
    duplicateShare: 0,
    partialShare: 0,
  }).rows;
  const terms = { vertical: 'eyewear', floor: 30000, exclusivity: 'exclusive' };

  const asSeller = (method: string, path: string, body?: unknown) =>
    exchange.call('sellers', method, path, { key: seller.apiKey, ...(body !== undefined ? { body } : {}) });
  const post = (row: LeadRow, change: Record<string, unknown> = {}) =>
    asSeller('POST', '/v1/leads', { ...terms, externalId: row.external_id, lead: row, ...change });
  const ping = (row: LeadRow, change: Record<string, unknown> = {}) =>
    asSeller('POST', '/v1/pings', { ...terms, lead: pingFieldsOf(row), ...change });
  const placeOrder = (buyer: Registered, bid: number) =>
    exchange.call('buyers', 'POST', '/v1/orders', {
      key: buyer.apiKey,
      body: {
        vertical: 'eyewear',
        filters: {},
        bid,
        modifiers: [],
        quantity: 20,
        budget: 20 * bid,
        exclusivity: 'any',
        delivery: 'pull',
      },
    });

  beforeAll(async () => {
    exchange = await startExchange('realtime', { LX_RATE_LIMIT_PER_MINUTE: '100000' });
    seller = await register(exchange, 'seller', 'Vera Leads');
    optika = await register(exchange, 'buyer', 'Optika Premium');
    rival = await register(exchange, 'buyer', 'Rival Optics');
    auditor = await register(exchange, 'auditor', 'Audit & Co');
    await openMarket(exchange, 'eyewear', {
      currency: 'RUB',
      commissionBps: 1500,
      returnWindowHours: 72,
      dedupeWindowDays: 30,
      pingTtlSeconds: 2,
    });
    await confirmDeposit(exchange, optika, 5_000_000, 'rt-optika');
    await confirmDeposit(exchange, rival, 5_000_000, 'rt-rival');
  });
  afterAll(async () => exchange?.stop());

  it('answers rejected with the reasons, in the same response, and the same again on a repeat', async () => {
    const underAge = { ...rows[0]!, external_id: 'rt-under-age', age: 16, date_of_birth: undefined };
    const first = await post(underAge);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'rejected', reasons: ['under_age'] });
    expect(first.body.messages[0]).toMatch(/under 18/);
    const again = await post(underAge);
    expect(again.body).toEqual(first.body);
    expect((await asSeller('GET', first.body.outcomeUrl)).body).toEqual(first.body);
  });

  it('answers resting when no order buys, and sold (buyers, price, proceeds) once orders bid', async () => {
    const resting = await post(rows[1]!);
    expect(resting.status).toBe(200);
    expect(resting.body).toMatchObject({
      status: 'resting',
      buyers: 0,
      price: 0,
      proceeds: 0,
      currency: 'RUB',
    });
    // An order placed now takes the resting lead at its floor (the log's answer, not the post's).
    expect((await placeOrder(optika, 50000)).status).toBe(201);
    expect((await placeOrder(rival, 42000)).status).toBe(201);
    const sold = await post(rows[2]!);
    expect(sold.body).toMatchObject({
      status: 'sold',
      buyers: 1,
      price: 42000, // second price: the rival's bid
      proceeds: 35700, // less 15 % commission
      currency: 'RUB',
    });
    // Idempotent by the external id: the same lead, the same sale.
    const repeat = await post(rows[2]!);
    expect(repeat.body).toEqual(sold.body);
    // Another seller cannot read it.
    const other = await register(exchange, 'seller', 'Other Leads');
    const foreign = await exchange.call('sellers', 'GET', sold.body.outcomeUrl, { key: other.apiKey });
    expect(foreign.status).toBe(404);
  });

  it('answers a ping with the price now; the post that follows sells at no less, to the pinned order', async () => {
    const row = rows[3]!;
    const pinged = await ping(row);
    expect(pinged.status).toBe(200);
    expect(pinged.body).toMatchObject({ status: 'bid', price: 42000, buyers: 1, currency: 'RUB' });
    expect(Date.parse(pinged.body.validUntil)).toBeGreaterThan(Date.now());
    expect((await asSeller('GET', pinged.body.answerUrl)).body).toEqual(pinged.body);
    // The rival leaves: the auction alone would now sell at the floor, the ping holds at 42 000.
    const orders = await exchange.call('buyers', 'GET', '/v1/orders', { key: rival.apiKey });
    const rivalOrder = orders.body.items[0].orderId as string;
    expect(
      (await exchange.call('buyers', 'POST', `/v1/orders/${rivalOrder}/pause`, { key: rival.apiKey })).status,
    ).toBe(200);
    const sold = await post(row, { pingId: pinged.body.pingId });
    expect(sold.body).toMatchObject({
      status: 'sold',
      buyers: 1,
      price: 42000,
      ping: { pingId: pinged.body.pingId, honoured: true, price: 42000 },
    });
  });

  it('refuses an expired ping (on the log’s clock) and says why, selling the lead as usual', async () => {
    const row = rows[4]!;
    const pinged = await ping(row);
    expect(pinged.body.status).toBe('bid');
    await sleep(Date.parse(pinged.body.validUntil) - Date.now() + 300);
    const late = await post(row, { pingId: pinged.body.pingId });
    expect(late.body).toMatchObject({
      status: 'sold',
      price: 30000, // the floor: the only bidder left
      ping: { honoured: false, refusal: 'ping_expired' },
    });
    // A post whose attributes differ from the ping's is told so too.
    const other = rows[5]!;
    const pingedOther = await ping(other);
    const differs = await post(
      { ...other, stage: other.stage === 'SQL' ? 'MQL' : 'SQL' },
      {
        pingId: pingedOther.body.pingId,
      },
    );
    expect(differs.body.ping).toMatchObject({ honoured: false, refusal: 'ping_attributes_differ' });
  });

  it('refuses personal data in a ping, and a ping that would not verify, with a 4xx problem', async () => {
    const withPhone = await ping(rows[6]!, { lead: { ...pingFieldsOf(rows[6]!), phone: rows[6]!.phone } });
    expect(withPhone.status).toBe(422);
    expect(withPhone.body).toMatchObject({
      type: expect.stringContaining('personal-data-in-ping'),
      fields: ['phone'],
    });
    const underAge = await ping(rows[6]!, { lead: { ...pingFieldsOf(rows[6]!), age: 15 } });
    expect(underAge.status).toBe(422);
    expect(underAge.body.reasons).toEqual(['under_age']);
    expect((await ping(rows[6]!, { lead: 'not an object' })).status).toBe(400);
    expect((await asSeller('POST', '/v1/leads', { ...terms, lead: rows[6] })).status).toBe(400);
    // A buyer cannot ping or post.
    const asBuyer = await exchange.call('sellers', 'POST', '/v1/pings', {
      key: optika.apiKey,
      body: { ...terms, lead: pingFieldsOf(rows[6]!) },
    });
    expect(asBuyer.status).toBe(403);
  });

  it('the replay proof reproduces every ping answer and post outcome from the log alone', async () => {
    const proof = await waitUntil('the replay proof to cover the real-time answers', async () => {
      const response = await exchange.call('settlement', 'POST', '/v1/audit/replay', { key: auditor.apiKey });
      const market = response.body.markets?.find((m: { vertical: string }) => m.vertical === 'eyewear');
      return response.status === 200 && market?.recordedOutputs >= 12 ? response.body : undefined;
    });
    expect(proof.ok).toBe(true);
  });
});
