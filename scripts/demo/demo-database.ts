import pg from 'pg';
import { testServerUrl, type TestDatabase } from '#lx/testing';

export type DemoDatabase = TestDatabase;

/** A fresh, clearly named database for one demo run: lead_exchange_demo_<run>. */
export async function createDemoDatabase(run: string): Promise<DemoDatabase> {
  const name = `lead_exchange_demo_${run.replace(/[^a-z0-9]/g, '')}`;
  const server = testServerUrl();
  await admin(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // The vault's keys live beside it, in <name>_vault: dropped with it.
    drop: async () => {
      await admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin(server, `DROP DATABASE IF EXISTS ${name}_vault WITH (FORCE)`);
    },
  };
}

async function admin(server: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
