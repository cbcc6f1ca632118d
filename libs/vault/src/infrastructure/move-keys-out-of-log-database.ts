import type pg from 'pg';
import { PostgresDataKeyStore } from './postgres-data-key-store.js';

/**
 * Earlier versions kept the wrapped keys in the log's database. Moves them, once, into the vault's
 * own database and drops the old table, so no key is left where the log's backups copy it.
 * Returns how many keys were moved (0 when there was nothing to move).
 */
export async function moveKeysOutOfLogDatabase(logPool: pg.Pool, vaultPool: pg.Pool): Promise<number> {
  const same = await Promise.all(
    [logPool, vaultPool].map(
      async (pool) => (await pool.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db,
    ),
  );
  if (same[0] === same[1]) return 0;
  const { rows: found } = await logPool.query(
    `SELECT to_regclass('public.lx_vault_keys') IS NOT NULL AS present`,
  );
  if (!(found[0] as { present: boolean }).present) return 0;
  const { rows } = await logPool.query<{ key_id: string; wrapped_key: Buffer; master_key_id: string }>(
    'SELECT key_id, wrapped_key, master_key_id FROM lx_vault_keys',
  );
  await new PostgresDataKeyStore(vaultPool).insertMissing(
    rows.map((row) => ({ keyId: row.key_id, wrapped: row.wrapped_key, masterKeyId: row.master_key_id })),
  );
  await logPool.query('DROP TABLE IF EXISTS lx_vault_keys, lx_vault_migrations');
  return rows.length;
}
