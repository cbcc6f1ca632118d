import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { contractTestCatalogue } from '../testing/test-catalogue.js';
import type { RecordedEvent } from '../event-store.port.js';
import { PostgresEventStore } from './postgres-event-store.js';

/*
 * An event committed while an older transaction is open is not readable yet (subscriptions read
 * below the xmin horizon). When that older transaction appends nothing, its end sends no NOTIFY:
 * the wake-ups must still notice that the horizon passed the event, instead of leaving the
 * subscription to its poll interval (an hour here, so only a wake-up can deliver the event).
 */

const AN_HOUR = 3_600_000;

/**
 * The horizon is the whole server's: on a shared server a transaction in another database can hold
 * it back as well, so a hidden event may take longer to become readable than our own transactions.
 */
async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 50_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('PostgreSQL wake-ups and the xmin horizon', () => {
  let database: TestDatabase;
  let subscriber: PostgresEventStore;
  let appender: PostgresEventStore;
  let sql: pg.Pool;
  let reads = 0;

  beforeAll(async () => {
    database = await createTestDatabase('wake_ups_horizon');
    const connect = () =>
      PostgresEventStore.connect({ connectionString: database.url, registry: contractTestCatalogue });
    // Two stores: the appender plays another process, so only its NOTIFY reaches the subscriber.
    subscriber = await connect();
    appender = await connect();
    sql = new pg.Pool({ connectionString: database.url, max: 4 });
    sql.on('error', () => undefined);
    // The subscriber's LISTEN connection opens with its first subscription's first wait: an append
    // before it listens would be seen only by a poll.
    const warmUp = subscriber.subscribe('horizon-warm-up', async () => undefined, {
      pollIntervalMs: AN_HOUR,
    });
    await warmUp.caughtUp;
    await waitUntil('the LISTEN connection', async () => {
      const { rows } = await sql.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN lx_events'`,
      );
      return rows.length > 0;
    });
    await warmUp.stop();
    // Reads counted, so that a test can wait until the read a NOTIFY caused has been made.
    const readAll = subscriber.readAll.bind(subscriber);
    subscriber.readAll = async (options) => {
      const page = await readAll(options);
      reads++;
      return page;
    };
  });

  afterAll(async () => {
    await subscriber?.close();
    await appender?.close();
    await sql?.end();
    await database?.drop();
  });

  /** An open transaction holding a transaction id (so the horizon), appending nothing. */
  async function holdHorizon(): Promise<{ release: () => Promise<void> }> {
    const client = await sql.connect();
    await client.query('BEGIN');
    await client.query('SELECT pg_current_xact_id()');
    return {
      release: async () => {
        await client.query('COMMIT');
        client.release();
      },
    };
  }

  const thing = (n: number) => ({ type: 'ThingHappened', data: { n } });

  it('a subscription gets an event once the transaction that hid it ends, with no NOTIFY and no poll', async () => {
    const seen: number[] = [];
    const subscription = subscriber.subscribe(
      'horizon-one',
      async (event: RecordedEvent) => void seen.push((event.data as { n: number }).n),
      { filter: { streamCategories: ['horizon'] }, pollIntervalMs: AN_HOUR },
    );
    await subscription.caughtUp;
    await appender.appendToStream('horizon-a', [thing(1)], { expectedRevision: 'no_stream' });
    await waitUntil('the first event', () => seen.length === 1);

    const holder = await holdHorizon();
    const readsBefore = reads;
    await appender.appendToStream('horizon-a', [thing(2)], { expectedRevision: 0 });
    // The NOTIFY woke the subscription, which read: the event is committed, yet not readable while
    // the older transaction is open.
    await waitUntil('a read after the NOTIFY', () => reads > readsBefore);
    const page = await subscriber.readAll({ after: subscription.lastHandled(), maxCount: 10 });
    expect(page.events.map((event) => event.streamName)).not.toContain('horizon-a');
    expect(seen).toEqual([1]);
    await holder.release();
    await waitUntil('the event the horizon hid', () => seen.length === 2);
    await subscription.stop();
    expect(seen).toEqual([1, 2]);
  }, 240_000);

  it('events hidden behind several transactions ending one by one all arrive, in log order', async () => {
    const seen: number[] = [];
    const subscription = subscriber.subscribe(
      'horizon-many',
      async (event: RecordedEvent) => void seen.push((event.data as { n: number }).n),
      { filter: { streamCategories: ['horizon2'] }, pollIntervalMs: AN_HOUR },
    );
    await subscription.caughtUp;
    const first = await holdHorizon();
    await appender.appendToStream('horizon2-a', [thing(1)], { expectedRevision: 'no_stream' });
    const second = await holdHorizon();
    const readsBefore = reads;
    await appender.appendToStream('horizon2-a', [thing(2)], { expectedRevision: 0 });
    await waitUntil('a read after the NOTIFY', () => reads > readsBefore);
    expect(seen).toEqual([]);
    await first.release();
    await waitUntil('the event only the first transaction hid', () => seen.length === 1);
    expect(seen).toEqual([1]);
    await second.release();
    await waitUntil('the event the second transaction hid', () => seen.length === 2);
    await subscription.stop();
    expect(seen).toEqual([1, 2]);
  }, 240_000);
});
