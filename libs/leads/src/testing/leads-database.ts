import type pg from 'pg';
import { loadConfig, type ExchangeConfig } from '#lx/config';
import { eventCatalogue } from '#lx/contracts';
import { createPostgresPool, PostgresEventStore } from '#lx/event-store';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '#lx/testing';

/**
 * A fresh database opened as the sellers' app opens its own: one pool for the process, shared by
 * the event store and the sellers' write side, and the exchange's config pointing at it. The specs
 * build the leads runtime on it themselves, as they may close and build it again.
 */
export interface LeadsDatabase {
  database: TestDatabase;
  pool: pg.Pool;
  store: PostgresEventStore;
  config: ExchangeConfig;
  /** Closes the store and the pool, then drops the database (close the runtime first). */
  close(): Promise<void>;
}

export async function openLeadsDatabase(label: string): Promise<LeadsDatabase> {
  const database = await createTestDatabase(label);
  const pool = createPostgresPool({ connectionString: database.url, max: 20, purpose: 'test' });
  const store = await PostgresEventStore.connect({
    connectionString: database.url,
    pool,
    registry: eventCatalogue,
  });
  const config = loadConfig({
    ...process.env,
    LX_DATABASE_URL: database.url,
    LX_REDIS_PREFIX: testRedisPrefix(label),
  });
  return {
    database,
    pool,
    store,
    config,
    async close() {
      await store.close();
      await pool.end();
      await database.drop();
    },
  };
}
