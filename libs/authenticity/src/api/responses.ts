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
  rank: z
    .int()
    .describe(
      'Its place in the draw that made the task (a batch’s: 1 = ranked first by sha-256 of batchId|leadId; a source’s: its place in that draw)',
    ),
  drawnBy: z
    .array(z.enum(['batch', 'source']))
    .describe('The samples that drew it: its batch’s, its source’s or both (one check counts for both)'),
  source: z.string().nullable().describe('The lead’s source tag (null: untagged)'),
  sourceId: z
    .string()
    .nullable()
    .describe('Its source’s record (`/v1/authenticity/sources/{sourceId}`) when the market samples sources'),
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

const SourceStatus = z
  .enum(['sampling', 'verified', 'held', 'released', 'withdrawn'])
  .describe(
    '`sampling`: too few checks answered since the last decision; `verified`: enough answered, failures within the threshold (sample-verified); `held`: failures above it, the source’s unsold leads are off sale; `released`: back on sale, its record starts again; `withdrawn`: its leads never sell in the market',
  );

const SourceRecord = z.strictObject({
  sourceId: z.string(),
  vertical: z.string(),
  sellerId: z.string(),
  source: z.string().nullable().describe('The seller’s source tag; null: its untagged leads'),
  status: SourceStatus,
  listed: z.int().describe('The source’s leads listed while the market samples sources'),
  drawn: z.int().describe('Of those, drawn for a check (its first few, then a share)'),
  answered: z.int().describe('Checks answered since the last decision'),
  confirmed: z.int(),
  failed: z.int().describe('Answered unreachable or denied, since the last decision'),
  holdThresholdPercent: z.int(),
  holdMinAnswered: z.int().describe('The fewest answered checks the source is judged on'),
  firstDrawnAt: IsoInstant,
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
});

export const AuthenticitySourceAnswer = z.strictObject({
  source: SourceRecord,
  tasks: z.array(z.strictObject(TaskFields)),
});

export const AuthenticitySourcesAnswer = z.strictObject({ items: z.array(SourceRecord) });

export const AuthenticityEventsAnswer = z.strictObject({
  events: z.array(
    z.strictObject({
      type: z
        .string()
        .describe(
          'AuthenticityCheckAnswered (or AuthenticitySourceCheckCounted), then AuthenticitySampleHeld or AuthenticitySamplePassed when the answer decides the sample, AuthenticitySourceHeld or AuthenticitySourceVerified when it judges the source; AuthenticityHoldDecided, AuthenticitySourceHoldDecided',
        ),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
});
