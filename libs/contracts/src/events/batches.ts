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
    }),
  }),
});

const RejectedRow = z.strictObject({
  /** 1-based line of the uploaded file, so the seller can find and fix the row. */
  line: z.int().positive(),
  reasons: z.array(Slug).min(1).max(20),
});

export const LeadBatchVerified = defineEvent({
  type: 'LeadBatchVerified',
  schemaVersion: 1,
  categories,
  schema: z
    .strictObject({
      batchId: EntityId,
      sellerId: EntityId,
      accepted: z.int().nonnegative(),
      rejected: z.int().nonnegative(),
      /** Rejected rows per reason code; a row with several reasons counts under each. */
      reasons: z.record(Slug, z.int().positive()),
      rejectedRows: z.array(RejectedRow),
    })
    .refine((batch) => batch.rejectedRows.length === batch.rejected, {
      path: ['rejectedRows'],
      message: 'must list exactly the rejected rows',
    }),
});

export const LeadBatchWithdrawn = defineEvent({
  type: 'LeadBatchWithdrawn',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ batchId: EntityId, sellerId: EntityId, reason: Text(1000).optional() }),
});

export const batchEvents = [LeadBatchSubmitted, LeadBatchVerified, LeadBatchWithdrawn] as const;
