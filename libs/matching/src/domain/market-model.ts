import { MARKET_SETTINGS_DEFAULTS } from '#lx/contracts';
import type { CompiledFilters } from './compiled-filters.js';
import type { CompiledSchedule } from './delivery-schedule.js';
import type {
  AuthenticityHoldDecided,
  AuthenticitySampleHeld,
  AuthenticitySamplePassed,
  AuthenticitySourceHeld,
  AuthenticitySourceHoldDecided,
  AuthenticitySourceVerified,
  CatalogueEvent,
  EventData,
  LeadErased,
  LeadListed,
  LeadWithdrawn,
  MarketClockTicked,
  MarketSettingsChanged,
  OrderAmended,
  OrderCancelled,
  OrderPaused,
  OrderPlaced,
  OrderResumed,
  RefundCredited,
  ReplacementDecided,
  LeadAllocated,
  OrderFilled,
  OrderClosed,
  ListingExpired,
  PingReceived,
  PingAnswered,
  LeadPostOutcome,
} from '#lx/contracts';

/*
 * What the engine folds over (inputs, in log order) and what it emits (outputs), plus the
 * in-memory shapes of orders, leads and settings it keeps between inputs.
 */

export type MarketInputEvent = CatalogueEvent<
  | typeof LeadListed
  | typeof LeadWithdrawn
  | typeof LeadErased
  | typeof OrderPlaced
  | typeof OrderAmended
  | typeof OrderPaused
  | typeof OrderResumed
  | typeof OrderCancelled
  | typeof RefundCredited
  | typeof MarketSettingsChanged
  | typeof MarketClockTicked
  | typeof AuthenticitySampleHeld
  | typeof AuthenticityHoldDecided
  | typeof AuthenticitySamplePassed
  | typeof AuthenticitySourceHeld
  | typeof AuthenticitySourceHoldDecided
  | typeof AuthenticitySourceVerified
  | typeof PingReceived
>;

export const MARKET_INPUT_TYPES: readonly MarketInputEvent['type'][] = [
  'LeadListed',
  'LeadWithdrawn',
  'LeadErased',
  'OrderPlaced',
  'OrderAmended',
  'OrderPaused',
  'OrderResumed',
  'OrderCancelled',
  'RefundCredited',
  'MarketSettingsChanged',
  'MarketClockTicked',
  'AuthenticitySampleHeld',
  'AuthenticityHoldDecided',
  'AuthenticitySamplePassed',
  'AuthenticitySourceHeld',
  'AuthenticitySourceHoldDecided',
  'AuthenticitySourceVerified',
  'PingReceived',
];

/** One input of the fold: the event, where it sits in the log and when it happened. */
export interface MarketInput {
  /** Log position in its text form `<commit>/<prepare>`; recorded in every output it causes. */
  readonly position: string;
  /** The event's domain time (metadata.occurredAt); the engine's clock never goes backwards. */
  readonly at: string;
  readonly event: MarketInputEvent;
}

export type MarketOutput = CatalogueEvent<
  | typeof LeadAllocated
  | typeof OrderFilled
  | typeof OrderClosed
  | typeof ReplacementDecided
  | typeof ListingExpired
  | typeof PingAnswered
  | typeof LeadPostOutcome
>;

export type OrderTerms = Omit<EventData<typeof OrderAmended>, 'orderId' | 'buyerId'>;
export type OrderFilters = OrderTerms['filters'];
export type LeadAttributes = EventData<typeof LeadListed>['attributes'];

export interface MarketSettings {
  /** Unset until an operator sets it or the first listing brings it (see README). */
  readonly currency: string | null;
  readonly commissionBps: number;
  readonly returnWindowHours: number;
  readonly dedupeWindowDays: number;
  readonly listingLifetimeHours: number;
  /** How long a ping's price stands; unset: PING_TTL_SECONDS_DEFAULT. */
  readonly pingTtlSeconds?: number;
}

/** The catalogue's defaults, in force until the market's first MarketSettingsChanged. */
export const DEFAULT_MARKET_SETTINGS: MarketSettings = Object.freeze({
  currency: null,
  ...MARKET_SETTINGS_DEFAULTS,
});

/** The attributes filters read, every one present (null when absent): one shape for all leads. */
export interface LeadFacts {
  readonly age: number;
  readonly gender: string | null;
  readonly country: string;
  readonly region: string | null;
  readonly postalPrefix: string | null;
  readonly phonePresent: boolean;
  readonly phoneVerified: boolean;
  readonly emailPresent: boolean;
  readonly emailVerified: boolean;
  readonly employment: string | null;
  readonly maritalStatus: string | null;
  readonly interests: readonly string[];
  readonly stage: string;
  readonly sourceChannel: string;
  /** The seller's own source tag and sub-source, when the seller gave them. */
  readonly source: string | null;
  readonly subSource: string | null;
}

export function leadFacts(a: LeadAttributes): LeadFacts {
  return {
    age: a.age,
    gender: a.gender ?? null,
    country: a.country,
    region: a.region ?? null,
    postalPrefix: a.postalPrefix ?? null,
    phonePresent: a.contacts.phone.present,
    phoneVerified: a.contacts.phone.verified,
    emailPresent: a.contacts.email.present,
    emailVerified: a.contacts.email.verified,
    employment: a.employment ?? null,
    maritalStatus: a.maritalStatus ?? null,
    interests: a.interests,
    stage: a.stage,
    sourceChannel: a.sourceChannel,
    source: a.source ?? null,
    subSource: a.subSource ?? null,
  };
}

/** A listed lead as the engine matches it. */
export interface ListedLead {
  readonly leadId: string;
  readonly sellerId: string;
  /** The batch it was listed from: authenticity holds and sample verification are per batch (§4.1). */
  readonly batchId?: string;
  /** Whether its batch's authenticity sample passed, as the engine knows it when it weighs the lead. */
  sampleVerified?: boolean;
  /** Whether its seller's source is verified by its authenticity checks (§4.1), likewise. */
  sourceVerified?: boolean;
  /** Listing order: rank of the LeadListed among the engine's inputs. */
  readonly seq: number;
  /** As listed; the engine keeps only `facts` (what filters, modifiers and indexes read). */
  readonly attributes?: LeadAttributes;
  /** Set by the engine when it lists the lead; derived from `attributes` when absent. */
  readonly facts?: LeadFacts;
  readonly floor: number;
  readonly currency: string;
  readonly exclusive: boolean;
  readonly maxSales: number;
  readonly expiresAtMs: number;
  readonly capturedAtMs: number;
  readonly quality: number;
  readonly sellerQuality: number;
  readonly fingerprints: readonly string[];
  salesMade: number;
  /** Buyers that hold it, so no buyer buys it twice. */
  buyers: ReadonlySet<string>;
  status: 'available' | 'sold_out' | 'gone';
  /** Slot in the resting-lead index while it rests unsold. */
  restingSlot: number;
}

/** The facts of a lead: precomputed when present, else derived from its attributes. */
export function factsOf(lead: Pick<ListedLead, 'attributes' | 'facts'>): LeadFacts {
  if (lead.facts !== undefined) return lead.facts;
  if (lead.attributes === undefined) throw new TypeError('a listed lead needs its attributes or its facts');
  return leadFacts(lead.attributes);
}

export interface MarketOrder {
  readonly orderId: string;
  readonly buyerId: string;
  readonly currency: string;
  /** Placement order: rank of the OrderPlaced among the engine's inputs (ties in ranking). */
  readonly seq: number;
  terms: OrderTerms;
  /** `terms.filters`, compiled for fast checking. */
  filters: CompiledFilters;
  expiresAtMs: number;
  status: 'open' | 'paused' | 'closed';
  /** Leads bought, less those replaced (each granted replacement gives one unit back). */
  bought: number;
  /** Every sale's price. */
  spent: number;
  /** Refunds credited back to the budget for replacements: the order may spend them again. */
  refunded: number;
  /** UTC day number (ms since epoch / 86 400 000) that `dayCount` and `daySpend` belong to. */
  day: number;
  dayCount: number;
  daySpend: number;
  /** Clock hour number (ms since epoch / 3 600 000) that `hourCount` and `hourSpend` belong to. */
  hour: number;
  hourCount: number;
  hourSpend: number;
  /** `terms.schedule`, compiled; null: the order accepts leads at any time. */
  schedule: CompiledSchedule | null;
  /** The schedule's answer at the engine clock, valid until `scheduleUntilMs` (a cache). */
  scheduleOpen: boolean;
  scheduleUntilMs: number;
  /** Whether the schedule was open at the last clock tick (to offer resting leads when it opens). */
  scheduleOpenAtTick: boolean;
  /** Slot in the order index while open. */
  slot: number;
}

/**
 * Who bought which person, for the "never the same person twice" rule: fingerprint → the buyers
 * that bought it and when (ms), as flat pairs [buyerId, atMs, buyerId, atMs, …] (few per person).
 */
export type PersonPurchases = Map<string, (string | number)[]>;
