import { z } from 'zod';
import { IsoInstant, MinorUnitsAmount } from '#lx/http';

/* What the dispute and seller-history routes of settlement answer. */

export const DisputeAnswer = z.strictObject({
  allocationId: z.string(),
  events: z.array(
    z.strictObject({
      type: z.string().describe('ReturnRequested, SellerResponded, ReturnEscalated, ReturnAccepted …'),
      data: z.record(z.string(), z.unknown()),
      actor: z.string(),
      occurredAt: IsoInstant,
      position: z.string(),
    }),
  ),
});

export const DecisionAnswer = z.looseObject({
  type: z.enum(['ReturnAccepted', 'ReturnRejected']),
  allocationId: z.string(),
  decidedBy: z.string(),
  rule: z.string(),
  rationale: z.string(),
});

const Named = z.strictObject({ participantId: z.string(), name: z.string().nullable() });

export const EscalatedDisputesAnswer = z.strictObject({
  items: z.array(
    z.strictObject({
      allocationId: z.string(),
      buyer: Named,
      seller: Named,
      vertical: z.string(),
      currency: z.string(),
      price: MinorUnitsAmount,
      reason: z.string().nullable().describe('The buyer’s return reason (invalid_phone, duplicate …)'),
      requestedAt: IsoInstant,
      escalatedAt: IsoInstant,
      decideBy: IsoInstant.describe(
        'The deadline for an auditor’s decision: the escalation plus LX_DISPUTE_DECISION_HOURS (72 h by default)',
      ),
      overdue: z.boolean().describe('The deadline has passed (nothing is decided automatically)'),
      position: z.string().describe('Log position of the escalation'),
    }),
  ),
  nextCursor: z
    .string()
    .optional()
    .describe('Opaque; pass as `?cursor=` for the next page; absent on the last'),
});
