import { describe, expect, it } from '@jest/globals';
import { GENESIS_HASH, chainHash, contentDigest } from '../hash-chain.js';
import { checkContents, contentDigestOfRow } from './content-check.js';

const contents = (n: number) => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  type: n % 2 ? 'ThingHappened' : 'Thing"Quoted',
  streamName: `thing-${n}`,
  data: { n, text: 'é"\\n', nested: { b: [1, 2.5, null], a: true }, plain: 'x', '10': 1, '9': 2 },
  metadata: { correlationId: 'c', actor: 'a', at: n * 0.1 },
});

/** Rows as verification's scan fetches them: id, type, stream, revision, data, metadata (JSON text), hashes. */
function rows(count: number): unknown[][] {
  return Array.from({ length: count }, (_, n) => {
    const content = contents(n);
    const hash = chainHash(GENESIS_HASH, 0, contentDigest(content));
    return [
      content.id,
      content.type,
      content.streamName,
      '0',
      // As PostgreSQL writes jsonb: its own key order, spaces after separators.
      n % 2 ? JSON.stringify(content.data, null, 1) : JSON.stringify(content.data),
      JSON.stringify(content.metadata),
      GENESIS_HASH,
      n % 3 === 0 ? hash.replace(/^./, 'x') : hash,
      '1',
      n,
    ];
  });
}

describe('content checks', () => {
  it('digest a row as contentDigest digests the parsed event', () => {
    for (const [n, row] of rows(8).entries())
      expect(contentDigestOfRow(row)).toBe(contentDigest(contents(n)));
    const plain = { id: 'i', type: 't', streamName: 's', data: { b: 1, a: [true] }, metadata: {} };
    expect(contentDigestOfRow(['i', 't', 's', '0', '{"b": 1, "a": [true]}', '{}'])).toBe(
      contentDigest(plain),
    );
  });

  it('flag exactly the rows whose recorded hash is not their content chained to its predecessor', () => {
    expect([...checkContents(rows(6))]).toEqual([0, 1, 1, 0, 1, 1]);
  });
});
