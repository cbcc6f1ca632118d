import { z } from 'zod';
import { IsoInstant, MinorUnitsAmount, pageOf } from '#lx/http';

/* What the ledger, statement and payout routes answer. */

export const AccountsAnswer = z.strictObject({
  items: z.array(
    z.strictObject({
      accountId: z.string(),
      kind: z
        .string()
        .describe('buyer_available, buyer_reserved, seller_pending, seller_available, exchange_…'),
      ownerId: z.string(),
      currency: z.string(),
      balance: MinorUnitsAmount.describe('Signed: money held for its owner is positive'),
    }),
  ),
});

export const TransferAnswer = z.strictObject({
  allocationId: z.uuid(),
  status: z.enum(['pending', 'posted', 'voided']),
  buyerId: z.uuid(),
  sellerId: z.uuid(),
  orderId: z.uuid(),
  currency: z.string(),
  price: MinorUnitsAmount,
  proceeds: MinorUnitsAmount,
  commission: MinorUnitsAmount,
  openedAtPosition: z.string(),
  closedAtPosition: z.string().nullable(),
  refundedTo: z.string().nullable(),
});

export const TransfersAnswer = pageOf(
  TransferAnswer.extend({
    openedAt: IsoInstant.nullable().describe('When the allocation that opened it happened'),
  }),
);

export const ProjectionStatusAnswer = z.looseObject({
  name: z.string(),
  schema: z.string(),
  version: z.int(),
  position: z.string().nullable().describe('The checkpoint: the log position of the last event applied'),
  eventsApplied: z.int(),
  lagging: z.boolean(),
  paused: z.boolean(),
  running: z.boolean(),
  lastError: z.string().nullable(),
  balanced: z.boolean().describe('Every currency’s accounts sum to zero'),
});

export const PayoutAnswer = z.strictObject({
  payoutId: z.string(),
  sellerId: z.uuid(),
  amount: MinorUnitsAmount,
  currency: z.string(),
});

export const PayoutsAnswer = pageOf(
  z.strictObject({
    payoutId: z.string(),
    sellerId: z.string(),
    currency: z.string(),
    amount: MinorUnitsAmount.describe('Paid out to the seller (positive)'),
    occurredAt: IsoInstant,
    position: z.string(),
  }),
);

const SaleLineAnswer = z.looseObject({
  allocationId: z.uuid(),
  orderId: z.uuid(),
  buyerId: z.uuid(),
  position: z.string(),
  soldAt: IsoInstant.describe('When the lead was allocated (ISO 8601 instant, UTC)'),
  status: z.enum(['pending', 'posted', 'voided']),
  price: MinorUnitsAmount,
  commission: MinorUnitsAmount,
  proceeds: MinorUnitsAmount,
  source: z.string().nullable().describe('The seller’s source tag of the lead sold; null: none'),
  subSource: z.string().nullable(),
});

const SourceLineAnswer = z.strictObject({
  source: z.string().nullable().describe('null: the sales of leads without a source'),
  subSource: z.string().nullable(),
  sold: z.strictObject({ count: z.int(), gross: MinorUnitsAmount, proceeds: MinorUnitsAmount }),
  returned: z.strictObject({ count: z.int(), gross: MinorUnitsAmount, proceedsDebited: MinorUnitsAmount }),
  commission: MinorUnitsAmount.describe('Commission on the sales that stood'),
  netProceeds: MinorUnitsAmount.describe('Proceeds of the sales that stood'),
});

export const SellerStatementsAnswer = z.strictObject({
  items: z.array(
    z.looseObject({
      sellerId: z.uuid(),
      currency: z.string(),
      sold: z.strictObject({ count: z.int(), gross: MinorUnitsAmount, proceeds: MinorUnitsAmount }),
      returned: z.strictObject({
        count: z.int(),
        gross: MinorUnitsAmount,
        proceedsDebited: MinorUnitsAmount,
        commissionReversed: MinorUnitsAmount,
      }),
      commission: MinorUnitsAmount,
      paidOut: MinorUnitsAmount,
      balances: z.strictObject({ pending: MinorUnitsAmount, available: MinorUnitsAmount }),
      bySource: z
        .array(SourceLineAnswer)
        .describe(
          'The sales per source and sub-source, in tag order, untagged last; they sum to sold and returned',
        ),
      sales: z.array(SaleLineAnswer),
      payouts: z.array(
        z.looseObject({
          payoutId: z.string(),
          position: z.string(),
          occurredAt: IsoInstant,
          amount: MinorUnitsAmount,
        }),
      ),
    }),
  ),
});

export const BuyerStatementsAnswer = z.strictObject({
  items: z.array(
    z.looseObject({
      buyerId: z.uuid(),
      currency: z.string(),
      deposits: MinorUnitsAmount,
      spend: MinorUnitsAmount,
      refunds: MinorUnitsAmount,
      balances: z.strictObject({ available: MinorUnitsAmount, reserved: MinorUnitsAmount }),
      lines: z.array(
        z.looseObject({
          position: z.string(),
          occurredAt: IsoInstant,
          kind: z.string(),
          reference: z.string(),
          account: z.enum(['buyer_available', 'buyer_reserved']),
          amount: MinorUnitsAmount,
        }),
      ),
    }),
  ),
});
