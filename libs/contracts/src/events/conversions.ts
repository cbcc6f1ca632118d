import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { EntityId, Instant, Money } from '../value-types.js';

/** A buyer reports that a purchased lead converted (stream `conversion-<allocationId>`). */
export const ConversionReported = defineEvent({
  type: 'ConversionReported',
  schemaVersion: 1,
  categories: ['conversion'],
  schema: z.strictObject({
    allocationId: EntityId,
    buyerId: EntityId,
    at: Instant,
    /** What the conversion was worth to the buyer; feeds the seller's quality score. */
    value: Money.optional(),
  }),
});

export const conversionEvents = [ConversionReported] as const;
