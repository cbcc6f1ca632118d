import type pg from 'pg';
import { PersonalDataVault } from '../application/personal-data-vault.js';
import { EnvironmentMasterKey } from './environment-master-key.js';
import { PostgresDataKeyStore } from './postgres-data-key-store.js';

/** The vault as every app composes it: master key from configuration, keys in PostgreSQL. */
export async function createPersonalDataVault(
  pool: pg.Pool,
  masterKeyBase64: string,
): Promise<PersonalDataVault> {
  await PostgresDataKeyStore.migrate(pool);
  return new PersonalDataVault(new EnvironmentMasterKey(masterKeyBase64), new PostgresDataKeyStore(pool));
}
