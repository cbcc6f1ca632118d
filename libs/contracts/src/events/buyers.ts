import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { checkOrderTerms, orderTermsShape } from '../order-terms.js';
import {
  CurrencyCode,
  EntityId,
  Instant,
  MinorUnits,
  PositiveMinorUnits,
  Text,
  Vertical,
} from '../value-types.js';

/**
 * Stream `buyer-<buyerId>`, written by the buyers app (settlement appends refunds). It is the
 * only owner of a buyer's money: placing an order reserves its budget from the available balance.
 */
const categories = ['buyer'];

const OrderRef = { orderId: EntityId, buyerId: EntityId };

/** Money that reached the exchange's account for the buyer; `depositId` makes it count once. */
export const FundsDeposited = defineEvent({
  type: 'FundsDeposited',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    buyerId: EntityId,
    depositId: EntityId,
    amount: PositiveMinorUnits,
    currency: CurrencyCode,
    /** The payment provider's reference, for reconciliation. */
    reference: Text(200),
  }),
});

export const OrderPlaced = defineEvent({
  type: 'OrderPlaced',
  schemaVersion: 1,
  categories,
  schema: z
    .strictObject({
      ...OrderRef,
      vertical: Vertical,
      currency: CurrencyCode,
      ...orderTermsShape,
      /**
       * Set when the exchange placed the order itself: a replacement for a returned lead whose
       * order had closed, one lead on the closed order's terms, funded by the refund.
       */
      replacementFor: z.strictObject({ orderId: EntityId, allocationId: EntityId }).optional(),
    })
    .superRefine(checkOrderTerms),
});

/** Replaces every term at once, so the order as of any position is the last terms recorded. */
export const OrderAmended = defineEvent({
  type: 'OrderAmended',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ ...OrderRef, ...orderTermsShape }).superRefine(checkOrderTerms),
});

export const OrderPaused = defineEvent({
  type: 'OrderPaused',
  schemaVersion: 1,
  categories,
  schema: z.strictObject(OrderRef),
});

export const OrderResumed = defineEvent({
  type: 'OrderResumed',
  schemaVersion: 1,
  categories,
  schema: z.strictObject(OrderRef),
});

export const OrderCancelled = defineEvent({
  type: 'OrderCancelled',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ ...OrderRef, reason: Text(1000).optional() }),
});

/** Reserved budget an order will not spend goes back to the available balance. */
export const BudgetReleased = defineEvent({
  type: 'BudgetReleased',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    ...OrderRef,
    amount: MinorUnits,
    currency: CurrencyCode,
    reason: z.enum(['order_closed', 'budget_reduced']),
  }),
});

/**
 * The price of an accepted return, credited back. With a replacement asked for and the order
 * still live on the buyer account, it returns to the order's reserved budget so the engine can buy
 * a replacement lead (see ReplacementDecided); otherwise to the available balance.
 */
export const RefundCredited = defineEvent({
  type: 'RefundCredited',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    ...OrderRef,
    allocationId: EntityId,
    amount: PositiveMinorUnits,
    currency: CurrencyCode,
    creditedTo: z.enum(['available', 'order_budget']),
  }),
});

export const WebhookConfigured = defineEvent({
  type: 'WebhookConfigured',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    buyerId: EntityId,
    url: z.url({ protocol: /^https?$/ }),
    /** Where the signing secret is kept; the log never holds the secret itself. */
    secretRef: z.string().regex(/^[A-Za-z0-9_.:/-]{1,200}$/),
    /** After a rotation: the replaced secret's reference, still used to sign until the instant below. */
    previousSecretRef: z
      .string()
      .regex(/^[A-Za-z0-9_.:/-]{1,200}$/)
      .optional(),
    previousSecretValidUntil: Instant.optional(),
  }),
});

export const buyerEvents = [
  FundsDeposited,
  OrderPlaced,
  OrderAmended,
  OrderPaused,
  OrderResumed,
  OrderCancelled,
  BudgetReleased,
  RefundCredited,
  WebhookConfigured,
] as const;
