import { createHash } from 'node:crypto';

/** The predecessor hash of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth, so that a value and its round trip through a
 * JSON column (which may reorder keys) serialise to the same text.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

export interface HashedContent {
  id: string;
  type: string;
  streamName: string;
  data: unknown;
  metadata: unknown;
}

/** sha-256 of everything the writer chose: id, type, stream, data and metadata. */
export function contentDigest(event: HashedContent): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        id: event.id,
        type: event.type,
        stream: event.streamName,
        data: event.data,
        metadata: event.metadata,
      }),
    )
    .digest('hex');
}

/**
 * The chain link: hash = sha-256("<previous hash>|<revision>|<content digest>").
 * The PostgreSQL adapter computes the same link inside its append function
 * (see postgres/migrations), so the two must stay identical.
 */
export function chainHash(previousHash: string, revision: number, digest: string): string {
  return createHash('sha256').update(`${previousHash}|${revision}|${digest}`).digest('hex');
}
