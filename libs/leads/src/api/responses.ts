import { z } from 'zod';
import { LeadAttributes, LeadBatchSubmitted, ListingExclusivity, QualityScore } from '#lx/contracts';
import { IsoInstant, MinorUnitsAmount, pageOf } from '#lx/http';

/* What the sellers app answers: one schema per shape, for the OpenAPI document and its clients. */

export const BatchAnswer = z.strictObject({
  batchId: z.uuid(),
  status: z.enum(['verifying', 'verified', 'withdrawn']),
  terms: LeadBatchSubmitted.schema.shape.terms
    .partial()
    .describe('The listing terms of every lead of the batch'),
  submittedAt: IsoInstant,
  progress: z.strictObject({
    share: z.number().min(0).max(1).describe('Share of the rows verified so far, 0–1'),
    totalRows: z.int(),
    processed: z.int(),
    accepted: z.int(),
    rejected: z.int(),
  }),
  reasons: z.record(z.string(), z.int()).describe('Rejected rows per reason code'),
});
export const BatchPage = pageOf(BatchAnswer);

export const RejectionsAnswer = z.strictObject({
  batchId: z.uuid(),
  complete: z.boolean().describe('False while verification is still running'),
  rows: z.array(
    z.strictObject({
      line: z.int().describe('1-based line of the uploaded file'),
      reasons: z.array(z.string()),
      messages: z.array(z.string()).describe('Each reason explained'),
    }),
  ),
});

export const BatchWithdrawn = z.strictObject({
  batchId: z.uuid(),
  status: z.literal('withdrawn'),
  leadsWithdrawn: z.int().describe('Leads of the batch that were still listed and are now withdrawn'),
});

const PersonalDataAnswer = z
  .strictObject({
    externalId: z.string(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
    address: z.string().optional(),
    postalCode: z.string().optional(),
    dateOfBirth: z.string().optional(),
    captureIp: z.string().optional(),
  })
  .nullable()
  .describe('Opened from the vault for the seller who owns the lead; null once erased');

export const LeadAnswer = z.strictObject({
  leadId: z.uuid(),
  batchId: z.uuid(),
  status: z.string().describe('listed, sold, withdrawn, expired or erased'),
  sales: z.int(),
  returned: z.int(),
  proceeds: MinorUnitsAmount.describe("The seller's proceeds from this lead so far, in minor units"),
  attributes: LeadAttributes,
  floor: MinorUnitsAmount,
  currency: z.string(),
  exclusivity: ListingExclusivity,
  expiresAt: IsoInstant,
  quality: QualityScore,
  listedAt: IsoInstant,
  personalData: PersonalDataAnswer,
});
export const LeadPage = pageOf(LeadAnswer);

export const LeadStatusChanged = z.strictObject({
  leadId: z.uuid(),
  status: z.enum(['withdrawn', 'erased']),
});

const EvidenceAnswer = z.strictObject({
  kind: z.string(),
  description: z.string(),
  reference: z.string().optional(),
});

export const SellerReturnsAnswer = z.strictObject({
  items: z.array(
    z.strictObject({
      allocationId: z.uuid(),
      leadId: z.uuid(),
      buyerId: z.uuid(),
      reason: z.string(),
      text: z.string().nullable(),
      evidence: z.array(EvidenceAnswer),
      status: z.string().describe('requested, responded, escalated, accepted or rejected'),
      response: z.record(z.string(), z.unknown()).nullable().describe("The seller's answer, once given"),
      decision: z.record(z.string(), z.unknown()).nullable().describe('The decision, once taken'),
      requestedAt: IsoInstant,
      answerBy: IsoInstant.describe(
        'The seller may answer until then (LX_SELLER_RESPONSE_HOURS after the request); unanswered, the return goes to an arbiter',
      ),
    }),
  ),
});

export const ReturnResponseAnswer = z.strictObject({
  allocationId: z.string(),
  responded: z.boolean().describe('False when the same answer had already been recorded'),
  position: z.enum(['accept', 'contest']),
});

export const SuppressionAnswer = z.strictObject({
  received: z.int(),
  fingerprintsAdded: z.int(),
});

export const SuppressionsAnswer = pageOf(
  z.strictObject({
    fingerprint: z
      .string()
      .describe('A keyed fingerprint of a phone or e-mail; the contact itself is not kept'),
    reason: z.enum(['do_not_contact', 'consent_revoked']),
    addedAt: IsoInstant,
  }),
);

export const RevocationAnswer = z.strictObject({
  suppressed: z.int().describe('Fingerprints added to the suppression list'),
  leadsErased: z.array(z.uuid()),
});

export const UploadFormatAnswer = z.strictObject({
  formats: z.array(z.string()),
  lines: z.string(),
  columns: z.array(z.record(z.string(), z.unknown())),
  rejectionReasons: z.record(z.string(), z.string()),
});

const ActivityCounts = {
  listed: z.int().describe('Leads listed'),
  sold: z.int().describe('Sales made (a shared lead counts once per buyer)'),
  returned: z.int().describe('Returns accepted against the seller'),
};
const IsoDay = z.string().describe('A calendar day, YYYY-MM-DD, in UTC');

export const SellerActivityAnswer = z.strictObject({
  sellerId: z.string(),
  today: z.strictObject({ day: IsoDay, ...ActivityCounts }),
  month: z.strictObject({ from: IsoDay, ...ActivityCounts }).describe('Since the first day of this month'),
  days: z
    .array(z.strictObject({ day: IsoDay, ...ActivityCounts }))
    .describe('One entry per day, oldest first, the last one today (days without activity count 0)'),
  quality: z
    .strictObject({
      leads: z.int().describe('Leads the averages are over: every lead the seller listed'),
      score: z.number().describe('Average quality score, 0–100 (0 without leads)'),
      parts: z.strictObject({
        completeness: z.number(),
        verification: z.number(),
        freshness: z.number(),
        sellerHistory: z.number(),
      }),
    })
    .describe("Average quality of the seller's listed leads, by part"),
});

const SourceFiguresShape = {
  listed: z.int().describe('Leads listed'),
  sold: z.int().describe('Sales made (a shared lead counts once per buyer)'),
  returned: z.int().describe('Returns accepted against those sales'),
  returnRateBps: z
    .int()
    .nullable()
    .describe('returned / sold in basis points, rounded half-even; null before a sale'),
  conversions: z.int().describe('Sales the buyers reported converted'),
  conversionRateBps: z.int().nullable().describe('conversions / sold in basis points; null before a sale'),
  averageQuality: z
    .number()
    .nullable()
    .describe('Average quality score (0–100, one decimal) of the listed leads'),
  proceeds: MinorUnitsAmount.describe('Proceeds of the sales, net of accepted returns, minor units'),
};

export const SellerSourceReportAnswer = z.strictObject({
  items: z
    .array(
      z.strictObject({
        source: z.string().nullable().describe('The seller’s source tag; null: leads listed without one'),
        currency: z.string(),
        ...SourceFiguresShape,
        subSources: z
          .array(
            z.strictObject({
              subSource: z.string().nullable().describe('null: the source’s leads without a sub-source'),
              ...SourceFiguresShape,
            }),
          )
          .describe('The same figures per sub-source; they sum to the source’s'),
      }),
    )
    .describe('One entry per source and currency, in tag order, leads without a source last'),
});

export const DoNotContactListAnswer = z.strictObject({
  listId: z.uuid(),
  name: z.string(),
  vertical: z.string().nullable().describe('The market it applies to; null: every market'),
  expiresAt: IsoInstant,
  endedAt: IsoInstant.nullable().describe('When an operator ended it; null: not ended'),
  createdAt: IsoInstant,
  status: z.enum(['active', 'expired', 'ended']),
  contacts: z.int().describe('Phones and e-mails received (a contact sent twice counts twice)'),
  fingerprints: z
    .int()
    .describe(
      'Distinct keyed fingerprints held (each contact under every fingerprint key held); never the contacts',
    ),
});

export const DoNotContactListsAnswer = pageOf(DoNotContactListAnswer);

export const DoNotContactEntriesAnswer = z.strictObject({
  listId: z.uuid(),
  received: z.int().describe('Entries in the request'),
  contacts: z.int().describe('Phones and e-mails added, as fingerprints'),
  events: z.int().describe('DoNotContactEntriesAdded events appended (one per chunk of fingerprints)'),
});

export const DoNotContactListEndedAnswer = z.strictObject({
  listId: z.uuid(),
  endedAt: IsoInstant.nullable().describe('Null when the list had been ended already'),
  alreadyEnded: z.boolean(),
});

/** A posted lead's answer (docs/architecture.md §5.2). */
export const PostedLeadAnswer = z.strictObject({
  leadId: z.uuid(),
  status: z
    .enum(['rejected', 'resting', 'sold', 'not_listed', 'pending'])
    .describe(
      'sold: at least one sale (a shared lead with slots left also rests); pending: ask outcomeUrl later',
    ),
  reasons: z.array(z.string()).optional().describe('rejected: the reason codes of verification'),
  messages: z.array(z.string()).optional().describe('Each reason explained'),
  reason: z.string().optional().describe('not_listed: why the market did not take it'),
  currency: z.string().optional(),
  buyers: z.int().optional().describe('How many buyers bought it'),
  price: MinorUnitsAmount.optional().describe('What the buyers paid in all'),
  proceeds: MinorUnitsAmount.optional().describe("The seller's proceeds in all (price less commission)"),
  sales: z
    .array(z.strictObject({ allocationId: z.string(), price: MinorUnitsAmount, proceeds: MinorUnitsAmount }))
    .optional(),
  ping: z
    .strictObject({
      pingId: z.string(),
      honoured: z.boolean().optional(),
      price: MinorUnitsAmount.optional().describe('The pinged price per sale'),
      refusal: z.string().optional().describe('Why the ping was not honoured'),
    })
    .optional(),
  outcomeUrl: z.string(),
});

/** A ping's answer (docs/architecture.md §5.2). */
export const PingAnswerBody = z.strictObject({
  pingId: z.uuid(),
  status: z.enum(['bid', 'no_bid', 'pending']),
  reason: z.string().optional().describe('no_bid: why'),
  price: MinorUnitsAmount.optional().describe('bid: what each buyer would pay now'),
  currency: z.string().optional(),
  buyers: z.int().optional().describe('How many buyers would buy it (1 for an exclusive lead)'),
  validUntil: IsoInstant.optional().describe('The price stands for a post listed until then'),
  answerUrl: z.string(),
});
