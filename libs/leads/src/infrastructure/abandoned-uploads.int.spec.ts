import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import type { PostgresEventStore } from '#lx/event-store';
import { generateLeadRows, leadRowsToCsv } from '#lx/market-generator';
import type { BatchProgress } from '../application/verification/verification-store.port.js';
import { ReceiveUpload } from '../application/upload/receive-upload.js';
import { deterministicUuid } from '#lx/contracts';
import { openLeadsDatabase, type LeadsDatabase } from '../testing/leads-database.js';
import { createLeadsRuntime, type LeadsRuntime } from './leads-runtime.js';

/*
 * An upload whose process died mid-file leaves a `receiving` batch and staged chunks behind. Its
 * receiver no longer renews its lease: once the lease runs out, a retry under the same
 * Idempotency-Key takes the batch over, and the sweep drops what nobody took over.
 */
describe('abandoned uploads', () => {
  let leads: LeadsDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  let runtime: LeadsRuntime;
  const sellerId = 'seller-abandoned';
  const { rows } = generateLeadRows({
    seed: 'abandoned',
    count: 3,
    vertical: 'eyewear',
    capturedAround: new Date(),
    badShare: 0,
    duplicateShare: 0,
    partialShare: 0,
  });
  const csv = leadRowsToCsv(rows);
  const terms = { vertical: 'eyewear', floor: 60_000, exclusivity: { kind: 'exclusive' } } as const;
  const receiving = (batchId: string, submittedAt: Date): BatchProgress => ({
    batchId,
    sellerId,
    status: 'receiving',
    terms: { ...terms, currency: 'RUB', listingLifetimeHours: 72 },
    dedupeWindowDays: 30,
    submittedAt,
    sellerHistory: { sold: 0, returned: 0, conversions: 0 },
    totalRows: 0,
    chunkCount: 0,
    nextChunk: 0,
    processed: 0,
    accepted: 0,
    rejected: 0,
    reasons: {},
  });
  async function* file() {
    yield Buffer.from(csv);
  }
  const upload = (idempotencyKey: string) =>
    runtime.receiveUpload.receive({
      sellerId,
      format: 'csv',
      body: file(),
      terms,
      idempotencyKey,
    });

  beforeAll(async () => {
    leads = await openLeadsDatabase('abandoned_uploads');
    ({ pool, store } = leads);
    runtime = await createLeadsRuntime(leads.config, store, pool);
  });
  afterAll(async () => {
    await runtime?.close();
    await leads?.close();
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('lets a retry take over an upload whose receiver stopped renewing, and refuses one still held', async () => {
    const crashed = deterministicUuid('upload', sellerId, 'key-of-a-crash');
    const dead = { receiver: 'dead-receiver', leaseMs: 50 };
    await runtime.verification.createProgress(receiving(crashed, new Date()), dead);
    expect(
      await runtime.verification.stageChunk(crashed, 0, 1, Buffer.from('stale rows'), dead.receiver),
    ).toBe(true);
    const streaming = deterministicUuid('upload', sellerId, 'key-still-streaming');
    await runtime.verification.createProgress(receiving(streaming, new Date()), {
      receiver: 'living-receiver',
      leaseMs: 60_000,
    });
    await sleep(100);

    await expect(upload('key-still-streaming')).rejects.toMatchObject({
      status: 409,
      code: 'upload-in-flight',
    });
    const receipt = await upload('key-of-a-crash');
    expect(receipt).toMatchObject({ batchId: crashed, rowCount: 3 });
    // The dead receiver's rows were dropped, and were it alive after all, it could write nothing more.
    expect(String(await runtime.verification.stagedChunk(crashed, 0))).not.toContain('stale rows');
    expect(await runtime.verification.stageChunk(crashed, 1, 1, Buffer.from('late'), dead.receiver)).toBe(
      false,
    );
    expect(await runtime.verification.renewLease(crashed, dead)).toBe(false);
  });

  it('sweeps uploads whose lease ran out, and leaves held ones alone', async () => {
    const abandoned = deterministicUuid('upload', sellerId, 'key-abandoned');
    await runtime.verification.createProgress(receiving(abandoned, new Date()), {
      receiver: 'gone',
      leaseMs: 50,
    });
    await runtime.verification.stageChunk(abandoned, 0, 1, Buffer.from('sealed rows'), 'gone');
    await sleep(100);

    const { discarded: swept, finished } = await runtime.receiveUpload.settleAbandoned();
    expect(swept).toContain(abandoned);
    expect(finished).not.toContain(abandoned);
    expect(swept).not.toContain(deterministicUuid('upload', sellerId, 'key-still-streaming'));
    expect(await runtime.verification.stagedChunk(abandoned, 0)).toBeNull();
  });

  /** A receiver whose database goes away right after the submission reached the log. */
  const cutAfterSubmission = (queued: string[]) =>
    new ReceiveUpload({
      store,
      aggregates: runtime.aggregates,
      verification: Object.assign(Object.create(runtime.verification), {
        markVerifying: async () => {
          throw Object.assign(new Error('terminating connection due to administrator command'), {
            code: '57P01',
          });
        },
      }),
      vault: runtime.vault,
      limits: { maxRows: 1_000, maxBytes: 1_000_000 },
      chunkRows: 2,
      defaults: { currency: 'RUB', dedupeWindowDays: 30, listingLifetimeHours: 72 },
      sellerHistory: async () => ({ sold: 0, returned: 0, conversions: 0 }),
      enqueue: async (batchId) => void queued.push(batchId),
      receivingLeaseMs: 50,
    });

  const receiveCutAfterSubmission = (queued: string[], idempotencyKey: string) =>
    cutAfterSubmission(queued).receive({ sellerId, format: 'csv', body: file(), terms, idempotencyKey });

  it('finishes, on the retry, an upload whose submission reached the log before its receiver lost the database', async () => {
    const queued: string[] = [];
    const batchId = deterministicUuid('upload', sellerId, 'key-cut-after-submission');
    await expect(receiveCutAfterSubmission(queued, 'key-cut-after-submission')).rejects.toMatchObject({
      code: '57P01',
    });
    expect((await runtime.verification.progress(batchId))?.status).toBe('receiving');
    expect(queued).toEqual([]);

    // The seller's retry answers with the batch (not 404), now verifying all its staged chunks.
    const receipt = await upload('key-cut-after-submission');
    expect(receipt).toMatchObject({ batchId, rowCount: 3, replayed: true });
    expect(await runtime.verification.progress(batchId)).toMatchObject({
      status: 'verifying',
      totalRows: 3,
      chunkCount: 2,
    });
  });

  it('finishes such an upload by itself once its lease ran out, when the seller never retries', async () => {
    const queued: string[] = [];
    const batchId = deterministicUuid('upload', sellerId, 'key-never-retried');
    await expect(receiveCutAfterSubmission(queued, 'key-never-retried')).rejects.toMatchObject({
      code: '57P01',
    });
    await sleep(100);

    const { discarded, finished } = await runtime.receiveUpload.settleAbandoned();
    expect(finished).toContain(batchId);
    expect(discarded).not.toContain(batchId);
    expect(await runtime.verification.progress(batchId)).toMatchObject({
      status: 'verifying',
      chunkCount: 2,
    });
    expect(await runtime.verification.stagedChunk(batchId, 1)).not.toBeNull();
  });

  it('keeps the lease of a living receiver however slow its client', async () => {
    const slow = new ReceiveUpload({
      store,
      aggregates: runtime.aggregates,
      verification: runtime.verification,
      vault: runtime.vault,
      limits: { maxRows: 1_000, maxBytes: 1_000_000 },
      chunkRows: 100,
      defaults: { currency: 'RUB', dedupeWindowDays: 30, listingLifetimeHours: 72 },
      sellerHistory: async () => ({ sold: 0, returned: 0, conversions: 0 }),
      enqueue: async () => undefined,
      receivingLeaseMs: 300,
    });
    async function* slowFile() {
      yield Buffer.from(csv.slice(0, 10));
      await sleep(1_000);
      yield Buffer.from(csv.slice(10));
    }
    const first = slow.receive({
      sellerId,
      format: 'csv',
      body: slowFile(),
      terms,
      idempotencyKey: 'key-slow',
    });
    await sleep(700);
    // More than two leases later, the first receiver still holds the batch.
    await expect(upload('key-slow')).rejects.toMatchObject({ status: 409, code: 'upload-in-flight' });
    await expect(first).resolves.toMatchObject({ rowCount: 3 });
  });
});
