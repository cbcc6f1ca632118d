import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, interruptDatabase, type TestDatabase } from '#lx/testing';
import { contractTestCatalogue } from './testing/test-catalogue.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';
import { SupervisedSubscription } from './supervised-subscription.js';
import { supervisionStatuses } from './supervision.js';
import type { RecordedEvent } from './event-store.port.js';

/*
 * A subscription must never stop for good: a handler that fails for a while (a busy stream, a
 * lost connection) and a database that restarts under it are survived, and every event is handled
 * once, in order, from the checkpoint — where a bare subscription stops at the first failure.
 */

const things = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => ({ type: 'ThingHappened', data: { n: from + index } }));

async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('SupervisedSubscription', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('supervised_subscription');
    store = await PostgresEventStore.connect({
      connectionString: database.url,
      registry: contractTestCatalogue,
    });
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('restarts after a handler fails for a while, then handles every event exactly once', async () => {
    await store.appendToStream('transient-1', things(0, 10), { expectedRevision: 'no_stream' });
    const handled: number[] = [];
    let failuresLeft = 3;
    const subscription = new SupervisedSubscription(
      store,
      'transient-handler',
      async (event: RecordedEvent) => {
        const { n } = event.data as { n: number };
        if (n === 6 && failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('the buyer stream is busy');
        }
        handled.push(n);
      },
      { filter: { streamCategories: ['transient'] }, pollIntervalMs: 50, retryDelayMs: 20 },
    );
    try {
      await waitUntil('the first ten events', () => handled.length >= 10);
      await store.appendToStream('transient-1', things(10, 5), { expectedRevision: 9 });
      await waitUntil('the later events', () => handled.length >= 15);
      await sleep(200); // anything delivered twice would show up by now
      expect(handled).toEqual(Array.from({ length: 15 }, (_, n) => n));
      expect(subscription.status()).toMatchObject({ restarts: 3, consecutiveFailures: 0, running: true });
      const [visible] = (await supervisionStatuses()).filter((s) => s.name.includes('transient-handler'));
      expect(visible).toMatchObject({ restarts: 3, lagEvents: 0, gaveUp: false });
    } finally {
      await subscription.stop();
    }
    expect(subscription.status().running).toBe(false);
  });

  it('a handler that throws twice, then succeeds: every event once, in order, and two restarts reported', async () => {
    await store.appendToStream('twice-1', things(0, 8), { expectedRevision: 'no_stream' });
    const handled: number[] = [];
    const logged: string[] = [];
    let failuresLeft = 2;
    const subscription = new SupervisedSubscription(
      store,
      'throws-twice',
      async (event: RecordedEvent) => {
        const { n } = event.data as { n: number };
        // Events 0-2 are handled and checkpointed before the failures: they must not come again.
        if (n === 3 && failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('the ledger is busy');
        }
        handled.push(n);
      },
      {
        filter: { streamCategories: ['twice'] },
        pollIntervalMs: 50,
        retryDelayMs: 20,
        log: (message) => logged.push(message),
      },
    );
    try {
      await waitUntil('every event', () => handled.length >= 8);
      await sleep(200); // anything delivered twice would show up by now
      expect(handled).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(failuresLeft).toBe(0);
      expect(subscription.status()).toMatchObject({
        restarts: 2,
        consecutiveFailures: 0,
        lastError: null,
        running: true,
        gaveUp: false,
      });
      const [visible] = (await supervisionStatuses()).filter((s) => s.name === 'subscription throws-twice');
      expect(visible).toMatchObject({ restarts: 2, lagEvents: 0, running: true });
      expect(logged.filter((line) => line.includes('restarting in'))).toEqual([
        'subscription throws-twice failed; restarting in 20 ms',
        'subscription throws-twice failed; restarting in 40 ms',
      ]);
    } finally {
      await subscription.stop();
    }
  });

  it('restarts a page handler that fails, from its checkpoint: no page lost, none handled twice', async () => {
    await store.appendToStream('paged-1', things(0, 12), { expectedRevision: 'no_stream' });
    const handled: number[] = [];
    let failuresLeft = 2;
    const subscription = new SupervisedSubscription(
      store,
      'paged-handler',
      {
        pages: async (page) => {
          const numbers = page.map((event) => (event.data as { n: number }).n);
          if (numbers.includes(8) && failuresLeft > 0) {
            failuresLeft -= 1;
            throw new Error('the receiver is down');
          }
          handled.push(...numbers);
        },
      },
      { filter: { streamCategories: ['paged'] }, pollIntervalMs: 50, retryDelayMs: 20, batchSize: 4 },
    );
    try {
      await waitUntil('every page', () => handled.length >= 12);
      await sleep(200);
      expect(handled).toEqual(Array.from({ length: 12 }, (_, n) => n));
      expect(subscription.status()).toMatchObject({ restarts: 2, running: true });
    } finally {
      await subscription.stop();
    }
  });

  it('survives the database terminating its connections and refusing new ones, resuming from its checkpoint', async () => {
    await store.appendToStream('restart-1', things(0, 5), { expectedRevision: 'no_stream' });
    const handled: number[] = [];
    const supervised = new SupervisedSubscription(
      store,
      'through-a-restart',
      async (event: RecordedEvent) => void handled.push((event.data as { n: number }).n),
      { filter: { streamCategories: ['restart'] }, pollIntervalMs: 50, retryDelayMs: 50 },
    );
    // What the buyers' budget release was before: a bare subscription, stopped by the first failure.
    const bare = store.subscribe('bare-through-a-restart', async () => undefined, {
      filter: { streamCategories: ['restart'] },
      pollIntervalMs: 50,
    });
    let bareStopped = false;
    void bare.stopped.then(() => (bareStopped = true));
    try {
      await waitUntil('the first events', () => handled.length >= 5);
      const interruption = await interruptDatabase(database, { refuseForMs: 1_500, rounds: 3 });
      expect(interruption.terminated).toBeGreaterThan(0);
      await waitUntil('an append after the restart', async () => {
        try {
          await store.appendToStream('restart-1', things(5, 5), { expectedRevision: 4 });
          return true;
        } catch {
          return false;
        }
      });
      await waitUntil('the events after the restart', () => handled.length >= 10);
      await sleep(200);
      expect(handled).toEqual(Array.from({ length: 10 }, (_, n) => n));
      expect(supervised.status().restarts).toBeGreaterThan(0);
      expect(bareStopped).toBe(true);
    } finally {
      await supervised.stop();
      await bare.stop();
    }
  });
});
