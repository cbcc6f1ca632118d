import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { scenarioOneOrder } from '#lx/market-generator';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { orderRequest, register as registerParticipant } from './support/scenarios.js';

/** Buyers over HTTP: funds, orders, validation, ownership. (Allocations need the engine: see the scenario e2e.) */
describe('buyers app over HTTP', () => {
  let exchange: RunningExchange;
  const who: Record<string, { participantId: string; apiKey: string }> = {};

  const register = (role: 'buyer' | 'seller', name: string) => registerParticipant(exchange, role, name);

  const order = (change: Record<string, unknown> = {}) => ({
    ...orderRequest(scenarioOneOrder(), { delivery: 'webhook' }),
    ...change,
  });

  beforeAll(async () => {
    exchange = await startExchange('buyers');
    who.optika = await register('buyer', 'Optika Premium');
    who.rival = await register('buyer', 'Rival Optics');
    who.seller = await register('seller', 'Moscow Leads LLC');
  });
  afterAll(async () => exchange?.stop());

  const as = (name: string, method: string, path: string, body?: unknown) =>
    exchange.call('buyers', method, path, {
      key: who[name]!.apiKey,
      ...(body !== undefined ? { body } : {}),
    });

  it('an operator confirms a deposit; the buyer sees it available; nobody else can deposit', async () => {
    const path = `/v1/buyers/${who.optika!.participantId}/deposits`;
    const body = { amount: 5_000_000, currency: 'RUB', reference: 'bank-2025-06-01-0042' };
    const deposited = await exchange.call('buyers', 'POST', path, { key: exchange.operatorKey, body });
    expect(deposited.status).toBe(201);
    // The same confirmation again counts once.
    await exchange.call('buyers', 'POST', path, { key: exchange.operatorKey, body });
    expect((await as('optika', 'GET', '/v1/account')).body.balances).toEqual([
      { currency: 'RUB', available: 5_000_000, reserved: 0, deposited: 5_000_000 },
    ]);
    expect((await as('optika', 'POST', path, body)).status).toBe(403);
    expect((await as('seller', 'POST', path, body)).status).toBe(403);
    const toSeller = `/v1/buyers/${who.seller!.participantId}/deposits`;
    expect(
      (await exchange.call('buyers', 'POST', toSeller, { key: exchange.operatorKey, body })).status,
    ).toBe(404);
  });

  it('places scenario 1’s order, reserving its budget; a budget above the balance is refused and reserves nothing', async () => {
    const placed = await as('optika', 'POST', '/v1/orders', order());
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ status: 'open', currency: 'RUB', reserved: 3_000_000 });
    const refused = await as('optika', 'POST', '/v1/orders', order({ budget: 2_000_001 }));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      type: expect.stringContaining('insufficient-funds'),
      details: { available: 2_000_000 },
    });
    expect((await as('optika', 'GET', '/v1/account')).body.balances[0]).toMatchObject({
      available: 2_000_000,
      reserved: 3_000_000,
    });
  });

  it('names every field error of invalid filters', async () => {
    const invalid = await as(
      'optika',
      'POST',
      '/v1/orders',
      order({
        filters: { ageMin: 200, ageMax: 40, regions: ['RU-XXX'], shoeSize: 42 },
      }),
    );
    expect(invalid.status).toBe(400);
    const fields = (invalid.body.errors as { field: string }[]).map((error) => error.field);
    expect(fields).toEqual(
      expect.arrayContaining(['filters.ageMin', 'filters.ageMax', 'filters.regions', 'filters.shoeSize']),
    );
    const minAboveMax = await as(
      'optika',
      'POST',
      '/v1/orders',
      order({ filters: { ageMin: 50, ageMax: 40 } }),
    );
    expect(minAboveMax.status).toBe(400);
    expect(minAboveMax.body.errors).toEqual([expect.objectContaining({ field: 'filters.ageMax' })]);
    const badModifier = await as(
      'optika',
      'POST',
      '/v1/orders',
      order({ modifiers: [{ attribute: 'gender', equals: 'robot', add: 5 }] }),
    );
    expect(badModifier.status).toBe(400);
    expect(badModifier.body.errors[0].field).toMatch(/^modifiers\.0/);
  });

  it('amends, pauses, resumes and cancels under the live-order rules', async () => {
    const { body: placed } = await as(
      'optika',
      'POST',
      '/v1/orders',
      order({ budget: 600_000, quantity: 10 }),
    );
    const path = `/v1/orders/${placed.orderId}`;
    const { vertical: _v, ...terms } = order({ budget: 600_000, quantity: 10 });
    const amended = await as('optika', 'PUT', `${path}/terms`, {
      ...terms,
      bid: 55000,
      maxBid: 55000,
      budget: 700_000,
    });
    expect(amended.status).toBe(200);
    expect(amended.body).toMatchObject({ reserved: 700_000, terms: { bid: 55000 } });
    expect((await as('optika', 'PUT', `${path}/terms`, { ...terms, budget: 100_000 })).status).toBe(422);
    expect((await as('optika', 'POST', `${path}/pause`)).body.status).toBe('paused');
    expect((await as('optika', 'POST', `${path}/resume`)).body.status).toBe('open');
    expect((await as('optika', 'POST', `${path}/cancel`)).body.status).toBe('cancelled');
    expect((await as('optika', 'POST', `${path}/pause`)).status).toBe(409);
  });

  it('refuses a webhook URL that is not http(s), and returns the signing secret once for a good one', async () => {
    for (const url of ['ftp://crm.example.com/hook', 'javascript:alert(1)', 'file:///etc/passwd'])
      expect((await as('optika', 'PUT', '/v1/webhook', { url })).status).toBe(400);
    const configured = await as('optika', 'PUT', '/v1/webhook', {
      url: 'https://93.184.215.14/hooks/leads',
    });
    expect(configured.status).toBe(200);
    expect(configured.body.secret).toMatch(/^whsec_/);
    expect((await as('optika', 'GET', '/v1/account')).body.webhook).toEqual({
      url: 'https://93.184.215.14/hooks/leads',
    });
  });

  it('keeps every order and allocation id to its owner: another buyer gets 404, a seller 403', async () => {
    const { body: mine } = await as('optika', 'GET', '/v1/orders');
    const orderId = mine.items[0].orderId as string;
    for (const [method, path, body] of [
      ['GET', `/v1/orders/${orderId}`],
      ['PUT', `/v1/orders/${orderId}/terms`, (({ vertical: _v, ...t }) => t)(order())],
      ['POST', `/v1/orders/${orderId}/pause`],
      ['POST', `/v1/orders/${orderId}/resume`],
      ['POST', `/v1/orders/${orderId}/cancel`],
      ['GET', `/v1/reports/orders/${orderId}`],
    ] as [string, string, unknown?][]) {
      expect([path, (await as('rival', method, path, body)).status]).toEqual([path, 404]);
      expect([path, (await as('seller', method, path, body)).status]).toEqual([path, 403]);
    }
    expect((await as('rival', 'GET', '/v1/orders')).body.items).toEqual([]);
    expect((await as('rival', 'GET', '/v1/account')).body.balances).toEqual([]);
    for (const path of [
      '/v1/purchased-leads',
      '/v1/returns',
      '/v1/deliveries',
      '/v1/reports/account',
      '/v1/webhook/deliveries',
    ])
      expect([path, (await as('seller', 'GET', path)).status]).toEqual([path, 403]);
    const someoneElses = '0b5e7f0e-1d6b-4c1e-9a57-1f9e2a3b4c5d';
    for (const path of [`/v1/purchased-leads/${someoneElses}`, `/v1/returns/${someoneElses}`])
      expect([path, (await as('rival', 'GET', path)).status]).toEqual([path, 404]);
    for (const path of ['/v1/purchased-leads/alloc-1', '/v1/returns/alloc-1'])
      expect([path, (await as('rival', 'GET', path)).status]).toEqual([path, 400]);
  });

  it('previews an order and shows market depth (empty until sellers list leads)', async () => {
    const preview = await as('optika', 'POST', '/v1/orders/preview', {
      vertical: 'eyewear',
      filters: order().filters,
      bid: 60000,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ vertical: 'eyewear', matching: expect.any(Number) });
    const depth = await as('optika', 'GET', '/v1/market-depth?vertical=eyewear');
    expect(depth.body).toMatchObject({ minimumSegmentCount: 3 });
    const report = await as('optika', 'GET', '/v1/reports/account');
    expect(report.status).toBe(200);
  });
});
