import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startExchange, type RunningExchange } from './support/exchange.js';

const LIMIT = 4;
/** `lx_<participant, 32 hex>_<key id, 16 hex>_`: where the secret starts (it may contain `_`). */
const KEY_ID_END = 53;

/** A GET from a chosen loopback source address (the apps see it as the caller's address). */
function getFrom(source: string, url: string, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      { localAddress: source, headers: { authorization: `Bearer ${key}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    sent.on('error', reject);
    sent.end();
  });
}

describe('forged API keys', () => {
  let exchange: RunningExchange;
  let apiKey: string;

  beforeAll(async () => {
    exchange = await startExchange('forgedkeys', { LX_AUTH_FAILURES_PER_MINUTE: String(LIMIT) });
    const created = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: exchange.operatorKey,
      body: { role: 'buyer', name: 'Forged' },
    });
    apiKey = (
      await exchange.call('settlement', 'POST', `/v1/participants/${created.body.participantId}/api-keys`, {
        key: exchange.operatorKey,
      })
    ).body.apiKey;
  });
  afterAll(async () => exchange?.stop());

  /** The same participant and key id as the real key, another secret. */
  const forgeOf = (real: string) => `${real.slice(0, KEY_ID_END)}${randomBytes(32).toString('base64url')}`;
  const scryptMismatches = async () => {
    const metrics = (await exchange.call('buyers', 'GET', '/metrics')).body as string;
    const line = /lx_api_key_scrypt_checks_total\{outcome="mismatch"\} (\d+)/.exec(metrics);
    return Number(line?.[1] ?? 0);
  };
  const me = (key: string) => exchange.call('buyers', 'GET', '/v1/me', { key });

  it('refuses a repeated forged key without scrypt, then limits failures before hashing, sparing the owner', async () => {
    expect((await me(apiKey)).status).toBe(200);
    const forged = forgeOf(apiKey);

    expect((await me(forged)).status).toBe(401);
    const afterFirst = await scryptMismatches();
    expect(afterFirst).toBe(1);
    // The refused secret is remembered: presented again, no scrypt runs.
    expect((await me(forged)).status).toBe(401);
    expect(await scryptMismatches()).toBe(afterFirst);

    let limited = null;
    const statuses: number[] = [];
    // 2 × LIMIT + 2 attempts span at most one minute boundary, so one window is exhausted.
    for (let i = 0; i < 2 * LIMIT + 2; i++) {
      const response = await me(forgeOf(apiKey));
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
    }
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    expect(limited).not.toBeNull();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.headers.get('content-type')).toContain('application/problem+json');
    expect(limited!.body).toMatchObject({
      status: 429,
      type: expect.stringContaining('too-many-failed-attempts'),
    });
    // Attempts refused by the limit cost no scrypt.
    const hashed = statuses.filter((status) => status === 401).length;
    expect(await scryptMismatches()).toBe(afterFirst + hashed);
    expect(hashed).toBeLessThan(2 * LIMIT);

    // The owner of the attacked key id, already verified, is not locked out.
    expect((await me(apiKey)).status).toBe(200);
  });

  it('counts failures per source address and per key id: rotating addresses does not lift the key id limit', async () => {
    const url = `${exchange.url('buyers')}/v1/me`;
    const garbage = () =>
      `lx_${randomBytes(16).toString('hex')}_${randomBytes(8).toString('hex')}_${randomBytes(32).toString('base64url')}`;
    const fromHere: number[] = [];
    for (let i = 0; i < 2 * LIMIT + 2; i++) fromHere.push(await getFrom('127.0.0.1', url, garbage()));
    expect(fromHere).toContain(429);
    expect(await getFrom('127.0.0.2', url, garbage())).toBe(401);

    const rotating: number[] = [];
    for (let i = 0; i < 2 * LIMIT + 2; i++)
      rotating.push(await getFrom(`127.0.1.${i + 1}`, url, forgeOf(apiKey)));
    expect(rotating).toContain(429);
  });
});
