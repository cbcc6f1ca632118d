import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import type { NewEvent } from '../event-store.port.js';
import { WrongExpectedVersionError } from '../errors.js';
import { contractTestCatalogue } from '../testing/test-catalogue.js';
import { PostgresEventStore } from './postgres-event-store.js';

const things = (count: number): NewEvent[] =>
  Array.from({ length: count }, (_, n) => ({ id: randomUUID(), type: 'ThingHappened', data: { n } }));

const LOCK = 'SELECT pg_advisory_xact_lock_shared(4242)';

/*
 * appendInTransaction: a caller's check (its locks, its reads) and the append commit together on one
 * connection; a retried append runs the check again; nothing is left behind by a refused one.
 */
describe('PostgreSQL appends inside a transaction of the caller', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  let other: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('append_in_transaction');
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on('error', () => undefined);
    other = new pg.Pool({ connectionString: database.url, max: 2 });
    other.on('error', () => undefined);
    store = await PostgresEventStore.connect({
      connectionString: database.url,
      registry: contractTestCatalogue,
      pool,
    });
    await pool.query('CREATE TABLE checked (stream text PRIMARY KEY)');
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await other.end();
    await database.drop();
  });

  it('holds the check’s lock until the events are committed, on one connection of the pool', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let decided!: () => void;
    const checking = new Promise<void>((resolve) => (decided = resolve));
    const appending = store.appendInTransaction(
      async (transaction) => {
        await transaction.query("INSERT INTO checked VALUES ('thing-locked')");
        decided();
        await held;
        return {
          writes: [{ stream: 'thing-locked', events: things(2), expectedRevision: 'no_stream' }],
          result: 7,
        };
      },
      { beginWith: LOCK },
    );
    await checking;
    // The transaction holds one connection of the pool's two: the other still serves.
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    const exclusive = other.query('SELECT pg_advisory_xact_lock(4242)').then(async () => {
      const { rows } = await other.query<{ n: string }>(
        "SELECT count(*)::text AS n FROM lx_events WHERE stream_name = 'thing-locked'",
      );
      return rows[0]!.n;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    const { result, appended } = await appending;
    expect(result).toBe(7);
    expect(appended).toEqual([expect.objectContaining({ nextRevision: 1, written: true })]);
    // The exclusive lock was granted only once the events were in the log.
    expect(await exclusive).toBe('2');
    expect((await pool.query("SELECT * FROM checked WHERE stream = 'thing-locked'")).rowCount).toBe(1);
  });

  it('rolls the check back with the append it refuses, and commits a check that appends nothing', async () => {
    await store.appendToStream('thing-refused', things(1), { expectedRevision: 'no_stream' });
    await expect(
      store.appendInTransaction(async (transaction) => {
        await transaction.query("INSERT INTO checked VALUES ('thing-refused')");
        return {
          writes: [{ stream: 'thing-refused', events: things(1), expectedRevision: 'no_stream' }],
          result: 0,
        };
      }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect((await pool.query("SELECT * FROM checked WHERE stream = 'thing-refused'")).rowCount).toBe(0);
    expect(await store.readStream('thing-refused')).toHaveLength(1);

    const quiet = await store.appendInTransaction(async (transaction) => {
      await transaction.query("INSERT INTO checked VALUES ('thing-quiet')");
      return { writes: [], result: 'none' };
    });
    expect(quiet).toEqual({ result: 'none', appended: [] });
    expect((await pool.query("SELECT * FROM checked WHERE stream = 'thing-quiet'")).rowCount).toBe(1);
  });

  it('runs the whole transaction again for an idempotent retry, and writes nothing twice', async () => {
    const events = things(2);
    await store.appendToStream('thing-again', events, { expectedRevision: 'no_stream' });
    let runs = 0;
    const { appended } = await store.appendInTransaction(async (transaction) => {
      runs++;
      await transaction.query('SELECT 1');
      return { writes: [{ stream: 'thing-again', events, expectedRevision: 'any' }], result: runs };
    });
    // lx_append_batch sends an existing event id back; lx_append_many, in a new transaction, answers.
    expect(runs).toBe(2);
    expect(appended).toEqual([expect.objectContaining({ nextRevision: 1, written: false })]);
    expect(await store.readStream('thing-again')).toHaveLength(2);
  });

  it('wakes subscribers once the transaction committed', async () => {
    const seen: string[] = [];
    let got!: () => void;
    const arrived = new Promise<void>((resolve) => (got = resolve));
    const subscription = store.subscribe(
      'append-in-transaction-wakes',
      async (event) => {
        if (event.streamName === 'thing-woken') {
          seen.push(event.id);
          got();
        }
      },
      { pollIntervalMs: 60_000 },
    );
    await subscription.caughtUp;
    const events = things(1);
    const started = Date.now();
    await store.appendInTransaction(async () => ({
      writes: [{ stream: 'thing-woken', events, expectedRevision: 'no_stream' }],
      result: null,
    }));
    await arrived;
    await subscription.stop();
    expect(seen).toEqual([events[0]!.id]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
