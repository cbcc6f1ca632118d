import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventCatalogue, newEvent, OrderPlaced } from '#lx/contracts';
import { PostgresEventStore } from '#lx/event-store';
import { scenarioOneOrder } from '#lx/market-generator';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { confirmDeposit, orderRequest, register, type Registered } from './support/scenarios.js';

/**
 * Money never waits for an engine that does not exist: the exchange runs engines for eyewear only,
 * so an order for loans is refused, and an order placed there before that rule is released when
 * it is cancelled.
 */
describe('orders in a market no engine runs', () => {
  let exchange: RunningExchange;
  let buyer: Registered;
  const order = (vertical: string) => ({
    ...orderRequest(scenarioOneOrder(), { delivery: 'webhook', budget: 1_000_000 }),
    vertical,
  });
  const balance = async () =>
    (await exchange.call('buyers', 'GET', '/v1/account', { key: buyer.apiKey })).body.balances[0];

  beforeAll(async () => {
    exchange = await startExchange('closed_markets', { LX_MATCHING_MARKETS: 'eyewear' });
    buyer = await register(exchange, 'buyer', 'Careful Buyer');
    await confirmDeposit(exchange, buyer, 3_000_000, 'closed-markets-1');
  });
  afterAll(async () => exchange?.stop());

  it('refuses an order for a market no engine runs (422, nothing reserved) and takes one for an open market', async () => {
    const refused = await exchange.call('buyers', 'POST', '/v1/orders', {
      key: buyer.apiKey,
      body: order('loans'),
    });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ type: expect.stringContaining('market-not-open') });
    expect(await balance()).toMatchObject({ available: 3_000_000, reserved: 0 });

    const taken = await exchange.call('buyers', 'POST', '/v1/orders', {
      key: buyer.apiKey,
      body: order('eyewear'),
    });
    expect(taken.status).toBe(201);
    expect(await balance()).toMatchObject({ available: 2_000_000, reserved: 1_000_000 });
  });

  it('releases the budget of an order stranded in a market no engine runs when it is cancelled, once', async () => {
    // What an order placed before the rule left behind: its budget reserved, no engine to answer.
    const store = await PostgresEventStore.connect({
      connectionString: exchange.database.url,
      registry: eventCatalogue,
    });
    const orderId = randomUUID();
    try {
      const { vertical: _vertical, ...terms } = order('loans');
      await store.appendToStream(
        `buyer-${buyer.participantId}`,
        [
          newEvent(
            OrderPlaced,
            { ...terms, orderId, buyerId: buyer.participantId, vertical: 'loans', currency: 'RUB' } as never,
            { actor: buyer.participantId, occurredAt: new Date().toISOString() },
          ),
        ],
        { expectedRevision: 'any' },
      );
    } finally {
      await store.close();
    }
    expect(await balance()).toMatchObject({ available: 1_000_000, reserved: 2_000_000 });

    const cancel = () =>
      exchange.call('buyers', 'POST', `/v1/orders/${orderId}/cancel`, { key: buyer.apiKey, body: {} });
    expect((await cancel()).status).toBeLessThan(300);
    expect(await balance()).toMatchObject({ available: 2_000_000, reserved: 1_000_000 });
    const stranded = await exchange.call('buyers', 'GET', `/v1/orders/${orderId}`, { key: buyer.apiKey });
    expect(stranded.body).toMatchObject({ status: 'closed', reserved: 0 });
    // Cancelled again: refused, and nothing is released twice.
    expect((await cancel()).status).toBe(409);
    expect(await balance()).toMatchObject({ available: 2_000_000, reserved: 1_000_000 });
  });
});
