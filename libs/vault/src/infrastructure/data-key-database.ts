import type pg from 'pg';
import { ensureDatabase } from '#lx/config';
import { createPostgresPool } from '#lx/event-store';

/**
 * The pool of the vault's own database. Wrapped data keys live apart from the log so that the two
 * are backed up and retained separately: restoring the log (or a point in time of it) brings back
 * ciphertext, never a key that was destroyed since.
 */
export async function connectDataKeyDatabase(
  databaseUrl: string,
  max = 4,
  log?: (message: string, error?: unknown) => void,
): Promise<pg.Pool> {
  await ensureDatabase(databaseUrl);
  // A connection the server ends (a restart, a failover) is logged, not fatal to the process.
  return createPostgresPool({ connectionString: databaseUrl, max, purpose: 'vault', log });
}
