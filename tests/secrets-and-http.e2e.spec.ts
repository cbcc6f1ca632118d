import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { canonicalJson } from '#lx/canonical-json';
import { startExchange, testRedisPrefix, type RunningExchange } from './support/exchange.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const random = () => randomBytes(24).toString('hex');

/** Starts one built app with `env` and resolves with its exit code and output once it stops. */
function runApp(app: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${root}dist/apps/${app}/src/main.js`], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('a deployment refuses published or weak secrets', () => {
  it.each(['sellers', 'buyers', 'settlement'])(
    '%s with LX_ENV=production and the default keys exits non-zero, naming each key',
    async (app) => {
      const { code, output } = await runApp(app, { LX_ENV: 'production' });
      expect(code).not.toBe(0);
      for (const name of [
        'LX_VAULT_MASTER_KEY',
        'LX_FINGERPRINT_KEY',
        'LX_WEBHOOK_SIGNING_KEY',
        'LX_IDEMPOTENCY_KEY',
      ])
        expect(output).toMatch(new RegExp(`${name}: is the published development default`));
    },
  );

  it('an app listening on a public address is a deployment too', async () => {
    const { code, output } = await runApp('settlement', {
      LX_HOST: '0.0.0.0',
      LX_FINGERPRINT_KEY: 'x'.repeat(40),
    });
    expect(code).not.toBe(0);
    expect(output).toMatch(/LX_FINGERPRINT_KEY: is not random enough/);
  });
});

/** The exchange as a production deployment: random secrets, no kept bootstrap key, a metrics key. */
describe('a production deployment over HTTP', () => {
  let exchange: RunningExchange;
  let redis: Redis;
  const redisPrefix = testRedisPrefix('secrets').replace(/:$/, '');
  const idempotencyKey = random();
  const metricsKey = random();

  beforeAll(async () => {
    exchange = await startExchange('secrets', {
      LX_ENV: 'production',
      LX_REDIS_PREFIX: redisPrefix,
      LX_VAULT_MASTER_KEY: randomBytes(32).toString('base64'),
      LX_FINGERPRINT_KEY: random(),
      LX_WEBHOOK_SIGNING_KEY: random(),
      LX_IDEMPOTENCY_KEY: idempotencyKey,
      LX_METRICS_KEY: metricsKey,
      LX_KEEP_BOOTSTRAP_OPERATOR_KEY: 'false',
      // A deployment never lets webhooks reach private addresses (the test harness allows them).
      LX_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false',
    });
    redis = new Redis(process.env.LX_REDIS_URL ?? 'redis://127.0.0.1:6379');
  });

  afterAll(async () => {
    const keys = await redis.keys(`${redisPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await exchange?.stop();
  });

  const redisValues = async () => {
    const keys = await redis.keys(`${redisPrefix}:idem:*`);
    return Promise.all(keys.map(async (key) => ({ key, value: (await redis.get(key)) ?? '' })));
  };

  it('sends security headers and no-store on every API answer, errors included', async () => {
    for (const [app, path] of [
      ['settlement', '/health'],
      ['sellers', '/v1/me'],
      ['buyers', '/v1/nothing-here'],
    ] as const) {
      const response = await exchange.call(app, 'GET', path, { key: exchange.operatorKey });
      expect(response.headers.get('cache-control')).toContain('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('serves neither /docs nor /metrics to the public; /metrics only to the bearer of LX_METRICS_KEY', async () => {
    for (const app of ['sellers', 'buyers', 'settlement'] as const) {
      expect((await exchange.call(app, 'GET', '/docs/openapi.json')).status).toBe(404);
      expect((await exchange.call(app, 'GET', '/metrics')).status).toBe(401);
      expect((await exchange.call(app, 'GET', '/metrics', { key: exchange.operatorKey })).status).toBe(401);
      const scraped = await exchange.call(app, 'GET', '/metrics', { key: metricsKey });
      expect(scraped.status).toBe(200);
      expect(scraped.body).toContain('lx_http_request_duration_seconds');
    }
  });

  it('keeps no issued API key in the idempotency records, and answers a retry 409 with the key id only', async () => {
    const seller = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: exchange.operatorKey,
      body: { role: 'seller', name: 'Idempotent Seller SL' },
    });
    expect(seller.status).toBe(201);
    const path = `/v1/participants/${seller.body.participantId}/api-keys`;
    const headers = { 'idempotency-key': `issue-${randomUUID()}` };
    const issued = await exchange.call('settlement', 'POST', path, { key: exchange.operatorKey, headers });
    expect(issued.status).toBe(201);
    const apiKey: string = issued.body.apiKey;
    const secretPart = apiKey.split('_').at(-1)!;

    const records = await redisValues();
    expect(records.length).toBeGreaterThan(0);
    for (const { key, value } of records) {
      expect(key).not.toContain(secretPart);
      expect(value).not.toContain(secretPart);
      expect(value).not.toContain(apiKey);
    }

    const retried = await exchange.call('settlement', 'POST', path, { key: exchange.operatorKey, headers });
    expect(retried.status).toBe(409);
    expect(retried.headers.get('content-type')).toContain('application/problem+json');
    expect(retried.body.type).toContain('idempotent-secret-not-replayed');
    expect(retried.body.firstResponse).toEqual({ keyId: issued.body.keyId, prefix: issued.body.prefix });
    expect(JSON.stringify(retried.body)).not.toContain(secretPart);
    // The retry issued nothing: the seller still holds one key, the one of the first answer.
    const participant = await exchange.call(
      'settlement',
      'GET',
      `/v1/participants/${seller.body.participantId}`,
      {
        key: exchange.operatorKey,
      },
    );
    expect(participant.body.apiKeys.map((key: { keyId: string }) => key.keyId)).toEqual([issued.body.keyId]);
  });

  it('keeps a keyed digest of the request, not a plain hash someone could reverse by trying candidates', async () => {
    const body = { role: 'buyer', name: 'Digest Buyer LLC' };
    const path = '/v1/participants';
    const created = await exchange.call('settlement', 'POST', path, {
      key: exchange.operatorKey,
      body,
      headers: { 'idempotency-key': `digest-${randomUUID()}` },
    });
    expect(created.status).toBe(201);
    const request = `POST ${path}\n${canonicalJson(body)}`;
    const fingerprints = (await redisValues()).map(({ value }) => JSON.parse(value).fingerprint as string);
    expect(fingerprints).toContain(createHmac('sha256', idempotencyKey).update(request).digest('hex'));
    expect(fingerprints).not.toContain(createHash('sha256').update(request).digest('hex'));
  });

  it('retires the bootstrap operator key once a registered operator holds a key; its actions carry a named actor', async () => {
    const bootstrap = exchange.operatorKey;
    const me = await exchange.call('settlement', 'GET', '/v1/me', { key: bootstrap });
    expect(me.status).toBe(200);
    expect(me.body.participantId).toMatch(/^bootstrap-operator:[0-9a-f]{12}$/);

    const operator = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: bootstrap,
      body: { role: 'operator', name: 'Operations' },
    });
    expect(operator.status).toBe(201);
    // Registered but holding no key yet: the bootstrap key still works, so it can issue one.
    const issued = await exchange.call(
      'settlement',
      'POST',
      `/v1/participants/${operator.body.participantId}/api-keys`,
      {
        key: bootstrap,
      },
    );
    expect(issued.status).toBe(201);

    for (const app of ['sellers', 'buyers', 'settlement'] as const) {
      const refused = await exchange.call(app, 'GET', '/v1/me', { key: bootstrap });
      expect(refused.status).toBe(401);
      expect((await exchange.call(app, 'GET', '/v1/me', { key: issued.body.apiKey })).status).toBe(200);
    }
    const auditor = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: issued.body.apiKey,
      body: { role: 'auditor', name: 'Audit' },
    });
    expect(auditor.status).toBe(201);
  });
});

describe('a bootstrap operator key explicitly kept', () => {
  let exchange: RunningExchange;

  beforeAll(async () => {
    exchange = await startExchange('secrets_keep', { LX_KEEP_BOOTSTRAP_OPERATOR_KEY: 'true' });
  });
  afterAll(async () => exchange?.stop());

  it('keeps working after a registered operator holds a key, and every app warns about it at start', async () => {
    const operator = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: exchange.operatorKey,
      body: { role: 'operator', name: 'Operations' },
    });
    const issued = await exchange.call(
      'settlement',
      'POST',
      `/v1/participants/${operator.body.participantId}/api-keys`,
      {
        key: exchange.operatorKey,
      },
    );
    expect(issued.status).toBe(201);
    for (const app of ['sellers', 'buyers', 'settlement'] as const) {
      expect((await exchange.call(app, 'GET', '/v1/me', { key: exchange.operatorKey })).status).toBe(200);
      expect(exchange.logs(app)).toContain('LX_KEEP_BOOTSTRAP_OPERATOR_KEY=true');
    }
  });
});
