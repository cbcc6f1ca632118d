import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, interruptDatabase, type TestDatabase } from '#lx/testing';
import { createPostgresPool } from './postgres-pool.js';

/*
 * The server ending connections (a restart, a failover) must not end the app: neither an idle
 * connection of the pool nor one checked out between two queries raises an unhandled 'error'.
 */
describe('createPostgresPool', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('postgres_pool');
  });
  afterAll(async () => database?.drop());

  it('survives the server terminating its idle and checked-out connections, and connects again', async () => {
    const logged: string[] = [];
    const pool = createPostgresPool({
      connectionString: database.url,
      max: 4,
      purpose: 'test',
      log: (message) => logged.push(message),
    });
    try {
      const idle = await pool.connect();
      idle.release();
      const held = await pool.connect(); // a transaction waiting for an upload's next chunk
      await held.query('BEGIN');
      await interruptDatabase(database, { refuseForMs: 300, rounds: 1 });
      await sleep(300);
      await expect(held.query('SELECT 1')).rejects.toThrow();
      held.release(true);
      expect(logged).toContain('a test connection in use failed');
      const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
