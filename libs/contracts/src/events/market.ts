import { z } from 'zod';
import { defineEvent, type EventData } from '../define-event.js';
import {
  BasisPoints,
  CurrencyCode,
  EntityId,
  Instant,
  LogPositionText,
  MinorUnits,
  Percent,
  Vertical,
} from '../value-types.js';

/**
 * Stream `market-<vertical>`: the matching engine is its single writer (docs/architecture.md §5). Settings
 * (`marketSettings-<vertical>`, operator API) and clock ticks (`marketClock-<vertical>`, a
 * scheduled job) live in streams of their own, so that no other writer ever races the engine's
 * optimistic concurrency on its output stream; the engine reads them from the global log.
 */
const categories = ['market'];

export const PricingRule = z.enum([
  'exclusive-second-price',
  'exclusive-floor',
  'shared-uniform-price',
  'shared-floor',
  'resting-lead-floor',
  'ping-price',
]);
/** The rule an allocation was priced by (docs/architecture.md §5). */
export type PricingRule = z.infer<typeof PricingRule>;

/**
 * Which sale an event is about: the allocation, the lead sold, the order and buyer it went to, and
 * the seller. The sale itself carries them, and so does a return of it.
 */
export const SaleParties = {
  allocationId: EntityId,
  leadId: EntityId,
  orderId: EntityId,
  buyerId: EntityId,
  sellerId: EntityId,
};

/** The ids that name one sale and its market, as read models and jobs carry them. */
export interface SaleReference {
  allocationId: string;
  leadId: string;
  orderId: string;
  buyerId: string;
  sellerId: string;
  vertical: string;
}

export const LeadAllocated = defineEvent({
  type: 'LeadAllocated',
  schemaVersion: 1,
  categories,
  schema: z
    .strictObject({
      ...SaleParties,
      vertical: Vertical,
      currency: CurrencyCode,
      price: MinorUnits,
      commission: MinorUnits,
      proceeds: MinorUnits,
      rule: PricingRule,
      /**
       * The N+1 best eligible bids (N = slots left; one per buyer), in rank order: the winners and
       * the bid that sets the price, so an auditor re-derives it — max(floor, bid N+1). Lower bids
       * are not listed. Resting-lead sales (price = floor) list the buyer's own bid.
       */
      competingBids: z
        .array(z.strictObject({ orderId: EntityId, buyerId: EntityId, effectiveBid: MinorUnits }))
        .min(1),
      /** The log position of the input event that triggered the allocation. */
      inputPosition: LogPositionText,
      at: Instant,
    })
    .refine((allocation) => allocation.price === allocation.proceeds + allocation.commission, {
      path: ['proceeds'],
      message: 'price must equal proceeds + commission',
    }),
});

export const OrderFilled = defineEvent({
  type: 'OrderFilled',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    orderId: EntityId,
    buyerId: EntityId,
    quantity: z.int().positive(),
    spent: MinorUnits,
    /** The log position of the input event that caused it (the engine's recovery point). */
    inputPosition: LogPositionText.optional(),
  }),
});

/**
 * The engine stops matching an order; the buyer stream then releases what was not spent. `spent`
 * is every sale's price; `released` is the budget the engine left unspent (refunds it credited
 * back to the order included). The buyer account releases what it holds for the order minus
 * `spent`, which also covers money that reached the order after the engine closed it.
 */
export const OrderClosed = defineEvent({
  type: 'OrderClosed',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    orderId: EntityId,
    buyerId: EntityId,
    reason: z.enum(['filled', 'budget_exhausted', 'expired', 'cancelled', 'buyer_suspended']),
    spent: MinorUnits,
    released: MinorUnits,
    /** The log position of the input event that caused it (the engine's recovery point). */
    inputPosition: LogPositionText.optional(),
  }),
});

/**
 * The engine's answer to a refund credited to an order's budget (an accepted return with a
 * replacement): `granted` restores one unit of the order's quantity and the refund to its budget,
 * so the order can buy a replacement lead; `declined` when the engine had already closed the order
 * (the buyer account then releases the refund with the rest of the order's money).
 */
export const ReplacementDecided = defineEvent({
  type: 'ReplacementDecided',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    allocationId: EntityId,
    orderId: EntityId,
    buyerId: EntityId,
    amount: MinorUnits,
    outcome: z.enum(['granted', 'declined']),
    /** The log position of the RefundCredited it answers. */
    inputPosition: LogPositionText,
  }),
});

export const ListingExpired = defineEvent({
  type: 'ListingExpired',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    leadId: EntityId,
    sellerId: EntityId,
    salesMade: z.int().nonnegative(),
    /** The log position of the input event that caused it (the engine's recovery point). */
    inputPosition: LogPositionText.optional(),
  }),
});

export const MarketSettingsChanged = defineEvent({
  type: 'MarketSettingsChanged',
  schemaVersion: 1,
  categories: ['marketSettings'],
  schema: z.strictObject({
    vertical: Vertical,
    currency: CurrencyCode,
    commissionBps: BasisPoints,
    returnWindowHours: z
      .int()
      .positive()
      .max(24 * 90),
    dedupeWindowDays: z.int().nonnegative().max(3650),
    listingLifetimeHours: z
      .int()
      .positive()
      .max(24 * 365),
    /** Returns beyond this share of a buyer's purchases are refused automatically. */
    returnCapPercent: Percent.optional(),
    /** Share of each batch's accepted leads drawn for a contact check; 0 (the default) turns it off. */
    authenticitySamplePercent: Percent.optional(),
    /**
     * Share of each seller's source drawn for a contact check, after the source's first
     * `authenticitySampleMin` leads (all drawn); 0 (the default) turns per-source sampling off.
     */
    authenticitySourceSamplePercent: Percent.optional(),
    /** The fewest leads a sample draws (fewer only when the batch has fewer); default 3. */
    authenticitySampleMin: z.int().nonnegative().max(1000).optional(),
    /** Failures above this share of a sample hold the rest of the batch; default 20. */
    authenticityHoldPercent: Percent.optional(),
    /**
     * A lead whose consent was given longer ago than this, at its verification, is refused
     * (`consent_stale`); absent: no limit (docs/architecture.md §4).
     */
    consentMaxAgeDays: z.int().positive().max(3650).optional(),
    /** How long a ping's price stands (PingAnswered.validUntil); default PING_TTL_SECONDS_DEFAULT. */
    pingTtlSeconds: z.int().min(1).max(300).optional(),
  }),
});

/** The authenticity sampling of a market until its settings say otherwise (docs/architecture.md §4.1). */
export const AUTHENTICITY_DEFAULTS = Object.freeze({
  authenticitySamplePercent: 0,
  authenticitySourceSamplePercent: 0,
  authenticitySampleMin: 3,
  authenticityHoldPercent: 20,
});

export type MarketSettingsData = EventData<typeof MarketSettingsChanged>;

export interface MarketSettingsDefaults {
  readonly commissionBps: number;
  readonly returnWindowHours: number;
  readonly dedupeWindowDays: number;
  readonly listingLifetimeHours: number;
}

/**
 * What a market trades under until its operator publishes settings (docs/architecture.md §5, §6): the
 * one place of these defaults, for the engine, the buyers' market directory and the returns.
 */
export const MARKET_SETTINGS_DEFAULTS: MarketSettingsDefaults = Object.freeze({
  commissionBps: 1500,
  returnWindowHours: 72,
  dedupeWindowDays: 30,
  listingLifetimeHours: 72,
});

/** A market's settings in force at some log position, every field present. */
export interface MarketSettingsInForce {
  /** Null until published: who reads it decides which currency an unconfigured market trades in. */
  readonly currency: string | null;
  readonly commissionBps: number;
  readonly returnWindowHours: number;
  readonly dedupeWindowDays: number;
  readonly listingLifetimeHours: number;
  /** Null: the market sets no return cap. */
  readonly returnCapPercent: number | null;
  /** False: nothing was published before that position; the values are the defaults. */
  readonly configured: boolean;
}

/**
 * The settings in force at a log position, given the last `MarketSettingsChanged` before it (null
 * when there is none): an operator publishes a whole set, so it stands alone; without one the
 * defaults apply. A reader that keeps only some fields of the event passes those; `defaults`
 * replaces the built-in ones where the configuration does (LX_DEFAULT_DEDUPE_WINDOW_DAYS).
 */
export function marketSettingsInForce(
  lastPublished: Partial<MarketSettingsData> | null,
  defaults: Partial<MarketSettingsDefaults> = {},
): MarketSettingsInForce {
  const fallback = { ...MARKET_SETTINGS_DEFAULTS, ...defaults };
  return {
    currency: lastPublished?.currency ?? null,
    commissionBps: lastPublished?.commissionBps ?? fallback.commissionBps,
    returnWindowHours: lastPublished?.returnWindowHours ?? fallback.returnWindowHours,
    dedupeWindowDays: lastPublished?.dedupeWindowDays ?? fallback.dedupeWindowDays,
    listingLifetimeHours: lastPublished?.listingLifetimeHours ?? fallback.listingLifetimeHours,
    returnCapPercent: lastPublished?.returnCapPercent ?? null,
    configured: lastPublished !== null,
  };
}

/** The engine's only clock: expiries and daily caps advance on ticks, never on the wall clock. */
export const MarketClockTicked = defineEvent({
  type: 'MarketClockTicked',
  schemaVersion: 1,
  categories: ['marketClock'],
  schema: z.strictObject({ at: Instant }),
});

export const marketEvents = [
  LeadAllocated,
  OrderFilled,
  OrderClosed,
  ReplacementDecided,
  ListingExpired,
  MarketSettingsChanged,
  MarketClockTicked,
] as const;
