import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { contractTestCatalogue } from '../testing/test-catalogue.js';
import { APPENDS_NOTHING_SQL, PostgresEventStore } from './postgres-event-store.js';

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

  /**
   * The ids read once `id` is among them, or after 3 s. A transaction of another database that commits
   * between the horizon's snapshot and its look at the backends counts as in progress for that one
   * read (migration 007), so on a busy server the first read may stop short; one still open never lets
   * the event through.
   */
  async function idsOnceRead(id: string): Promise<string[]> {
    const deadline = Date.now() + 3_000;
    for (;;) {
      const ids = await readAllIds();
      if (ids.includes(id) || Date.now() > deadline) return ids;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("reads an event committed after another database's transaction began, while that transaction is still open", async () => {
    const event = thing(1);
    const seen = await whileTransactionOpen(otherSql, async () => {
      await store.appendToStream(`thing-${randomUUID()}`, [event], { expectedRevision: 'any' });
      return { ids: await idsOnceRead(event.id), head: await store.headPosition() };
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

  describe('a transaction of its own database that declared it appends nothing (migration 008)', () => {
    /** Opens a transaction on the log's own database that writes a row (so it holds an id). */
    async function openWriter(declareFirst: boolean): Promise<pg.PoolClient> {
      const client = await ownSql.connect();
      await client.query('BEGIN');
      if (declareFirst) await client.query(`SELECT ${APPENDS_NOTHING_SQL}`);
      await client.query('CREATE TEMP TABLE IF NOT EXISTS scratch (n int) ON COMMIT DROP');
      await client.query('INSERT INTO scratch VALUES (1)');
      await client.query('SELECT pg_current_xact_id()');
      if (!declareFirst) await client.query(`SELECT ${APPENDS_NOTHING_SQL}`);
      return client;
    }

    async function close(client: pg.PoolClient, how: 'COMMIT' | 'ROLLBACK' = 'COMMIT'): Promise<void> {
      try {
        await client.query(how);
      } finally {
        client.release();
      }
    }

    it('does not hold readers back while it is open', async () => {
      const event = thing(4);
      const reader = await openWriter(true);
      try {
        await store.appendToStream(`thing-${randomUUID()}`, [event], { expectedRevision: 'any' });
        expect(await idsOnceRead(event.id)).toContain(event.id);
      } finally {
        await close(reader);
      }
    });

    it('is refused if it tries to append after all', async () => {
      const reader = await openWriter(true);
      try {
        await expect(
          reader.query(`INSERT INTO lx_events (event_id) SELECT gen_random_uuid() WHERE false`),
        ).rejects.toMatchObject({ code: 'LX003' });
      } finally {
        await close(reader, 'ROLLBACK');
      }
    });

    it('still holds readers back when it declared only after taking its transaction id', async () => {
      const event = thing(5);
      const late = await openWriter(false);
      try {
        await store.appendToStream(`thing-${randomUUID()}`, [event], { expectedRevision: 'any' });
        expect(await readAllIds()).not.toContain(event.id);
      } finally {
        await close(late);
      }
      expect(await readAllIds()).toContain(event.id);
    });
  });
});
