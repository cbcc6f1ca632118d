import pg from 'pg';

/**
 * The one way the exchange opens a PostgreSQL pool. A pool emits 'error' when the server ends an
 * idle connection (a restart, a failover, an administrator terminating backends), and so does a
 * client checked out of it between two queries (a transaction held while an upload streams in);
 * without a listener Node.js treats that as an unhandled error and the whole app exits. Here it is
 * logged; the pool drops an idle connection, a checked-out one fails its next query (the request
 * fails, retryable), and the next query opens a new one.
 */
export function createPostgresPool(options: {
  connectionString: string;
  max: number;
  /** What the pool serves, for the log line. */
  purpose: string;
  log?: ((message: string, error?: unknown) => void) | undefined;
}): pg.Pool {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max });
  pool.on('error', (error) => options.log?.(`an idle ${options.purpose} connection failed`, error));
  pool.on('connect', (client) =>
    client.on('error', (error) => options.log?.(`a ${options.purpose} connection in use failed`, error)),
  );
  return pool;
}
