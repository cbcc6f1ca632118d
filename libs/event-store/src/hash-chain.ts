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
 * `contentDigest` from the canonical texts of its parts (each `canonicalJson` of the part, or
 * `plainCanonicalJson` of plain data): the object's keys in canonical order are data, id,
 * metadata, stream, type, so its canonical text is theirs joined. For a writer that has those
 * texts already (prepareAppend) and so need not serialise the event a second time.
 */
export function contentDigestOfCanonical(
  data: string,
  id: string,
  metadata: string,
  stream: string,
  type: string,
): string {
  return hash(
    'sha256',
    `{"data":${data},"id":${id},"metadata":${metadata},"stream":${stream},"type":${type}}`,
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
