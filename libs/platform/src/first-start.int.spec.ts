import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { auditIndexProjection } from '#lx/audit';
import { buyersProjections } from '#lx/buyers';
import { ensureDatabase } from '#lx/config';
import { eventCatalogue } from '#lx/contracts';
import { PostgresEventStore } from '#lx/event-store';
import { sellerReadModel } from '#lx/leads';
import { ledgerProjection } from '#lx/ledger';
import { ensureProjectionSchema, liveSchemaOf, readModelSearchPath } from '#lx/projections';
import { returnFactsProjection, sellerHistoryProjection } from '#lx/returns';
import { testServerUrl } from '#lx/testing';
import { PostgresDataKeyStore } from '#lx/vault';
import { processPoolOf } from './platform.module.js';

/*
 * The first start on a new machine: every app (and every machine) creates the database and
 * migrates it at the same moment. Each starter here has connections of its own, as an app has:
 * one pool (its DataSource's, with the read models' schemas on the search_path) for the event
 * store and the read models, and the vault's.
 */
const projections = [
  sellerReadModel,
  ...buyersProjections,
  auditIndexProjection,
  ledgerProjection,
  returnFactsProjection,
  sellerHistoryProjection,
];
const STARTERS = 8;
const ROUNDS = 4;

function databaseUrl(name: string): string {
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function withServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** What an app does before it serves: create the database, then migrate what it owns. */
async function startLikeAnApp(url: string): Promise<boolean> {
  const created = await ensureDatabase(url);
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    extra: { options: readModelSearchPath(projections), max: 2 },
  });
  const vaultPool = new pg.Pool({ connectionString: url, max: 2 });
  let store: PostgresEventStore | undefined;
  try {
    await dataSource.initialize();
    store = await PostgresEventStore.connect({
      connectionString: url,
      pool: processPoolOf(dataSource),
      registry: eventCatalogue,
    });
    await PostgresDataKeyStore.migrate(vaultPool);
    for (const projection of projections)
      await ensureProjectionSchema(dataSource, projection, liveSchemaOf(projection));
  } finally {
    await store?.close();
    await dataSource.destroy().catch(() => undefined);
    await vaultPool.end();
  }
  return created;
}

describe('first start of several apps on a database that does not exist', () => {
  const names: string[] = [];

  afterAll(async () => {
    await withServer(async (client) => {
      for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
  });

  it(`succeeds for all ${STARTERS} starters, ${ROUNDS} times, and builds the schema once`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const name = `lx_test_first_start_${randomBytes(4).toString('hex')}`;
      names.push(name);
      const url = databaseUrl(name);

      const outcomes = await Promise.allSettled(Array.from({ length: STARTERS }, () => startLikeAnApp(url)));

      const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
      expect(failures).toEqual([]);
      const creators = outcomes.filter((o) => o.status === 'fulfilled' && o.value === true);
      expect(creators).toHaveLength(1);

      // A restart: the read models' schemas exist now, first on the search_path of the pool the
      // migrations run on; the migrations' tables must still be found in public, not made again.
      await startLikeAnApp(url);

      const database = new pg.Client({ connectionString: url });
      await database.connect();
      try {
        const { rows: ledgers } = await database.query(
          `SELECT n.nspname AS schema, c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relname IN ('lx_schema_migrations', 'lx_vault_migrations', 'lx_events') ORDER BY 2`,
        );
        expect(ledgers).toEqual([
          { schema: 'public', table: 'lx_events' },
          { schema: 'public', table: 'lx_schema_migrations' },
          { schema: 'public', table: 'lx_vault_migrations' },
        ]);
        const { rows: eventStore } = await database.query('SELECT id FROM lx_schema_migrations');
        const { rows: vault } = await database.query('SELECT id FROM lx_vault_migrations');
        expect(eventStore.length).toBeGreaterThanOrEqual(3);
        expect(vault.length).toBeGreaterThanOrEqual(1);
        for (const projection of projections) {
          const { rows } = await database.query(
            `SELECT projection_version AS version, position_commit, events_applied::int AS applied
               FROM ${liveSchemaOf(projection)}.projection_checkpoint`,
          );
          expect({ projection: projection.name, rows }).toEqual({
            projection: projection.name,
            rows: [{ version: projection.version, position_commit: null, applied: 0 }],
          });
        }
      } finally {
        await database.end();
      }
    }
  });
});
