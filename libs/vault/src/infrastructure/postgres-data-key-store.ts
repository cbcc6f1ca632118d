import type pg from 'pg';
import { runMigrations, type SqlMigration } from '#lx/event-store';
import type { DataKeyStore } from '../application/data-key-store.port.js';
import type { WrappedDataKey } from '../application/key-management.port.js';

const vaultMigrations: SqlMigration[] = [
  {
    id: '001-vault-keys',
    sql: `CREATE TABLE lx_vault_keys (
      key_id        text PRIMARY KEY,
      wrapped_key   bytea NOT NULL,
      master_key_id text NOT NULL,
      created_at    timestamptz NOT NULL DEFAULT now()
    )`,
  },
];

/** Wrapped data keys in PostgreSQL; a deleted row is gone for good (no soft delete). */
export class PostgresDataKeyStore implements DataKeyStore {
  constructor(private readonly pool: pg.Pool) {}

  static async migrate(pool: pg.Pool): Promise<void> {
    const client = await pool.connect();
    try {
      await runMigrations(client, vaultMigrations, 'lx_vault_migrations');
    } finally {
      client.release();
    }
  }

  async insertMissing(keys: readonly ({ keyId: string } & WrappedDataKey)[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.pool.query<{ key_id: string }>(
      `INSERT INTO lx_vault_keys (key_id, wrapped_key, master_key_id)
       SELECT * FROM unnest($1::text[], $2::bytea[], $3::text[]) ON CONFLICT (key_id) DO NOTHING
       RETURNING key_id`,
      [keys.map((k) => k.keyId), keys.map((k) => k.wrapped), keys.map((k) => k.masterKeyId)],
    );
    return rows.map((row) => row.key_id);
  }

  async find(keyIds: readonly string[]): Promise<Map<string, WrappedDataKey>> {
    const { rows } = await this.pool.query<{ key_id: string; wrapped_key: Buffer; master_key_id: string }>(
      'SELECT key_id, wrapped_key, master_key_id FROM lx_vault_keys WHERE key_id = ANY($1::text[])',
      [keyIds],
    );
    return new Map(
      rows.map((row) => [row.key_id, { wrapped: row.wrapped_key, masterKeyId: row.master_key_id }]),
    );
  }

  async delete(keyIds: readonly string[]): Promise<string[]> {
    const { rows } = await this.pool.query<{ key_id: string }>(
      'DELETE FROM lx_vault_keys WHERE key_id = ANY($1::text[]) RETURNING key_id',
      [keyIds],
    );
    return rows.map((row) => row.key_id);
  }

  async page(afterKeyId: string | null, limit: number): Promise<({ keyId: string } & WrappedDataKey)[]> {
    const { rows } = await this.pool.query<{ key_id: string; wrapped_key: Buffer; master_key_id: string }>(
      `SELECT key_id, wrapped_key, master_key_id FROM lx_vault_keys
        WHERE $1::text IS NULL OR key_id > $1 ORDER BY key_id LIMIT $2`,
      [afterKeyId, limit],
    );
    return rows.map((row) => ({
      keyId: row.key_id,
      wrapped: row.wrapped_key,
      masterKeyId: row.master_key_id,
    }));
  }

  async replaceWrapped(keyId: string, expected: Buffer, next: WrappedDataKey): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE lx_vault_keys SET wrapped_key = $3, master_key_id = $4 WHERE key_id = $1 AND wrapped_key = $2`,
      [keyId, expected, next.wrapped, next.masterKeyId],
    );
    return rowCount === 1;
  }
}
