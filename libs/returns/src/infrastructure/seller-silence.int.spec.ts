import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { SellerResponded, newEvent } from '#lx/contracts';
import type { PostgresEventStore } from '#lx/event-store';
import { ProjectionRunner } from '#lx/projections';
import { testRedisPrefix, waitUntilTrue } from '#lx/testing';
import { appendAt } from '../../../ledger/src/testing/settlement-fixtures.js';
import { appendReturnRequest, appendSale } from '../testing/sales.js';
import { startSettlementWorker, type SettlementWorker } from '../testing/settlement-worker.js';
import { openSettlementDatabase, type SettlementDatabase } from '../testing/settlement-database.js';
import { returnFactsProjection } from './return-facts.projection.js';
import { runProjection } from '../../../projections/src/testing/run-projection.js';

/*
 * A seller who never answers must not hold a return (and the money behind it) forever: when its
 * time to answer runs out (a BullMQ delayed job, one per return), an unanswered return goes to an
 * auditor. A return the seller answered in time is left to the seller's answer.
 */

const ANSWER_MS = 1_500;

describe('a seller’s silence', () => {
  let settlementDatabase: SettlementDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let runner: ProjectionRunner;
  let settlement: SettlementWorker;
  const run = Date.now().toString(36);
  const [silent, answered] = [`alloc-silent-${run}`, `alloc-answered-${run}`];
  const seller = `seller-${run}`;

  beforeAll(async () => {
    settlementDatabase = await openSettlementDatabase('seller_silence', ['rm_return_facts']);
    ({ store, dataSource } = settlementDatabase);
    runner = await runProjection(returnFactsProjection, store, dataSource);
    settlement = startSettlementWorker({
      store,
      dataSource,
      redisPrefix: testRedisPrefix('seller_silence'),
      options: {
        defaultDedupeWindowDays: 30,
        returnCapWindowDays: 30,
        sellerResponseMsOverride: ANSWER_MS,
      },
    });
  });

  afterAll(async () => {
    await settlement?.stop();
    await runner?.stop();
    await settlementDatabase?.close();
  });

  const eventsOf = async (allocationId: string) => store.readStream(`return-${allocationId}`);

  it('escalates the return nobody answered, and leaves the answered one to its answer', async () => {
    const now = new Date().toISOString();
    for (const allocationId of [silent, answered]) {
      const sale = await appendSale(store, { allocationId, sellerId: seller, run }, now);
      await appendReturnRequest(store, sale, now);
    }
    const answer = newEvent(SellerResponded, {
      allocationId: answered,
      sellerId: seller,
      position: 'contest',
      statement: 'Verified by SMS at capture',
      evidence: [],
    });
    await appendAt(store, `return-${answered}`, answer, new Date().toISOString(), seller);

    await waitUntilTrue('the silent return to be escalated', async () =>
      (await eventsOf(silent)).some((event) => event.type === 'ReturnEscalated'),
    );
    const escalation = (await eventsOf(silent)).find((event) => event.type === 'ReturnEscalated')!;
    expect(escalation.data).toMatchObject({
      escalatedBy: 'system',
      reason: expect.stringContaining('did not answer'),
    });
    // The answered one was escalated because the seller contests it, not for silence; its own
    // deadline job ran and changed nothing.
    await waitUntilTrue('the answered return’s deadline job', async () => {
      const job = await settlement.queue.queue.getJob(`seller-response.${answered}`);
      return (await job?.isCompleted()) ?? false;
    });
    const types = (await eventsOf(answered)).map((event) => event.type);
    // The automatic rules' record lands before or after the seller's quick answer, as the two race.
    expect(types.filter((type) => type !== 'ReturnChecked')).toEqual([
      'ReturnRequested',
      'SellerResponded',
      'ReturnEscalated',
    ]);
    expect(types.filter((type) => type === 'ReturnChecked')).toHaveLength(1);
    expect((await eventsOf(answered)).at(-1)!.data).toMatchObject({
      reason: expect.stringContaining('contests'),
    });
    // The silent return's job completed too, and a second run of it would change nothing.
    expect(await settlement.reactions.decisions.escalateUnanswered(silent, new Date())).toBe(false);
    expect((await eventsOf(silent)).filter((event) => event.type === 'ReturnEscalated')).toHaveLength(1);
  });
});
