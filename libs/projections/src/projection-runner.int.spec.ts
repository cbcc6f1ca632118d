import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, type RecordedEvent } from '#lx/event-store';
import { liveSchemaOf, type Projection } from './projection.js';
import { readCheckpoint } from './projection-schema.js';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner.js';
import { ProjectionVersionMismatchError } from './errors.js';
import {
  countingProjection,
  type CountingProjectionOptions,
  openThingDatabase,
  type ThingDatabase,
} from './testing/counting-projection.js';
import { allThingEvents, appendThings, timesApplied, waitFor } from './testing/thing-log.js';

// jest-circus reads testTimeout from the global config only, not from the `int` project's.
jest.setTimeout(60_000);

describe('ProjectionRunner', () => {
  let things: ThingDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  const runners: ProjectionRunner[] = [];

  beforeAll(async () => {
    things = await openThingDatabase('projection_runner', { poolSize: 12 });
    ({ store, dataSource } = things);
  });

  afterAll(async () => {
    for (const runner of runners) await runner.stop();
    await things?.close();
  });

  /** A runner on the suite's database, polling every 50 ms, stopped when the suite ends. */
  const started = async (
    options: Omit<ProjectionRunnerOptions, 'store' | 'dataSource' | 'pollIntervalMs'>,
  ) => {
    const runner = await ProjectionRunner.start({ store, dataSource, pollIntervalMs: 50, ...options });
    runners.push(runner);
    return runner;
  };
  const start = (options: CountingProjectionOptions & { retryDelayMs?: number }) =>
    started({ projection: countingProjection(options), retryDelayMs: options.retryDelayMs });

  /** The projection in `schema` holds every ThingHappened of the log exactly once. */
  const expectExactlyOnce = async (schema: string) => {
    const events = await allThingEvents(store);
    const applied = await timesApplied(dataSource, schema);
    expect([...applied.keys()].sort()).toEqual(events.map((e) => e.id).sort());
    expect([...applied.values()].every((times) => times === 1)).toBe(true);
    const stored = await readCheckpoint(dataSource, schema);
    expect(stored).toMatchObject({ eventsApplied: events.length, position: events.at(-1)!.position });
    const [totals] = await dataSource.query(`SELECT sum(events)::int AS events FROM ${schema}.stream_total`);
    expect(totals.events).toBe(events.length);
    return events;
  };

  it('applies every matching event exactly once and checkpoints the last one', async () => {
    await appendThings(store, 3, 10);
    await store.appendToStream(
      `other-${randomBytes(3).toString('hex')}`,
      [{ type: 'OtherThingHappened', data: {} }],
      {
        expectedRevision: 'any',
      },
    );
    const runner = await start({ name: 'first_run' });
    await runner.caughtUp;
    const events = await expectExactlyOnce('rm_first_run');
    expect(runner.position()).toEqual(events.at(-1)!.position);

    // Live, after catching up.
    const last = await appendThings(store, 2, 3);
    await runner.waitForPosition(last);
    await expectExactlyOnce('rm_first_run');
    expect(await runner.status()).toMatchObject({
      name: 'first_run',
      schema: 'rm_first_run',
      position: last,
      lagging: false,
      running: true,
      lastError: null,
    });
  });

  it('applies nothing twice when it crashes between its write and its checkpoint', async () => {
    await appendThings(store, 2, 5);
    const events = await allThingEvents(store);
    const victim = events[Math.floor(events.length / 2)]!;
    let crashing = true;
    const crashed = await start({
      name: 'crashing',
      retryDelayMs: 20,
      crashAfterWrite: (event) => crashing && event.id === victim.id,
    });
    await waitFor(async () => (await crashed.status()).lastError !== null);

    // The victim's write was rolled back with its checkpoint: the read model stops just before it.
    const before = await timesApplied(dataSource, 'rm_crashing');
    expect(before.has(victim.id)).toBe(false);
    expect([...before.values()].every((times) => times === 1)).toBe(true);
    const stored = await readCheckpoint(dataSource, 'rm_crashing');
    expect(stored?.position).toEqual(events[events.indexOf(victim) - 1]!.position);
    expect(await crashed.status()).toMatchObject({
      lagging: true,
      lastError: expect.stringContaining('crash'),
    });

    await crashed.stop(); // the process dies; a new one starts with the fault gone
    crashing = false;
    const restarted = await start({ name: 'crashing' });
    await restarted.caughtUp;
    await expectExactlyOnce('rm_crashing');
  });

  it('applies nothing twice when the database session dies mid-event, and retries by itself', async () => {
    await appendThings(store, 1, 4);
    const victim = (await allThingEvents(store)).at(-2)!;
    let kills = 0;
    const runner = await start({
      name: 'killed_session',
      retryDelayMs: 20,
      killConnectionAfterWrite: (event) => event.id === victim.id && kills++ === 0,
    });
    await runner.caughtUp;
    expect(kills).toBe(2); // killed once, applied on the retry
    await expectExactlyOnce('rm_killed_session');
  });

  it('resumes from its checkpoint after a stop', async () => {
    const first = await start({ name: 'resuming' });
    await first.caughtUp;
    await first.stop();
    await appendThings(store, 2, 4);
    const handled: RecordedEvent[] = [];
    const second = await start({ name: 'resuming', onHandled: (event) => handled.push(event) });
    await second.caughtUp;
    const events = await expectExactlyOnce('rm_resuming');
    expect(handled.map((e) => e.id)).toEqual(events.slice(-8).map((e) => e.id));
  });

  it('lets two processes run the same projection: each event is applied once, by one of them', async () => {
    await appendThings(store, 4, 5);
    const handled: string[] = [];
    const one = await start({ name: 'contended', onHandled: (event) => handled.push(event.id) });
    const two = await start({ name: 'contended', onHandled: (event) => handled.push(event.id) });
    await Promise.all([one.caughtUp, two.caughtUp]);
    const last = await appendThings(store, 2, 5);
    await Promise.all([one.waitForPosition(last), two.waitForPosition(last)]);
    const events = await expectExactlyOnce('rm_contended');
    // The loser of each compare-and-set backs off before its handler runs.
    expect(handled.sort()).toEqual(events.map((e) => e.id).sort());
  });

  /** The counting projection, noting the transaction (txid) each event is handled in. */
  const noteTransactions = (options: CountingProjectionOptions) => {
    const base = countingProjection(options);
    const transactions: { eventId: string; txid: string }[] = [];
    const projection: Projection = {
      ...base,
      async handle(event, manager) {
        await base.handle(event, manager);
        const [{ txid }] = await manager.query('SELECT txid_current()::text AS txid');
        transactions.push({ eventId: event.id, txid });
      },
    };
    /** Event ids by committed transaction, in log order (the handler's notes of rolled-back ones dropped). */
    const committed = (events: RecordedEvent[]) => {
      const last = new Map(transactions.map((note) => [note.eventId, note.txid] as const));
      const groups: string[][] = [];
      let previous: string | undefined;
      for (const event of events) {
        const txid = last.get(event.id);
        if (txid !== previous) groups.push([]);
        groups.at(-1)!.push(event.id);
        previous = txid;
      }
      return { groups, distinct: new Set(last.values()).size };
    };
    return { projection, committed };
  };

  it('applies a page of events in one transaction, live events in their own', async () => {
    await appendThings(store, 3, 10);
    const { projection, committed } = noteTransactions({ name: 'paged' });
    const runner = await started({ projection, batchSize: 8 });
    await runner.caughtUp;
    const caughtUp = await expectExactlyOnce('rm_paged');
    const { groups, distinct } = committed(caughtUp);
    // Consecutive events share a transaction, up to a page (batchSize) each.
    expect(distinct).toBe(groups.length);
    expect(groups.every((group) => group.length <= 8)).toBe(true);
    expect(groups.some((group) => group.length > 1)).toBe(true);
    expect(groups.length).toBeLessThan(caughtUp.length);

    // Live: one event appended at a time is one page, one transaction.
    for (let i = 0; i < 3; i++) await runner.waitForPosition(await appendThings(store, 1, 1));
    const all = await expectExactlyOnce('rm_paged');
    expect(committed(all).groups.slice(-3)).toEqual(all.slice(-3).map((event) => [event.id]));
  });

  it('with eventsPerTransaction 1, applies one event per transaction', async () => {
    await appendThings(store, 2, 10);
    const { projection, committed } = noteTransactions({ name: 'per_event' });
    const runner = await started({ projection, eventsPerTransaction: 1 });
    await runner.caughtUp;
    const events = await expectExactlyOnce('rm_per_event');
    const { groups, distinct } = committed(events);
    expect(groups).toEqual(events.map((event) => [event.id]));
    expect(distinct).toBe(events.length);
  });

  it('a failing event inside a page: the events before it commit, one by one, and it is the one reported', async () => {
    await appendThings(store, 2, 10);
    const events = await allThingEvents(store);
    const victimIndex = events.length - 7;
    const victim = events[victimIndex]!;
    const messages: string[] = [];
    let crashing = true;
    const { projection, committed } = noteTransactions({
      name: 'failing_page',
      crashAfterWrite: (event) => crashing && event.id === victim.id,
    });
    const runner = await started({ projection, retryDelayMs: 20, log: (message) => messages.push(message) });
    await waitFor(async () => (await runner.status()).lastError !== null);
    await runner.pause(); // hold the retries while the tables are inspected

    const applied = await timesApplied(dataSource, 'rm_failing_page');
    expect([...applied.keys()].sort()).toEqual(
      events
        .slice(0, victimIndex)
        .map((e) => e.id)
        .sort(),
    );
    expect([...applied.values()].every((times) => times === 1)).toBe(true);
    expect(await readCheckpoint(dataSource, 'rm_failing_page')).toMatchObject({
      position: events[victimIndex - 1]!.position,
      eventsApplied: victimIndex,
    });
    expect(await runner.status()).toMatchObject({
      lastError: expect.stringContaining(`crash after writing ${victim.id}`),
    });
    expect(messages.some((message) => message.includes('applying them one by one'))).toBe(true);
    // After the fallback the events before the victim were committed each in its own transaction.
    expect(committed(events.slice(0, victimIndex)).groups.every((group) => group.length === 1)).toBe(true);

    crashing = false; // the fault is fixed: the runner's next retry applies the rest
    runner.resume();
    await runner.waitForPosition(events.at(-1)!.position);
    await expectExactlyOnce('rm_failing_page');
  });

  it('runs afterBatch once per transaction; a broken invariant stops on the event that broke it', async () => {
    await appendThings(store, 2, 10);
    const events = await allThingEvents(store);
    const victimIndex = events.length - 5;
    const victim = events[victimIndex]!;
    const batchSizes: number[] = [];
    const projection: Projection = {
      ...countingProjection({ name: 'checked_batches' }),
      async afterBatch(batch, manager) {
        batchSizes.push(batch.length);
        const [{ n }] = await manager.query(
          `SELECT count(*)::int AS n FROM applied_event WHERE event_id = $1`,
          [victim.id],
        );
        if (n > 0) throw new Error(`invariant broken by ${victim.id}`);
      },
    };
    const runner = await started({ projection, retryDelayMs: 20 });
    await waitFor(async () => (await runner.status()).lastError !== null);
    await runner.pause();
    // Checked per batch (a page at first), then per event once the page failed.
    expect(batchSizes[0]).toBeGreaterThan(1);
    expect(batchSizes.filter((size) => size === 1).length).toBeGreaterThanOrEqual(victimIndex);
    expect(await readCheckpoint(dataSource, 'rm_checked_batches')).toMatchObject({
      position: events[victimIndex - 1]!.position,
      eventsApplied: victimIndex,
    });
    expect(await runner.status()).toMatchObject({
      lastError: expect.stringContaining(`invariant broken by ${victim.id}`),
    });
    await runner.stop();
  });

  it('hands a page of several events to handleBatch, single events to handle; a failing batch is applied by handle, one by one', async () => {
    await appendThings(store, 2, 10);
    const events = await allThingEvents(store);
    const victim = events[events.length - 4]!;
    const counting = countingProjection({ name: 'batch_hook' });
    const batches: number[] = [];
    const singles: string[] = [];
    const projection: Projection = {
      ...counting,
      handle: async (event, manager) => {
        singles.push(event.id);
        await counting.handle(event, manager);
      },
      async handleBatch(batch, manager) {
        batches.push(batch.length);
        for (const event of batch) await counting.handle(event, manager);
        if (batch.some((event) => event.id === victim.id))
          throw new Error('this batch cannot be applied at once');
      },
    };
    const runner = await started({ projection, batchSize: 500 });
    await runner.caughtUp;
    // The whole log was one page: one handleBatch call, which failed and rolled back; then handle per event.
    expect(batches[0]).toBe(events.length);
    expect(singles).toEqual(events.map((event) => event.id));
    await expectExactlyOnce('rm_batch_hook');
    // Live, one event at a time: handle only.
    const before = batches.length;
    await runner.waitForPosition(await appendThings(store, 1, 1));
    expect(batches.length).toBe(before);
    expect(singles).toHaveLength(events.length + 1);
    await expectExactlyOnce('rm_batch_hook');
  });

  it('stopped in the middle of a page, leaves the rest of it unapplied for the next run', async () => {
    await appendThings(store, 2, 10);
    const first = await ProjectionRunner.start({
      projection: countingProjection({ name: 'stopped_mid_page', delayMs: 5 }),
      store,
      dataSource,
      eventsPerTransaction: 2,
      pollIntervalMs: 50,
    });
    await waitFor(async () => (await readCheckpoint(dataSource, 'rm_stopped_mid_page'))!.eventsApplied >= 4);
    await first.stop();
    const events = await allThingEvents(store);
    const stopped = (await readCheckpoint(dataSource, 'rm_stopped_mid_page'))!;
    expect(stopped.eventsApplied).toBeLessThan(events.length);
    expect(stopped.eventsApplied % 2).toBe(0); // whole transactions of two events
    expect(stopped.position).toEqual(events[stopped.eventsApplied - 1]!.position);
    expect(first.position()).toEqual(stopped.position);
    expect((await timesApplied(dataSource, 'rm_stopped_mid_page')).size).toBe(stopped.eventsApplied);

    const second = await start({ name: 'stopped_mid_page' });
    await second.caughtUp;
    await expectExactlyOnce('rm_stopped_mid_page');
  });

  it('refuses tables built by another version of the projection', async () => {
    const runner = await start({ name: 'versioned' });
    await runner.caughtUp;
    await runner.stop();
    await expect(start({ name: 'versioned', version: 2 })).rejects.toBeInstanceOf(
      ProjectionVersionMismatchError,
    );
    expect(liveSchemaOf({ name: 'versioned' })).toBe('rm_versioned');
  });
});
