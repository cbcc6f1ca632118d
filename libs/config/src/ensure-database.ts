import pg from 'pg';

/**
 * SQLSTATEs of a CREATE DATABASE that lost a race to another creator: `duplicate_database`, or the
 * unique index of pg_database when both passed the existence check in the same instant.
 */
const CREATED_BY_ANOTHER = new Set(['42P04', '23505']);

/**
 * Creates the database named in `url` if it does not exist yet (first start on a new machine).
 * Several processes, on several machines, may call it at once: creators queue on an advisory lock
 * of the server's maintenance database, and a creator that does not take the lock (an older
 * version) losing the race is tolerated. True for the one call that created it.
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`Unsupported database name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    // Session lock: CREATE DATABASE cannot run inside a transaction. Ends with the connection.
    await client.query(`SELECT pg_advisory_lock(hashtext('lx_create_database'), hashtext($1))`, [name]);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (error) {
      if (!CREATED_BY_ANOTHER.has((error as { code?: string }).code ?? '')) throw error;
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}
