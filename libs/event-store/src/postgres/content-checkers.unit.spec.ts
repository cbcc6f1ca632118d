import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { GENESIS_HASH, chainHash, contentDigest } from '../hash-chain.js';
import { checkContents } from './content-check.js';
import { ContentCheckers } from './content-checkers.js';

/** Rows as verification's scan fetches them: id, type, stream, revision, data, metadata (JSON text), hashes. */
function rows(count: number): unknown[][] {
  return Array.from({ length: count }, (_, n) => {
    const content = {
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      type: 'ThingHappened',
      streamName: `thing-${n}`,
      data: { n, text: 'é"\\n', nested: { b: [1, 2.5, null], a: true } },
      metadata: { correlationId: 'c', actor: 'a' },
    };
    const hash = chainHash(GENESIS_HASH, 0, contentDigest(content));
    return [
      content.id,
      content.type,
      content.streamName,
      '0',
      JSON.stringify(content.data),
      JSON.stringify(content.metadata),
      GENESIS_HASH,
      n % 3 === 0 ? hash.replace(/^./, 'x') : hash,
      '1',
      n,
    ];
  });
}

describe('content checks', () => {
  it('flag exactly the rows whose recorded hash is not their content chained to its predecessor', () => {
    expect([...checkContents(rows(6))]).toEqual([0, 1, 1, 0, 1, 1]);
  });

  it('without a compiled worker script, hash in this thread', async () => {
    const checkers = ContentCheckers.start(new URL('./no-such-worker.js', import.meta.url));
    expect(checkers.parallelism).toBe(1);
    expect([...(await checkers.check(rows(3)))]).toEqual([0, 1, 1]);
    await checkers.close();
  });

  // The worker runs compiled code: this checks the build (`npm run build`) when there is one.
  const built = new URL(
    '../../../../dist/libs/event-store/src/postgres/content-check.worker.js',
    import.meta.url,
  );
  (existsSync(fileURLToPath(built)) ? it : it.skip)(
    'workers answer each batch with the same flags',
    async () => {
      const checkers = ContentCheckers.start(built);
      try {
        const batches = [rows(7), rows(2), rows(5)];
        const answers = await Promise.all(batches.map((batch) => checkers.check(batch)));
        expect(answers.map((flags) => [...flags])).toEqual(batches.map((batch) => [...checkContents(batch)]));
      } finally {
        await checkers.close();
      }
    },
  );
});
