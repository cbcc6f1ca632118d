import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** The server tests run against; override with LX_TEST_DATABASE_URL (any database on the server). */
export function testServerUrl(): string {
  return process.env.LX_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/**
 * A fresh database for one test file, so that test runs (and files within a run) cannot
 * disturb each other. Dropped with FORCE at the end, with the vault's `<name>_vault` beside it.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `lx_test_${label
    .replace(/[^a-z0-9]/gi, '_')
    .toLowerCase()
    .slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const server = testServerUrl();
  await withAdmin(server, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withAdmin(server, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.query(`DROP DATABASE IF EXISTS ${name}_vault WITH (FORCE)`);
      }),
  };
}

async function withAdmin<T>(server: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A Redis key prefix unique to this test, so parallel runs share one Redis safely. Under Jest it
 * starts with the run's id (`LX_TEST_RUN`, set by tests/support/jest-global-setup.mjs), and the
 * run's global teardown deletes every key under `lxtest:<run>:` — what a test that crashed or was
 * killed left behind too.
 */
export function testRedisPrefix(label: string): string {
  const run = process.env.LX_TEST_RUN ? `${process.env.LX_TEST_RUN}:` : '';
  // The apps accept a prefix of at most 40 characters: the label is cut to 12.
  return `lxtest:${run}${label.slice(0, 12)}:${randomBytes(4).toString('hex')}:`;
}
