import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { register, type Registered } from './support/scenarios.js';

/** PUT /v1/webhook as a deployment runs it: no loopback, private, link-local or metadata target. */
describe('webhook targets', () => {
  let exchange: RunningExchange;
  let buyer: Registered;

  beforeAll(async () => {
    exchange = await startExchange('webhook-targets', { LX_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
    buyer = await register(exchange, 'buyer', 'Óptica Rambla SL');
  });
  afterAll(async () => exchange?.stop());

  it('refuses a hex-spelled loopback address as a malformed URL (400)', async () => {
    const answer = await exchange.call('buyers', 'PUT', '/v1/webhook', {
      key: buyer.apiKey,
      body: { url: 'http://0x7f.1/hook' },
    });
    expect(answer.status).toBe(400);
  });

  it.each([
    'http://localhost:8080/hook',
    'http://[::1]/hook',
    'http://10.0.0.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:127.0.0.1]/hook',
    'http://metadata.google.internal/computeMetadata/v1/',
  ])('refuses %s with 422 and the reason, and configures nothing', async (url) => {
    const answer = await exchange.call('buyers', 'PUT', '/v1/webhook', { key: buyer.apiKey, body: { url } });
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ type: expect.stringContaining('webhook-target-refused') });
    expect(answer.body.detail).toMatch(/public addresses only/);
    const account = await exchange.call('buyers', 'GET', '/v1/account', { key: buyer.apiKey });
    expect(account.body.webhook).toBeNull();
  });
});
