import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { LeadSource } from '../lead-attributes.js';
import { EntityId, Percent, Text, Vertical } from '../value-types.js';
import { AuthenticityOutcome } from './authenticity.js';

/**
 * Stream `authenticity-source-<sourceId>`, written by settlement: the contact checks of one
 * seller's source in one market, across its batches and its posted leads (docs/architecture.md
 * §4.1). `sourceId` derives from (vertical, seller, source); an untagged lead's source is `null`,
 * the seller's untagged leads of the market. A lead drawn only here has its
 * `AuthenticityCheckAnswered` on this stream; one its batch's sample drew too has it on the
 * batch's stream and is counted here by `AuthenticitySourceCheckCounted`.
 */
const categories = ['authenticity'];

/**
 * How a source's leads are drawn: a lead is drawn when it is among the source's first
 * `sampleMin` leads listed while the market samples sources (`first`), or when the first 32 bits
 * of sha-256 of `<sellerId>|<source>|<leadId>` (an untagged lead: an empty source), read as an
 * unsigned integer, are below `samplePercent` % of 2^32 (`share`).
 */
export const AUTHENTICITY_SOURCE_RULES = ['sha256-source-lead-v1'] as const;

const sourceFacts = {
  sourceId: EntityId,
  vertical: Vertical,
  sellerId: EntityId,
  /** The seller's source tag; null: the seller's untagged leads. */
  source: LeadSource.nullable(),
};

export const AuthenticitySourceLeadsDrawn = defineEvent({
  type: 'AuthenticitySourceLeadsDrawn',
  schemaVersion: 1,
  categories,
  schema: z
    .strictObject({
      ...sourceFacts,
      rule: z.enum(AUTHENTICITY_SOURCE_RULES),
      /** The market's settings in force when the leads were listed. */
      samplePercent: Percent,
      sampleMin: z.int().nonnegative().max(1000),
      holdThresholdPercent: Percent,
      /** The fewest answered checks (since the last decision) on which the source is judged. */
      holdMinAnswered: z.int().positive().max(1000),
      leads: z
        .array(
          z.strictObject({
            leadId: EntityId,
            /** The lead's batch (a posted lead: its own id). */
            batchId: EntityId,
            /** Its place among the source's leads listed while the market samples sources (1 = first). */
            ordinal: z.int().positive(),
            reason: z.enum(['first', 'share']),
          }),
        )
        .min(1)
        .max(5000),
    })
    .refine((drawn) => new Set(drawn.leads.map((lead) => lead.leadId)).size === drawn.leads.length, {
      message: 'a lead is drawn once',
      path: ['leads'],
    }),
});

/** A check of a lead drawn here whose answer is recorded on its batch's stream: counted here too. */
export const AuthenticitySourceCheckCounted = defineEvent({
  type: 'AuthenticitySourceCheckCounted',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    ...sourceFacts,
    leadId: EntityId,
    batchId: EntityId,
    outcome: AuthenticityOutcome,
  }),
});

/** The source's record since its last decision: what a hold or a verification was judged on. */
const tally = {
  answered: z.int().nonnegative(),
  confirmed: z.int().nonnegative(),
  failed: z.int().nonnegative(),
  holdThresholdPercent: Percent,
  holdMinAnswered: z.int().positive().max(1000),
};

/** Failures exceeded the threshold: the source's unsold leads, and its new ones, are held from sale. */
export const AuthenticitySourceHeld = defineEvent({
  type: 'AuthenticitySourceHeld',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ ...sourceFacts, ...tally }),
});

/** Enough checks answered, failures within the threshold: the source's leads are sample-verified. */
export const AuthenticitySourceVerified = defineEvent({
  type: 'AuthenticitySourceVerified',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ ...sourceFacts, ...tally }),
});

/** An operator's decision on a held source: back on sale (its record starts again), or withdrawn for good. */
export const AuthenticitySourceHoldDecided = defineEvent({
  type: 'AuthenticitySourceHoldDecided',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    ...sourceFacts,
    decision: z.enum(['released', 'withdrawn']),
    operatorId: EntityId,
    note: Text(2000),
  }),
});

export const authenticitySourceEvents = [
  AuthenticitySourceLeadsDrawn,
  AuthenticitySourceCheckCounted,
  AuthenticitySourceHeld,
  AuthenticitySourceVerified,
  AuthenticitySourceHoldDecided,
] as const;
