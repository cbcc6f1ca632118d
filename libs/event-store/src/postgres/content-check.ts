import { hash } from 'node:crypto';
import { chainHash } from '../hash-chain.js';
import { canonicalJsonFromText } from './content-check-text.js';

/**
 * The columns verification hashes, as the scan fetches them (JSON as text): event id, type,
 * stream, revision, data, metadata, previous hash, hash. More columns may follow; they are ignored.
 */
export type ContentRow = readonly unknown[];

/**
 * `contentDigest` of a row whose data and metadata are JSON text: the canonical JSON of
 * `{ id, type, stream, data, metadata }` — keys in code-unit order (data, id, metadata, stream,
 * type), each string as `JSON.stringify` writes it, as `canonicalJson` does — with the two JSON
 * columns written canonically straight from their text (`canonicalJsonFromText`), not parsed.
 */
export function contentDigestOfRow(row: ContentRow): string {
  const canonical =
    `{"data":${canonicalJsonFromText(row[4] as string)},"id":${JSON.stringify(row[0])}` +
    `,"metadata":${canonicalJsonFromText(row[5] as string)},"stream":${JSON.stringify(row[2])}` +
    `,"type":${JSON.stringify(row[1])}}`;
  return hash('sha256', canonical, 'hex');
}

/**
 * One flag per row: 1 if the row's recorded hash is its content chained to its recorded
 * predecessor hash (`contentMatches`). Runs in the verifying thread or in a worker
 * (`content-check.worker.ts`) — the same function either way.
 */
export function checkContents(rows: readonly ContentRow[]): Uint8Array {
  const flags = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const expected = chainHash(row[6] as string, Number(row[3]), contentDigestOfRow(row));
    flags[i] = expected === row[7] ? 1 : 0;
  }
  return flags;
}
