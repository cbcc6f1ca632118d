import pg from 'pg';

/** Creates the database named in `url` if it does not exist yet (first start on a new machine). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`Unsupported database name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (error) {
      // Another app created it at the same moment (42P04, or 23505 when both inserted at once).
      if (!['42P04', '23505'].includes((error as { code?: string }).code ?? '')) throw error;
    }
    return true;
  } finally {
    await client.end();
  }
}
