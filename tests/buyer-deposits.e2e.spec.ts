import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { confirmDeposit, register, type Registered } from './support/scenarios.js';

/** GET /v1/account/deposits: the buyer reads its confirmed deposits (the console's funds page lists them). */
describe('a buyer’s deposits over HTTP', () => {
  let exchange: RunningExchange;
  let optika: Registered;
  let rival: Registered;
  let seller: Registered;

  beforeAll(async () => {
    exchange = await startExchange('buyer-deposits');
    optika = await register(exchange, 'buyer', 'Optika Premium');
    rival = await register(exchange, 'buyer', 'Rival Optics');
    seller = await register(exchange, 'seller', 'Moscow Leads LLC');
  });
  afterAll(async () => exchange?.stop());

  it('lists each confirmed deposit once, newest first, to its buyer only', async () => {
    const none = await exchange.call('buyers', 'GET', '/v1/account/deposits', { key: optika.apiKey });
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ items: [] });

    await confirmDeposit(exchange, optika, 5_000_000, 'bank-2025-06-01-0042');
    // The same confirmation again counts once.
    await confirmDeposit(exchange, optika, 5_000_000, 'bank-2025-06-01-0042');
    await confirmDeposit(exchange, optika, 1_000_000, 'bank-2025-06-02-0007', 'EUR');

    const listed = await exchange.call('buyers', 'GET', '/v1/account/deposits', { key: optika.apiKey });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      {
        depositId: 'bank-2025-06-02-0007',
        amount: 1_000_000,
        currency: 'EUR',
        reference: 'bank-2025-06-02-0007',
        status: 'confirmed',
        confirmedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
      expect.objectContaining({ amount: 5_000_000, currency: 'RUB', reference: 'bank-2025-06-01-0042' }),
    ]);

    const other = await exchange.call('buyers', 'GET', '/v1/account/deposits', { key: rival.apiKey });
    expect(other.body).toEqual({ items: [] });
    const refused = await exchange.call('buyers', 'GET', '/v1/account/deposits', { key: seller.apiKey });
    expect(refused.status).toBe(403);
    const anonymous = await exchange.call('buyers', 'GET', '/v1/account/deposits', {});
    expect(anonymous.status).toBe(401);
  });
});
