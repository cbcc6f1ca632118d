import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { leadRowsToCsv, scenarioOneOrder } from '#lx/market-generator';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { allLeads, upload, waitForVerified } from './support/sellers.js';
import {
  orderRequest,
  confirmDeposit,
  openMarket,
  register,
  rowAge,
  scenarioOneFailures,
  startWebhookReceiver,
  waitUntil,
  webhookSignatureValid,
  type Registered,
  type WebhookReceiver,
  scenarioOneRows,
  byExternalId,
} from './support/scenarios.js';

/**
 * Scenario 1, "Glasses with diamonds" (docs/scenarios.md), end to end over HTTP: a seller
 * uploads RU eyewear leads, some inside the retailer's filters and many just outside them; the
 * retailer (funds confirmed by the operator) places the scenario's order with webhook delivery;
 * the settlement app's engine allocates; the retailer's CRM receives signed leads, reports 11
 * conversions and reads its order report.
 */
describe('scenario 1: glasses with diamonds', () => {
  let exchange: RunningExchange;
  let seller: Registered;
  let optika: Registered;
  let receiver: WebhookReceiver;
  let secret: string;
  let orderId: string;

  // A seeded pool of RU eyewear people; the upload takes 60 inside the filters and 180 outside,
  // most of those failing exactly one filter, so that a filter the engine ignored would show.
  const { inside, nearMisses, farOff } = scenarioOneRows();
  const rows = byExternalId([...inside, ...nearMisses, ...farOff]);
  const rowById = new Map(rows.map((row) => [row.external_id, row]));
  const personalStrings = rows.flatMap((row) =>
    [row.email, row.phone, row.first_name, row.last_name].filter((s): s is string => !!s && s.length > 3),
  );

  beforeAll(async () => {
    exchange = await startExchange('scenario1', { LX_RATE_LIMIT_PER_MINUTE: '100000' });
    seller = await register(exchange, 'seller', 'Moscow Leads LLC');
    optika = await register(exchange, 'buyer', 'Optika Premium');
    receiver = await startWebhookReceiver();
    await openMarket(exchange, 'eyewear');
  });
  afterAll(async () => {
    await receiver?.close();
    await exchange?.stop();
  });

  it('stages an upload with 60 leads inside the filters and near misses on every filter', () => {
    expect(inside).toHaveLength(60);
    expect(nearMisses).toHaveLength(150);
    expect(farOff).toHaveLength(30);
  });

  it('lists the seller’s upload at a floor of 600 RUB', async () => {
    const uploaded = await upload(exchange, {
      key: seller.apiKey,
      body: leadRowsToCsv(rows),
      query: 'vertical=eyewear&floor=60000&exclusivity=exclusive',
    });
    expect(uploaded.status).toBe(202);
    const { batch } = await waitForVerified(exchange, seller.apiKey, uploaded.body.batchId);
    expect(batch.progress).toMatchObject({ totalRows: rows.length, accepted: rows.length, rejected: 0 });
    const listed = await allLeads(exchange, seller.apiKey, uploaded.body.batchId);
    expect(listed).toHaveLength(rows.length);
  });

  it('before any allocation the buyer sees counts and anonymous segments, never a name, phone or e-mail', async () => {
    const preview = await waitUntil('the listing to reach the buyers’ market depth', async () => {
      const response = await exchange.call('buyers', 'POST', '/v1/orders/preview', {
        key: optika.apiKey,
        body: { vertical: 'eyewear', filters: scenarioOneOrder().filters, bid: 60000 },
      });
      return response.status === 200 && response.body.matching >= 60 ? response : undefined;
    });
    expect(preview.body).toMatchObject({ matching: 60, matchingAtOrBelowBid: 60 });
    const depth = await exchange.call('buyers', 'GET', '/v1/market-depth?vertical=eyewear', {
      key: optika.apiKey,
    });
    expect(depth.status).toBe(200);
    expect(depth.body.segments.length).toBeGreaterThan(0);
    for (const segment of depth.body.segments)
      expect(Object.keys(segment).sort()).toEqual(['ageBand', 'contacts', 'leads', 'region']);
    const seen = JSON.stringify([preview.body, depth.body]);
    expect(personalStrings.filter((value) => seen.includes(value))).toEqual([]);
    // Nothing bought yet: no purchased lead, no delivery.
    const purchased = await exchange.call('buyers', 'GET', '/v1/purchased-leads', { key: optika.apiKey });
    expect(purchased.body.items).toEqual([]);
    const pulled = await exchange.call('buyers', 'GET', '/v1/deliveries', { key: optika.apiKey });
    expect(pulled.body.items).toEqual([]);
  });

  it('places the order with webhook delivery, funds confirmed by the operator', async () => {
    // More than the order needs: the budget, not the balance, must be what bounds the spend.
    await confirmDeposit(exchange, optika, 5_000_000, 'bank-2025-06-01-0042');
    const webhook = await exchange.call('buyers', 'PUT', '/v1/webhook', {
      key: optika.apiKey,
      body: { url: receiver.url },
    });
    expect(webhook.status).toBe(200);
    secret = webhook.body.secret;
    const placed = await exchange.call('buyers', 'POST', '/v1/orders', {
      key: optika.apiKey,
      body: orderRequest(scenarioOneOrder(), { delivery: 'webhook' }),
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ reserved: 3_000_000, currency: 'RUB' });
    orderId = placed.body.orderId;
  });

  it('allocates 50 leads at 600 RUB, all inside the filters, within the budget', async () => {
    const purchases = await waitUntil(
      '50 allocations',
      async () => {
        const page = await exchange.call(
          'buyers',
          'GET',
          `/v1/purchased-leads?orderId=${orderId}&limit=100`,
          {
            key: optika.apiKey,
          },
        );
        return page.body.items?.length >= 50 ? page.body.items : undefined;
      },
      90_000,
    );
    // The order is filled: nothing more comes even though 10 matching leads still rest.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const all = await exchange.call('buyers', 'GET', `/v1/purchased-leads?limit=100`, { key: optika.apiKey });
    expect(all.body.items).toHaveLength(50);
    expect(purchases.every((p: any) => p.price <= 60000)).toBe(true);
    expect(purchases.reduce((total: number, p: any) => total + p.price, 0)).toBe(3_000_000);
    expect(new Set(purchases.map((p: any) => p.leadId)).size).toBe(50);

    // Every allocated lead, as decrypted for its buyer, is one of the seller's rows inside the filters.
    for (const purchase of purchases) {
      const detail = await exchange.call('buyers', 'GET', `/v1/purchased-leads/${purchase.allocationId}`, {
        key: optika.apiKey,
      });
      expect(detail.status).toBe(200);
      const row = rowById.get(detail.body.lead.personalData.externalId)!;
      expect(row).toBeDefined();
      expect([row.external_id, scenarioOneFailures(row)]).toEqual([row.external_id, []]);
      const attributes = detail.body.lead.attributes;
      expect(attributes.age).toBeGreaterThanOrEqual(30);
      expect(attributes.age).toBe(rowAge(row));
      expect(['RU-MOW', 'RU-SPE']).toContain(attributes.region);
      expect(attributes.contacts.phone.present && attributes.contacts.email.present).toBe(true);
      expect(['married', 'partnered']).toContain(attributes.maritalStatus);
      expect(
        attributes.interests.some((i: string) => ['premium_glasses', 'luxury_glasses'].includes(i)),
      ).toBe(true);
    }
    // The engine closes the filled order; the buyer account then holds nothing for it any more.
    const account = await waitUntil('the filled order to be closed on the buyer account', async () => {
      const response = await exchange.call('buyers', 'GET', `/v1/orders/${orderId}`, { key: optika.apiKey });
      return response.body.status === 'closed'
        ? exchange.call('buyers', 'GET', '/v1/account', { key: optika.apiKey })
        : undefined;
    });
    expect(account.body.balances).toEqual([
      expect.objectContaining({ currency: 'RUB', available: 2_000_000, reserved: 0, deposited: 5_000_000 }),
    ]);
  });

  it('delivers each of the 50 leads to the webhook once, signed, with its personal data', async () => {
    await waitUntil('50 webhook deliveries', async () => receiver.received.length >= 50, 60_000);
    const purchased = await exchange.call('buyers', 'GET', `/v1/purchased-leads?limit=100`, {
      key: optika.apiKey,
    });
    const allocationIds = new Set(purchased.body.items.map((p: any) => p.allocationId));
    const delivered = receiver.received.map((d) => d.body.allocation.allocationId);
    expect(new Set(delivered)).toEqual(allocationIds);
    for (const delivery of receiver.received) {
      expect(webhookSignatureValid(secret, delivery)).toBe(true);
      // A tampered body does not verify.
      expect(
        webhookSignatureValid(secret, { ...delivery, rawBody: delivery.rawBody.replace('60000', '1') }),
      ).toBe(false);
      expect(delivery.body).toMatchObject({
        type: 'lead.allocated',
        allocation: { orderId, price: { amount: 60000, currency: 'RUB' } },
        personalDataStatus: 'available',
      });
      const row = rowById.get(delivery.body.personalData.externalId)!;
      expect(delivery.body.personalData.email).toBe(row.email!.trim().toLowerCase());
      expect(scenarioOneFailures(row)).toEqual([]);
    }
    const statuses = await exchange.call('buyers', 'GET', '/v1/webhook/deliveries', { key: optika.apiKey });
    expect(statuses.body.items.filter((s: any) => s.state === 'delivered')).toHaveLength(50);
  });

  it('reports 11 conversions; the order report reads 30 000 RUB, CPL 600 RUB, 22 %, CPA ≈ 2 727 RUB', async () => {
    const purchased = await exchange.call(
      'buyers',
      'GET',
      `/v1/purchased-leads?orderId=${orderId}&limit=100`,
      {
        key: optika.apiKey,
      },
    );
    for (const purchase of purchased.body.items.slice(0, 11)) {
      const reported = await exchange.call(
        'buyers',
        'POST',
        `/v1/purchased-leads/${purchase.allocationId}/conversion`,
        { key: optika.apiKey, body: { at: new Date().toISOString() } },
      );
      expect([200, 201]).toContain(reported.status);
    }
    const report = await waitUntil('the conversions in the report', async () => {
      const response = await exchange.call('buyers', 'GET', `/v1/reports/orders/${orderId}`, {
        key: optika.apiKey,
      });
      return response.body.conversions === 11 ? response.body : undefined;
    });
    expect(report).toMatchObject({
      orderId,
      currency: 'RUB',
      leadsBought: 50,
      spend: 3_000_000,
      costPerLead: 60_000,
      conversions: 11,
      conversionRateBps: 2200,
      conversionRatePercent: 22,
      costPerAcquisition: 272_727,
    });
    expect(report.status).toBe('closed');
  });

  // Last: it takes Redis away from the running exchange (the machine's Redis keeps nothing on disk).
  it('after Redis loses everything, the pull API continues from the acknowledged cursor and no delivery is lost', async () => {
    const first = await exchange.call('buyers', 'GET', '/v1/deliveries?limit=20', { key: optika.apiKey });
    expect(first.body.items).toHaveLength(20);
    const ack = await exchange.call('buyers', 'POST', '/v1/deliveries/ack', {
      key: optika.apiKey,
      body: { cursor: first.body.nextCursor },
    });
    expect(ack.status).toBe(200);

    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      // What FLUSHALL does to this exchange, without flushing a Redis other test runs share.
      const keys = await redis.keys(`${exchange.redisPrefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }

    const next = await exchange.call('buyers', 'GET', '/v1/deliveries?limit=100', { key: optika.apiKey });
    expect(next.status).toBe(200);
    expect(next.body.items).toHaveLength(30);
    const seen = new Set(first.body.items.map((item: any) => item.allocationId));
    expect(next.body.items.filter((item: any) => seen.has(item.allocationId))).toEqual([]);
    const statuses = await exchange.call('buyers', 'GET', '/v1/webhook/deliveries', { key: optika.apiKey });
    expect(statuses.body.items.filter((s: any) => s.state === 'delivered')).toHaveLength(50);
    // Nothing was sent twice: the reconciliation finds nothing pending.
    expect(new Set(receiver.received.map((d) => d.body.allocation.allocationId)).size).toBe(
      receiver.received.length,
    );
  });
});
