import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Redis } from 'ioredis';
import { testServerUrl, type TestDatabase } from './test-database.js';

export interface DatabaseInterruption {
  /** Backends of the database terminated, summed over the rounds. */
  terminated: number;
  /** How long the database refused new connections. */
  refusedMs: number;
}

/**
 * What the apps see when PostgreSQL restarts, done to ONE database (the server is shared, so the
 * tests never restart it): every backend of the database is terminated (as the server does when
 * it shuts down), new connections are refused for `refuseForMs` (the server is down), and any
 * backend that got in meanwhile is terminated again; then connections are allowed again.
 */
export async function interruptDatabase(
  database: Pick<TestDatabase, 'name'>,
  options: { refuseForMs?: number; rounds?: number } = {},
): Promise<DatabaseInterruption> {
  const { refuseForMs = 1_000, rounds = 3 } = options;
  const admin = new pg.Client({ connectionString: testServerUrl() });
  await admin.connect();
  const name = pg.escapeIdentifier(database.name);
  let terminated = 0;
  const started = Date.now();
  try {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    for (let round = 0; round < rounds; round++) {
      const { rows } = await admin.query<{ ended: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [database.name],
      );
      terminated += rows.filter((row) => row.ended).length;
      await sleep(refuseForMs / rounds);
    }
  } finally {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    await admin.end();
  }
  return { terminated, refusedMs: Date.now() - started };
}

/**
 * What the apps see when Redis is flushed or restarted without persistence, done to ONE key
 * prefix (Redis is shared): every key under `prefix` is deleted. Returns how many.
 */
export async function flushRedisPrefix(prefix: string, redisUrl = 'redis://127.0.0.1:6379'): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
