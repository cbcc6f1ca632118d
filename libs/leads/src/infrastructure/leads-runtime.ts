import type pg from 'pg';
import { vaultDatabaseUrl, type ExchangeConfig } from '#lx/config';
import { AggregateRepository } from '#lx/event-sourcing';
import { runPeriodically, SupervisedSubscription, type EventStore } from '#lx/event-store';
import {
  connectDataKeyDatabase,
  createPersonalDataVault,
  vaultMasterKeysOf,
  moveKeysOutOfLogDatabase,
  type PersonalDataVault,
} from '#lx/vault';
import type { LeadsServices } from '../application/leads-tokens.js';
import { DoNotContactProcess } from '../application/do-not-contact/do-not-contact-process.js';
import { EraseLeads } from '../application/privacy/erase-leads.js';
import { reapplyRecordedErasures } from '../application/erasure/reapply-recorded-erasures.js';
import { ReceiveUpload } from '../application/upload/receive-upload.js';
import { VerifyBatch } from '../application/verification/verify-batch.js';
import { ContactFingerprinter } from '../domain/fingerprint.js';
import { packagedContactChecks } from './contact-checks.js';
import { migrateLeadTables } from './leads-migrations.js';
import { PostgresDoNotContactStore } from './postgres-do-not-contact-store.js';
import { PostgresVerificationStore } from './postgres-verification-store.js';
import { readSellerRecord, SellerQueries } from './read-model/seller-queries.js';
import { startVerificationWorker, VerificationQueue } from './verification-queue.js';
import { RealtimeSelling } from '../application/realtime/realtime-selling.js';
import { PublishedMarketSettings } from '../application/realtime/published-market-settings.js';
import { PostgresRealtimeAnswers } from './realtime-answers.js';
import { recentlyRead } from './recently-read.js';

/** How long a seller's record read for scoring posts and pings is used before it is read again. */
const SELLER_HISTORY_KEPT_MS = 5000;

/** Everything the sellers' context runs on, composed once per process (app or standalone worker). */
export interface LeadsRuntime extends LeadsServices {
  /** The process's pool (not this runtime's: `close` leaves it open). */
  pool: pg.Pool;
  store: EventStore;
  aggregates: AggregateRepository;
  vault: PersonalDataVault;
  verification: PostgresVerificationStore;
  doNotContact: PostgresDoNotContactStore;
  fingerprints: ContactFingerprinter;
  queue: VerificationQueue;
  receiveUpload: ReceiveUpload;
  verifyBatch: VerifyBatch;
  eraseLeads: EraseLeads;
  /** Posted leads and pings (docs/architecture.md §5.2); its subscriptions run in the apps only (`startRealtime`). */
  realtime: RealtimeSelling;
  realtimeAnswers: PostgresRealtimeAnswers;
  /** Starts what posts and pings wait on: the engines' answers, and the markets' settings kept in memory. */
  startRealtime(): Promise<void>;
  startWorker(): Promise<{ close(): Promise<void> }>;
  /**
   * The do-not-contact process (§4.3): a supervised subscription to `dncList-*` that keeps the
   * lists' tables and withdraws the resting leads a list's entries match.
   */
  startDoNotContactProcess(): { caughtUp: Promise<void>; stop(): Promise<void> };
  close(): Promise<void>;
}

/**
 * Composes the sellers' context on the process's PostgreSQL pool (`pool`, on LX_DATABASE_URL: the
 * one the event store and the read models use too); only the vault has a pool of its own, on its
 * own database.
 */
export async function createLeadsRuntime(
  config: ExchangeConfig,
  store: EventStore,
  pool: pg.Pool,
  log?: (message: string, error?: unknown) => void,
): Promise<LeadsRuntime> {
  await migrateLeadTables(pool);
  const vaultPool = await connectDataKeyDatabase(vaultDatabaseUrl(config), 4, log);
  const vault = await createPersonalDataVault(vaultPool, vaultMasterKeysOf(config));
  const moved = await moveKeysOutOfLogDatabase(pool, vaultPool);
  if (moved > 0) log?.(`moved ${moved} data keys from the log's database into the vault's own`);
  // Before anything is read: a key restored from a backup taken before its erasure is shredded again.
  const revived = await reapplyRecordedErasures(store, vault);
  if (revived.length > 0) log?.(`re-erased ${revived.length} data keys restored from before their erasure`);
  const verification = new PostgresVerificationStore(pool, store);
  const doNotContact = new PostgresDoNotContactStore(pool, store);
  const aggregates = new AggregateRepository(store);
  const fingerprints = new ContactFingerprinter(config.LX_FINGERPRINT_KEY, {
    version: config.LX_FINGERPRINT_KEY_VERSION,
    earlier: config.LX_FINGERPRINT_PREVIOUS_KEYS,
  });
  const defaults = {
    currency: config.LX_DEFAULT_CURRENCY,
    dedupeWindowDays: config.LX_DEFAULT_DEDUPE_WINDOW_DAYS,
    listingLifetimeHours: config.LX_DEFAULT_LISTING_LIFETIME_HOURS,
  };
  // A post or a ping scores its lead with the seller's record: read once per few seconds per seller,
  // not by every request (the record sums the seller's leads, sales and checks).
  const sellerHistory = recentlyRead(SELLER_HISTORY_KEPT_MS, (sellerId) => readSellerRecord(pool, sellerId));
  const redis = { redisUrl: config.LX_REDIS_URL, prefix: config.LX_REDIS_PREFIX };
  const queue = new VerificationQueue(redis);
  const receiveUpload = new ReceiveUpload({
    store,
    aggregates,
    verification,
    vault,
    limits: { maxRows: config.LX_UPLOAD_MAX_ROWS, maxBytes: config.LX_UPLOAD_MAX_BYTES },
    chunkRows: config.LX_VERIFICATION_CHUNK_ROWS,
    defaults,
    sellerHistory,
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
  const realtimeAnswers = new PostgresRealtimeAnswers(store, pool, log);
  const marketSettings = new PublishedMarketSettings(store, defaults, log);
  const realtime = new RealtimeSelling({
    store,
    verifyBatch,
    answers: realtimeAnswers,
    checks: packagedContactChecks,
    marketSettings: (vertical) => marketSettings.of(vertical),
    maxLeadAgeDays: config.LX_LEAD_MAX_AGE_DAYS,
    sellerHistory,
  });
  const sellerQueries = new SellerQueries(pool);
  const eraseLeads = new EraseLeads({
    aggregates,
    verification,
    vault,
    listedWithFingerprints: (fingerprints) => sellerQueries.leadIdsByFingerprints(fingerprints),
  });
  return {
    pool,
    store,
    aggregates,
    vault,
    verification,
    doNotContact,
    fingerprints,
    queue,
    receiveUpload,
    verifyBatch,
    eraseLeads,
    realtime,
    realtimeAnswers,
    async startRealtime() {
      realtimeAnswers.start();
      await marketSettings.start();
    },
    async startWorker() {
      const worker = startVerificationWorker({
        ...redis,
        verify: verifyBatch,
        lockDurationMs: config.LX_VERIFICATION_LOCK_MS,
        log,
      });
      // Batches submitted while no worker ran, or whose job Redis lost (flushed, restarted), are
      // queued again at start and by a periodic reconciliation; the job id dedupes. Uploads whose
      // receiver stopped are settled first: finished when their submission reached the log
      // (the database went away just after it), dropped otherwise.
      const requeue = runPeriodically(
        'settling abandoned uploads and queueing unfinished verifications again',
        config.LX_SCHEDULE_RECONCILE_SECONDS * 1000,
        async () => {
          await receiveUpload.settleAbandoned();
          for (const batchId of await verification.unfinishedBatches()) await queue.enqueue(batchId);
        },
        log,
      );
      await requeue.firstRun;
      return {
        close: async () => {
          await requeue.stop();
          await worker.close();
        },
      };
    },
    startDoNotContactProcess() {
      const process = new DoNotContactProcess({
        lists: doNotContact,
        aggregates,
        leadsOnSale: (fingerprints, vertical, at) => doNotContact.leadsOnSale(fingerprints, vertical, at),
      });
      const subscription = new SupervisedSubscription(
        store,
        'sellers:do-not-contact',
        (event) => process.handle(event),
        { filter: { streamCategories: ['dncList'] }, pollIntervalMs: 500, log },
      );
      return { caughtUp: subscription.caughtUp, stop: () => subscription.stop() };
    },
    async close() {
      await realtimeAnswers.stop();
      await marketSettings.stop();
      await queue.close();
      await vaultPool.end();
    },
  };
}
