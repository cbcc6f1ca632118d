import { z } from 'zod';
import { IsoInstant } from '#lx/http';

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
