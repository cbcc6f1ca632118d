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
 */
export async function runMigrations(
  client: SqlExecutor,
  migrations: readonly SqlMigration[],
  table = 'lx_schema_migrations',
): Promise<string[]> {
  const applied: string[] = [];
  await client.query(`SELECT pg_advisory_lock(hashtext('${table}'))`);
  try {
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
    await client.query(`SELECT pg_advisory_unlock(hashtext('${table}'))`);
  }
  return applied;
}
