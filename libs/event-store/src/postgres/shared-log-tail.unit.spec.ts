import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ReadAllOptions, ReadAllPage, RecordedEvent } from '../event-store.port.js';
import { comparePositions, type LogPosition } from '../log-position.js';
import { streamCategory } from '../stream-name.js';
import { SharedLogTail } from './shared-log-tail.js';

/**
 * An in-memory log read the way the PostgreSQL store reads (after a position, up to a count,
 * filtered, and when the page ends before `maxCount`, past what it scanned) — so that what the
 * shared tail hands a subscription can be compared with what its own read would have returned.
 */
class MemoryLog {
  readonly events: RecordedEvent[] = [];
  reads = 0;
  /** When set, reads wait for it: a read "in flight". */
  gate: Promise<void> | null = null;

  append(type: string, streamName: string): void {
    const prepare = BigInt(this.events.length + 1);
    this.events.push({
      id: `e${prepare}`,
      type,
      streamName,
      revision: 0,
      data: { n: Number(prepare), nested: { list: [1, 2] } },
      metadata: { correlationId: 'c', causationId: 'c', actor: 'test', occurredAt: '', schemaVersion: 1 },
      position: { commit: prepare * 10n, prepare },
      hash: '',
      previousHash: '',
      recordedAt: new Date(0),
    } as RecordedEvent);
  }

  /** A snapshot of the log taken when the read starts, answered after the gate opens. */
  read = async (options: ReadAllOptions): Promise<ReadAllPage> => {
    this.reads++;
    const answer = this.readNow(options);
    if (this.gate) await this.gate;
    return answer;
  };

  readNow(options: ReadAllOptions): ReadAllPage {
    const after = options.after ?? { commit: 0n, prepare: 0n };
    const wanted = this.events.filter(
      (event) =>
        comparePositions(event.position, after) > 0 &&
        (!options.filter?.eventTypes?.length || options.filter.eventTypes.includes(event.type)) &&
        (!options.filter?.streamCategories?.length ||
          options.filter.streamCategories.includes(streamCategory(event.streamName))),
    );
    const events = wanted.slice(0, options.maxCount);
    const isEnd = events.length < options.maxCount;
    const head = this.events.at(-1)?.position;
    const nextAfter: LogPosition | null =
      isEnd && head && comparePositions(head, after) > 0
        ? head
        : (events.at(-1)?.position ?? options.after ?? null);
    return { events, nextAfter, isEnd };
  }
}

const TYPES = ['A', 'B', 'C'];
const CATEGORIES = ['lead', 'order', 'market'];
const filterArb = fc.record({
  eventTypes: fc.subarray(TYPES),
  streamCategories: fc.subarray(CATEGORIES),
});

/** Reads a whole log through `read` from `after`, page by page, as a subscription does. */
async function readToEnd(
  read: (options: ReadAllOptions) => Promise<ReadAllPage>,
  options: Omit<ReadAllOptions, 'after'> & { after: LogPosition | null },
): Promise<{ ids: string[]; end: LogPosition | null }> {
  const ids: string[] = [];
  let after = options.after;
  for (;;) {
    const page = await read({ ...options, after });
    ids.push(...page.events.map((event) => event.id));
    after = page.nextAfter ?? after;
    if (page.isEnd) return { ids, end: after };
  }
}

describe('SharedLogTail', () => {
  it('hands every subscription exactly what its own reads would have returned, whatever its filter, position and page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...TYPES), fc.constantFrom(...CATEGORIES)), { maxLength: 120 }),
        fc.array(fc.tuple(filterArb, fc.nat(130), fc.integer({ min: 1, max: 40 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 5, max: 50 }),
        async (appended, readers, pageSize) => {
          const log = new MemoryLog();
          appended.forEach(([type, category], i) => log.append(type, `${category}-${i % 7}`));
          const tail = new SharedLogTail({ read: log.read, pageSize, capacity: pageSize * 2 });
          for (const [filter, start, maxCount] of readers) {
            const after = log.events[Math.min(start, log.events.length) - 1]?.position ?? null;
            const shared = await readToEnd((o) => tail.read(o), { after, maxCount, filter });
            const own = await readToEnd(async (o) => log.readNow(o), { after, maxCount, filter });
            expect(shared.ids).toEqual(own.ids);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('shares one read among the subscriptions woken together, instead of one read each', async () => {
    const log = new MemoryLog();
    for (let i = 0; i < 50; i++) log.append(TYPES[i % 3]!, `lead-${i}`);
    const tail = new SharedLogTail({ read: log.read });
    // Twenty subscriptions at the head, each woken by the same ten appends.
    for (let i = 0; i < 10; i++) {
      log.append('A', `order-${i}`);
      log.reads = 0;
      const pages = await Promise.all(
        Array.from({ length: 20 }, (_, s) =>
          tail.read({
            after: log.events.at(-2)!.position,
            maxCount: 100,
            filter: { eventTypes: s % 2 ? ['A'] : ['A', 'B'] },
          }),
        ),
      );
      for (const page of pages) expect(page.events.map((event) => event.id)).toEqual([log.events.at(-1)!.id]);
      expect(log.reads).toBe(1);
    }
  });

  it('never answers a request with a read that started before it: an event committed in between is not missed', async () => {
    const log = new MemoryLog();
    log.append('A', 'lead-1');
    const tail = new SharedLogTail({ read: log.read });
    const start = log.events[0]!.position;
    let open!: () => void;
    log.gate = new Promise<void>((resolve) => (open = resolve));
    // A read in flight, taken before the second event was committed ...
    const first = tail.read({ after: start, maxCount: 10 });
    while (log.reads === 0) await new Promise((resolve) => setImmediate(resolve));
    log.append('A', 'lead-2');
    // ... and a subscription woken by the second event asks now.
    const second = tail.read({ after: start, maxCount: 10 });
    open();
    log.gate = null;
    expect((await first).events).toEqual([]);
    expect((await second).events.map((event) => event.id)).toEqual([log.events[1]!.id]);
  });

  it('does not end a page at what it held before the request: a newer subscription gets everything committed before it asked', async () => {
    const log = new MemoryLog();
    for (let i = 0; i < 20; i++) log.append('A', `lead-${i}`);
    const tail = new SharedLogTail({ read: log.read });
    expect((await tail.read({ after: null, maxCount: 500 })).events).toHaveLength(20);
    for (let i = 20; i < 40; i++) log.append('B', `lead-${i}`);
    const page = await tail.read({ after: null, maxCount: 500 });
    expect(page.events.map((event) => event.id)).toEqual(log.events.map((event) => event.id));
    expect(page.isEnd).toBe(true);
  });

  it('reads on its own for a subscription behind what it holds (catching up), with its filter', async () => {
    const log = new MemoryLog();
    for (let i = 0; i < 30; i++) log.append(TYPES[i % 3]!, `lead-${i}`);
    const tail = new SharedLogTail({ read: log.read, pageSize: 10, capacity: 10 });
    // The tail follows a subscription at the head ...
    await readToEnd((o) => tail.read(o), { after: log.events[24]!.position, maxCount: 100 });
    const before = tail.stats.direct;
    // ... and one from the start reads its own pages until it reaches what is held.
    const all = await readToEnd((o) => tail.read(o), {
      after: null,
      maxCount: 4,
      filter: { eventTypes: ['B'] },
    });
    expect(all.ids).toEqual(log.events.filter((event) => event.type === 'B').map((event) => event.id));
    expect(tail.stats.direct).toBeGreaterThan(before);
  });

  it('freezes the events it shares, nested values included, so that no handler changes another one’s', async () => {
    const log = new MemoryLog();
    log.append('A', 'lead-1');
    const tail = new SharedLogTail({ read: log.read });
    const page = await tail.read({ after: null, maxCount: 10 });
    const data = page.events[0]!.data as { n: number; nested: { list: number[] } };
    expect(() => {
      data.n = 2;
    }).toThrow(TypeError);
    expect(() => data.nested.list.push(3)).toThrow(TypeError);
  });
});
