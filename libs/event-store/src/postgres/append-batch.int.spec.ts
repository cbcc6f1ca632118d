import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import type { NewEvent, StreamWrite } from '../event-store.port.js';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../errors.js';
import { prepareAppend } from '../prepare-append.js';
import { contractTestCatalogue } from '../testing/test-catalogue.js';
import { PostgresEventStore } from './postgres-event-store.js';

/** Events that prepare to the same content every time: fixed ids and time. */
const fixed = (count: number, from = 0): NewEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    type: 'ThingHappened',
    data: { n: from + i, text: `thing ${from + i} "quoted" \\ back\u00e9` },
    metadata: { occurredAt: '2026-12-05T00:00:00.000Z', actor: 'test' },
  }));

const APPEND_MANY = `SELECT stream, outcome, revision FROM lx_append_many($1,$2,$3,$4::bigint[],$5::int[],$6::uuid[],$7,$8::jsonb[],$9::jsonb[],$10)`;

/*
 * lx_append_batch (migration 006) is the adapter's usual path; lx_append_many (003–005) stays the
 * reference, and takes over whenever an event id of the call exists already.
 */
describe('PostgreSQL appends through lx_append_batch', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('append_batch');
    store = await PostgresEventStore.connect({
      connectionString: database.url,
      registry: contractTestCatalogue,
    });
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on('error', () => undefined);
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await database.drop();
  });

  const rowsOf = async (stream: string) =>
    (
      await pool.query<{
        event_id: string;
        stream_version: string;
        previous_hash: string;
        hash: string;
        data: unknown;
        metadata: unknown;
      }>(
        `SELECT event_id, stream_version::text, previous_hash, hash, data, metadata FROM lx_events
         WHERE stream_name = $1 ORDER BY stream_version`,
        [stream],
      )
    ).rows;

  it('writes the same rows and the same hash chain as lx_append_many, over several streams', async () => {
    const writes: StreamWrite[] = [
      { stream: 'thing-chain1', events: fixed(3), expectedRevision: 'no_stream' },
      { stream: 'other-chain2', events: fixed(2, 10), expectedRevision: 'any' },
    ];
    const second: StreamWrite = { stream: 'thing-chain1', events: fixed(2, 20), expectedRevision: 2 };
    // The reference: lx_append_many, in a transaction rolled back afterwards.
    const client = await pool.connect();
    const reference: Record<string, Awaited<ReturnType<typeof rowsOf>>> = {};
    try {
      await client.query('BEGIN');
      for (const batch of [writes, [second]]) {
        const prepared = batch.map((w) =>
          prepareAppend(w.stream, w.events, { registry: contractTestCatalogue }),
        );
        const all = prepared.flat();
        await client.query(APPEND_MANY, [
          batch.map((w) => w.stream),
          prepared.map((p) => p[0]!.category),
          batch.map((w) => (typeof w.expectedRevision === 'number' ? 'exact' : w.expectedRevision)),
          batch.map((w) => (typeof w.expectedRevision === 'number' ? w.expectedRevision : null)),
          prepared.map((p) => p.length),
          all.map((e) => e.id),
          all.map((e) => e.type),
          all.map((e) => e.dataJson),
          all.map((e) => e.metadataJson),
          all.map((e) => e.digest),
        ]);
      }
      for (const stream of ['thing-chain1', 'other-chain2'])
        reference[stream] = (
          await client.query(
            `SELECT event_id, stream_version::text, previous_hash, hash, data, metadata FROM lx_events
             WHERE stream_name = $1 ORDER BY stream_version`,
            [stream],
          )
        ).rows as Awaited<ReturnType<typeof rowsOf>>;
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    const results = await store.appendToStreams(writes);
    expect(results.map((r) => [r.written, r.nextRevision])).toEqual([
      [true, 2],
      [true, 1],
    ]);
    const [next] = await store.appendToStreams([second]);
    expect(next).toMatchObject({ written: true, nextRevision: 4 });
    expect(await rowsOf('thing-chain1')).toEqual(reference['thing-chain1']);
    expect(await rowsOf('other-chain2')).toEqual(reference['other-chain2']);
    expect(reference['thing-chain1']).toHaveLength(5);
    // Each result's position is its stream's last event.
    const [last] = await store.readStream('thing-chain1', { direction: 'backwards', maxCount: 1 });
    expect(last!.position).toEqual(next!.position);
    expect(await store.verifyIntegrity()).toMatchObject({ ok: true });
  });

  it('a retry of an append that succeeded is idempotent even when its expected revision is stale', async () => {
    const events = fixed(2);
    const first = await store.appendToStream('thing-retry', events, { expectedRevision: 'no_stream' });
    await store.appendToStream('thing-retry', fixed(1), { expectedRevision: 1 });
    const again = await store.appendToStream('thing-retry', events, { expectedRevision: 'no_stream' });
    expect(again).toEqual({ ...first, written: false });
    expect(await store.readStream('thing-retry')).toHaveLength(3);
  });

  it('in one call, a stream already written is idempotent and a new one is written', async () => {
    const done = fixed(1);
    await store.appendToStream('thing-half1', done, { expectedRevision: 'no_stream' });
    const results = await store.appendToStreams([
      { stream: 'thing-half1', events: done, expectedRevision: 'no_stream' },
      { stream: 'thing-half2', events: fixed(2), expectedRevision: 'no_stream' },
    ]);
    expect(results.map((r) => [r.written, r.nextRevision])).toEqual([
      [false, 0],
      [true, 1],
    ]);
  });

  it('refuses an event id written elsewhere, or named twice in one call, and writes nothing', async () => {
    const [event] = fixed(1);
    await store.appendToStream('thing-dup1', [event!], { expectedRevision: 'any' });
    await expect(
      store.appendToStreams([
        { stream: 'thing-dup2', events: fixed(1), expectedRevision: 'any' },
        { stream: 'thing-dup3', events: [event!], expectedRevision: 'any' },
      ]),
    ).rejects.toBeInstanceOf(DuplicateEventIdError);
    const [twice] = fixed(1);
    await expect(
      store.appendToStreams([
        { stream: 'thing-dup4', events: [twice!], expectedRevision: 'any' },
        { stream: 'thing-dup5', events: [twice!], expectedRevision: 'any' },
      ]),
    ).rejects.toBeInstanceOf(DuplicateEventIdError);
    for (const stream of ['thing-dup2', 'thing-dup3', 'thing-dup4', 'thing-dup5'])
      expect(await store.readStream(stream)).toEqual([]);
  });

  it('refuses a wrong expected revision with the actual one, and writes nothing of the call', async () => {
    await store.appendToStream('thing-cas', fixed(2), { expectedRevision: 'no_stream' });
    const refused = await store
      .appendToStreams([
        { stream: 'thing-cas-new', events: fixed(1), expectedRevision: 'no_stream' },
        { stream: 'thing-cas', events: fixed(1), expectedRevision: 0 },
      ])
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WrongExpectedVersionError);
    expect(refused).toMatchObject({ stream: 'thing-cas', expected: 0, actual: 1 });
    await expect(
      store.appendToStream('thing-cas-none', fixed(1), { expectedRevision: 'stream_exists' }),
    ).rejects.toMatchObject({ actual: 'no_stream' });
    expect(await store.readStream('thing-cas-new')).toEqual([]);
    expect(await store.readStream('thing-cas')).toHaveLength(2);
  });

  it('one stream named twice in a call is appended twice, in order', async () => {
    const results = await store.appendToStreams([
      { stream: 'thing-twice', events: fixed(2), expectedRevision: 'no_stream' },
      { stream: 'thing-twice', events: fixed(1, 2), expectedRevision: 1 },
    ]);
    expect(results.map((r) => r.nextRevision)).toEqual([1, 2]);
    expect((await store.readStream('thing-twice')).map((e) => (e.data as { n: number }).n)).toEqual([
      0, 1, 2,
    ]);
    expect(await store.verifyIntegrity({ streams: ['thing-twice'] })).toMatchObject({ ok: true });
  });
});
