import { z } from 'zod';
import { IsoInstant } from '#lx/http';
import { ENTITY_KINDS } from '../domain/entity-references.js';

/* What the auditors' routes answer. */

export const TimelineEntryAnswer = z.strictObject({
  position: z.string(),
  stream: z.string(),
  revision: z.int(),
  type: z.string(),
  actor: z.string(),
  actorName: z
    .string()
    .describe('The actor by name: a participant’s name, or the actor as recorded (`system` …)'),
  occurredAt: IsoInstant,
  recordedAt: IsoInstant,
  hash: z.string(),
  previousHash: z.string(),
  summary: z
    .string()
    .nullable()
    .describe(
      'The event in one line, for pings and posted leads, do-not-contact lists and authenticity samples; null for the rest',
    ),
  data: z
    .unknown()
    .describe(
      'The event’s data; personal data never appears (a do-not-contact list’s fingerprints are counted, not shown)',
    ),
});

export const TimelineAnswer = z.strictObject({
  kind: z.string(),
  id: z.string(),
  events: z.array(TimelineEntryAnswer),
  participants: z
    .record(z.string(), z.string())
    .describe('The names of the participants this page’s events name (buyers, sellers, deciders), by id'),
  hasMore: z.boolean().describe('More events follow this page'),
  nextCursor: z
    .string()
    .optional()
    .describe('Opaque; pass as `?cursor=` for the next page; only when `hasMore`'),
});

const OrderAsOfAnswer = z.strictObject({
  orderId: z.string(),
  buyerId: z.string(),
  terms: z.record(z.string(), z.unknown()).nullable(),
  status: z.string(),
  spentBefore: z.int(),
  budgetLeft: z.int().nullable(),
  termsPosition: z.string().nullable(),
});

export const ExplanationAnswer = z.strictObject({
  allocationId: z.string(),
  recorded: z.record(z.string(), z.unknown()).describe('The allocation as recorded, with its log position'),
  asOf: z.strictObject({
    position: z.string(),
    lead: z.record(z.string(), z.unknown()).nullable(),
    commissionBps: z.int(),
    order: OrderAsOfAnswer,
    competingOrders: z.array(OrderAsOfAnswer),
  }),
  checks: z.array(z.strictObject({ check: z.string(), holds: z.boolean(), detail: z.string() })),
  confirmed: z.boolean().describe('Every check holds and the engine re-run reproduces the allocation'),
  participants: z
    .record(z.string(), z.string())
    .describe('The names of the participants the explanation mentions (buyers, seller), by id'),
});

export const ReplayAnswer = z.looseObject({
  ok: z.boolean(),
  eventsRead: z.int(),
  upTo: z.string().nullable(),
  seconds: z.number(),
  markets: z.array(
    z.looseObject({
      vertical: z.string(),
      inputs: z.int(),
      recordedOutputs: z.int(),
      replayedOutputs: z.int(),
      compared: z.int(),
      recordedDigest: z.string(),
      replayedDigest: z.string(),
      identical: z.boolean(),
      notYetWritten: z.int(),
      firstDivergence: z.unknown(),
    }),
  ),
});

export const ReplayRunAnswer = z.strictObject({
  id: z.string().describe('The run’s id: GET /v1/audit/replays/{id} tells how far it is'),
  state: z
    .enum(['queued', 'running', 'done', 'failed', 'interrupted'])
    .describe(
      '`queued`: waiting for the replay before it (one runs at a time); `interrupted`: the app running it stopped — start it again',
    ),
  requestedBy: z.string(),
  upTo: z.string().nullable(),
  requestedAt: IsoInstant,
  startedAt: IsoInstant.nullable(),
  finishedAt: IsoInstant.nullable(),
  progress: z.strictObject({
    eventsRead: z.int().describe('Market inputs read so far'),
    position: z.string().nullable().describe('The log position read up to'),
    sequence: z.int().nullable().describe('That position’s place in the log …'),
    total: z.int().nullable().describe('… of this many (null when the store cannot say)'),
  }),
  proof: ReplayAnswer.nullable().describe('The proof, once done'),
  error: z.string().nullable().describe('Why the run failed or stopped'),
});

export const ReplayRunsAnswer = z.strictObject({ items: z.array(ReplayRunAnswer) });

export const ReadModelsAnswer = z.looseObject({
  equal: z.boolean(),
  projections: z.array(
    z.looseObject({
      projection: z.string(),
      equal: z.boolean(),
      position: z.string().nullable(),
      eventsApplied: z.int(),
      tables: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
});

export const IntegrityAnswer = z.looseObject({
  ok: z.boolean(),
  streamsChecked: z.int(),
  eventsChecked: z.int(),
  firstFailure: z
    .looseObject({ stream: z.string(), revision: z.int(), reason: z.string(), detail: z.string() })
    .optional(),
});

export const SearchAnswer = z.strictObject({
  items: z.array(
    z.strictObject({
      kind: z.enum(ENTITY_KINDS),
      id: z.string(),
      label: z.string().describe('A participant’s name and role, or the first event that touched the entity'),
    }),
  ),
});
