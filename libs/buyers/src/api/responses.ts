import { z } from 'zod';
import { ConsentRecord, LeadAttributes, orderTermsShape } from '#lx/contracts';
import { IsoInstant, MinorUnitsAmount, pageOf } from '#lx/http';

/* What the buyers app answers: one schema per shape, for the OpenAPI document and its clients. */

export const AccountAnswer = z.strictObject({
  buyerId: z.uuid(),
  balances: z.array(
    z.strictObject({
      currency: z.string(),
      available: MinorUnitsAmount.describe('Free to place orders with'),
      reserved: MinorUnitsAmount.describe('Held for live orders'),
      deposited: MinorUnitsAmount.describe('Confirmed deposits so far'),
    }),
  ),
  webhook: z.looseObject({ url: z.string() }).nullable(),
});

export const DepositListAnswer = z
  .strictObject({
    items: z.array(
      z.strictObject({
        depositId: z.string(),
        amount: MinorUnitsAmount.describe('Minor units of the deposit’s currency'),
        currency: z.string(),
        reference: z.string().describe('The payment provider’s reference'),
        status: z.enum(['confirmed']).describe('Deposits exist once an operator confirmed them'),
        confirmedAt: IsoInstant,
      }),
    ),
  })
  .describe('My confirmed deposits, newest first');

export const WebhookAnswer = z
  .looseObject({
    url: z.string(),
    secret: z.string().describe('The signing secret: shown in this answer only'),
  })
  .describe('The webhook, with the secret its deliveries are signed with');

export const RotatedWebhookSecretAnswer = z
  .strictObject({
    url: z.string(),
    secret: z.string().describe('The new signing secret: shown in this answer only'),
    previousSecretValidUntil: z.iso.datetime().describe('Until then deliveries carry both signatures'),
  })
  .describe('The webhook with its new secret');

export const OrderAnswer = z.strictObject({
  orderId: z.uuid(),
  vertical: z.string(),
  currency: z.string(),
  status: z.enum(['open', 'paused', 'cancelled', 'closed']),
  reserved: MinorUnitsAmount.describe('Held for the order now (budget and refunds, less what was released)'),
  released: MinorUnitsAmount.describe('Given back to the available balance when the order closed'),
  terms: z.strictObject(orderTermsShape),
  progress: z
    .strictObject({ leadsBought: z.int(), spend: MinorUnitsAmount })
    .describe('Leads bought so far and what they cost (from the purchases read model: it may lag a moment)'),
  replacementFor: z
    .strictObject({ orderId: z.uuid(), allocationId: z.uuid() })
    .optional()
    .describe('Set on an order the exchange placed to replace a returned lead'),
});
export const OrderListAnswer = z.strictObject({ items: z.array(OrderAnswer) });

export const OrderPreviewAnswer = z.strictObject({
  vertical: z.string(),
  matching: z.int().describe('Resting leads that pass every filter'),
  matchingAtOrBelowBid: z.int().nullable().describe('Of those, the ones whose floor the bid meets'),
  floors: z.strictObject({ currency: z.string(), min: z.int(), median: z.int(), max: z.int() }).nullable(),
  floorHistogram: z
    .array(z.strictObject({ from: MinorUnitsAmount, to: MinorUnitsAmount, leads: z.int() }))
    .describe(
      'The matching leads by floor (currency of `floors`), low to high: one bar per floor when there are ' +
        'at most 10 floors, else 10 equal ranges [from, to]; empty bars left out',
    ),
  exclusive: z.int(),
  shared: z.int(),
  schedule: z
    .strictObject({
      description: z.string().describe('The schedule in words, with its time zone'),
      openNow: z.boolean().describe('Whether the order would match now: outside its windows it does not'),
      nextChangeAt: z.iso
        .datetime()
        .nullable()
        .describe('When it next opens (closed now) or closes (open now), within a week; null: never'),
      message: z.string(),
    })
    .nullable()
    .describe('Null when no schedule was given'),
});

export const MarketDepthAnswer = z.strictObject({
  vertical: z.string(),
  segments: z.array(
    z.strictObject({
      region: z.string().nullable(),
      ageBand: z.string(),
      contacts: z.string(),
      leads: z.int(),
    }),
  ),
  suppressedSegments: z.int().describe('Segments too small to show without singling people out'),
  minimumSegmentCount: z.int(),
});

export const PurchaseAnswer = z.strictObject({
  allocationId: z.uuid(),
  leadId: z.uuid(),
  orderId: z.uuid(),
  sellerId: z.uuid(),
  vertical: z.string(),
  currency: z.string(),
  price: MinorUnitsAmount,
  rule: z.string().describe('The pricing rule that set the price'),
  allocatedAt: IsoInstant,
  attributes: LeadAttributes.nullable(),
  quality: z.int().nullable(),
  returnStatus: z.string().nullable(),
  converted: z.boolean(),
  position: z.string().describe('The allocation’s log position `<commit>/<prepare>`'),
});
export const PurchasePage = pageOf(PurchaseAnswer);

const LeadDisclosureAnswer = z.strictObject({
  attributes: LeadAttributes.nullable(),
  consent: ConsentRecord.nullable(),
  personalData: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('Decrypted for the buyer; null once erased'),
  personalDataStatus: z.enum(['available', 'erased', 'unavailable']),
});
export const PurchaseWithLeadAnswer = PurchaseAnswer.extend({ lead: LeadDisclosureAnswer });

export const DeliveriesAnswer = z.strictObject({
  items: z.array(PurchaseWithLeadAnswer),
  nextCursor: z.string().nullable().describe('Pass as `cursor` next time (and acknowledge it)'),
});
export const DeliveryAckAnswer = z.strictObject({ cursor: z.string() });
export const WebhookDeliveriesAnswer = z.strictObject({
  items: z.array(
    z.looseObject({
      allocationId: z.string(),
      state: z.string().describe('pending, delivered or dead'),
      attempts: z.int(),
      lastError: z.string().nullable(),
      updatedAt: IsoInstant,
      lastStatus: z.int().nullable(),
    }),
  ),
});
export const RedeliveryAnswer = z.strictObject({ allocationId: z.string(), queued: z.literal(true) });

export const ReturnRequestedAnswer = z.strictObject({
  allocationId: z.string(),
  status: z.literal('requested'),
});
export const ConversionAnswer = z.strictObject({ allocationId: z.string(), converted: z.literal(true) });

export const ReturnAnswer = z.strictObject({
  allocationId: z.uuid(),
  orderId: z.uuid(),
  status: z.string().describe('requested, seller_responded, escalated, accepted or rejected'),
  reason: z.string(),
  text: z.string().nullable(),
  evidence: z.array(z.unknown()),
  replace: z.boolean(),
  replacement: z.enum(['pending', 'granted', 'ordered', 'unavailable']).nullable(),
  replacementOrderId: z.uuid().nullable(),
  requestedAt: IsoInstant,
  sellerResponse: z.unknown(),
  escalation: z.unknown(),
  decision: z
    .strictObject({
      outcome: z.string(),
      decidedBy: z.string(),
      rule: z.string(),
      rationale: z.string(),
      at: IsoInstant,
    })
    .nullable(),
  updatedAt: IsoInstant,
});
export const ReturnPage = pageOf(ReturnAnswer);

const PurchaseReportShape = {
  currency: z.string(),
  leadsBought: z.int(),
  spend: MinorUnitsAmount,
  returnsRequested: z.int(),
  returnsAccepted: z.int(),
  refunded: MinorUnitsAmount,
  conversions: z.int(),
  conversionValue: MinorUnitsAmount,
  netSpend: MinorUnitsAmount,
  costPerLead: z.int().nullable().describe('Average price per lead, minor units; null before the first lead'),
  conversionRateBps: z.int().nullable(),
  conversionRatePercent: z.int().nullable(),
  costPerAcquisition: z.int().nullable(),
};
export const OrderReportAnswer = z.strictObject({
  orderId: z.string(),
  status: z.string(),
  ...PurchaseReportShape,
});
export const DailyAccountReportAnswer = z.strictObject({
  items: z.array(
    z.strictObject({
      day: z.iso.date().describe('Market day (UTC)'),
      currency: z.string(),
      leadsBought: z.int().describe('Leads allocated that day'),
      spend: MinorUnitsAmount.describe('What they cost'),
      conversions: z.int().describe('Conversions reported that day'),
    }),
  ),
});
export const AccountReportAnswer = z.strictObject({ items: z.array(z.strictObject(PurchaseReportShape)) });

const { currency: _currency, ...PurchaseFiguresShape } = PurchaseReportShape;
const SourceFiguresShape = {
  ...PurchaseFiguresShape,
  returnRateBps: z
    .int()
    .nullable()
    .describe('returnsAccepted / leadsBought in basis points, rounded half-even; null before a purchase'),
  averageQuality: z
    .number()
    .nullable()
    .describe('Average quality score (0–100, one decimal) of the leads bought'),
};
export const SourceReportAnswer = z.strictObject({
  items: z
    .array(
      z.strictObject({
        sellerId: z.string(),
        source: z.string().nullable().describe('The seller’s source tag; null: its leads without one'),
        currency: z.string(),
        ...SourceFiguresShape,
        subSources: z
          .array(z.strictObject({ subSource: z.string().nullable(), ...SourceFiguresShape }))
          .describe('The same figures per sub-source; they sum to the source’s'),
      }),
    )
    .describe('One entry per seller, source and currency'),
});
