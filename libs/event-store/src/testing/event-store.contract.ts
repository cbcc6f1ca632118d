import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventStore, NewEvent, RecordedEvent } from '../event-store.port.js';
import {
  EventSchemaError,
  EventStreamMismatchError,
  EventTooLargeError,
  InvalidStreamNameError,
  UnknownEventTypeError,
  WrongExpectedVersionError,
} from '../errors.js';
import { comparePositions } from '../log-position.js';

/** Direct access to the storage underneath the port, for the tests a port cannot express. */
export interface StorageBackdoor {
  /** Appends inside a transaction that stays open `commitDelayMs` before committing. */
  appendWithCommitDelay(stream: string, events: NewEvent[], commitDelayMs: number): Promise<void>;
  alterEventData(stream: string, revision: number): Promise<void>;
  deleteEvent(stream: string, revision: number): Promise<void>;
  insertForgedEvent(stream: string, afterRevision: number): Promise<void>;
}

export interface ContractHarness {
  store: EventStore;
  /** Opens a second, independent connection to the same store (another process, in effect). */
  reconnect(): Promise<EventStore>;
  backdoor?: StorageBackdoor;
  /** Whether appendToStreams is all-or-nothing (PostgreSQL) or stream by stream (EventStoreDB). */
  atomicMultiStreamAppends: boolean;
  cleanup(): Promise<void>;
}

/**
 * The harness's `reconnect`, and the closing of every store it opened: what an adapter's harness
 * needs besides its first store.
 */
export function otherConnections(connect: () => Promise<EventStore>): {
  reconnect(): Promise<EventStore>;
  closeAll(): Promise<void>;
} {
  const others: EventStore[] = [];
  return {
    async reconnect() {
      const other = await connect();
      others.push(other);
      return other;
    },
    async closeAll() {
      await Promise.all(others.map((other) => other.close().catch(() => undefined)));
    },
  };
}

const thing = (n: number, id?: string): NewEvent => ({ id, type: 'ThingHappened', data: { n } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Generous on purpose: on PostgreSQL a transaction anywhere on the server (another database
 * included) holds back the horizon readers read below, so on a busy shared server events can take
 * seconds to become readable. Correctness is what these tests check, not latency.
 */
async function waitFor(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for condition');
    await sleep(10);
  }
}

/**
 * The behaviour every event-store adapter must have. PostgreSQL runs it always, EventStoreDB
 * whenever LX_EVENTSTOREDB_URL is set. The harness's stores use `contractTestCatalogue`.
 */
export function describeEventStoreContract(
  adapterName: string,
  connect: () => Promise<ContractHarness>,
): void {
  describe(`event store contract: ${adapterName}`, () => {
    let harness: ContractHarness;
    let store: EventStore;
    const run = randomBytes(3).toString('hex');
    const stream = (name: string) => `${name}-${run}${randomBytes(3).toString('hex')}`;

    beforeAll(async () => {
      harness = await connect();
      store = harness.store;
    });
    afterAll(async () => harness?.cleanup());

    describe('appending with an expected state', () => {
      it('no_stream creates a stream once and refuses it afterwards', async () => {
        const s = stream('thing');
        const first = await store.appendToStream(s, [thing(1)], { expectedRevision: 'no_stream' });
        expect(first).toMatchObject({ nextRevision: 0, written: true });
        await expect(
          store.appendToStream(s, [thing(2)], { expectedRevision: 'no_stream' }),
        ).rejects.toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.readStream(s)).toHaveLength(1);
      });

      it('stream_exists refuses a stream that does not exist and accepts one that does', async () => {
        const s = stream('thing');
        await expect(
          store.appendToStream(s, [thing(1)], { expectedRevision: 'stream_exists' }),
        ).rejects.toBeInstanceOf(WrongExpectedVersionError);
        await store.appendToStream(s, [thing(1)], { expectedRevision: 'any' });
        const second = await store.appendToStream(s, [thing(2)], { expectedRevision: 'stream_exists' });
        expect(second.nextRevision).toBe(1);
      });

      it('an exact revision must match the last revision', async () => {
        const s = stream('thing');
        await expect(store.appendToStream(s, [thing(1)], { expectedRevision: 0 })).rejects.toBeInstanceOf(
          WrongExpectedVersionError,
        );
        await store.appendToStream(s, [thing(1), thing(2)], { expectedRevision: 'no_stream' });
        await expect(store.appendToStream(s, [thing(3)], { expectedRevision: 0 })).rejects.toMatchObject({
          code: 'wrong-expected-version',
          actual: 1,
        });
        const ok = await store.appendToStream(s, [thing(3)], { expectedRevision: 1 });
        expect(ok.nextRevision).toBe(2);
      });

      it('any appends whatever the state', async () => {
        const s = stream('thing');
        await store.appendToStream(s, [thing(1)], { expectedRevision: 'any' });
        await store.appendToStream(s, [thing(2)], { expectedRevision: 'any' });
        expect((await store.readStream(s)).map((e) => (e.data as { n: number }).n)).toEqual([1, 2]);
      });

      it('50 concurrent appends at the same expected revision: exactly one wins', async () => {
        const s = stream('race');
        await store.appendToStream(s, [thing(0)], { expectedRevision: 'no_stream' });
        const results = await Promise.allSettled(
          Array.from({ length: 50 }, (_, i) =>
            store.appendToStream(s, [thing(i + 1)], { expectedRevision: 0 }),
          ),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(49);
        for (const loss of lost)
          expect((loss as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.readStream(s)).toHaveLength(2);
      });
    });

    describe('appending to several streams at once', () => {
      it('appends each stream with its own expected state', async () => {
        const [a, b, c] = [stream('many'), stream('many'), stream('many')];
        await store.appendToStream(b, [thing(0)], { expectedRevision: 'no_stream' });
        const results = await store.appendToStreams([
          { stream: a, events: [thing(1), thing(2)], expectedRevision: 'no_stream' },
          { stream: b, events: [thing(3)], expectedRevision: 0 },
          { stream: c, events: [thing(4)], expectedRevision: 'any' },
        ]);
        expect(results.map((r) => [r.nextRevision, r.written])).toEqual([
          [1, true],
          [1, true],
          [0, true],
        ]);
        expect(await store.readStream(b)).toHaveLength(2);
        expect(await store.appendToStreams([])).toEqual([]);
      });

      it('refuses bad input in any write before writing any stream', async () => {
        const [a, b] = [stream('many'), stream('many')];
        await expect(
          store.appendToStreams([
            { stream: a, events: [thing(1)], expectedRevision: 'any' },
            { stream: b, events: [{ type: 'NoSuchEvent', data: {} }], expectedRevision: 'any' },
          ]),
        ).rejects.toBeInstanceOf(UnknownEventTypeError);
        expect(await store.readStream(a)).toHaveLength(0);
      });

      it('writes nothing when one stream is not in its expected state (where the store is atomic)', async () => {
        if (!harness.atomicMultiStreamAppends) return;
        const [a, b] = [stream('many'), stream('many')];
        await store.appendToStream(b, [thing(0)], { expectedRevision: 'no_stream' });
        await expect(
          store.appendToStreams([
            { stream: a, events: [thing(1)], expectedRevision: 'no_stream' },
            { stream: b, events: [thing(2)], expectedRevision: 'no_stream' },
          ]),
        ).rejects.toMatchObject({ code: 'wrong-expected-version', stream: b, actual: 0 });
        expect(await store.readStream(a)).toHaveLength(0);
        expect(await store.readStream(b)).toHaveLength(1);
      });
    });

    describe('idempotency', () => {
      it('re-appending the same event ids writes no duplicate', async () => {
        const s = stream('idem');
        const events = [thing(1, randomUUID()), thing(2, randomUUID())];
        const first = await store.appendToStream(s, events, { expectedRevision: 'no_stream' });
        const again = await store.appendToStream(s, events, { expectedRevision: 'any' });
        expect(again).toMatchObject({ written: false, nextRevision: first.nextRevision });
        expect(comparePositions(again.position, first.position)).toBe(0);
        const concurrent = await Promise.allSettled(
          [1, 2, 3].map(() => store.appendToStream(s, events, { expectedRevision: 'any' })),
        );
        expect(concurrent.every((r) => r.status === 'fulfilled')).toBe(true);
        expect(await store.readStream(s)).toHaveLength(2);
      });
    });

    describe('bad input is refused before anything is written', () => {
      it.each([
        ['an invalid stream name', 'no category', [thing(1)], InvalidStreamNameError],
        ['an unknown event type', 'bad-1', [{ type: 'NoSuchEvent', data: {} }], UnknownEventTypeError],
        [
          'data that does not fit the schema',
          'bad-2',
          [{ type: 'ThingHappened', data: { n: 'x' } }],
          EventSchemaError,
        ],
        [
          'an event in a stream its type does not allow',
          'bad-3',
          [{ type: 'OtherThingHappened', data: {} }],
          EventStreamMismatchError,
        ],
        [
          'an event over the size limit',
          'bad-4',
          [{ type: 'ThingHappened', data: { n: 1, text: 'x'.repeat(1_100_000) } }],
          EventTooLargeError,
        ],
      ])('%s', async (_label, name, events, errorType) => {
        const s = name.includes(' ') ? name : `${name}${run}`;
        await expect(
          store.appendToStream(s, events as NewEvent[], { expectedRevision: 'any' }),
        ).rejects.toBeInstanceOf(errorType);
        if (!name.includes(' ')) expect(await store.readStream(s)).toHaveLength(0);
      });

      it('a batch with one bad event writes none of them', async () => {
        const s = stream('batch');
        const events = [thing(1), thing(2), { type: 'ThingHappened', data: { n: 3, extra: true } }, thing(4)];
        await expect(store.appendToStream(s, events, { expectedRevision: 'any' })).rejects.toBeInstanceOf(
          EventSchemaError,
        );
        expect(await store.readStream(s)).toHaveLength(0);
      });
    });

    describe('reading', () => {
      it('reads a stream forwards and backwards, from a revision, with a limit', async () => {
        const s = stream('read');
        await store.appendToStream(
          s,
          [1, 2, 3, 4, 5].map((n) => thing(n)),
          { expectedRevision: 'no_stream' },
        );
        const n = (events: RecordedEvent[]) => events.map((e) => (e.data as { n: number }).n);
        expect(n(await store.readStream(s))).toEqual([1, 2, 3, 4, 5]);
        expect(n(await store.readStream(s, { direction: 'backwards' }))).toEqual([5, 4, 3, 2, 1]);
        expect(n(await store.readStream(s, { fromRevision: 2, maxCount: 2 }))).toEqual([3, 4]);
        expect(
          n(await store.readStream(s, { direction: 'backwards', fromRevision: 2, maxCount: 2 })),
        ).toEqual([3, 2]);
        expect(await store.readStream(stream('never'))).toEqual([]);
        const [first] = await store.readStream(s);
        expect(first).toMatchObject({ revision: 0, streamName: s, type: 'ThingHappened' });
        expect(first!.metadata).toMatchObject({ actor: 'system', schemaVersion: 1 });
        expect(first!.hash).toMatch(/^[0-9a-f]{64}$/);
      });

      it('reads all from a position in batches, in order, filtered by category and type', async () => {
        const head = await store.headPosition();
        const a = stream('alpha');
        const b = stream('other');
        await store.appendToStream(a, [thing(1), thing(2)], { expectedRevision: 'no_stream' });
        await store.appendToStream(b, [{ type: 'OtherThingHappened', data: { x: 1 } }], {
          expectedRevision: 'no_stream',
        });
        const last = (await store.appendToStream(a, [thing(3)], { expectedRevision: 1 })).position;

        // Paging to the end; the end moves once transactions elsewhere on the server that hold the
        // readable horizon back (PostgreSQL) have finished, so page on until our last event is read.
        const seen: RecordedEvent[] = [];
        let after = head;
        const deadline = Date.now() + 60_000;
        for (;;) {
          const page = await store.readAll({ after, maxCount: 2 });
          seen.push(...page.events);
          after = page.nextAfter ?? after;
          if (page.isEnd && seen.some((e) => comparePositions(e.position, last) >= 0)) break;
          if (Date.now() > deadline) throw new Error('the appended events never became readable');
          if (page.isEnd) await sleep(10);
        }
        const ours = seen.filter((e) => e.streamName === a || e.streamName === b);
        expect(ours.map((e) => `${e.streamName === a ? 'a' : 'b'}${e.revision}`)).toEqual([
          'a0',
          'a1',
          'b0',
          'a2',
        ]);
        for (let i = 1; i < seen.length; i++)
          expect(comparePositions(seen[i - 1]!.position, seen[i]!.position)).toBe(-1);

        const byCategory = await store.readAll({
          after: head,
          maxCount: 100,
          filter: { streamCategories: ['other'] },
        });
        expect(byCategory.events.map((e) => e.streamName)).toContain(b);
        expect(byCategory.events.every((e) => e.streamName.startsWith('other-'))).toBe(true);
        const byType = await store.readAll({
          after: head,
          maxCount: 100,
          filter: { eventTypes: ['OtherThingHappened'] },
        });
        expect(byType.events.every((e) => e.type === 'OtherThingHappened')).toBe(true);
      });
    });

    describe('subscriptions', () => {
      it('catch up, go live, and deliver in log order one at a time, filtered', async () => {
        const s = stream('sub');
        await store.appendToStream(s, [thing(1), thing(2)], { expectedRevision: 'no_stream' });
        await store.appendToStream(stream('other'), [{ type: 'OtherThingHappened', data: {} }], {
          expectedRevision: 'any',
        });
        const seen: number[] = [];
        let inFlight = 0;
        let maxInFlight = 0;
        const sub = store.subscribe(
          `contract-live-${run}`,
          async (event) => {
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await sleep(1);
            if (event.streamName === s) seen.push((event.data as { n: number }).n);
            inFlight--;
          },
          { filter: { streamCategories: ['sub'], eventTypes: ['ThingHappened'] }, pollIntervalMs: 50 },
        );
        await sub.caughtUp;
        expect(seen).toEqual([1, 2]);
        await store.appendToStream(s, [thing(3)], { expectedRevision: 1 });
        await store.appendToStream(s, [thing(4), thing(5)], { expectedRevision: 2 });
        await waitFor(() => seen.length === 5);
        await sub.stop();
        expect(seen).toEqual([1, 2, 3, 4, 5]);
        expect(maxInFlight).toBe(1);
      });

      it('a subscription stopped midway resumes from its checkpoint: none lost, none twice', async () => {
        const s = stream('resume');
        await store.appendToStream(
          s,
          Array.from({ length: 20 }, (_, i) => thing(i)),
          { expectedRevision: 'no_stream' },
        );
        const name = `contract-resume-${run}`;
        const seen: number[] = [];
        const first = store.subscribe(
          name,
          async (event) => {
            seen.push((event.data as { n: number }).n);
            if (seen.length === 7) void first.stop();
          },
          { filter: { streamCategories: ['resume'] }, batchSize: 3 },
        );
        await first.stopped;
        expect(seen).toHaveLength(7);
        await store.appendToStream(s, [thing(20), thing(21)], { expectedRevision: 19 });

        const other = await harness.reconnect();
        const second = other.subscribe(
          name,
          async (event) => void seen.push((event.data as { n: number }).n),
          {
            filter: { streamCategories: ['resume'] },
            batchSize: 3,
          },
        );
        await second.caughtUp;
        await waitFor(() => seen.length >= 22);
        await second.stop();
        await other.close();
        expect(seen).toEqual(Array.from({ length: 22 }, (_, i) => i));
      });

      it('delivers pages in log order, one at a time, at most batchSize each, checkpointed per page', async () => {
        const s = stream('pages');
        await store.appendToStream(
          s,
          Array.from({ length: 10 }, (_, i) => thing(i)),
          { expectedRevision: 'no_stream' },
        );
        await store.appendToStream(stream('other'), [{ type: 'OtherThingHappened', data: {} }], {
          expectedRevision: 'any',
        });
        const name = `contract-pages-${run}`;
        const options = { filter: { streamCategories: ['pages'] }, batchSize: 4, pollIntervalMs: 50 };
        const pages: number[][] = [];
        let inFlight = 0;
        let maxInFlight = 0;
        const first = store.subscribePages(
          name,
          async (events) => {
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await sleep(1);
            pages.push(events.map((event) => (event.data as { n: number }).n));
            inFlight--;
          },
          options,
        );
        await first.caughtUp;
        await first.stop();
        expect(pages.flat()).toEqual(Array.from({ length: 10 }, (_, i) => i));
        expect(pages.every((page) => page.length >= 1 && page.length <= 4)).toBe(true);
        expect(maxInFlight).toBe(1);
        const events = await store.readStream(s);
        expect(first.lastHandled()).toEqual(events.at(-1)!.position);

        // The store kept the checkpoint at the last page's end: a new subscription gets only what follows.
        await store.appendToStream(s, [thing(10), thing(11)], { expectedRevision: 9 });
        const later: number[][] = [];
        const second = store.subscribePages(
          name,
          async (page) => void later.push(page.map((event) => (event.data as { n: number }).n)),
          options,
        );
        await waitFor(() => later.flat().length >= 2);
        await second.stop();
        expect(later.flat()).toEqual([10, 11]);
      });

      it('a page handler that throws stops the subscription on that page, which counts as not handled', async () => {
        const s = stream('badpage');
        await store.appendToStream(
          s,
          Array.from({ length: 9 }, (_, i) => thing(i)),
          { expectedRevision: 'no_stream' },
        );
        const name = `contract-badpage-${run}`;
        const options = { filter: { streamCategories: ['badpage'] }, batchSize: 3 };
        const handled: number[][] = [];
        const errors: { error: unknown; n: number }[] = [];
        const failing = store.subscribePages(
          name,
          async (events) => {
            const page = events.map((event) => (event.data as { n: number }).n);
            if (page.includes(4)) throw new Error('bad page');
            handled.push(page);
          },
          {
            ...options,
            onError: (error, event) => errors.push({ error, n: (event.data as { n: number }).n }),
          },
        );
        await failing.stopped;
        const handledBefore = handled.flat();
        const failedFrom = handledBefore.length; // the bad page starts right after the pages handled
        expect(handledBefore).toEqual(Array.from({ length: failedFrom }, (_, i) => i));
        expect(failedFrom).toBeLessThanOrEqual(4);
        expect(errors).toEqual([{ error: new Error('bad page'), n: failedFrom }]);
        const events = await store.readStream(s);
        expect(failing.lastHandled()).toEqual(failedFrom === 0 ? null : events[failedFrom - 1]!.position);

        // Resuming from the checkpoint delivers the failed page again, from its first event.
        const resumed: number[][] = [];
        const again = store.subscribePages(
          name,
          async (page) => void resumed.push(page.map((event) => (event.data as { n: number }).n)),
          options,
        );
        await again.caughtUp;
        await again.stop();
        expect(resumed.flat()).toEqual(Array.from({ length: 9 - failedFrom }, (_, i) => failedFrom + i));
      });
    });

    describe('gap safety', () => {
      it('8 concurrent writers with random commit delays: a subscriber sees every event once, each stream in order', async () => {
        const backdoor = harness.backdoor;
        const category = `gap${run}`;
        const received: RecordedEvent[] = [];
        const sub = store.subscribe(`contract-gap-${run}`, async (event) => void received.push(event), {
          filter: { streamCategories: [category] },
          pollIntervalMs: 20,
        });
        await sub.caughtUp;

        const perWriter = 25;
        const writers = Array.from({ length: 8 }, async (_, w) => {
          const s = `${category}-w${w}`;
          for (let i = 0; i < perWriter; i++) {
            const events = [thing(i)];
            // Writer 0's first append is the long transaction: it takes its sequence number early
            // and commits after everything the other writers do meanwhile.
            const delay = w === 0 && i === 0 ? 1500 : Math.floor(Math.random() * 15);
            if (backdoor && delay > 0) await backdoor.appendWithCommitDelay(s, events, delay);
            else await store.appendToStream(s, events, { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
          }
        });
        await Promise.all(writers);
        await waitFor(() => received.length >= 8 * perWriter);
        await sleep(200);
        await sub.stop();

        expect(received).toHaveLength(8 * perWriter);
        expect(new Set(received.map((e) => e.id)).size).toBe(8 * perWriter);
        for (let w = 0; w < 8; w++) {
          const revisions = received
            .filter((e) => e.streamName === `${category}-w${w}`)
            .map((e) => e.revision);
          expect(revisions).toEqual(Array.from({ length: perWriter }, (_, i) => i));
        }
        for (let i = 1; i < received.length; i++)
          expect(comparePositions(received[i - 1]!.position, received[i]!.position)).toBe(-1);
      });
    });

    describe('hash chain integrity', () => {
      it('a clean log verifies', async () => {
        const s = stream('chain');
        await store.appendToStream(s, [thing(1), thing(2), thing(3)], { expectedRevision: 'no_stream' });
        const report = await store.verifyIntegrity({ streams: [s] });
        expect(report).toMatchObject({ ok: true, eventsChecked: 3, streamsChecked: 1 });
      });

      it('tells its progress while it checks, ending at the number of events checked', async () => {
        const s = stream('progress');
        await store.appendToStream(s, [thing(1), thing(2)], { expectedRevision: 'no_stream' });
        const seen: number[] = [];
        const report = await store.verifyIntegrity({
          streams: [s],
          onProgress: (checked) => seen.push(checked),
        });
        expect(seen.length).toBeGreaterThan(0);
        expect(seen.at(-1)).toBe(report.eventsChecked);
        expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      });

      it('an altered, a deleted and an inserted event are each reported at their stream and revision', async () => {
        const backdoor = harness.backdoor;
        if (!backdoor) return; // a hosted store offers no way to tamper with it underneath the port
        const altered = stream('tamper');
        const deleted = stream('tamper');
        const inserted = stream('tamper');
        for (const s of [altered, deleted, inserted])
          await store.appendToStream(
            s,
            [0, 1, 2, 3].map((n) => thing(n)),
            { expectedRevision: 'no_stream' },
          );

        await backdoor.alterEventData(altered, 2);
        expect(await store.verifyIntegrity({ streams: [altered] })).toMatchObject({
          ok: false,
          firstFailure: { stream: altered, revision: 2, reason: 'content-altered' },
        });
        await backdoor.deleteEvent(deleted, 1);
        expect(await store.verifyIntegrity({ streams: [deleted] })).toMatchObject({
          ok: false,
          firstFailure: { stream: deleted, revision: 1, reason: 'missing-event' },
        });
        await backdoor.insertForgedEvent(inserted, 1);
        expect(await store.verifyIntegrity({ streams: [inserted] })).toMatchObject({
          ok: false,
          firstFailure: { stream: inserted, revision: 2 },
        });
        const whole = await store.verifyIntegrity();
        expect(whole).toMatchObject({ ok: false, firstFailure: { stream: altered, revision: 2 } });
      });
    });
  });
}
