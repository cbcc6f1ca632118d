import type pg from 'pg';

/**
 * Runs `work` in one transaction on a client of `pool`: committed when it resolves, rolled back when
 * it throws (the error passes on), the client released either way. `beginWith`: a statement without
 * parameters (a lock) sent with the BEGIN, in the same round trip.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  beginWith?: string,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(beginWith ? `BEGIN; ${beginWith}` : 'BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
