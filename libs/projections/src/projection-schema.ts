import type { DataSource, QueryRunner } from 'typeorm';
import type { LogPosition } from '#lx/event-store';
import { liveSchemaOf, type Projection } from './projection.js';

/**
 * One advisory lock per projection, in two modes: every event applied takes it shared, schema
 * changes (create, drop, swap) take it exclusive. So a swap never lands inside an apply: the apply
 * resolves its unqualified table names and its checkpoint in the same schema.
 */
const LOCK_KEYS = `hashtext('lx_projection'), hashtext($1)`;
export const sharedProjectionLockSql = `pg_advisory_xact_lock_shared(${LOCK_KEYS})`;

export interface StoredCheckpoint {
  version: number;
  position: LogPosition | null;
  eventsApplied: number;
}

/** Runs `work` in one transaction holding the projection's exclusive lock. */
export async function withExclusiveProjectionLock<T>(
  dataSource: DataSource,
  projection: Pick<Projection, 'name'>,
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query(`SELECT pg_advisory_xact_lock(${LOCK_KEYS})`, [projection.name]);
    const result = await work(runner);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * Creates the schema, the projection's tables and its checkpoint row unless the checkpoint table
 * exists already. Idempotent and safe when several processes start together; all or nothing.
 */
export async function ensureProjectionSchema(
  dataSource: DataSource,
  projection: Projection,
  schema: string,
): Promise<void> {
  await withExclusiveProjectionLock(dataSource, projection, async (runner) => {
    // Read from the catalog tables, not through to_regclass: this session may have looked the
    // schema up before another starter created it (the read models' schemas are on every
    // connection's search_path), and a wait on an advisory lock does not refresh the session's
    // catalog cache, so to_regclass (and CREATE SCHEMA IF NOT EXISTS) would still miss it.
    const [found] = await runner.query(
      `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = $1 AND c.relname = 'projection_checkpoint') AS present`,
      [schema],
    );
    if (found.present) return;
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await runner.query(`SET LOCAL search_path TO ${schema}, public`);
    for (const statement of projection.createTables(schema)) await runner.query(statement);
    await runner.query(
      `CREATE TABLE ${schema}.projection_checkpoint (
         singleton          boolean PRIMARY KEY DEFAULT true CHECK (singleton),
         projection_version integer NOT NULL,
         position_commit    numeric(20, 0),
         position_prepare   bigint,
         events_applied     bigint NOT NULL DEFAULT 0,
         updated_at         timestamptz NOT NULL DEFAULT now()
       )`,
    );
    await runner.query(`INSERT INTO ${schema}.projection_checkpoint (projection_version) VALUES ($1)`, [
      projection.version,
    ]);
  });
}

export async function dropProjectionSchema(
  dataSource: DataSource,
  projection: Pick<Projection, 'name'>,
  schema: string,
): Promise<void> {
  await withExclusiveProjectionLock(dataSource, projection, (runner) =>
    runner.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
  );
}

export async function readCheckpoint(
  executor: Pick<DataSource, 'query'>,
  schema: string,
): Promise<StoredCheckpoint | null> {
  const [present] = await executor.query('SELECT to_regclass($1) IS NOT NULL AS present', [
    `${schema}.projection_checkpoint`,
  ]);
  if (!present.present) return null;
  const [row] = await executor.query(
    `SELECT projection_version, position_commit::text AS c, position_prepare::text AS p, events_applied::text AS n
       FROM ${schema}.projection_checkpoint`,
  );
  return {
    version: Number(row.projection_version),
    position: row.c === null ? null : { commit: BigInt(row.c), prepare: BigInt(row.p) },
    eventsApplied: Number(row.n),
  };
}

/**
 * Moves the checkpoint from `from` to `to` if it is still at `from` (and of this version), inside
 * the caller's transaction, counting `events` more applied events. False when another applier or
 * a swapped-in schema moved it.
 */
export async function advanceCheckpoint(
  runner: QueryRunner,
  schema: string,
  version: number,
  from: LogPosition | null,
  to: LogPosition,
  events = 1,
): Promise<boolean> {
  const result = await runner.query(
    `UPDATE ${schema}.projection_checkpoint
        SET position_commit = $1, position_prepare = $2, events_applied = events_applied + $6, updated_at = now()
      WHERE projection_version = $3
        AND position_commit IS NOT DISTINCT FROM $4::numeric AND position_prepare IS NOT DISTINCT FROM $5::bigint`,
    [
      to.commit.toString(),
      to.prepare.toString(),
      version,
      from?.commit.toString() ?? null,
      from?.prepare.toString() ?? null,
      events,
    ],
    true,
  );
  return result.affected === 1;
}

/**
 * Swaps `rm_<name>__next` in as `rm_<name>` in one transaction; the previous live schema is kept
 * as `rm_<name>__old_<n>` and returned, for the caller to drop (or keep for inspection).
 */
export async function swapInRebuiltSchema(
  dataSource: DataSource,
  projection: Pick<Projection, 'name'>,
  rebuilt: string,
): Promise<string | null> {
  const live = liveSchemaOf(projection);
  return withExclusiveProjectionLock(dataSource, projection, async (runner) => {
    const [{ present, next }] = await runner.query(
      `SELECT to_regnamespace($1) IS NOT NULL AS present,
              coalesce(max(substring(nspname FROM '__old_(\\d+)$')::int), 0) + 1 AS next
         FROM pg_namespace WHERE nspname LIKE $2`,
      [live, `${live}\\_\\_old\\_%`],
    );
    const old = present ? `${live}__old_${next}` : null;
    if (old) await runner.query(`ALTER SCHEMA ${live} RENAME TO ${old}`);
    await runner.query(`ALTER SCHEMA ${rebuilt} RENAME TO ${live}`);
    return old;
  });
}
