import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '#lx/config';
import { eventCatalogue } from '#lx/contracts';
import { PostgresEventStore } from '#lx/event-store';
import { generateLeadRows, leadRowsToCsv } from '#lx/market-generator';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '#lx/testing';
import type { BatchProgress } from '../application/verification/verification-store.port.js';
import { UploadRejected } from '../application/upload/upload-rejected.js';
import { deterministicUuid } from '#lx/contracts';
import { createLeadsRuntime, type LeadsRuntime } from './leads-runtime.js';

/*
 * An upload whose client went away mid-file (or whose process died) leaves a `receiving` batch and
 * staged chunks behind. Under an Idempotency-Key that would answer "still being received" (409)
 * for ever: the sweep drops such uploads once they are an hour old, and the key works again.
 */
describe('abandoned uploads', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
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
    database = await createTestDatabase('abandoned_uploads');
    store = await PostgresEventStore.connect({ connectionString: database.url, registry: eventCatalogue });
    const config = loadConfig({
      ...process.env,
      LX_DATABASE_URL: database.url,
      LX_REDIS_PREFIX: testRedisPrefix('abandoned_uploads'),
    });
    runtime = await createLeadsRuntime(config, store);
  });
  afterAll(async () => {
    await runtime?.close();
    await store?.close();
    await database?.drop();
  });

  it('drops uploads stuck receiving for an hour, frees their key, and leaves fresh ones alone', async () => {
    const now = new Date();
    const crashed = deterministicUuid('upload', sellerId, 'key-of-a-crash');
    await runtime.verification.createProgress(receiving(crashed, new Date(now.getTime() - 2 * 3_600_000)));
    await runtime.verification.stageChunk(crashed, 0, 1, Buffer.from('sealed rows'));
    const streaming = deterministicUuid('upload', sellerId, 'key-still-streaming');
    await runtime.verification.createProgress(receiving(streaming, new Date(now.getTime() - 60_000)));

    await expect(upload('key-of-a-crash')).rejects.toMatchObject({ status: 409, code: 'upload-in-flight' });
    await expect(upload('key-of-a-crash')).rejects.toBeInstanceOf(UploadRejected);

    expect(await runtime.receiveUpload.discardAbandoned(now)).toEqual([crashed]);
    expect(await runtime.verification.stagedChunk(crashed, 0)).toBeNull();
    expect(await runtime.verification.abandonedUploads(new Date(now.getTime() + 3_600_000))).toEqual([
      streaming,
    ]);

    // The key works again: the upload goes through under the same batch id.
    const receipt = await upload('key-of-a-crash');
    expect(receipt).toMatchObject({ batchId: crashed, rowCount: 3 });
    await expect(upload('key-still-streaming')).rejects.toMatchObject({ status: 409 });
  });
});
