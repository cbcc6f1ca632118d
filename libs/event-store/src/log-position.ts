/**
 * A position in the global log. Ordered by `commit`, then `prepare`.
 * PostgreSQL: commit = the writing transaction id, prepare = the global sequence number
 * (gap-safe order, see postgres/postgres-event-store.ts). EventStoreDB: its own commit/prepare.
 */
export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** The text form used in events, APIs and audit reports: `<commit>/<prepare>`. */
export function formatPosition(position: LogPosition): string {
  return `${position.commit}/${position.prepare}`;
}

export function parsePosition(text: string): LogPosition {
  const match = /^(\d{1,20})\/(\d{1,20})$/.exec(text);
  if (!match) throw new RangeError(`Not a log position: "${text}" (expected <commit>/<prepare>)`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}
