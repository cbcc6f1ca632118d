/** A forward-only SQL migration, identified by a stable id and applied once. */
export interface SqlMigration {
  readonly id: string;
  readonly sql: string;
}

export interface SqlExecutor {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so
 * that several processes starting together apply each migration exactly once.
 *
 * Migrations name their tables unqualified and mean PostgreSQL's default schemas. A connection of
 * an app's pool puts the read models' schemas first on its search_path (readModelSearchPath), and
 * an unqualified CREATE there would land in a read model's schema once one exists (and IF NOT
 * EXISTS would not see the table in public). So the session runs them on the default search_path
 * and gets its own back afterwards (RESET: the one the connection was opened with).
 */
export async function runMigrations(
  client: SqlExecutor,
  migrations: readonly SqlMigration[],
  table = 'lx_schema_migrations',
): Promise<string[]> {
  const applied: string[] = [];
  await client.query(`SELECT pg_advisory_lock(hashtext('${table}'))`);
  try {
    await client.query(`SET search_path TO "$user", public`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${table} (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query(`SELECT id FROM ${table}`);
    const done = new Set(rows.map((row) => String(row.id)));
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO ${table} (id) VALUES ($1)`, [migration.id]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push(migration.id);
    }
  } finally {
    await client.query('RESET search_path');
    await client.query(`SELECT pg_advisory_unlock(hashtext('${table}'))`);
  }
  return applied;
}

/** A pool to take one connection from: `pg.Pool`, structurally. */
export interface SqlConnectionPool {
  connect(): Promise<SqlExecutor & { release(): void }>;
}

/**
 * The one way the exchange migrates its tables in PostgreSQL (the event store's, the sellers'
 * write side, the audit's replay runs, the vault's): `runMigrations` on a connection of the
 * process's pool, given back afterwards. Read models are not migrated: a projection creates its
 * tables for its version and is rebuilt from the log when they change (docs/architecture.md §1).
 */
export async function runMigrationsOnPool(
  pool: SqlConnectionPool,
  migrations: readonly SqlMigration[],
  table?: string,
): Promise<string[]> {
  const client = await pool.connect();
  try {
    return await runMigrations(client, migrations, table);
  } finally {
    client.release();
  }
}
