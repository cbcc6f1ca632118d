import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { CurrencyCode, EntityId, MinorUnits, Sha256Hex, Slug, Text, Vertical } from '../value-types.js';
import { ListingExclusivity } from './leads.js';

/** Stream `batch-<batchId>`, written by the sellers app. */
const categories = ['batch'];

export const LeadBatchSubmitted = defineEvent({
  type: 'LeadBatchSubmitted',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    batchId: EntityId,
    sellerId: EntityId,
    /** The uploaded rows hold personal data, so the log keeps only their digest. */
    contentHash: Sha256Hex,
    format: z.enum(['csv', 'json']),
    rowCount: z.int().positive(),
    /** Listing terms applied to every lead accepted from the batch. */
    terms: z.strictObject({
      vertical: Vertical,
      floor: MinorUnits,
      currency: CurrencyCode,
      exclusivity: ListingExclusivity,
      listingLifetimeHours: z
        .int()
        .positive()
        .max(24 * 365),
    }),
  }),
});

const RejectedRow = z.strictObject({
  /** 1-based line of the uploaded file, so the seller can find and fix the row. */
  line: z.int().positive(),
  reasons: z.array(Slug).min(1).max(20),
});

/**
 * Rejected rows, reported while verification runs, a chunk of the file at a time: each row is
 * reported in exactly one of these events (deterministic event ids make a resumed chunk idempotent).
 */
export const LeadBatchRowsRejected = defineEvent({
  type: 'LeadBatchRowsRejected',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    batchId: EntityId,
    sellerId: EntityId,
    rows: z.array(RejectedRow).min(1).max(5000),
  }),
});

/** Verification finished; the rejected rows themselves are in the batch's `LeadBatchRowsRejected` events. */
export const LeadBatchVerified = defineEvent({
  type: 'LeadBatchVerified',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    batchId: EntityId,
    sellerId: EntityId,
    accepted: z.int().nonnegative(),
    rejected: z.int().nonnegative(),
    /** Rejected rows per reason code; a row with several reasons counts under each. */
    reasons: z.record(Slug, z.int().positive()),
  }),
});

export const LeadBatchWithdrawn = defineEvent({
  type: 'LeadBatchWithdrawn',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ batchId: EntityId, sellerId: EntityId, reason: Text(1000).optional() }),
});

export const batchEvents = [
  LeadBatchSubmitted,
  LeadBatchRowsRejected,
  LeadBatchVerified,
  LeadBatchWithdrawn,
] as const;
