import type pg from 'pg';
import { PersonalDataVault } from '../application/personal-data-vault.js';
import { EnvironmentMasterKey } from './environment-master-key.js';
import { connectDataKeyDatabase } from './data-key-database.js';
import { PostgresDataKeyStore } from './postgres-data-key-store.js';

/** LX_VAULT_MASTER_KEY and LX_VAULT_PREVIOUS_MASTER_KEYS, base64. */
export interface VaultMasterKeys {
  current: string;
  previous: readonly string[];
}

/** The vault as every app composes it: master keys from configuration, keys in PostgreSQL. */
export async function createPersonalDataVault(
  pool: pg.Pool,
  masterKeys: VaultMasterKeys,
): Promise<PersonalDataVault> {
  await PostgresDataKeyStore.migrate(pool);
  return new PersonalDataVault(
    new EnvironmentMasterKey(masterKeys.current, masterKeys.previous),
    new PostgresDataKeyStore(pool),
  );
}

/** A vault on a pool of its own database, opened once by a process and closed at its shutdown. */
export interface ConnectedVault {
  vault: PersonalDataVault;
  close(): Promise<void>;
}

/** Opens the vault's own database (`vaultDatabaseUrl`, not the log's) and the vault on it. */
export async function connectVault(
  vaultDatabaseUrl: string,
  masterKeys: VaultMasterKeys,
  max?: number,
): Promise<ConnectedVault> {
  const pool = await connectDataKeyDatabase(vaultDatabaseUrl, max);
  try {
    return { vault: await createPersonalDataVault(pool, masterKeys), close: () => pool.end() };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

/** The vault master keys of a configuration. */
export const vaultMasterKeysOf = (config: {
  LX_VAULT_MASTER_KEY: string;
  LX_VAULT_PREVIOUS_MASTER_KEYS: readonly string[];
}): VaultMasterKeys => ({
  current: config.LX_VAULT_MASTER_KEY,
  previous: config.LX_VAULT_PREVIOUS_MASTER_KEYS,
});
