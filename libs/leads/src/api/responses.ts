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
