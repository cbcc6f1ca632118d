import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '#lx/canonical-json';
import { LeadBatchSubmitted, MarketSettingsChanged, type EventData } from '#lx/contracts';
import type { AggregateRepository } from '#lx/event-sourcing';
import type { EventStore, RecordedEvent } from '#lx/event-store';
import type { PersonalDataVault } from '#lx/vault';
import { batchDecider } from '../../domain/batch.decider.js';
import type { ListingTerms } from '../../domain/listing-terms.js';
import type { SellerRecord } from '#lx/contracts';
import type { NumberedRecord } from '../../domain/raw-lead-record.js';
import type {
  BatchProgress,
  ReceivingLease,
  VerificationStore,
} from '../verification/verification-store.port.js';
import { deterministicUuid } from '#lx/contracts';
import { UploadRejected } from './upload-rejected.js';
import { parseUpload, type UploadFormat, type UploadLimits } from './parse-upload.js';

export interface MarketDefaults {
  currency: string;
  dedupeWindowDays: number;
  listingLifetimeHours: number;
  /** Oldest consent accepted at verification, in days; absent or null: no limit. */
  consentMaxAgeDays?: number | null;
}

export interface UploadRequest {
  sellerId: string;
  format: UploadFormat;
  body: AsyncIterable<Buffer | string>;
  /**
   * The client's Idempotency-Key: the batch id is derived from it, so a retried upload of the same
   * file answers with the batch it created, and the same key with another file or other terms is
   * refused (422). The file is hashed as it streams: the comparison needs no buffering.
   */
  idempotencyKey?: string;
  terms: Omit<ListingTerms, 'currency' | 'listingLifetimeHours'> & { listingLifetimeHours?: number };
}

export interface UploadReceipt {
  batchId: string;
  rowCount: number;
  /** True when an earlier upload under the same Idempotency-Key created the batch. */
  replayed?: boolean;
}

/** A staged chunk is flushed at this many characters even before it has its rows: 1 MB cells stay bounded. */
const CHUNK_MAX_CHARS = 8 * 1024 * 1024;

export const stagingKeyId = (batchId: string) => `staging-${batchId}`;

/**
 * A receiver holds its upload's batch for this long at a time and renews the hold three times as
 * often: a receiver that died frees its Idempotency-Key within seconds, a living one never loses
 * it to a slow client (100 MB at 1 Mbit/s takes ≈ 15 minutes).
 */
const RECEIVING_LEASE_MS = 12_000;

/**
 * Receives an upload: streams it through the parser into sealed staged chunks, then submits the
 * batch and queues its verification. A refused file leaves nothing behind: no event, no chunk.
 */
export class ReceiveUpload {
  constructor(
    private readonly deps: {
      store: EventStore;
      aggregates: AggregateRepository;
      verification: VerificationStore;
      vault: PersonalDataVault;
      limits: UploadLimits;
      chunkRows: number;
      defaults: MarketDefaults;
      sellerHistory: (sellerId: string) => Promise<SellerRecord>;
      enqueue: (batchId: string) => Promise<void>;
      clock?: () => Date;
      receivingLeaseMs?: number;
    },
  ) {}

  async receive(request: UploadRequest): Promise<UploadReceipt> {
    const { verification, vault } = this.deps;
    const batchId =
      request.idempotencyKey === undefined
        ? randomUUID()
        : deterministicUuid('upload', request.sellerId, request.idempotencyKey);
    const submittedAt = (this.deps.clock ?? (() => new Date()))();
    const market = await this.marketSettings(request.terms.vertical);
    const terms: ListingTerms = {
      ...request.terms,
      currency: market.currency,
      listingLifetimeHours: request.terms.listingLifetimeHours ?? market.listingLifetimeHours,
    };
    if (request.idempotencyKey !== undefined) {
      const earlier = await this.earlierSubmission(batchId);
      if (earlier) return this.replay(batchId, earlier, request, terms);
    }
    const lease: ReceivingLease = {
      receiver: randomUUID(),
      leaseMs: this.deps.receivingLeaseMs ?? RECEIVING_LEASE_MS,
    };
    await this.createProgress(batchId, request, lease, {
      batchId,
      sellerId: request.sellerId,
      status: 'receiving',
      terms,
      dedupeWindowDays: market.dedupeWindowDays,
      consentMaxAgeDays: market.consentMaxAgeDays ?? null,
      submittedAt,
      sellerHistory: await this.deps.sellerHistory(request.sellerId),
      totalRows: 0,
      chunkCount: 0,
      nextChunk: 0,
      processed: 0,
      accepted: 0,
      rejected: 0,
      reasons: {},
    });
    const stagingKey = (await vault.obtainKeys([stagingKeyId(batchId)])).get(stagingKeyId(batchId))!;
    const digest = createHash('sha256');
    async function* hashed(): AsyncGenerator<Buffer> {
      for await (const chunk of request.body) {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        digest.update(buffer);
        yield buffer;
      }
    }
    const renewal = setInterval(
      () => void verification.renewLease(batchId, lease).catch(() => undefined),
      lease.leaseMs / 3,
    );
    let rowCount = 0;
    let chunkCount = 0;
    try {
      const externalIds = new Map<string, number>();
      let chunk: NumberedRecord[] = [];
      let chunkChars = 0;
      const flush = async () => {
        if (chunk.length === 0) return;
        const sealed = Buffer.from(JSON.stringify(vault.seal(stagingKey, chunk)));
        if (!(await verification.stageChunk(batchId, chunkCount++, chunk.length, sealed, lease.receiver)))
          throw leaseLost(batchId);
        chunk = [];
        chunkChars = 0;
      };
      for await (const numbered of parseUpload(hashed(), request.format, this.deps.limits)) {
        rowCount++;
        markRepeatedExternalId(numbered, externalIds);
        chunk.push(numbered);
        chunkChars += approximateChars(numbered);
        if (chunk.length >= this.deps.chunkRows || chunkChars >= CHUNK_MAX_CHARS) await flush();
      }
      await flush();
      // Held for a whole lease from here: the submission below cannot race a take-over.
      if (!(await verification.renewLease(batchId, lease))) throw leaseLost(batchId);
    } catch (error) {
      clearInterval(renewal);
      // A receiver that lost its lease leaves the batch to the one that took it over.
      if (!(error instanceof UploadRejected && error.code === 'upload-lease-lost')) {
        await verification.discard(batchId);
        await vault.erase([stagingKeyId(batchId)]);
      }
      throw error;
    }
    clearInterval(renewal);
    await this.deps.aggregates.handle(
      `batch-${batchId}`,
      batchDecider,
      {
        type: 'SubmitBatch',
        submitted: {
          batchId,
          sellerId: request.sellerId,
          contentHash: digest.digest('hex'),
          format: request.format === 'csv' ? 'csv' : 'json',
          rowCount,
          terms,
        },
      },
      { metadata: { actor: request.sellerId, occurredAt: submittedAt.toISOString() } },
    );
    await verification.markVerifying(batchId, rowCount, chunkCount);
    await this.deps.enqueue(batchId);
    return { batchId, rowCount };
  }

  /**
   * Uploads whose receiver stopped (died, or lost the database) leave a `receiving` row whose lease
   * runs out. One that reached the log (its submission was written) is finished — marked
   * verifying and queued — so its leads are verified even if the seller never retries; one that
   * did not is dropped with its staged chunks, so that no sealed rows linger (a retry under the
   * same key takes such a batch over by itself).
   */
  async settleAbandoned(): Promise<{ discarded: string[]; finished: string[] }> {
    const discarded: string[] = [];
    const finished: string[] = [];
    for (const batchId of await this.deps.verification.abandonedUploads()) {
      const earlier = await this.earlierSubmission(batchId);
      if (earlier) {
        await this.finishSubmitted(batchId, earlier.rowCount);
        finished.push(batchId);
        continue;
      }
      await this.deps.verification.discard(batchId);
      await this.deps.vault.erase([stagingKeyId(batchId)]);
      discarded.push(batchId);
    }
    return { discarded, finished };
  }

  /** The progress row that marks the batch as being received; a second one for the same key is in flight. */
  private async createProgress(
    batchId: string,
    request: UploadRequest,
    lease: ReceivingLease,
    progress: BatchProgress,
  ): Promise<void> {
    try {
      await this.deps.verification.createProgress(progress, lease);
    } catch (error) {
      if (request.idempotencyKey === undefined || (error as { code?: string }).code !== '23505') throw error;
      throw new UploadRejected(
        409,
        'upload-in-flight',
        'An upload with this Idempotency-Key is still being received: retry once it has been answered',
        { batchId },
      );
    }
  }

  /** What an earlier upload under the same key submitted, if it got that far. */
  private async earlierSubmission(batchId: string): Promise<EventData<typeof LeadBatchSubmitted> | null> {
    const [first] = await this.deps.store.readStream(`batch-${batchId}`, { maxCount: 1 });
    return first?.type === LeadBatchSubmitted.type
      ? (first.data as EventData<typeof LeadBatchSubmitted>)
      : null;
  }

  /**
   * A retried upload: the file is read to its end and hashed (nothing is staged); the same file with
   * the same terms answers with the batch the first upload created, anything else is refused.
   */
  private async replay(
    batchId: string,
    earlier: EventData<typeof LeadBatchSubmitted>,
    request: UploadRequest,
    terms: ListingTerms,
  ): Promise<UploadReceipt> {
    const digest = createHash('sha256');
    let bytes = 0;
    for await (const chunk of request.body) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      bytes += buffer.length;
      if (bytes > this.deps.limits.maxBytes)
        throw new UploadRejected(
          413,
          'file-too-large',
          `The file is over ${this.deps.limits.maxBytes} bytes`,
        );
      digest.update(buffer);
    }
    const sameFile = digest.digest('hex') === earlier.contentHash;
    const sameFormat = earlier.format === (request.format === 'csv' ? 'csv' : 'json');
    const sameTerms = canonicalJson(earlier.terms) === canonicalJson(terms);
    if (!sameFile || !sameFormat || !sameTerms)
      throw new UploadRejected(
        422,
        'idempotency-key-reused',
        'This Idempotency-Key was used for another upload: send a new key for a new file or new terms',
        {
          batchId,
          differs: [!sameFile && 'file', !sameFormat && 'format', !sameTerms && 'terms'].filter(Boolean),
        },
      );
    // The first attempt may have stopped between its submission and marking the batch for
    // verification (its answer lost with it): the retry finishes that work.
    await this.finishSubmitted(batchId, earlier.rowCount);
    return { batchId, rowCount: earlier.rowCount, replayed: true };
  }

  /** Marks a batch submitted to the log as verifying (if its receiver did not) and queues its verification. */
  private async finishSubmitted(batchId: string, rowCount: number): Promise<void> {
    await this.deps.verification.markSubmittedVerifying(batchId, rowCount);
    const progress = await this.deps.verification.progress(batchId);
    if (progress?.status === 'verifying') await this.deps.enqueue(batchId);
  }

  private async marketSettings(vertical: string): Promise<MarketDefaults> {
    return publishedMarketDefaults(this.deps.store, vertical, this.deps.defaults);
  }
}

/** The market's published settings, or the configured defaults for a market not configured yet. */
export async function publishedMarketDefaults(
  store: EventStore,
  vertical: string,
  defaults: MarketDefaults,
): Promise<MarketDefaults> {
  const [latest] = await store.readStream(`marketSettings-${vertical}`, {
    direction: 'backwards',
    maxCount: 1,
  });
  return (latest && marketDefaultsOf(latest)) ?? defaults;
}

/** What a `marketSettings-<vertical>` event publishes of the settings verification uses; null for another event. */
export function marketDefaultsOf(event: RecordedEvent): MarketDefaults | null {
  if (event.type !== MarketSettingsChanged.type) return null;
  const settings = event.data as EventData<typeof MarketSettingsChanged>;
  return {
    currency: settings.currency,
    dedupeWindowDays: settings.dedupeWindowDays,
    listingLifetimeHours: settings.listingLifetimeHours,
    consentMaxAgeDays: settings.consentMaxAgeDays ?? null,
  };
}

function leaseLost(batchId: string): UploadRejected {
  return new UploadRejected(
    409,
    'upload-lease-lost',
    'This upload stalled so long that another upload under the same Idempotency-Key took it over',
    { batchId },
  );
}

/** Rows are sellers' own ids: the second row with an id already seen is refused. */
function markRepeatedExternalId(numbered: NumberedRecord, seen: Map<string, number>): void {
  const id = numbered.record.external_id;
  if (typeof id !== 'string' || id.trim() === '') return;
  // A digest, so that memory stays small however long the ids are.
  const key = createHash('sha1').update(id.trim()).digest('base64');
  if (seen.has(key)) numbered.parseProblems = [...numbered.parseProblems, 'duplicate_external_id'];
  else seen.set(key, numbered.line);
}

function approximateChars(numbered: NumberedRecord): number {
  let total = 0;
  for (const value of Object.values(numbered.record))
    total += typeof value === 'string' ? value.length : JSON.stringify(value ?? null).length;
  return total;
}
