import pg from 'pg';
import type { ExchangeConfig } from '#lx/config';
import { AggregateRepository } from '#lx/event-sourcing';
import type { EventStore } from '#lx/event-store';
import { createPersonalDataVault, type PersonalDataVault } from '#lx/vault';
import { ReceiveUpload } from '../application/upload/receive-upload.js';
import { VerifyBatch } from '../application/verification/verify-batch.js';
import { ContactFingerprinter } from '../domain/fingerprint.js';
import type { SellerHistory } from '../domain/quality-score.js';
import { packagedContactChecks } from './contact-checks.js';
import { migrateLeadTables } from './leads-migrations.js';
import { PostgresVerificationStore } from './postgres-verification-store.js';
import { SELLER_READ_MODEL } from './read-model/seller-read-model.projection.js';
import { startVerificationWorker, VerificationQueue } from './verification-queue.js';

/** Everything the sellers' context runs on, composed once per process (app or standalone worker). */
export interface LeadsRuntime {
  pool: pg.Pool;
  store: EventStore;
  aggregates: AggregateRepository;
  vault: PersonalDataVault;
  verification: PostgresVerificationStore;
  fingerprints: ContactFingerprinter;
  queue: VerificationQueue;
  receiveUpload: ReceiveUpload;
  verifyBatch: VerifyBatch;
  startWorker(): Promise<{ close(): Promise<void> }>;
  close(): Promise<void>;
}

export async function createLeadsRuntime(
  config: ExchangeConfig,
  store: EventStore,
  log?: (message: string, error?: unknown) => void,
): Promise<LeadsRuntime> {
  const pool = new pg.Pool({ connectionString: config.LX_DATABASE_URL, max: 10 });
  await migrateLeadTables(pool);
  const vault = await createPersonalDataVault(pool, config.LX_VAULT_MASTER_KEY);
  const verification = new PostgresVerificationStore(pool);
  const aggregates = new AggregateRepository(store);
  const fingerprints = new ContactFingerprinter(config.LX_FINGERPRINT_KEY);
  const queue = new VerificationQueue({ redisUrl: config.LX_REDIS_URL, prefix: config.LX_REDIS_PREFIX });
  const receiveUpload = new ReceiveUpload({
    store,
    aggregates,
    verification,
    vault,
    limits: { maxRows: config.LX_UPLOAD_MAX_ROWS, maxBytes: config.LX_UPLOAD_MAX_BYTES },
    chunkRows: config.LX_VERIFICATION_CHUNK_ROWS,
    defaults: {
      currency: config.LX_DEFAULT_CURRENCY,
      dedupeWindowDays: config.LX_DEFAULT_DEDUPE_WINDOW_DAYS,
      listingLifetimeHours: config.LX_DEFAULT_LISTING_LIFETIME_HOURS,
    },
    sellerHistory: (sellerId) => sellerHistory(pool, sellerId),
    enqueue: (batchId) => queue.enqueue(batchId),
  });
  const verifyBatch = new VerifyBatch({
    store,
    aggregates,
    verification,
    vault,
    checks: packagedContactChecks,
    fingerprints,
    maxLeadAgeDays: config.LX_LEAD_MAX_AGE_DAYS,
  });
  return {
    pool,
    store,
    aggregates,
    vault,
    verification,
    fingerprints,
    queue,
    receiveUpload,
    verifyBatch,
    async startWorker() {
      const worker = startVerificationWorker({
        redisUrl: config.LX_REDIS_URL,
        prefix: config.LX_REDIS_PREFIX,
        verify: verifyBatch,
        lockDurationMs: config.LX_VERIFICATION_LOCK_MS,
        log,
      });
      // Batches submitted while no worker ran (or whose job was lost) are queued again; the job id dedupes.
      for (const batchId of await verification.unfinishedBatches()) await queue.enqueue(batchId);
      return worker;
    },
    async close() {
      await queue.close();
      await pool.end();
    },
  };
}

/** The seller's record so far, from the read model; a seller without one gets the neutral prior. */
async function sellerHistory(pool: pg.Pool, sellerId: string): Promise<SellerHistory> {
  try {
    const { rows } = await pool.query<{ sold: string; returned: string }>(
      `SELECT coalesce(sum(sales), 0) AS sold, coalesce(sum(returned), 0) AS returned
         FROM ${SELLER_READ_MODEL}.seller_leads WHERE seller_id = $1`,
      [sellerId],
    );
    return { sold: Number(rows[0]?.sold ?? 0), returned: Number(rows[0]?.returned ?? 0), conversions: 0 };
  } catch {
    // The read model is created by the projection on first start; before that there is no history.
    return { sold: 0, returned: 0, conversions: 0 };
  }
}
