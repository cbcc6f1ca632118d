import { loadConfig, vaultDatabaseUrl } from '#lx/config';
import { connectVault, vaultMasterKeysOf } from '#lx/vault';

/**
 * `npm run vault:rewrap`, after rotating the vault master key (LX_VAULT_MASTER_KEY the new key,
 * LX_VAULT_PREVIOUS_MASTER_KEYS the old ones): re-wraps every data key under the new key. Safe
 * while the apps run and to run again; when it reports 0 re-wrapped, drop the previous keys.
 */
const config = loadConfig();
// The key store, not the log's database.
const { vault, close } = await connectVault(vaultDatabaseUrl(config), vaultMasterKeysOf(config), 2);
try {
  const { checked, rewrapped } = await vault.rewrapAll();
  console.log(`${checked} data keys checked, ${rewrapped} re-wrapped under the current master key`);
} finally {
  await close();
}
