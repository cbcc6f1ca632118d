import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { EntityId, Percent, Text, Vertical } from '../value-types.js';
import { LeadText } from './leads.js';

/**
 * Stream `authenticity-<batchId>`, written by settlement: the contact check of a sample of a
 * batch's accepted leads ("buy the data, verify its authenticity selectively, then put it on
 * sale"; docs/architecture.md §4.1).
 */
const categories = ['authenticity'];

/** What a contact check found: the person confirmed the enquiry, could not be reached, or denied it. */
export const AUTHENTICITY_OUTCOMES = ['confirmed', 'unreachable', 'denied'] as const;
export const AuthenticityOutcome = z.enum(AUTHENTICITY_OUTCOMES);
export type AuthenticityOutcome = z.infer<typeof AuthenticityOutcome>;

/** The ranking that drew a sample: sha-256 of `<batchId>|<leadId>`, ascending, the first `size` leads. */
export const AUTHENTICITY_SAMPLING_RULES = ['sha256-batch-lead-v1'] as const;

const batchFacts = { batchId: EntityId, sellerId: EntityId, vertical: Vertical };

export const AuthenticitySampleDrawn = defineEvent({
  type: 'AuthenticitySampleDrawn',
  schemaVersion: 1,
  categories,
  schema: z
    .strictObject({
      ...batchFacts,
      rule: z.enum(AUTHENTICITY_SAMPLING_RULES),
      /** The batch's accepted leads the sample was drawn from (what an auditor ranks again). */
      population: z.int().positive(),
      /** The market's settings the size came from. */
      samplePercent: Percent,
      sampleMin: z.int().nonnegative().max(1000),
      /** Failures (unreachable + denied) above this share of the sample hold the rest of the batch. */
      holdThresholdPercent: Percent,
      /** The drawn leads, in ranking order. */
      leadIds: z.array(EntityId).min(1).max(5000),
    })
    .refine((sample) => new Set(sample.leadIds).size === sample.leadIds.length, {
      message: 'a lead is drawn once',
      path: ['leadIds'],
    })
    .refine((sample) => sample.leadIds.length <= sample.population, {
      message: 'cannot draw more leads than the batch accepted',
      path: ['leadIds'],
    }),
});

export const AuthenticityCheckAnswered = defineEvent({
  type: 'AuthenticityCheckAnswered',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    ...batchFacts,
    leadId: EntityId,
    outcome: AuthenticityOutcome,
    /** What was done and found; it may quote the person, so it is sealed under the lead's key. */
    evidence: LeadText(4000),
    /** `staff`: an operator's verification staff through the task queue; `provider`: a plugged-in service. */
    answeredBy: z.strictObject({ kind: z.enum(['staff', 'provider']), id: EntityId }),
  }),
});

const tally = {
  sampled: z.int().positive(),
  answered: z.int().nonnegative(),
  confirmed: z.int().nonnegative(),
  failed: z.int().nonnegative(),
  holdThresholdPercent: Percent,
};

/** Failures exceeded the threshold: the batch's unsold leads are held from sale until an operator decides. */
export const AuthenticitySampleHeld = defineEvent({
  type: 'AuthenticitySampleHeld',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ ...batchFacts, ...tally }),
});

/** An operator's decision on a held batch: back on sale, or withdrawn from the market for good. */
export const AuthenticityHoldDecided = defineEvent({
  type: 'AuthenticityHoldDecided',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    ...batchFacts,
    decision: z.enum(['released', 'withdrawn']),
    operatorId: EntityId,
    note: Text(2000),
  }),
});

/** Every check answered, failures within the threshold: the batch is sample-verified. */
export const AuthenticitySamplePassed = defineEvent({
  type: 'AuthenticitySamplePassed',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ ...batchFacts, ...tally }),
});

export const authenticityEvents = [
  AuthenticitySampleDrawn,
  AuthenticityCheckAnswered,
  AuthenticitySampleHeld,
  AuthenticityHoldDecided,
  AuthenticitySamplePassed,
] as const;
