/** A PostgreSQL session able to hold an advisory lock: a pool client, or a TypeORM query runner. */
export interface LockSession {
  query(sql: string): Promise<unknown>;
  release(): unknown;
}

/**
 * Runs one audit replay at a time across every instance of the deployment: a replay is a
 * process that re-runs every market for minutes, so a second request waits its turn (PostgreSQL
 * queues the waiters of the advisory lock) instead of doubling the load. The lock belongs to the
 * session, so an instance that dies mid-replay frees it.
 */
export async function oneReplayAtATime<T>(
  openSession: () => Promise<LockSession>,
  replay: () => Promise<T>,
): Promise<T> {
  const session = await openSession();
  try {
    await session.query(`SELECT pg_advisory_lock(hashtext('lx_audit_replay'))`);
    try {
      return await replay();
    } finally {
      await session.query(`SELECT pg_advisory_unlock(hashtext('lx_audit_replay'))`);
    }
  } finally {
    await session.release();
  }
}
