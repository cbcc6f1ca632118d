import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { PostgresEventStore, type RecordedEvent } from '#lx/event-store';
import { liveSchemaOf } from './projection.js';
import { readCheckpoint } from './projection-schema.js';
import { ProjectionRunner } from './projection-runner.js';
import { ProjectionVersionMismatchError } from './errors.js';
import {
  AppliedEventEntity,
  StreamTotalEntity,
  countingProjection,
  projectionTestCatalogue,
  type CountingProjectionOptions,
} from './testing/counting-projection.js';
import { allThingEvents, appendThings, timesApplied, waitFor } from './testing/thing-log.js';

// jest-circus reads testTimeout from the global config only, not from the `int` project's.
jest.setTimeout(60_000);

describe('ProjectionRunner', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  const runners: ProjectionRunner[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('projection_runner');
    store = await PostgresEventStore.connect({
      connectionString: database.url,
      registry: projectionTestCatalogue,
    });
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      entities: [AppliedEventEntity, StreamTotalEntity],
      poolSize: 12,
    });
    await dataSource.initialize();
  });

  afterAll(async () => {
    for (const runner of runners) await runner.stop();
    await dataSource?.destroy();
    await store?.close();
    await database?.drop();
  });

  const start = async (options: CountingProjectionOptions & { retryDelayMs?: number }) => {
    const runner = await ProjectionRunner.start({
      projection: countingProjection(options),
      store,
      dataSource,
      pollIntervalMs: 50,
      retryDelayMs: options.retryDelayMs,
    });
    runners.push(runner);
    return runner;
  };

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
