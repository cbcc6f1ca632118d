import { hash } from 'node:crypto';
import { canonicalJson } from '#lx/canonical-json';

/** The predecessor hash of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedContent {
  id: string;
  type: string;
  streamName: string;
  data: unknown;
  metadata: unknown;
}

/** sha-256 of everything the writer chose: id, type, stream, data and metadata. */
export function contentDigest(event: HashedContent): string {
  // One-shot `hash` (not createHash().update().digest()): the same digest, without a Hash object
  // per call — it runs for every appended and every verified event.
  return hash(
    'sha256',
    canonicalJson({
      id: event.id,
      type: event.type,
      stream: event.streamName,
      data: event.data,
      metadata: event.metadata,
    }),
    'hex',
  );
}

/**
 * The chain link: hash = sha-256("<previous hash>|<revision>|<content digest>").
 * The PostgreSQL adapter computes the same link inside its append function
 * (see postgres/migrations), so the two must stay identical.
 */
export function chainHash(previousHash: string, revision: number, digest: string): string {
  return hash('sha256', `${previousHash}|${revision}|${digest}`, 'hex');
}
