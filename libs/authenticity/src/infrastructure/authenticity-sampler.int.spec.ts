import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { AggregateRepository } from '#lx/event-sourcing';
import { ProjectionRunner } from '#lx/projections';
import { appendMarketInput, leadListed, settings } from '../../../matching/src/testing/market-fixtures.js';
import {
  openSettlementDatabase,
  type SettlementDatabase,
} from '../../../returns/src/testing/settlement-database.js';
import { AuthenticitySampler } from '../application/authenticity-sampler.js';
import { authenticitySampleDecider } from '../domain/authenticity-sample.decider.js';
import { drawSample } from '../domain/sampling.js';
import { sourceDrawReason, sourceSampleId } from '../domain/source-sampling.js';
import { authenticityProjection } from './authenticity.projection.js';
import { PostgresAuthenticityReads } from './postgres-authenticity-reads.js';
import { StaffTaskQueue } from './staff-task-queue.js';

/*
 * The sampler against the real log and read model: it draws once per verified batch, from the
 * leads the batch listed, by the published rule, under the settings in force at the batch's
 * verification; the read model queues the tasks and follows the answers.
 */
describe('the authenticity sampler', () => {
  let db: SettlementDatabase;
  let runner: ProjectionRunner;
  let reads: PostgresAuthenticityReads;
  let sampler: AuthenticitySampler;
  let repository: AggregateRepository;
  const requested: string[] = [];
  const at = '2030-01-01T10:00:00.000Z';

  beforeAll(async () => {
    db = await openSettlementDatabase('authenticity_sampler', ['rm_authenticity']);
    runner = await ProjectionRunner.start({
      projection: authenticityProjection,
      store: db.store,
      dataSource: db.dataSource,
      pollIntervalMs: 50,
    });
    reads = new PostgresAuthenticityReads(db.dataSource);
    repository = new AggregateRepository(db.store);
    const verifier = new (class extends StaffTaskQueue {
      override async requestChecks(checks: readonly { leadId: string }[]) {
        requested.push(...checks.map((check) => check.leadId));
      }
    })();
    sampler = new AuthenticitySampler(repository, db.store, reads, verifier);
  });

  afterAll(async () => {
    await runner?.stop();
    await db?.close();
  });

  const verify = async (batchId: string, accepted: number) => {
    await db.store.appendToStream(
      `batch-${batchId}`,
      [
        {
          type: 'LeadBatchVerified',
          data: { batchId, sellerId: 'seller-1', accepted, rejected: 0, reasons: {} },
          metadata: { occurredAt: at, actor: 'seller-1' },
        },
      ],
      { expectedRevision: 'any' },
    );
    const [event] = await db.store.readStream(`batch-${batchId}`, { direction: 'backwards', maxCount: 1 });
    return event!;
  };

  const list = async (batchId: string, count: number) => {
    const leadIds = Array.from({ length: count }, () => randomUUID());
    for (const leadId of leadIds) await appendMarketInput(db.store, leadListed(leadId, { batchId }), at);
    return leadIds;
  };

  it('draws nothing while the market does not sample', async () => {
    await appendMarketInput(db.store, settings(), at);
    const batchId = randomUUID();
    await list(batchId, 5);
    await sampler.handle(await verify(batchId, 5));
    expect(await db.store.readStream(`authenticity-${batchId}`)).toEqual([]);
  });

  it('draws the sample once, by sha-256 of batch|lead, and queues its tasks', async () => {
    await appendMarketInput(
      db.store,
      settings({ authenticitySamplePercent: 10, authenticitySampleMin: 3, authenticityHoldPercent: 20 }),
      at,
    );
    const batchId = randomUUID();
    const leadIds = await list(batchId, 40);
    await list(randomUUID(), 3); // another batch's leads are not drawn from
    const verified = await verify(batchId, 40);
    await sampler.handle(verified);
    await sampler.handle(verified); // delivered again: drawn once
    const stream = await db.store.readStream(`authenticity-${batchId}`);
    expect(stream.map((event) => event.type)).toEqual(['AuthenticitySampleDrawn']);
    const expected = drawSample(batchId, leadIds, 4); // ⌈40 × 10 %⌉ = 4 ≥ 3
    expect(stream[0]!.data).toMatchObject({
      batchId,
      vertical: 'eyewear',
      population: 40,
      samplePercent: 10,
      sampleMin: 3,
      holdThresholdPercent: 20,
      leadIds: expected,
    });
    expect(stream[0]!.metadata).toMatchObject({ occurredAt: at, causationId: verified.id });
    expect(requested).toEqual(expected);

    await reads.waitFor(stream[0]!.position);
    const { items } = await reads.openTasks(10, null);
    expect(items.filter((task) => task.batchId === batchId).map((task) => task.leadId)).toEqual(expected);
    expect(items[0]).toMatchObject({ rank: 1, outcome: null, qualityListed: 80 });

    // An unreachable person in a sample of 4 is 25 % > 20 %: the batch is held.
    const { events, position } = await repository.handle(
      `authenticity-${batchId}`,
      authenticitySampleDecider,
      {
        type: 'AnswerCheck',
        answer: {
          batchId,
          leadId: expected[0]!,
          outcome: 'unreachable',
          evidence: 'no answer at 10:05 and 14:30',
          answeredBy: { kind: 'staff', id: 'operator-1' },
        },
      },
    );
    expect(events.map((event) => event.type)).toEqual([
      'AuthenticityCheckAnswered',
      'AuthenticitySampleHeld',
    ]);
    await reads.waitFor(position!);
    const found = await reads.sample(batchId);
    expect(found?.sample).toMatchObject({ status: 'held', sampled: 4, answered: 1, failed: 1 });
    expect(found?.tasks[0]).toMatchObject({ outcome: 'unreachable', qualityChecked: 50 });
    expect((await reads.samples('held', 10)).map((sample) => sample.batchId)).toEqual([batchId]);
  });

  describe('per source', () => {
    const sourceStream = (source: string) =>
      `authenticity-source-${sourceSampleId('eyewear', 'seller-1', source)}`;
    const listTagged = async (batchId: string | null, source: string, count: number) => {
      const leadIds: string[] = Array.from({ length: count }, () => randomUUID());
      for (const leadId of leadIds)
        await appendMarketInput(
          db.store,
          leadListed(leadId, {
            batchId: batchId ?? leadId,
            attributes: { source },
            ...(batchId === null ? { posted: {} } : {}),
          }),
          at,
        );
      return leadIds;
    };
    const listingsOf = async (leadIds: readonly string[]) =>
      Promise.all(leadIds.map(async (leadId) => (await db.store.readStream(`lead-${leadId}`))[0]!));

    it('draws a source’s first leads and then a share, across posts and batches, in log order', async () => {
      await appendMarketInput(
        db.store,
        settings({
          authenticitySamplePercent: 10,
          authenticitySourceSamplePercent: 20,
          authenticitySampleMin: 3,
          authenticityHoldPercent: 20,
        }),
        at,
      );
      requested.length = 0;
      const posts = await listTagged(null, 'aff-1', 2);
      const batchId = randomUUID();
      const batchLeads = await listTagged(batchId, 'aff-1', 30);
      // The posts' page, delivered twice: drawn once.
      const postListings = await listingsOf(posts);
      await sampler.handlePostedLeads(postListings);
      await sampler.handlePostedLeads(postListings);
      await sampler.handle(await verify(batchId, 30));

      const stream = await db.store.readStream(sourceStream('aff-1'));
      expect(stream.map((event) => event.type)).toEqual([
        'AuthenticitySourceLeadsDrawn',
        'AuthenticitySourceLeadsDrawn',
      ]);
      const drawn = stream.flatMap(
        (event) => (event.data as { leads: { leadId: string; ordinal: number; reason: string }[] }).leads,
      );
      // The two posts are the source's first two leads, the batch's first lead its third: all drawn.
      expect(drawn.slice(0, 3)).toMatchObject([
        { leadId: posts[0], ordinal: 1, reason: 'first' },
        { leadId: posts[1], ordinal: 2, reason: 'first' },
        { leadId: batchLeads[0], ordinal: 3, reason: 'first' },
      ]);
      // An auditor redraws the rest from the listings' order alone.
      const expected = batchLeads.filter(
        (leadId, i) =>
          sourceDrawReason(
            { sellerId: 'seller-1', source: 'aff-1', leadId, ordinal: i + 3 },
            { samplePercent: 20, sampleMin: 3 },
          ) !== null,
      );
      expect(drawn.slice(2).map((lead) => lead.leadId)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(1);
      // The batch's sample and its source's draw were written together.
      const [sample] = await db.store.readStream(`authenticity-${batchId}`);
      expect(sample!.position.commit).toBe(stream[1]!.position.commit);
      const batchDrawn = (sample!.data as { leadIds: string[] }).leadIds;
      // One check requested per lead, whichever samples drew it.
      expect([...requested].sort()).toEqual([...new Set([...posts, ...batchDrawn, ...expected])].sort());

      await reads.waitFor(stream[1]!.position);
      const record = await reads.sourceRecord(sourceSampleId('eyewear', 'seller-1', 'aff-1'));
      expect(record?.source).toMatchObject({
        status: 'sampling',
        listed: 32,
        drawn: 2 + expected.length,
        source: 'aff-1',
      });
      for (const leadId of [...batchDrawn, ...expected]) {
        const task = await reads.task(leadId);
        expect(task?.drawnBy).toEqual([
          ...(batchDrawn.includes(leadId) ? ['batch'] : []),
          ...(expected.includes(leadId) ? ['source'] : []),
        ]);
      }
      // The batch's sample lists only what its own rule drew.
      expect((await reads.sample(batchId))?.tasks.map((task) => task.leadId)).toEqual(batchDrawn);
    });
  });
});
