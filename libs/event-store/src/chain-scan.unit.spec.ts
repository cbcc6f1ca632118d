import { describe, expect, it } from '@jest/globals';
import { ChainScan, contentMatches, type HashedEvent } from './chain-scan.js';
import { GENESIS_HASH, chainHash, contentDigest } from './hash-chain.js';

type ScannedEvent = HashedEvent & { position: { commit: string; prepare: number } };

/** A correctly chained stream of `count` events, the n-th at log position (100 + n, n). */
function chain(stream: string, count: number, firstCommit = 100): ScannedEvent[] {
  const events: ScannedEvent[] = [];
  let previousHash = GENESIS_HASH;
  for (let revision = 0; revision < count; revision++) {
    const content = {
      id: `${stream}-${revision}`,
      type: 'ThingHappened',
      streamName: stream,
      data: { n: revision, nested: { b: 1, a: [1, 'x'] } },
      metadata: { correlationId: 'c' },
    };
    const hash = chainHash(previousHash, revision, contentDigest(content));
    events.push({
      ...content,
      revision,
      previousHash,
      hash,
      position: { commit: String(firstCommit + revision), prepare: revision },
    });
    previousHash = hash;
  }
  return events;
}

function headOf(events: ScannedEvent[]) {
  const last = events.at(-1)!;
  return { stream: last.streamName, revision: last.revision, hash: last.hash };
}

function scanOf(events: ScannedEvent[], heads: { stream: string; revision: number; hash: string }[]) {
  const scan = new ChainScan();
  for (const event of events) scan.add({ ...event, ...event.position, contentOk: contentMatches(event) });
  for (const head of heads) scan.addHead(head);
  scan.finish();
  return scan;
}

describe('ChainScan (the order-free first pass of verification)', () => {
  it('finds nothing suspect in clean streams, whatever order their events arrive in', () => {
    const a = chain('a', 5);
    const b = chain('b', 3);
    const shuffled = [a[3]!, b[2]!, a[0]!, a[4]!, b[0]!, a[2]!, b[1]!, a[1]!];
    const scan = scanOf(shuffled, [headOf(a), headOf(b)]);
    expect([...scan.suspects]).toEqual([]);
    expect(scan.eventsChecked).toBe(8);
    expect(scan.streamsChecked).toBe(2);
  });

  it('suspects altered content, a broken link, a gap and an event out of log order', () => {
    const altered = chain('altered', 3);
    altered[1] = { ...altered[1]!, data: { n: 999 } };
    const broken = chain('broken', 3);
    broken[2] = { ...broken[2]!, previousHash: 'f'.repeat(64) };
    const gap = chain('gap', 3);
    const reordered = chain('reordered', 3);
    reordered[1] = { ...reordered[1]!, position: { commit: '1000', prepare: 0 } };
    const clean = chain('clean', 2);
    const scan = scanOf(
      [...altered, ...broken, gap[0]!, gap[2]!, ...reordered, ...clean],
      [altered, broken, gap, reordered, clean].map(headOf),
    );
    expect([...scan.suspects].sort()).toEqual(['altered', 'broken', 'gap', 'reordered']);
  });

  it('orders positions by transaction id numerically, not as text', () => {
    const events = chain('s', 2, 99); // commits "99" then "100"
    expect([...scanOf(events, [headOf(events)]).suspects]).toEqual([]);
  });

  it('suspects a duplicated revision', () => {
    const events = chain('dup', 2);
    const scan = scanOf([...events, { ...events[1]!, id: 'again' }], [headOf(events)]);
    expect([...scan.suspects]).toEqual(['dup']);
  });

  it('suspects a stream whose head differs, has no head, or has a head and no events', () => {
    const short = chain('short', 3);
    const headless = chain('headless', 1);
    const scan = scanOf(
      [...short.slice(0, 2), ...headless],
      [headOf(short), { stream: 'empty', revision: 0, hash: GENESIS_HASH }],
    );
    expect([...scan.suspects].sort()).toEqual(['empty', 'headless', 'short']);
  });
});
