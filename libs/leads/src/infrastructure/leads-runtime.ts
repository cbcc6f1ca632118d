import type pg from 'pg';
import type { ExchangeConfig } from '#lx/config';
import { AggregateRepository } from '#lx/event-sourcing';
import { createPostgresPool, runPeriodically, type EventStore } from '#lx/event-store';
import { createPersonalDataVault, type PersonalDataVault } from '#lx/vault';
import { ReceiveUpload } from '../application/upload/receive-upload.js';
import { VerifyBatch } from '../application/verification/verify-batch.js';
import { ContactFingerprinter } from '../domain/fingerprint.js';
import { packagedContactChecks } from './contact-checks.js';
import { migrateLeadTables } from './leads-migrations.js';
import { PostgresVerificationStore } from './postgres-verification-store.js';
import { readSellerRecord } from './read-model/seller-queries.js';
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
  const pool = createPostgresPool({
    connectionString: config.LX_DATABASE_URL,
    max: 10,
    purpose: 'leads',
    log,
  });
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
    sellerHistory: (sellerId) => readSellerRecord(pool, sellerId),
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
      // Batches submitted while no worker ran, or whose job Redis lost (flushed, restarted), are
      // queued again at start and by a periodic reconciliation; the job id dedupes.
      const requeue = runPeriodically(
        'queueing unfinished verifications again',
        config.LX_SCHEDULE_RECONCILE_SECONDS * 1000,
        async () => {
          for (const batchId of await verification.unfinishedBatches()) await queue.enqueue(batchId);
        },
        log,
      );
      await requeue.firstRun;
      // Uploads abandoned mid-file are dropped now and every ten minutes.
      const sweep = () =>
        receiveUpload
          .discardAbandoned(new Date())
          .catch((error) => log?.('discarding abandoned uploads failed', error));
      await sweep();
      const sweeper = setInterval(() => void sweep(), 10 * 60 * 1000);
      sweeper.unref();
      return {
        close: async () => {
          clearInterval(sweeper);
          await requeue.stop();
          await worker.close();
        },
      };
    },
    async close() {
      await queue.close();
      await pool.end();
    },
  };
}
