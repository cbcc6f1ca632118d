import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { register } from './support/scenarios.js';

/** The auditor's timeline and integrity check over HTTP, against real tampering in SQL. */
describe('audit: timelines and integrity', () => {
  let exchange: RunningExchange;
  let auditorKey: string;
  let sellerKey: string;
  let sellerId: string;

  const registerWithKey = async (role: 'auditor' | 'seller', name: string) => {
    const { participantId, apiKey } = await register(exchange, role, name);
    return { id: participantId, key: apiKey };
  };

  beforeAll(async () => {
    exchange = await startExchange('audit');
    ({ key: auditorKey } = await registerWithKey('auditor', 'Audit & Co'));
    ({ id: sellerId, key: sellerKey } = await registerWithKey('seller', 'Lead Forge SL'));
  });
  afterAll(async () => exchange?.stop());

  it('shows every event that touched a participant, in log order, with actor, time, position and hash', async () => {
    let timeline;
    for (let attempt = 0; attempt < 100; attempt++) {
      timeline = await exchange.call('settlement', 'GET', `/v1/audit/timeline/participant/${sellerId}`, {
        key: auditorKey,
      });
      if (timeline.status === 200 && timeline.body.events.length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(timeline!.status).toBe(200);
    const events = timeline!.body.events;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['ParticipantRegistered', 'ApiKeyIssued']);
    expect(events[0]).toMatchObject({
      stream: `participant-${sellerId}`,
      revision: 0,
      actor: expect.stringMatching(/^bootstrap-operator:[0-9a-f]{12}$/),
    });
    expect(events[1].previousHash).toBe(events[0].hash);
    expect(events[0].position).toMatch(/^\d+\/\d+$/);
  });

  it('pages the timeline by cursor, says when more follow, and refuses a cursor it did not issue', async () => {
    const path = `/v1/audit/timeline/participant/${sellerId}`;
    const whole = await exchange.call('settlement', 'GET', path, { key: auditorKey });
    expect(whole.body).toMatchObject({ hasMore: false });
    expect(whole.body.nextCursor).toBeUndefined();
    const paged: unknown[] = [];
    let query = '?limit=1';
    for (let page = 0; page < 10; page++) {
      const answer = await exchange.call('settlement', 'GET', `${path}${query}`, { key: auditorKey });
      expect(answer.status).toBe(200);
      expect(answer.body.events).toHaveLength(1);
      paged.push(...answer.body.events);
      expect(answer.body.hasMore).toBe(answer.body.nextCursor !== undefined);
      if (!answer.body.hasMore) break;
      query = `?limit=1&cursor=${answer.body.nextCursor}`;
    }
    expect(paged).toEqual(whole.body.events);

    const forged = Buffer.from(JSON.stringify({ c: 'x;DROP', p: '1' })).toString('base64url');
    for (const bad of ['?cursor=not-a-cursor', `?cursor=${forged}`, '?limit=0', '?limit=501']) {
      const refused = await exchange.call('settlement', 'GET', `${path}${bad}`, { key: auditorKey });
      expect([bad, refused.status]).toEqual([bad, 400]);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('rebuilds the read models from the log into fresh tables and finds them equal to the live ones', async () => {
    const check = await exchange.call('settlement', 'POST', '/v1/audit/read-models/verify', {
      key: auditorKey,
    });
    expect(check.status).toBe(200);
    expect(check.body.equal).toBe(true);
    const index = check.body.projections.find((p: { projection: string }) => p.projection === 'audit_index');
    expect(index.eventsApplied).toBeGreaterThanOrEqual(4);
    expect(index.tables[0]).toMatchObject({ table: 'audit_reference', equal: true });
  });

  it('runs the replay proof in a scratch process: every market reproduces its recorded outputs', async () => {
    const proof = await exchange.call('settlement', 'POST', '/v1/audit/replay', { key: auditorKey });
    expect(proof.status).toBe(200);
    expect(proof.body.ok).toBe(true);
    expect(proof.body.markets.map((m: { vertical: string }) => m.vertical)).toContain('eyewear');
    const bad = await exchange.call('settlement', 'POST', '/v1/audit/replay?upTo=yesterday', {
      key: auditorKey,
    });
    expect(bad.status).toBe(400);
  });

  it('runs replays as runs an auditor watches: queued one after another, progress as they read, the proof at the end', async () => {
    const call = (method: string, path: string) =>
      exchange.call('settlement', method, path, { key: auditorKey });
    const [first, second] = await Promise.all([
      call('POST', '/v1/audit/replays'),
      call('POST', '/v1/audit/replays'),
    ]);
    for (const started of [first, second]) {
      expect(started.status).toBe(202);
      expect(['queued', 'running']).toContain(started.body.state);
      expect(started.headers.get('location')).toBe(`/v1/audit/replays/${started.body.id}`);
    }
    const finished = async (id: string) => {
      for (let attempt = 0; attempt < 600; attempt++) {
        const run = await call('GET', `/v1/audit/replays/${id}`);
        expect(run.status).toBe(200);
        if (!['queued', 'running'].includes(run.body.state)) return run.body;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`replay run ${id} did not finish`);
    };
    const runs = [await finished(first.body.id), await finished(second.body.id)];
    for (const run of runs) {
      expect(run).toMatchObject({ state: 'done', error: null, proof: { ok: true } });
      // The progress the scratch process told ends where the proof ends.
      expect(run.progress.eventsRead).toBe(run.proof.eventsRead);
      expect(run.progress.position).toMatch(/^\d+\/\d+$/);
      expect(run.progress.sequence).toBeLessThanOrEqual(run.progress.total);
    }
    // One replay at a time: the later one started only once the earlier had finished.
    const [earlier, later] = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    expect(later!.startedAt >= earlier!.finishedAt).toBe(true);

    const listed = await call('GET', '/v1/audit/replays');
    expect(listed.body.items.map((run: { id: string }) => run.id)).toEqual(
      expect.arrayContaining([first.body.id, second.body.id]),
    );
    expect((await call('GET', '/v1/audit/replays/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await call('GET', '/v1/audit/replays/not-a-run')).status).toBe(400);
    expect((await call('POST', '/v1/audit/replays?upTo=yesterday')).status).toBe(400);
    const bySeller = await exchange.call('settlement', 'POST', '/v1/audit/replays', { key: sellerKey });
    expect(bySeller.status).toBe(403);
  });

  it('is for auditors: a seller gets 403, an unknown entity 404', async () => {
    expect((await exchange.call('settlement', 'GET', `/v1/audit/integrity`, { key: sellerKey })).status).toBe(
      403,
    );
    const unknown = await exchange.call('settlement', 'GET', '/v1/audit/timeline/lead/no-such-lead', {
      key: auditorKey,
    });
    expect(unknown.status).toBe(404);
  });

  it('verifies the hash chains, and names the stream and revision of an event altered in SQL', async () => {
    const clean = await exchange.call('settlement', 'GET', '/v1/audit/integrity', { key: auditorKey });
    expect(clean.body).toMatchObject({ ok: true });
    expect(clean.body.eventsChecked).toBeGreaterThanOrEqual(4);

    const sql = new pg.Client({ connectionString: exchange.database.url });
    await sql.connect();
    await sql.query(
      `UPDATE lx_events SET data = jsonb_set(data, '{name}', '"Someone Else"') WHERE stream_name = $1 AND stream_version = 0`,
      [`participant-${sellerId}`],
    );
    await sql.end();
    const tampered = await exchange.call('settlement', 'GET', '/v1/audit/integrity', { key: auditorKey });
    expect(tampered.body).toMatchObject({
      ok: false,
      firstFailure: { stream: `participant-${sellerId}`, revision: 0, reason: 'content-altered' },
    });
  });
});
