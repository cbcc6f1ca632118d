import { contentMatches } from '../chain-scan.js';

/**
 * The columns verification hashes, as the scan fetches them (JSON as text): event id, type,
 * stream, revision, data, metadata, previous hash, hash. More columns may follow; they are ignored.
 */
export type ContentRow = readonly unknown[];

/**
 * One flag per row: 1 if the row's recorded hash is its content chained to its recorded
 * predecessor hash. Runs in the verifying thread or in a worker (`content-check.worker.ts`) —
 * the same function either way.
 */
export function checkContents(rows: readonly ContentRow[]): Uint8Array {
  const flags = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const ok = contentMatches({
      id: row[0] as string,
      type: row[1] as string,
      streamName: row[2] as string,
      revision: Number(row[3]),
      data: JSON.parse(row[4] as string),
      metadata: JSON.parse(row[5] as string),
      previousHash: row[6] as string,
      hash: row[7] as string,
    });
    flags[i] = ok ? 1 : 0;
  }
  return flags;
}
