import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { startExchange, type RunningExchange } from './support/exchange.js';

/** Foundation 2: the three apps, participants and API keys, and the HTTP conventions. */
describe('the exchange over HTTP: access and conventions', () => {
  let exchange: RunningExchange;
  let operator: string;
  const keys: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const register = async (role: string, name: string) => {
    const created = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: operator,
      body: { role, name },
    });
    expect(created.status).toBe(201);
    const issued = await exchange.call(
      'settlement',
      'POST',
      `/v1/participants/${created.body.participantId}/api-keys`,
      {
        key: operator,
      },
    );
    expect(issued.status).toBe(201);
    return {
      participantId: created.body.participantId as string,
      apiKey: issued.body.apiKey as string,
      keyId: issued.body.keyId as string,
    };
  };

  beforeAll(async () => {
    exchange = await startExchange('foundation');
    operator = exchange.operatorKey;
    for (const [role, name] of [
      ['seller', 'Lead Forge SL'],
      ['seller', 'Moscow Leads LLC'],
      ['buyer', 'Optika Premium'],
      ['auditor', 'Audit & Co'],
    ] as const) {
      const { participantId, apiKey, keyId } = await register(role, name);
      keys[name] = apiKey;
      ids[name] = participantId;
      ids[`${name}:key`] = keyId;
    }
  });
  afterAll(async () => exchange?.stop());

  it('every app is healthy, with its database, Redis and event store up, and documents its API', async () => {
    for (const app of ['sellers', 'buyers', 'settlement'] as const) {
      const health = await exchange.call(app, 'GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body.info).toMatchObject({
        database: { status: 'up' },
        redis: { status: 'up' },
        eventStore: { status: 'up' },
      });
      const openapi = await exchange.call(app, 'GET', '/docs/openapi.json');
      expect(openapi.status).toBe(200);
      expect(openapi.body.paths['/v1/me']).toBeDefined();
      const metrics = await exchange.call(app, 'GET', '/metrics');
      expect(metrics.body).toContain('lx_http_request_duration_seconds');
    }
  });

  it('unauthenticated → 401, a malformed or unknown key → 401, as problem+json', async () => {
    const none = await exchange.call('sellers', 'GET', '/v1/me');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(none.body).toMatchObject({ status: 401, type: expect.stringContaining('unauthenticated') });
    expect((await exchange.call('buyers', 'GET', '/v1/me', { key: 'nonsense' })).status).toBe(401);
    const forged = keys['Optika Premium']!.slice(0, -4) + 'AAAA';
    expect((await exchange.call('buyers', 'GET', '/v1/me', { key: forged })).status).toBe(401);
  });

  it('a participant sees itself on every app', async () => {
    for (const app of ['sellers', 'buyers', 'settlement'] as const) {
      const me = await exchange.call(app, 'GET', '/v1/me', { key: keys['Lead Forge SL'] });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        participantId: ids['Lead Forge SL'],
        role: 'seller',
        name: 'Lead Forge SL',
      });
      expect(JSON.stringify(me.body)).not.toContain('scrypt');
    }
  });

  it('wrong role → 403: only operators use the operator API', async () => {
    for (const name of ['Lead Forge SL', 'Optika Premium', 'Audit & Co']) {
      const attempt = await exchange.call('settlement', 'POST', '/v1/participants', {
        key: keys[name],
        body: { role: 'buyer', name: 'Sneaky' },
      });
      expect(attempt.status).toBe(403);
      expect(attempt.body.type).toContain('forbidden');
    }
  });

  it("a participant cannot read another participant's resources (404)", async () => {
    const own = await exchange.call('sellers', 'GET', `/v1/me/api-keys/${ids['Lead Forge SL:key']}`, {
      key: keys['Lead Forge SL'],
    });
    expect(own.status).toBe(200);
    const others = await exchange.call('sellers', 'GET', `/v1/me/api-keys/${ids['Moscow Leads LLC:key']}`, {
      key: keys['Lead Forge SL'],
    });
    expect(others.status).toBe(404);
    expect(
      (await exchange.call('settlement', 'GET', `/v1/participants/${randomUUID()}`, { key: operator }))
        .status,
    ).toBe(404);
  });

  it('a revoked key → 401 at once, on every app; the participant’s other keys keep working', async () => {
    const { participantId, apiKey, keyId } = await register('buyer', 'Short-lived Buyer');
    const second = await exchange.call('settlement', 'POST', `/v1/participants/${participantId}/api-keys`, {
      key: operator,
    });
    expect((await exchange.call('buyers', 'GET', '/v1/me', { key: apiKey })).status).toBe(200);
    const revoked = await exchange.call(
      'settlement',
      'POST',
      `/v1/participants/${participantId}/api-keys/${keyId}/revoke`,
      {
        key: operator,
        body: { reason: 'leaked in a support ticket' },
      },
    );
    expect(revoked.status).toBe(200);
    expect(revoked.body.apiKeys.find((k: { keyId: string }) => k.keyId === keyId).revoked).toBe(true);
    for (const app of ['sellers', 'buyers', 'settlement'] as const)
      expect((await exchange.call(app, 'GET', '/v1/me', { key: apiKey })).status).toBe(401);
    expect((await exchange.call('buyers', 'GET', '/v1/me', { key: second.body.apiKey })).status).toBe(200);
  });

  it('a suspended participant is locked out', async () => {
    const { participantId, apiKey } = await register('seller', 'Suspended Seller');
    await exchange.call('settlement', 'POST', `/v1/participants/${participantId}/suspend`, {
      key: operator,
      body: { reason: 'fraud' },
    });
    expect((await exchange.call('sellers', 'GET', '/v1/me', { key: apiKey })).status).toBe(401);
  });

  it('unknown properties, wrong types and missing fields → 400 naming every field', async () => {
    const unknown = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: operator,
      body: { role: 'buyer', name: 'X', colour: 'blue' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'colour' })]),
    );

    const wrong = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: operator,
      body: { role: 'emperor', name: 42, country: 'Russia' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect(wrong.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'country',
      'name',
      'role',
    ]);

    const notJson = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: operator,
      rawBody: '{"role": ',
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.detail).toContain('not valid JSON');
  });

  it('an oversized body → 413 problem+json', async () => {
    const huge = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: operator,
      body: { role: 'buyer', name: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ status: 413, title: 'Payload too large' });
  });

  it('Idempotency-Key: a retried POST creates nothing new; another body with the same key → 422', async () => {
    const key = `register-${randomUUID()}`;
    const body = { role: 'buyer', name: 'Retrying Buyer' };
    const first = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: operator,
      body,
      headers: { 'idempotency-key': key },
    });
    const retry = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: operator,
      body,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.participantId).toBe(first.body.participantId);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const other = await exchange.call('settlement', 'POST', '/v1/participants', {
      key: operator,
      body: { ...body, name: 'Someone Else' },
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(422);
    expect(other.body.type).toContain('idempotency-key-reused');
  });

  it('the apps start again against the existing database, and keys still work', async () => {
    await exchange.stopApps();
    await exchange.startApps();
    const me = await exchange.call('buyers', 'GET', '/v1/me', { key: keys['Optika Premium'] });
    expect(me.status).toBe(200);
    expect(me.body.name).toBe('Optika Premium');
  });
});
