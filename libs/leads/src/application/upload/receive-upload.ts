import { createHash, randomUUID } from 'node:crypto';
import { MarketSettingsChanged, type EventData } from '#lx/contracts';
import type { AggregateRepository } from '#lx/event-sourcing';
import type { EventStore } from '#lx/event-store';
import type { PersonalDataVault } from '#lx/vault';
import { batchDecider } from '../../domain/batch.decider.js';
import type { ListingTerms } from '../../domain/listing-terms.js';
import type { SellerRecord } from '#lx/contracts';
import type { NumberedRecord } from '../../domain/raw-lead-record.js';
import type { VerificationStore } from '../verification/verification-store.port.js';
import { parseUpload, type UploadFormat, type UploadLimits } from './parse-upload.js';

export interface MarketDefaults {
  currency: string;
  dedupeWindowDays: number;
  listingLifetimeHours: number;
}

export interface UploadRequest {
  sellerId: string;
  format: UploadFormat;
  body: AsyncIterable<Buffer | string>;
  terms: Omit<ListingTerms, 'currency' | 'listingLifetimeHours'> & { listingLifetimeHours?: number };
}

export interface UploadReceipt {
  batchId: string;
  rowCount: number;
}

/** A staged chunk is flushed at this many characters even before it has its rows: 1 MB cells stay bounded. */
const CHUNK_MAX_CHARS = 8 * 1024 * 1024;

export const stagingKeyId = (batchId: string) => `staging-${batchId}`;

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
    },
  ) {}

  async receive(request: UploadRequest): Promise<UploadReceipt> {
    const { verification, vault } = this.deps;
    const batchId = randomUUID();
    const submittedAt = (this.deps.clock ?? (() => new Date()))();
    const market = await this.marketSettings(request.terms.vertical);
    const terms: ListingTerms = {
      ...request.terms,
      currency: market.currency,
      listingLifetimeHours: request.terms.listingLifetimeHours ?? market.listingLifetimeHours,
    };
    await verification.createProgress({
      batchId,
      sellerId: request.sellerId,
      status: 'receiving',
      terms,
      dedupeWindowDays: market.dedupeWindowDays,
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
    let rowCount = 0;
    let chunkCount = 0;
    try {
      const externalIds = new Map<string, number>();
      let chunk: NumberedRecord[] = [];
      let chunkChars = 0;
      const flush = async () => {
        if (chunk.length === 0) return;
        const sealed = Buffer.from(JSON.stringify(vault.seal(stagingKey, chunk)));
        await verification.stageChunk(batchId, chunkCount++, chunk.length, sealed);
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
    } catch (error) {
      await verification.discard(batchId);
      await vault.erase([stagingKeyId(batchId)]);
      throw error;
    }
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

  /** The market's published settings, or the configured defaults for a market not configured yet. */
  private async marketSettings(vertical: string): Promise<MarketDefaults> {
    const [latest] = await this.deps.store.readStream(`marketSettings-${vertical}`, {
      direction: 'backwards',
      maxCount: 1,
    });
    if (!latest || latest.type !== MarketSettingsChanged.type) return this.deps.defaults;
    const settings = latest.data as EventData<typeof MarketSettingsChanged>;
    return {
      currency: settings.currency,
      dedupeWindowDays: settings.dedupeWindowDays,
      listingLifetimeHours: settings.listingLifetimeHours,
    };
  }
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
