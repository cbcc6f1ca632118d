import type { SellerRecord } from '#lx/contracts';
import type { StreamWrite } from '#lx/event-store';
import type { ListingTerms } from '../../domain/listing-terms.js';
import type { RejectionReason } from '../../domain/rejection-reasons.js';

export type BatchProgressStatus = 'receiving' | 'verifying' | 'verified';

/** The durable state of one batch's verification: where the worker resumes and what it counted. */
export interface BatchProgress {
  batchId: string;
  sellerId: string;
  status: BatchProgressStatus;
  terms: ListingTerms;
  dedupeWindowDays: number;
  /** The market's consent limit in days when the batch was submitted; absent or null: no limit. */
  consentMaxAgeDays?: number | null;
  submittedAt: Date;
  sellerHistory: SellerRecord;
  totalRows: number;
  chunkCount: number;
  /** The next staged chunk to verify: chunks before it are done (listed, reported and counted). */
  nextChunk: number;
  processed: number;
  accepted: number;
  rejected: number;
  reasons: Partial<Record<RejectionReason, number>>;
}

export interface ChunkOutcome {
  processed: number;
  accepted: number;
  rejected: number;
  reasons: Partial<Record<RejectionReason, number>>;
}

export interface FingerprintHolder {
  leadId: string;
  batchId: string;
}

export interface FingerprintClaim {
  fingerprint: string;
  leadId: string;
  batchId: string;
}

/** What a listing is checked against as it is written: its contacts' fingerprints, its market and time. */
export interface ListingCheck {
  vertical: string;
  fingerprints: readonly string[];
  at: Date;
}

/** Of a listing's fingerprints: those suppressed, and those on a do-not-contact list in force (§4.3). */
export interface RefusedFingerprints {
  suppressed: Set<string>;
  doNotContact: Set<string>;
}

/** The receiver of an upload holds its batch for `leaseMs` at a time, renewed while it is alive. */
export interface ReceivingLease {
  receiver: string;
  leaseMs: number;
}

/** Write-side tables of the sellers' context: staged uploads, progress, fingerprints, suppressions. */
export interface VerificationStore {
  /**
   * Marks the batch `receiving` under `lease`. A receiving batch whose lease ran out (its receiver
   * died) is taken over: its staged chunks are dropped first. Fails with code 23505 while another
   * receiver holds a live lease.
   */
  createProgress(progress: BatchProgress, lease: ReceivingLease): Promise<void>;
  /** Extends the lease; false when the receiver lost it (it ran out and another took the batch). */
  renewLease(batchId: string, lease: ReceivingLease): Promise<boolean>;
  markVerifying(batchId: string, totalRows: number, chunkCount: number): Promise<void>;
  /**
   * An upload already submitted to the log whose receiver stopped before marking it `verifying`
   * (it died, or the database went away after the submission): marks it now, its chunk count
   * being the chunks it staged. False when the batch is not `receiving`.
   */
  markSubmittedVerifying(batchId: string, totalRows: number): Promise<boolean>;
  progress(batchId: string): Promise<BatchProgress | null>;
  /** Batches whose verification has not finished: a restarted worker picks them up again. */
  unfinishedBatches(): Promise<string[]>;
  /** Uploads still `receiving` whose lease ran out: their receiver died, or their client went away. */
  abandonedUploads(): Promise<string[]>;
  /** Moves the cursor past `chunk` and adds its counts, once: a second call for the same chunk is ignored. */
  completeChunk(batchId: string, chunk: number, outcome: ChunkOutcome): Promise<boolean>;
  markVerified(batchId: string): Promise<void>;
  /** Forgets an upload that was refused before it was submitted. */
  discard(batchId: string): Promise<void>;

  /** Stages a chunk for the receiver holding the batch; false (nothing written) for one that lost it. */
  stageChunk(
    batchId: string,
    chunk: number,
    rows: number,
    sealed: Buffer,
    receiver: string,
  ): Promise<boolean>;
  stagedChunk(batchId: string, chunk: number): Promise<Buffer | null>;
  dropStagedChunks(batchId: string): Promise<void>;

  /**
   * Under the market's lock: reads who holds the fingerprints (within the window) and which are
   * suppressed, lets `decide` choose the claims, and stores them before the lock is released.
   * Concurrent calls for one market may share a transaction: each `decide` then sees the claims of
   * the calls decided before it, exactly as if each had the lock to itself.
   */
  claimFingerprints(
    vertical: string,
    fingerprints: readonly string[],
    windowStart: Date,
    decide: (holders: Map<string, FingerprintHolder>, suppressed: Set<string>) => FingerprintClaim[],
    claimedAt: Date,
  ): Promise<void>;
  /**
   * Adds to the suppression list. Waits for listings being written (see `listUnlessRefused`):
   * once it returns, every lead with these fingerprints is either claimed already (`leadsClaiming`
   * finds it) or will be refused as it is listed.
   */
  suppress(fingerprints: readonly string[], reason: string): Promise<number>;
  /**
   * Lists leads unless refused: runs `decide` with those of the check's fingerprints that are
   * suppressed or on a do-not-contact list applying to its market at its time, and appends the
   * listings it returns in the same transaction, while no suppression and no do-not-contact entry
   * can be added: one added meanwhile either waits for the listings to be in the log or is seen by
   * the check. `decide` may run more than once (a retried transaction): it must only decide.
   */
  listUnlessRefused<T>(
    check: ListingCheck,
    decide: (refused: RefusedFingerprints) => { writes: readonly StreamWrite[]; result: T },
  ): Promise<T>;
  /** Leads holding a duplicate-detection claim on any of the fingerprints, in any market. */
  leadsClaiming(fingerprints: readonly string[]): Promise<string[]>;
  /** Forgets the erased leads' claims: after erasure nothing links a person's fingerprint to a lead. */
  releaseClaims(leadIds: readonly string[]): Promise<void>;
}
