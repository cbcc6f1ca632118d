import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { LeadAttributes } from '../lead-attributes.js';
import {
  CurrencyCode,
  EntityId,
  Instant,
  LogPositionText,
  MinorUnits,
  Slug,
  Vertical,
} from '../value-types.js';
import { ListingExclusivity, QualityScore } from './leads.js';

/*
 * Real-time selling (docs/architecture.md §5.2): a seller pings with a lead's anonymous attributes
 * and the engine answers with the price it would pay now; a lead posted alone is answered by the
 * engine with its outcome. Pings are inputs of the engines; the answers are their outputs.
 */

/** How long a pinged price stands when the market's settings do not say (`pingTtlSeconds`). */
export const PING_TTL_SECONDS_DEFAULT = 10;

/**
 * Stream `ping-<pingId>`, written by the sellers app: the anonymous attributes and listing terms of
 * a lead the seller may post. No personal data, no contact fingerprint: nothing that names a person.
 */
export const PingReceived = defineEvent({
  type: 'PingReceived',
  schemaVersion: 1,
  categories: ['ping'],
  schema: z.strictObject({
    pingId: EntityId,
    sellerId: EntityId,
    attributes: LeadAttributes,
    floor: MinorUnits,
    currency: CurrencyCode,
    exclusivity: ListingExclusivity,
    /**
     * The quality score the lead would list with, from what the ping declares present (its
     * contacts, name, address, …): orders' quality filters read it. The posted lead's own score
     * decides the sale; a pinned order whose filter it fails no longer bids (`bid_withdrawn`).
     */
    quality: QualityScore,
  }),
});

/** One order a pinged price counts on: the price is honoured only while each still bids at least it. */
const PingedBid = z.strictObject({ orderId: EntityId, buyerId: EntityId, effectiveBid: MinorUnits });

/**
 * Stream `market-<vertical>` (the engine): what the market would pay for the pinged lead if it
 * were listed now, by the rules of a new listing (§5.1), and until when the answer stands. `bid`:
 * `sales` buyers (the winners of `bids`) would each pay `price`; `no_bid`: no open order would
 * buy it (`reason`).
 */
export const PingAnswered = defineEvent({
  type: 'PingAnswered',
  schemaVersion: 1,
  categories: ['market'],
  schema: z.strictObject({
    pingId: EntityId,
    sellerId: EntityId,
    vertical: Vertical,
    outcome: z.enum(['bid', 'no_bid']),
    /** Why no bid: no eligible order, or a ping in another currency than the market's. */
    reason: z.enum(['no_eligible_order', 'wrong_currency']).optional(),
    currency: CurrencyCode,
    /** Per sale; 0 with no bid. */
    price: MinorUnits,
    sales: z.int().nonnegative(),
    /** The winners (first `sales`) and the bid that set the price, as for a LeadAllocated. */
    bids: z.array(PingedBid).max(11),
    validUntil: Instant,
    /** The log position of the PingReceived it answers. */
    inputPosition: LogPositionText,
  }),
});

/** Why a posted lead's ping was not honoured (the lead is then auctioned as any new listing). */
export const PING_REFUSALS = [
  'ping_unknown',
  'ping_used',
  'ping_expired',
  'ping_attributes_differ',
  'ping_terms_differ',
  'no_bid',
  'bid_withdrawn',
] as const;
export const PingRefusal = z.enum(PING_REFUSALS);

/** One sale of a posted lead, as the seller is told it. */
const PostedSale = z.strictObject({
  allocationId: EntityId,
  orderId: EntityId,
  buyerId: EntityId,
  price: MinorUnits,
  proceeds: MinorUnits,
});

/**
 * Stream `market-<vertical>` (the engine): the outcome of a lead posted alone (a LeadListed with
 * `posted`), written right after its sales, so that the sellers app can answer the post. `sold`:
 * it made at least one sale (a shared lead with slots left also rests); `resting`: no sale, it
 * waits for orders; `not_listed`: the market cannot take it (`reason`).
 */
export const LeadPostOutcome = defineEvent({
  type: 'LeadPostOutcome',
  schemaVersion: 1,
  categories: ['market'],
  schema: z.strictObject({
    leadId: EntityId,
    sellerId: EntityId,
    vertical: Vertical,
    outcome: z.enum(['sold', 'resting', 'not_listed']),
    reason: z.enum(['wrong_currency', 'already_listed', 'expired']).optional(),
    currency: CurrencyCode,
    sales: z.array(PostedSale).max(10),
    /** The ping the post named, whether it was honoured, and why not. */
    ping: z
      .strictObject({
        pingId: EntityId,
        honoured: z.boolean(),
        price: MinorUnits.optional(),
        refusal: PingRefusal.optional(),
      })
      .optional(),
    /** The log position of the LeadListed it answers. */
    inputPosition: LogPositionText,
  }),
});

/**
 * Stream `lead-<leadId>` (sellers): a lead posted alone failed verification; its id comes from the
 * seller and its external id, so a repeated post gets the same answer. No personal data.
 */
export const LeadPostRejected = defineEvent({
  type: 'LeadPostRejected',
  schemaVersion: 1,
  categories: ['lead'],
  schema: z.strictObject({
    leadId: EntityId,
    sellerId: EntityId,
    vertical: Vertical,
    reasons: z.array(Slug).min(1).max(50),
    pingId: EntityId.optional(),
    at: Instant,
  }),
});

export const realtimeEvents = [PingReceived, PingAnswered, LeadPostOutcome, LeadPostRejected] as const;
