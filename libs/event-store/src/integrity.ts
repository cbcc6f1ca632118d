import type { IntegrityFailure, IntegrityReport, RecordedEvent } from './event-store.port.js';
import { GENESIS_HASH, chainHash, contentDigest } from './hash-chain.js';

const PROGRESS_EVERY = 5000;

export interface StreamHead {
  stream: string;
  revision: number;
  hash: string;
}

/**
 * Walks the log in order and checks every stream's hash chain, then compares each stream's last
 * event with the head the store recorded for it (which catches a removed last event).
 * Reports the first event, in log order, that does not verify. Shared by every adapter: EventStoreDB
 * walks its whole log with it; PostgreSQL only the streams its order-free first pass (`ChainScan`)
 * found suspect — which gives the same first failure, as a failure depends only on its own stream.
 */
export async function verifyHashChains(
  events: AsyncIterable<RecordedEvent>,
  heads: () => AsyncIterable<StreamHead>,
  onlyStreams?: ReadonlySet<string>,
  onProgress?: (eventsChecked: number) => void,
): Promise<IntegrityReport> {
  const tails = new Map<string, { revision: number; hash: string }>();
  let eventsChecked = 0;
  const fail = (firstFailure: IntegrityFailure): IntegrityReport => ({
    ok: false,
    streamsChecked: tails.size,
    eventsChecked,
    firstFailure,
  });

  for await (const event of events) {
    if (onlyStreams && !onlyStreams.has(event.streamName)) continue;
    eventsChecked++;
    const tail = tails.get(event.streamName) ?? { revision: -1, hash: GENESIS_HASH };
    const stream = event.streamName;
    if (event.revision > tail.revision + 1)
      return fail({
        stream,
        revision: tail.revision + 1,
        reason: 'missing-event',
        detail: `revision ${tail.revision + 1} is missing (next found: ${event.revision})`,
      });
    if (event.revision <= tail.revision)
      return fail({
        stream,
        revision: event.revision,
        reason: 'unexpected-event',
        detail: `revision ${event.revision} appears again after revision ${tail.revision}`,
      });
    if (event.previousHash !== tail.hash)
      return fail({
        stream,
        revision: event.revision,
        reason: 'chain-broken',
        detail: `recorded predecessor hash ${event.previousHash.slice(0, 12)}… ≠ ${tail.hash.slice(0, 12)}…`,
      });
    const expected = chainHash(tail.hash, event.revision, contentDigest(event));
    if (expected !== event.hash)
      return fail({
        stream,
        revision: event.revision,
        reason: 'content-altered',
        detail: `content hashes to ${expected.slice(0, 12)}…, recorded ${event.hash.slice(0, 12)}…`,
      });
    tails.set(stream, { revision: event.revision, hash: event.hash });
    if (eventsChecked % PROGRESS_EVERY === 0) onProgress?.(eventsChecked);
  }
  onProgress?.(eventsChecked);

  const headed = new Set<string>();
  for await (const head of heads()) {
    if (onlyStreams && !onlyStreams.has(head.stream)) continue;
    headed.add(head.stream);
    const tail = tails.get(head.stream);
    if (!tail || tail.revision !== head.revision || tail.hash !== head.hash)
      return fail({
        stream: head.stream,
        revision: (tail?.revision ?? -1) + 1,
        reason: tail && tail.revision > head.revision ? 'unexpected-event' : 'head-mismatch',
        detail: `stream head says revision ${head.revision}, the log ends at ${tail?.revision ?? 'nothing'}`,
      });
  }
  for (const stream of tails.keys())
    if (!headed.has(stream))
      return fail({
        stream,
        revision: 0,
        reason: 'unexpected-event',
        detail: 'the store has no record of this stream',
      });
  return { ok: true, streamsChecked: tails.size, eventsChecked };
}
