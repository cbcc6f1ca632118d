import { z } from 'zod';
import { AUTHENTICITY_OUTCOMES } from '#lx/contracts';
import { IsoInstant } from '#lx/http';

/* What the authenticity routes of settlement answer (docs/architecture.md §4.1). */

const Outcome = z.enum(AUTHENTICITY_OUTCOMES);
const SampleStatus = z
  .enum(['sampling', 'held', 'passed', 'released', 'withdrawn'])
  .describe(
    '`sampling`: checks outstanding; `held`: failures above the threshold, the unsold leads are off sale; `passed`: every check answered within the threshold (sample-verified); `released` / `withdrawn`: an operator decided the hold',
  );

const TaskFields = {
  batchId: z.string(),
  leadId: z.string(),
  sellerId: z.string(),
  vertical: z.string(),
  rank: z.int().describe('Its place in the batch’s draw (1 = ranked first by sha-256 of batchId|leadId)'),
  outcome: Outcome.nullable(),
  answeredBy: z.strictObject({ kind: z.enum(['staff', 'provider']), id: z.string() }).nullable(),
  answeredAt: IsoInstant.nullable(),
  qualityListed: z.int().nullable().describe('The lead’s quality score as listed'),
  qualityChecked: z.int().nullable().describe('The lead’s quality score after the check'),
};

export const AuthenticityTasksAnswer = z.strictObject({
  items: z.array(
    z.strictObject({
      ...TaskFields,
      check: z.string().describe('What to do'),
      assignedTo: z.enum(['staff', 'provider']),
      contact: z
        .strictObject({
          status: z.enum(['available', 'erased', 'unavailable']),
          name: z.string().nullable(),
          phone: z.string().nullable(),
          email: z.string().nullable(),
        })
        .describe('The person’s contact, opened from the vault for this operator (the opening is logged)'),
    }),
  ),
  nextCursor: z
    .string()
    .optional()
    .describe('Opaque; pass as `?cursor=` for the next page; absent on the last'),
});

const Sample = z.strictObject({
  batchId: z.string(),
  sellerId: z.string(),
  vertical: z.string(),
  status: SampleStatus,
  population: z.int().describe('The batch’s accepted leads the sample was drawn from'),
  sampled: z.int(),
  answered: z.int(),
  confirmed: z.int(),
  failed: z.int().describe('Answered unreachable or denied'),
  holdThresholdPercent: z.int(),
  drawnAt: IsoInstant,
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
});

export const AuthenticitySampleAnswer = z.strictObject({
  sample: Sample,
  tasks: z.array(z.strictObject(TaskFields)),
});

export const AuthenticitySamplesAnswer = z.strictObject({ items: z.array(Sample) });

export const AuthenticityEventsAnswer = z.strictObject({
  events: z.array(
    z.strictObject({
      type: z
        .string()
        .describe(
          'AuthenticityCheckAnswered, then AuthenticitySampleHeld or AuthenticitySamplePassed when the answer decides the sample; AuthenticityHoldDecided',
        ),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
});
