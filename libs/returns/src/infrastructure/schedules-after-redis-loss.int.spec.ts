import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import type { PostgresEventStore } from '#lx/event-store';
import { ProjectionRunner } from '#lx/projections';
import { flushRedisPrefix, testRedisPrefix, waitUntilTrue } from '#lx/testing';
import { appendReturnRequest, appendSale } from '../testing/sales.js';
import { startSettlementWorker, type SettlementWorker } from '../testing/settlement-worker.js';
import { openSettlementDatabase, type SettlementDatabase } from '../testing/settlement-database.js';
import { SchedulesFromTheLog } from '../application/schedules-from-the-log.js';
import {
  PendingSettlementsReadModels,
  pendingSettlementsProjection,
} from './pending-settlements.projection.js';
import { returnFactsProjection } from './return-facts.projection.js';

/*
 * Redis keeps nothing on disk: when it is flushed or restarted, the delayed jobs that close return
 * windows and escalate unanswered returns are gone. They are derived again from the log (its read
 * models), so a window still closes and a silent seller is still escalated — once.
 */

const WINDOW_MS = 4_000;
const ANSWER_MS = 4_000;

describe('settlement’s scheduled jobs after Redis lost them', () => {
  let settlementDatabase: SettlementDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let runners: ProjectionRunner[];
  let settlement: SettlementWorker;
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
    settlementDatabase = await openSettlementDatabase('schedules_redis_loss', ['rm_return_facts']);
    ({ store, dataSource } = settlementDatabase);
    runners = await Promise.all(
      [returnFactsProjection, pendingSettlementsProjection].map((projection) =>
        ProjectionRunner.start({ projection, store, dataSource, pollIntervalMs: 50 }),
      ),
    );
    settlement = startSettlementWorker({ store, dataSource, redisPrefix: prefix, options });
    schedules = new SchedulesFromTheLog(
      new PendingSettlementsReadModels(store, dataSource),
      settlement.reactions.window,
      settlement.queue,
      options,
    );
  });

  afterAll(async () => {
    await settlement?.stop();
    await Promise.all((runners ?? []).map((runner) => runner.stop()));
    await settlementDatabase?.close();
  });

  const waitUntil = (what: string, condition: () => Promise<boolean>) =>
    waitUntilTrue(what, condition, 40_000);
  const typesOf = async (stream: string) => (await store.readStream(stream)).map((event) => event.type);

  it('closes the window and escalates the silent seller although the jobs were flushed with Redis', async () => {
    // Derived once at start (nothing pending yet): the mark is set.
    expect(await schedules.reconcile()).toEqual({ windowClosings: 0, sellerDeadlines: 0 });
    expect(await schedules.reconcile()).toBeNull();

    const now = new Date().toISOString();
    for (const allocationId of [kept, returned]) {
      const sale = await appendSale(store, { allocationId, sellerId: seller, run }, now);
      if (allocationId === returned) await appendReturnRequest(store, sale, now);
    }
    await waitUntil('both jobs in Redis', async () =>
      Boolean(
        (await settlement.queue.queue.getJob(`allocated.${kept}`)) &&
        (await settlement.queue.queue.getJob(`seller-response.${returned}`)),
      ),
    );

    const deleted = await flushRedisPrefix(prefix);
    expect(deleted).toBeGreaterThan(0);
    expect(await settlement.queue.queue.getJob(`allocated.${kept}`)).toBeUndefined();

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
