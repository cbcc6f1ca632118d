import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { PostgresEventStore } from '#lx/event-store';
import { readModelSearchPath } from './projection.js';
import { readCheckpoint } from './projection-schema.js';
import { ProjectionRunner } from './projection-runner.js';
import { rebuildProjection } from './rebuild-projection.js';
import { RebuildInProgressError } from './errors.js';
import {
  StreamTotalEntity,
  countingProjection,
  openThingDatabase,
  type ThingDatabase,
} from './testing/counting-projection.js';
import { allThingEvents, appendThings, timesApplied } from './testing/thing-log.js';

// jest-circus reads testTimeout from the global config only, not from the `int` project's.
jest.setTimeout(60_000);

describe('rebuildProjection', () => {
  let things: ThingDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let live: ProjectionRunner;
  const projection = countingProjection();
  const liveLog: string[] = [];

  beforeAll(async () => {
    // The app's DataSource: read models on the search_path, so repositories use bare table names.
    things = await openThingDatabase('rebuild_projection', {
      extra: { options: readModelSearchPath([projection]) },
    });
    ({ store, dataSource } = things);
    live = await ProjectionRunner.start({
      projection,
      store,
      dataSource,
      pollIntervalMs: 50,
      log: (message) => liveLog.push(message),
    });
  });

  afterAll(async () => {
    await live?.stop();
    await things?.close();
  });

  const eventsServed = async () =>
    (await dataSource.getRepository(StreamTotalEntity).find()).reduce((sum, total) => sum + total.events, 0);

  const schemaOid = async (schema: string): Promise<string | null> =>
    (await dataSource.query('SELECT to_regnamespace($1)::oid::text AS oid', [schema]))[0].oid;

  const expectLiveExactlyOnce = async () => {
    const events = await allThingEvents(store);
    const applied = await timesApplied(dataSource, 'rm_thing_counts');
    expect([...applied.keys()].sort()).toEqual(events.map((e) => e.id).sort());
    expect([...applied.values()].every((times) => times === 1)).toBe(true);
    expect(await eventsServed()).toBe(events.length);
    expect((await readCheckpoint(dataSource, 'rm_thing_counts'))?.position).toEqual(events.at(-1)!.position);
  };

  it('replays into fresh tables while the live ones serve reads, swaps them in, and the live runner carries on', async () => {
    const last = await appendThings(store, 3, 20);
    await live.waitForPosition(last);
    const liveOid = await schemaOid('rm_thing_counts');

    let finished = false;
    const rebuilding = rebuildProjection({
      projection: countingProjection({ delayMs: 5 }), // slow enough to be watched
      store,
      dataSource,
      live,
    }).finally(() => (finished = true));
    const served: number[] = [];
    let sawNextSchema = false;
    while (!finished) {
      served.push(await eventsServed());
      sawNextSchema ||= (await schemaOid('rm_thing_counts__next')) !== null;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const report = await rebuilding;

    expect(sawNextSchema).toBe(true);
    expect(served.length).toBeGreaterThan(3);
    expect(served.every((count) => count === 60)).toBe(true); // reads never saw a partial model
    expect(report).toMatchObject({
      projection: 'thing_counts',
      position: last,
      eventsApplied: 60,
      swapped: true,
    });
    expect(report.comparison.equal).toBe(true);
    expect(report.comparison.rebuilt.position).toEqual(report.comparison.live.position);
    expect(report.comparison.tables.map((t) => [t.table, t.liveRows, t.rebuiltRows])).toEqual([
      ['applied_event', 60, 60],
      ['stream_total', 3, 3],
    ]);
    expect(await schemaOid('rm_thing_counts')).not.toBe(liveOid);
    const leftovers = await dataSource.query(
      `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm_thing_counts_%'`,
    );
    expect(leftovers).toEqual([]);

    const more = await appendThings(store, 1, 5);
    await live.waitForPosition(more);
    await expectLiveExactlyOnce();
    expect(await live.status()).toMatchObject({ lagging: false, lastError: null, eventsApplied: 65 });
    expect(liveLog.filter((message) => message.includes('no longer at'))).toEqual([]); // no restart needed
  });

  it('swaps under a live runner of another process, which notices through its checkpoint', async () => {
    await live.pause(); // a slow live runner elsewhere: the rebuild will get ahead of it
    let appending = true;
    const appends = (async () => {
      let last = await appendThings(store, 1, 3);
      while (appending) last = await appendThings(store, 1, 3);
      return last;
    })();
    const report = await rebuildProjection({ projection, store, dataSource, keepOldSchema: true });
    live.resume();
    appending = false;
    const last = await appends;
    await live.waitForPosition(last);

    expect(report.swapped).toBe(true);
    expect(report.keptSchema).toBe('rm_thing_counts__old_1');
    // Whether the live runner had to restart depends on how far the rebuild got ahead of it under
    // the machine's load; what must hold either way is that nothing was applied twice or lost.
    await expectLiveExactlyOnce();
    await dataSource.query('DROP SCHEMA rm_thing_counts__old_1 CASCADE');
  });

  it('reports the rows that differ, in a dry run that leaves the live tables in place', async () => {
    await live.pause(); // so the tampered row stays as it is
    try {
      const [original] = await dataSource.query('SELECT * FROM stream_total ORDER BY stream_name LIMIT 1');
      await dataSource.query('UPDATE stream_total SET events = events + 100 WHERE stream_name = $1', [
        original.stream_name,
      ]);
      const oid = await schemaOid('rm_thing_counts');
      const [audit, concurrent] = await Promise.allSettled([
        rebuildProjection({
          projection: countingProjection({ delayMs: 2 }),
          store,
          dataSource,
          dryRun: true,
        }),
        new Promise((resolve) => setTimeout(resolve, 100)).then(() =>
          rebuildProjection({ projection, store, dataSource }),
        ),
      ]);
      expect(concurrent.status === 'rejected' && concurrent.reason).toBeInstanceOf(RebuildInProgressError);
      if (audit.status === 'rejected') throw audit.reason;

      const report = audit.value;
      expect(report.swapped).toBe(false);
      expect(report.comparison.equal).toBe(false);
      const streamTotals = report.comparison.tables.find((t) => t.table === 'stream_total')!;
      expect(streamTotals.equal).toBe(false);
      expect(streamTotals.liveRows).toBe(streamTotals.rebuiltRows);
      expect(streamTotals.onlyInLive).toEqual([{ ...original, events: original.events + 100 }]);
      expect(streamTotals.onlyInRebuilt).toEqual([original]);
      expect(report.comparison.tables.find((t) => t.table === 'applied_event')?.equal).toBe(true);
      expect(await schemaOid('rm_thing_counts')).toBe(oid);
      expect(await schemaOid('rm_thing_counts__next')).toBeNull();
    } finally {
      live.resume();
    }
  });
});
