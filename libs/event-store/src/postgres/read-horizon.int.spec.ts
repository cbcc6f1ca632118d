import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { contractTestCatalogue } from '../testing/test-catalogue.js';
import { PostgresEventStore } from './postgres-event-store.js';

/**
 * Readers of the log read below lx_read_horizon() (migration 007): the oldest transaction in progress
 * that may still insert events into THIS database's log. A transaction of another database on the same
 * server must not hold readers back (it did while the horizon was the server-wide pg_snapshot_xmin);
 * a transaction of this database still must, or an event committed late would be skipped.
 */
describe('the read horizon of the PostgreSQL event store', () => {
  let own: TestDatabase;
  let other: TestDatabase;
  let store: PostgresEventStore;
  let ownSql: pg.Pool;
  let otherSql: pg.Pool;

  beforeAll(async () => {
    [own, other] = await Promise.all([
      createTestDatabase('horizon_own'),
      createTestDatabase('horizon_other'),
    ]);
    store = await PostgresEventStore.connect({ connectionString: own.url, registry: contractTestCatalogue });
    ownSql = new pg.Pool({ connectionString: own.url, max: 2 });
    otherSql = new pg.Pool({ connectionString: other.url, max: 2 });
  });

  afterAll(async () => {
    await store?.close();
    await ownSql?.end();
    await otherSql?.end();
    await Promise.all([own?.drop(), other?.drop()]);
  });

  const thing = (n: number) => ({ id: randomUUID(), type: 'ThingHappened', data: { n } });

  /** Runs `work` while a transaction on `pool` holds a transaction id, then commits it. */
  async function whileTransactionOpen<T>(pool: pg.Pool, work: () => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_current_xact_id()');
      const result = await work();
      await client.query('COMMIT');
      return result;
    } finally {
      client.release();
    }
  }

  async function readAllIds(): Promise<string[]> {
    const page = await store.readAll({ maxCount: 1000 });
    return page.events.map((event) => event.id);
  }

  it("reads an event committed after another database's transaction began, while that transaction is still open", async () => {
    const event = thing(1);
    const seen = await whileTransactionOpen(otherSql, async () => {
      await store.appendToStream(`thing-${randomUUID()}`, [event], { expectedRevision: 'any' });
      return { ids: await readAllIds(), head: await store.headPosition() };
    });
    expect(seen.ids).toContain(event.id);
    expect(seen.head).not.toBeNull();
  });

  it('does not read past a transaction of its own database that is still open, and reads it once committed', async () => {
    const early = thing(2);
    const late = thing(3);
    const client = await ownSql.connect();
    try {
      await client.query('BEGIN');
      // The late event's transaction takes its id first, then the early one commits.
      await client.query(`SELECT pg_current_xact_id()`);
      await store.appendToStream(`thing-${randomUUID()}`, [early], { expectedRevision: 'any' });
      const whileOpen = await readAllIds();
      expect(whileOpen).not.toContain(early.id);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await store.appendToStream(`thing-${randomUUID()}`, [late], { expectedRevision: 'any' });
    const after = await readAllIds();
    expect(after).toEqual(expect.arrayContaining([early.id, late.id]));
  });
});
