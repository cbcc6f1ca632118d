import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { contractTestCatalogue } from '../testing/test-catalogue.js';
import { PostgresEventStore } from './postgres-event-store.js';

/*
 * In an app the event store queries through the process's one pool, whose connections put the
 * read models' schemas first on the search_path. Its tables and functions must stay in public all
 * the same (a restart finds the read models' schemas there already), and closing the store must
 * leave the pool to its owner.
 */
describe('the PostgreSQL event store on a pool it shares', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('event_store_shared_pool');
    // As an app's pool after its first start: a read model's schema first on the search_path.
    pool = new pg.Pool({ connectionString: database.url, max: 4, options: '-c search_path=rm_probe,public' });
    await pool.query('CREATE SCHEMA rm_probe');
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('migrates into public, appends and reads through the pool, and leaves it open when closed', async () => {
    for (let start = 0; start < 2; start++) {
      const store = await PostgresEventStore.connect({
        connectionString: database.url,
        pool,
        registry: contractTestCatalogue,
      });
      await store.appendToStream('thing-shared', [{ type: 'ThingHappened', data: { n: start } }], {
        expectedRevision: 'any',
      });
      expect((await store.readStream('thing-shared')).map((event) => event.data)).toEqual(
        Array.from({ length: start + 1 }, (_, n) => ({ n })),
      );
      await store.close();
    }
    const { rows } = await pool.query<{ schema: string }>(
      `SELECT DISTINCT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relname LIKE 'lx\\_%'`,
    );
    expect(rows).toEqual([{ schema: 'public' }]);
    const { rows: path } = await pool.query<{ search_path: string }>('SHOW search_path');
    expect(path).toEqual([{ search_path: 'rm_probe,public' }]);
  });
});
