import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateLeadRows, leadRowsToCsv } from '#lx/market-generator';
import { startExchange, type RunningExchange } from '../support/exchange.js';
import { openMarket } from '../support/scenarios.js';
import { registerParticipant, uploadVerified, type Participant } from '../support/sellers.js';

/** GET /v1/seller-activity: the figures of the seller's dashboard, from the sellers app's read model. */
describe('sellers: the seller’s activity by day', () => {
  let exchange: RunningExchange;
  let seller: Participant;
  let buyer: Participant;

  beforeAll(async () => {
    exchange = await startExchange('seller-activity');
    await openMarket(exchange, 'eyewear');
    seller = await registerParticipant(exchange, 'seller', 'Оптика Север');
    buyer = await registerParticipant(exchange, 'buyer', 'Òptica Sant Martí');
  });
  afterAll(async () => exchange?.stop());

  it('answers zeros before the first upload, then counts the leads listed today, this month and by day', async () => {
    const empty = await exchange.call('sellers', 'GET', '/v1/seller-activity', { key: seller.apiKey });
    expect(empty.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(empty.body).toMatchObject({
      sellerId: seller.participantId,
      today: { day: today, listed: 0, sold: 0, returned: 0 },
      month: { from: `${today.slice(0, 7)}-01`, listed: 0, sold: 0, returned: 0 },
      quality: { leads: 0, score: 0 },
    });
    expect(empty.body.days).toHaveLength(30);
    expect(empty.body.days.at(-1)).toEqual({ day: today, listed: 0, sold: 0, returned: 0 });

    const generated = generateLeadRows({
      seed: 'seller-activity',
      count: 24,
      vertical: 'eyewear',
      capturedAround: new Date(),
      country: 'RU',
      badShare: 0.25,
    });
    const { batch } = await uploadVerified(exchange, {
      key: seller.apiKey,
      body: leadRowsToCsv(generated.rows),
    });
    expect(batch.progress.accepted).toBeGreaterThan(0);

    const after = await exchange.call('sellers', 'GET', '/v1/seller-activity?days=7', { key: seller.apiKey });
    expect(after.status).toBe(200);
    expect(after.body.today).toEqual({ day: today, listed: batch.progress.accepted, sold: 0, returned: 0 });
    expect(after.body.month.listed).toBe(batch.progress.accepted);
    expect(after.body.days).toHaveLength(7);
    expect(after.body.days.at(-1)).toEqual(after.body.today);
    expect(after.body.days.slice(0, -1).every((day: { listed: number }) => day.listed === 0)).toBe(true);
    expect(after.body.quality.leads).toBe(batch.progress.accepted);
    expect(after.body.quality.score).toBeGreaterThan(0);
    expect(after.body.quality.parts.sellerHistory).toBe(50);
  });

  it('refuses a bad number of days and other roles', async () => {
    const bad = await exchange.call('sellers', 'GET', '/v1/seller-activity?days=0', { key: seller.apiKey });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('days');
    const buyers = await exchange.call('sellers', 'GET', '/v1/seller-activity', { key: buyer.apiKey });
    expect(buyers.status).toBe(403);
  });
});
