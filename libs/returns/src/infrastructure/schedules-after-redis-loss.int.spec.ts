import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ReturnRequested, eventCatalogue, newEvent } from '#lx/contracts';
import { AggregateRepository } from '#lx/event-sourcing';
import { PostgresEventStore } from '#lx/event-store';
import { ProjectionRunner } from '#lx/projections';
import { createTestDatabase, flushRedisPrefix, testRedisPrefix, type TestDatabase } from '#lx/testing';
import { appendAt, leadAllocated, leadListed } from '../../../ledger/src/testing/settlement-fixtures.js';
import { SchedulesFromTheLog } from '../application/schedules-from-the-log.js';
import {
  PendingSettlementsReadModels,
  pendingSettlementsProjection,
} from './pending-settlements.projection.js';
import { returnFactsProjection } from './return-facts.projection.js';
import { ReturnWindowQueue, startReturnWindowWorker } from './return-window.queue.js';
import { startSettlementReactions, type SettlementReactions } from './settlement-reactions.js';

/*
 * Redis keeps nothing on disk: when it is flushed or restarted, the delayed jobs that close return
 * windows and escalate unanswered returns are gone. They are derived again from the log (its read
 * models), so a window still closes and a silent seller is still escalated — once.
 */

const WINDOW_MS = 4_000;
const ANSWER_MS = 4_000;

describe('settlement’s scheduled jobs after Redis lost them', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let runners: ProjectionRunner[];
  let reactions: SettlementReactions;
  let queue: ReturnWindowQueue;
  let worker: { close(): Promise<void> };
  let schedules: SchedulesFromTheLog;
  const prefix = testRedisPrefix('schedules_redis_loss');
  const run = Date.now().toString(36);
  const [kept, returned] = [`alloc-kept-${run}`, `alloc-returned-${run}`];
  const seller = `seller-${run}`;
  const options = {
    defaultDedupeWindowDays: 30,
    returnCapWindowDays: 30,
    returnWindowMsOverride: WINDOW_MS,
    sellerResponseMsOverride: ANSWER_MS,
  };

  beforeAll(async () => {
    database = await createTestDatabase('schedules_redis_loss');
    store = await PostgresEventStore.connect({ connectionString: database.url, registry: eventCatalogue });
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      extra: { options: '-c search_path=rm_return_facts,public' },
    });
    await dataSource.initialize();
    runners = await Promise.all(
      [returnFactsProjection, pendingSettlementsProjection].map((projection) =>
        ProjectionRunner.start({ projection, store, dataSource, pollIntervalMs: 50 }),
      ),
    );
    const connection = { redisUrl: 'redis://127.0.0.1:6379', prefix };
    queue = new ReturnWindowQueue(connection);
    reactions = startSettlementReactions({
      store,
      repository: new AggregateRepository(store),
      dataSource,
      scheduler: queue,
      options,
    });
    worker = startReturnWindowWorker({
      ...connection,
      window: reactions.window,
      unanswered: reactions.decisions,
      lockDurationMs: 5_000,
    });
    schedules = new SchedulesFromTheLog(
      new PendingSettlementsReadModels(store, dataSource),
      reactions.window,
      queue,
      options,
    );
  });

  afterAll(async () => {
    await worker?.close();
    await reactions?.stop();
    await queue?.queue.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await Promise.all((runners ?? []).map((runner) => runner.stop()));
    await dataSource?.destroy();
    await store?.close();
    await database?.drop();
  });

  const waitUntil = async (what: string, condition: () => Promise<boolean>, timeoutMs = 40_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  };
  const typesOf = async (stream: string) => (await store.readStream(stream)).map((event) => event.type);

  it('closes the window and escalates the silent seller although the jobs were flushed with Redis', async () => {
    // Derived once at start (nothing pending yet): the mark is set.
    expect(await schedules.reconcile()).toEqual({ windowClosings: 0, sellerDeadlines: 0 });
    expect(await schedules.reconcile()).toBeNull();

    const now = new Date().toISOString();
    for (const allocationId of [kept, returned]) {
      const leadId = `lead-${allocationId}`;
      const sale = {
        allocationId,
        leadId,
        orderId: `order-${run}`,
        buyerId: `buyer-${run}`,
        sellerId: seller,
      };
      await appendAt(store, leadId, leadListed({ leadId, sellerId: seller }), now);
      await appendAt(store, 'market-eyewear', leadAllocated({ ...sale, price: 60_000, at: now }), now);
      if (allocationId === returned)
        await appendAt(
          store,
          `return-${allocationId}`,
          newEvent(ReturnRequested, {
            ...sale,
            reason: 'invalid_phone',
            evidence: [{ kind: 'call_log', description: 'Number not in service' }],
          }),
          now,
          sale.buyerId,
        );
    }
    await waitUntil('both jobs in Redis', async () =>
      Boolean(
        (await queue.queue.getJob(`allocated.${kept}`)) &&
        (await queue.queue.getJob(`seller-response.${returned}`)),
      ),
    );

    const deleted = await flushRedisPrefix(prefix);
    expect(deleted).toBeGreaterThan(0);
    expect(await queue.queue.getJob(`allocated.${kept}`)).toBeUndefined();

    // The reconciliation sees its mark gone and derives the jobs again from the read models.
    expect(await schedules.reconcile()).toEqual({ windowClosings: 1, sellerDeadlines: 1 });
    expect(await schedules.reconcile()).toBeNull();

    await waitUntil('the kept allocation finalized', async () =>
      (await typesOf(`settlement-${kept}`)).includes('SettlementFinalized'),
    );
    await waitUntil('the silent seller escalated', async () =>
      (await typesOf(`return-${returned}`)).includes('ReturnEscalated'),
    );
    // Once each, and the returned allocation waits for its auditor.
    expect(await typesOf(`settlement-${kept}`)).toEqual(['SettlementFinalized']);
    expect((await typesOf(`return-${returned}`)).filter((type) => type === 'ReturnEscalated')).toHaveLength(
      1,
    );
    expect(await typesOf(`settlement-${returned}`)).toEqual([]);
    await waitUntil('the finalization in the read model', async () => {
      const rows: unknown[] = await dataSource.query(
        `SELECT 1 FROM rm_pending_settlements.ps_open_allocation WHERE allocation_id = $1`,
        [kept],
      );
      return rows.length === 0;
    });
  });
});
