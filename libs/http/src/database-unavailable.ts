/** PostgreSQL SQLSTATEs meaning "the server cannot serve you right now", not "your request is wrong". */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the server (or an administrator) ended the connection
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '55000', // object_not_in_prerequisite_state: the database is not accepting connections
]);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /connection error/i,
  /not currently accepting connections/i,
];

/** Seconds a client should wait before retrying a request that met an unavailable database. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

/**
 * True when an error says the database is unreachable or restarting (a lost connection, a refused
 * one): the request may well succeed if retried, so it is answered 503 with Retry-After, not 500.
 * Looks through TypeORM's wrapper (`driverError`) and `cause` chains.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const { code, message, driverError, cause } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
  };
  if (
    typeof code === 'string' &&
    (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || UNAVAILABLE_NODE_CODES.has(code))
  )
    return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message)))
    return true;
  return isDatabaseUnavailable(driverError, depth + 1) || isDatabaseUnavailable(cause, depth + 1);
}
