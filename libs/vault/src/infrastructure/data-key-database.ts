import pg from 'pg';
import { ensureDatabase } from '#lx/config';

/**
 * The pool of the vault's own database. Wrapped data keys live apart from the log so that the two
 * are backed up and retained separately: restoring the log (or a point in time of it) brings back
 * ciphertext, never a key that was destroyed since.
 */
export async function connectDataKeyDatabase(databaseUrl: string, max = 4): Promise<pg.Pool> {
  await ensureDatabase(databaseUrl);
  return new pg.Pool({ connectionString: databaseUrl, max });
}
