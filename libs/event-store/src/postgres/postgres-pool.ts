import pg from 'pg';

type ErrorLog = ((message: string, error?: unknown) => void) | undefined;

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
  log?: ErrorLog;
}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    Client: clientReportingErrors(options.purpose, options.log),
  });
  pool.on('error', (error) => options.log?.(`an idle ${options.purpose} connection failed`, error));
  return pool;
}

/**
 * A `pg.Client` class whose every connection logs its errors instead of raising them unhandled,
 * for a pool opened elsewhere (`Client` of its options, as TypeORM's `extra`): listening from the
 * constructor covers each connection the pool ever opens, the first ones included. The pool still
 * needs its own 'error' listener, for idle connections.
 */
export function clientReportingErrors(purpose: string, log: ErrorLog): typeof pg.Client {
  return class ClientReportingErrors extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      this.on('error', (error) => log?.(`a ${purpose} connection in use failed`, error));
    }
  };
}
