import type pg from 'pg';
import { ChainScan } from '../chain-scan.js';
import { checkContents } from './content-check.js';

/** Rows fetched per round trip by verification's cursors (≈ 1 kB of JSON per event). */
export const VERIFY_BATCH = 4000;

/**
 * The rows of `sql` through a cursor on `client` (and so in its snapshot), batch by batch; the
 * next batch is requested before the current one is handed out, so that PostgreSQL reads while
 * the caller hashes.
 */
export async function* cursorBatches(
  client: pg.ClientBase,
  name: string,
  sql: string,
  params: unknown[],
  rowMode?: 'array',
): AsyncIterable<unknown[]> {
  await client.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params);
  const fetch = () =>
    client.query({ text: `FETCH ${VERIFY_BATCH} FROM ${name}`, ...(rowMode ? { rowMode } : {}) });
  let next = fetch();
  try {
    for (;;) {
      const { rows } = await next;
      if (rows.length === 0) return;
      next = fetch();
      yield rows;
    }
  } finally {
    // A consumer that stops early leaves one fetch in flight; its failure must not go unhandled.
    await next.catch(() => undefined);
    await client.query(`CLOSE ${name}`);
  }
}

/**
 * Which streams a scan covers: those of `only` (all if null), and of those the `part`-th of
 * `parts` by the hash of their name (all if `parts` is 1). Every stream falls in exactly one part,
 * so the parts can be scanned apart — on other threads, other connections — and their findings
 * added up: what a scan finds about a stream depends only on that stream's events and head.
 */
export interface ScanScope {
  only: readonly string[] | null;
  part: number;
  parts: number;
}

/** What the first pass found in its scope: the suspect streams (none on a clean log) and the counts. */
export interface ScanFindings {
  suspects: string[];
  eventsChecked: number;
  streamsChecked: number;
}

/** The first eight are what `checkContents` hashes; the position comes last. */
const SCANNED_COLUMNS = `event_id, event_type, stream_name, stream_version, data::text, metadata::text,
  previous_hash, hash, transaction_id::text, global_position`;

function scopeFilter(scope: ScanScope): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (scope.only) {
    params.push(scope.only);
    conditions.push(`stream_name = ANY($${params.length}::text[])`);
  }
  if (scope.parts > 1) {
    params.push(scope.parts, scope.part);
    conditions.push(
      `(hashtext(stream_name) & 2147483647) % $${params.length - 1}::int = $${params.length}::int`,
    );
  }
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/**
 * First pass over `scope`, in `client`'s snapshot: every event in table order (a sequential scan
 * through a cursor), content hashed here, chains linked by `ChainScan`, then every head. JSON
 * columns are read as text, so that what is hashed is the stored JSON whatever type parsers the
 * process has installed for jsonb. `onProgress` is told the events checked so far in this scope.
 */
export async function scanChains(
  client: pg.ClientBase,
  scope: ScanScope,
  onProgress?: (eventsChecked: number) => void,
): Promise<ScanFindings> {
  const scan = new ChainScan();
  const { where, params } = scopeFilter(scope);
  const events = `SELECT ${SCANNED_COLUMNS} FROM lx_events ${where}`;
  for await (const batch of cursorBatches(client, 'lx_verify_scan', events, params, 'array')) {
    const rows = batch as unknown[][];
    linkRows(scan, rows, checkContents(rows));
    onProgress?.(scan.eventsChecked);
  }
  const heads = `SELECT stream_name, version, last_hash FROM lx_streams ${where}`;
  for await (const rows of cursorBatches(client, 'lx_verify_heads', heads, params, 'array'))
    for (const row of rows as unknown[][])
      scan.addHead({ stream: row[0] as string, revision: Number(row[1]), hash: row[2] as string });
  scan.finish();
  return {
    suspects: [...scan.suspects],
    eventsChecked: scan.eventsChecked,
    streamsChecked: scan.streamsChecked,
  };
}

/** Hands a batch of scanned rows (SCANNED_COLUMNS), with their content flags, to the chain scan. */
function linkRows(scan: ChainScan, rows: unknown[][], contentOk: Uint8Array): void {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    scan.add({
      streamName: row[2] as string,
      revision: Number(row[3]),
      previousHash: row[6] as string,
      hash: row[7] as string,
      contentOk: contentOk[i] === 1,
      commit: row[8] as string,
      prepare: Number(row[9]),
    });
  }
}
