import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { CurrencyCode, EntityId, MinorUnits, PositiveMinorUnits, Text } from '../value-types.js';

/**
 * The return window of an allocation has closed (stream `settlement-<allocationId>`): its
 * pending transfer is posted to the seller, or voided when a return was accepted.
 */
export const SettlementFinalized = defineEvent({
  type: 'SettlementFinalized',
  schemaVersion: 1,
  categories: ['settlement'],
  schema: z.strictObject({
    allocationId: EntityId,
    sellerId: EntityId,
    buyerId: EntityId,
    outcome: z.enum(['posted', 'voided']),
    currency: CurrencyCode,
    proceeds: MinorUnits,
    commission: MinorUnits,
  }),
});

/** Seller balance paid out (stream `payout-<payoutId>`). */
export const PayoutIssued = defineEvent({
  type: 'PayoutIssued',
  schemaVersion: 1,
  categories: ['payout'],
  schema: z.strictObject({
    payoutId: EntityId,
    sellerId: EntityId,
    amount: PositiveMinorUnits,
    currency: CurrencyCode,
    /** The bank or payment provider's reference, for reconciliation. */
    reference: Text(200),
  }),
});

export const settlementEvents = [SettlementFinalized, PayoutIssued] as const;
