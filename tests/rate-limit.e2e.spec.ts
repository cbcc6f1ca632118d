import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startExchange, type RunningExchange } from './support/exchange.js';

describe('rate limiting per API key', () => {
  let exchange: RunningExchange;
  beforeAll(async () => {
    exchange = await startExchange('ratelimit', { LX_RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(async () => exchange?.stop());

  it('answers 429 with Retry-After past the limit, counting each key on its own', async () => {
    const operator = exchange.operatorKey;
    const created = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: operator,
      body: { role: 'buyer', name: 'Busy' },
    });
    const { apiKey } = (
      await exchange.call('settlement', 'POST', `/v1/participants/${created.body.participantId}/api-keys`, {
        key: operator,
      })
    ).body;
    const statuses: number[] = [];
    let limited = null;
    // 12 calls span at most one minute boundary, so one window sees at least 6 of them.
    for (let i = 0; i < 12; i++) {
      const response = await exchange.call('buyers', 'GET', '/v1/me', { key: apiKey });
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
    }
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(10);
    expect(limited).not.toBeNull();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.body).toMatchObject({ status: 429, type: expect.stringContaining('rate-limited') });
    // The operator's own key has its own budget.
    expect((await exchange.call('settlement', 'GET', '/v1/me', { key: operator })).status).toBe(200);
  });
});
