import { canonicalJson } from '#lx/canonical-json';
import {
  deterministicUuid,
  PING_TTL_SECONDS_DEFAULT,
  type EventData,
  type LeadPostOutcome,
} from '#lx/contracts';
import { ExpiryQueue, SlotExpiryQueue } from './expiry-queue.js';
import {
  DEFAULT_MARKET_SETTINGS,
  factsOf,
  leadFacts,
  type ListedLead,
  type MarketInput,
  type MarketInputEvent,
  type MarketOrder,
  type MarketOutput,
  type MarketSettings,
  type OrderTerms,
  type PersonPurchases,
} from './market-model.js';
import { splitPrice } from './money.js';
import { CompiledFilters } from './compiled-filters.js';
import { CompiledSchedule } from './delivery-schedule.js';
import { bidWithModifiers, exclusivityCompatible, filtersAccept } from './order-filters.js';
import { BitsetOrderIndex, LinearScanOrders, type Cutoff, type OrderCandidates } from './order-index.js';
import {
  priceExclusiveLead,
  priceSharedLead,
  rankBids,
  TopBids,
  type EligibleBid,
  type Pricing,
  type PricingRule,
} from './pricing.js';
import { MinHeap } from './min-heap.js';
import { RestingLeadIndex } from './resting-lead-index.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface MarketEngineOptions {
  readonly vertical: string;
  /** `scan` evaluates every open order for every lead: the benchmark's baseline. */
  readonly orderIndex?: 'bitset' | 'scan';
  /** Tests only: lay the bitset index out after fewer changes than usual (see BitsetOrderIndex). */
  readonly indexLayout?: { readonly relayoutMin?: number; readonly runSlots?: number };
}

type EventOf<T extends MarketInputEvent['type']> = Extract<MarketInputEvent, { type: T }>['data'];
type PingRefusal = NonNullable<EventData<typeof LeadPostOutcome>['ping']>['refusal'];

/** A ping the engine answered, kept until its answer is long past (PING_MEMORY_MS after validUntil). */
interface AnsweredPing {
  readonly sellerId: string;
  /** Canonical JSON of the pinged attributes: a post must list exactly these. */
  readonly attributes: string;
  readonly floor: number;
  readonly currency: string;
  readonly exclusivity: string;
  readonly validUntilMs: number;
  /** Per sale; null when there was no bid. */
  readonly price: number | null;
  /** The orders that would have won: each must still bid at least `price`. */
  readonly winners: readonly string[];
  used: boolean;
}

/**
 * How long after its answer expired a ping is still remembered, so that a late post hears
 * `ping_expired` rather than `ping_unknown` (engine clock).
 */
const PING_MEMORY_MS = HOUR;

/**
 * The matching engine of one market: a deterministic fold of the ordered inputs into outputs
 * (docs/architecture.md §5). It keeps its state in memory and mutates it for speed, but reads nothing besides
 * its inputs — no clock, no randomness — so the same inputs always give the same outputs.
 */
export class MarketEngine {
  readonly vertical: string;
  private settings: MarketSettings = DEFAULT_MARKET_SETTINGS;
  private firstListingCurrency: string | null = null;
  private nowMs = 0;
  private inputCount = 0;
  private lastInputPosition: string | null = null;
  private readonly orders = new Map<string, MarketOrder>();
  /** Every lead listed here: its slot in `restingLeads` while it rests, else -1 (sold out or gone). */
  private readonly leads = new Map<string, number>();
  private readonly persons: PersonPurchases = new Map();
  private readonly openOrders: OrderCandidates;
  private readonly restingLeads = new RestingLeadIndex();
  private readonly orderExpiries = new ExpiryQueue();
  /** Orders with a schedule, by order id (insertion follows placement, so iteration is in log order). */
  private readonly scheduledOrders = new Map<string, MarketOrder>();
  private readonly listingExpiries = new SlotExpiryQueue();
  // The input being applied and the outputs it produced so far.
  private input!: MarketInput;
  private outputs: MarketOutput[] = [];
  private readonly fullScan: boolean;
  private readonly topBids = new TopBids();
  private auctioned: ListedLead | null = null;
  /** The purchases of the auctioned lead's persons (null: nobody bought them yet). */
  private auctionedPersons: (string | number)[][] | null = null;
  private readonly cutoff: Cutoff = { bid: 0, seq: 0 };
  /** Batches whose authenticity sample failed and no operator released: their leads do not sell (§4.1). */
  private readonly heldBatches = new Set<string>();
  /** Batches whose authenticity sample passed: their leads meet `requireSampleVerified`. */
  private readonly verifiedBatches = new Set<string>();
  /** Sellers' sources (`sourceKey`) held by their checks and not released, or withdrawn: their leads do not sell. */
  private readonly heldSources = new Set<string>();
  /** Sellers' sources verified by their checks: their leads meet `requireSampleVerified`. */
  private readonly verifiedSources = new Set<string>();
  private readonly pings = new Map<string, AnsweredPing>();
  private readonly pingExpiries = new ExpiryQueue();
  /** While a posted lead with an honoured ping is auctioned: the pinged price, its lowest price. */
  private pingFloor: number | null = null;

  constructor(options: MarketEngineOptions) {
    this.vertical = options.vertical;
    this.fullScan = options.orderIndex === 'scan';
    this.openOrders = this.fullScan
      ? new LinearScanOrders()
      : new BitsetOrderIndex(undefined, options.indexLayout?.relayoutMin, options.indexLayout?.runSlots);
  }

  /** The settings in force; `currency` falls back to the first listing's. */
  get currentSettings(): MarketSettings {
    return { ...this.settings, currency: this.marketCurrency() };
  }

  /** The engine's clock (the latest event time seen), as an ISO instant. */
  get clock(): string {
    return new Date(this.nowMs).toISOString();
  }

  get position(): string | null {
    return this.lastInputPosition;
  }

  get openOrderCount(): number {
    return this.openOrders.size;
  }

  get restingLeadCount(): number {
    return this.restingLeads.size;
  }

  /** Applies one input (in log order) and returns what it caused, in order. */
  apply(input: MarketInput): MarketOutput[] {
    this.input = input;
    this.outputs = [];
    this.inputCount++;
    this.lastInputPosition = input.position;
    this.advanceClock(input.at);
    const event = input.event;
    switch (event.type) {
      case 'MarketSettingsChanged':
        if (event.data.vertical === this.vertical) this.settings = { ...event.data };
        break;
      case 'MarketClockTicked':
        this.advanceClock(event.data.at);
        this.expireDue();
        this.offerRestingLeadsToOpenedSchedules();
        break;
      case 'LeadListed':
        if (event.data.posted) this.listPostedLead(event.data);
        else this.listLead(event.data);
        break;
      case 'PingReceived':
        this.answerPing(event.data);
        break;
      case 'LeadWithdrawn':
      case 'LeadErased':
        this.removeLead(event.data.leadId);
        break;
      case 'OrderPlaced':
        this.placeOrder(event.data);
        break;
      case 'OrderAmended':
        this.amendOrder(event.data);
        break;
      case 'OrderPaused':
        this.pauseOrder(event.data.orderId);
        break;
      case 'OrderResumed':
        this.resumeOrder(event.data.orderId);
        break;
      case 'OrderCancelled': {
        const order = this.orders.get(event.data.orderId);
        if (order) this.closeOrder(order, 'cancelled');
        break;
      }
      case 'RefundCredited':
        if (event.data.creditedTo === 'order_budget') this.replenishOrder(event.data);
        break;
      case 'AuthenticitySampleHeld':
        if (event.data.vertical === this.vertical) this.heldBatches.add(event.data.batchId);
        break;
      case 'AuthenticityHoldDecided':
        if (event.data.vertical === this.vertical) this.decideHold(event.data);
        break;
      case 'AuthenticitySamplePassed':
        if (event.data.vertical === this.vertical && !this.verifiedBatches.has(event.data.batchId)) {
          this.verifiedBatches.add(event.data.batchId);
          this.offerBatchAgain(event.data.batchId);
        }
        break;
      case 'AuthenticitySourceHeld':
        if (event.data.vertical === this.vertical) {
          const key = sourceKey(event.data.sellerId, event.data.source);
          this.heldSources.add(key);
          this.verifiedSources.delete(key);
        }
        break;
      case 'AuthenticitySourceHoldDecided':
        if (event.data.vertical === this.vertical) this.decideSourceHold(event.data);
        break;
      case 'AuthenticitySourceVerified': {
        const key = sourceKey(event.data.sellerId, event.data.source);
        if (event.data.vertical === this.vertical && !this.verifiedSources.has(key)) {
          this.verifiedSources.add(key);
          this.offerSourceAgain(event.data.sellerId, event.data.source);
        }
        break;
      }
    }
    const outputs = this.outputs;
    this.outputs = [];
    return outputs;
  }

  private lastAt = '';
  private lastAtMs = Number.NaN;

  private advanceClock(at: string): void {
    // Inputs often share their time (a batch, a replay): parse each distinct instant once.
    if (at !== this.lastAt) {
      this.lastAt = at;
      this.lastAtMs = Date.parse(at);
    }
    const ms = this.lastAtMs;
    if (Number.isFinite(ms) && ms > this.nowMs) this.nowMs = ms;
  }

  private marketCurrency(): string | null {
    return this.settings.currency ?? this.firstListingCurrency;
  }

  // ---------------------------------------------------------------------------------------------
  // Leads

  /** Lists the lead; answers why it was not listed, or null when it was (auctioned, then resting or sold). */
  private listLead(data: EventOf<'LeadListed'>): 'already_listed' | 'wrong_currency' | 'expired' | null {
    // Another market's lead is not this engine's business (a posted lead is checked before).
    if (data.attributes.vertical !== this.vertical) return null;
    if (this.leads.has(data.leadId)) return 'already_listed';
    if (this.marketCurrency() === null) this.firstListingCurrency = data.currency;
    // A listing in another currency than the market's can never be priced here; it is not listed.
    if (data.currency !== this.marketCurrency()) return 'wrong_currency';
    const lead = this.leadOf(data, this.inputCount);
    this.leads.set(lead.leadId, -1);
    if (lead.expiresAtMs <= this.nowMs) {
      this.expireListing(lead);
      return 'expired';
    }
    this.auctionLead(lead);
    if (lead.status === 'available') {
      const slot = this.restingLeads.add(lead);
      this.leads.set(lead.leadId, slot);
      this.listingExpiries.push(lead.expiresAtMs, lead.seq, slot);
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Real time: pings and posted leads (docs/architecture.md §5.2)

  /**
   * A lead posted alone: listed like any other, then answered with its outcome. If it names a ping
   * that still stands — same seller, unused, listed by its validUntil (the listing event's time),
   * the same attributes and terms, and every order that would have won still bids at least the
   * pinged price for this very lead — only bids at or above that price can win it and it sells at
   * no less (`ping-price` when that raised the price). Otherwise it is auctioned as usual and the
   * outcome says why the ping was not honoured.
   */
  private listPostedLead(data: EventOf<'LeadListed'>): void {
    if (data.attributes.vertical !== this.vertical) return;
    const pingId = data.posted?.pingId;
    let ping: EventData<typeof LeadPostOutcome>['ping'];
    if (pingId !== undefined) {
      const refusal = this.leads.has(data.leadId) ? null : this.pingRefusal(pingId, data);
      const answered = this.pings.get(pingId);
      if (refusal === null && answered?.price != null) {
        answered.used = true;
        this.pingFloor = answered.price;
        ping = { pingId, honoured: true, price: answered.price };
      } else {
        ping = {
          pingId,
          honoured: false,
          ...(answered?.price != null ? { price: answered.price } : {}),
          refusal: refusal ?? 'ping_used',
        };
      }
    }
    const before = this.outputs.length;
    let notListed: ReturnType<MarketEngine['listLead']>;
    try {
      notListed = this.listLead(data);
    } finally {
      this.pingFloor = null;
    }
    const sales: EventData<typeof LeadPostOutcome>['sales'] = [];
    for (let i = before; i < this.outputs.length; i++) {
      const output = this.outputs[i]!;
      if (output.type !== 'LeadAllocated' || output.data.leadId !== data.leadId) continue;
      const { allocationId, orderId, buyerId, price, proceeds } = output.data;
      sales.push({ allocationId, orderId, buyerId, price, proceeds });
    }
    this.emit({
      type: 'LeadPostOutcome',
      data: {
        leadId: data.leadId,
        sellerId: data.sellerId,
        vertical: this.vertical,
        outcome: notListed !== null ? 'not_listed' : sales.length > 0 ? 'sold' : 'resting',
        ...(notListed !== null ? { reason: notListed } : {}),
        currency: data.currency,
        sales,
        ...(ping ? { ping } : {}),
        inputPosition: this.input.position,
      },
    });
  }

  /** Why the ping named by a posted lead cannot be honoured, or null when it can. */
  private pingRefusal(pingId: string, data: EventOf<'LeadListed'>): PingRefusal | null {
    const ping = this.pings.get(pingId);
    if (ping === undefined || ping.sellerId !== data.sellerId) return 'ping_unknown';
    if (ping.used) return 'ping_used';
    if (Date.parse(this.input.at) > ping.validUntilMs) return 'ping_expired';
    if (canonicalJson(data.attributes) !== ping.attributes) return 'ping_attributes_differ';
    if (
      data.floor !== ping.floor ||
      data.currency !== ping.currency ||
      canonicalJson(data.exclusivity) !== ping.exclusivity
    )
      return 'ping_terms_differ';
    if (ping.price === null) return 'no_bid';
    // The bid stands if every order that would have won still bids at least the price for this lead.
    const lead = this.leadOf(data, this.inputCount);
    this.auctionedPersons = this.purchasesOf(lead);
    this.auctioned = lead;
    try {
      for (const orderId of ping.winners) {
        const order = this.orders.get(orderId);
        const bid = order ? this.eligibleBid(order, lead) : null;
        if (bid === null || bid < ping.price) return 'bid_withdrawn';
      }
    } finally {
      this.auctioned = null;
      this.auctionedPersons = null;
    }
    return null;
  }

  /**
   * What the market would pay for the pinged lead if it were listed now: the auction of a new
   * listing (§5.1) without its sale. Nothing else changes; the answer stands until the ping's time
   * + the market's `pingTtlSeconds`.
   */
  private answerPing(data: EventOf<'PingReceived'>): void {
    if (data.attributes.vertical !== this.vertical || this.pings.has(data.pingId)) return;
    this.forgetOldPings();
    const atMs = Date.parse(this.input.at);
    const validUntilMs = atMs + (this.settings.pingTtlSeconds ?? PING_TTL_SECONDS_DEFAULT) * 1000;
    const currency = this.marketCurrency();
    const lead = this.leadOf(
      { ...data, leadId: data.pingId, expiresAt: new Date(validUntilMs).toISOString(), fingerprints: {} },
      this.inputCount,
    );
    let ranked: readonly EligibleBid[] = [];
    let pricing: Pricing | null = null;
    if (currency === null || currency === data.currency) {
      ranked = this.rankedFor(lead);
      if (ranked.length > 0)
        pricing = lead.exclusive
          ? priceExclusiveLead(lead.floor, ranked)
          : priceSharedLead(lead.floor, ranked, lead.maxSales);
    }
    this.pings.set(data.pingId, {
      sellerId: data.sellerId,
      attributes: canonicalJson(data.attributes),
      floor: data.floor,
      currency: data.currency,
      exclusivity: canonicalJson(data.exclusivity),
      validUntilMs,
      price: pricing?.price ?? null,
      winners: pricing?.winners.map((winner) => winner.order.orderId) ?? [],
      used: false,
    });
    this.pingExpiries.push({ atMs: validUntilMs + PING_MEMORY_MS, seq: this.inputCount, id: data.pingId });
    this.emit({
      type: 'PingAnswered',
      data: {
        pingId: data.pingId,
        sellerId: data.sellerId,
        vertical: this.vertical,
        outcome: pricing ? 'bid' : 'no_bid',
        ...(pricing
          ? {}
          : {
              reason:
                currency !== null && currency !== data.currency ? 'wrong_currency' : 'no_eligible_order',
            }),
        currency: data.currency,
        price: pricing?.price ?? 0,
        sales: pricing?.winners.length ?? 0,
        bids: ranked.map((bid) => ({
          orderId: bid.order.orderId,
          buyerId: bid.order.buyerId,
          effectiveBid: bid.effectiveBid,
        })),
        validUntil: new Date(validUntilMs).toISOString(),
        inputPosition: this.input.position,
      },
    });
  }

  private forgetOldPings(): void {
    for (const due of this.pingExpiries.popDue(this.nowMs)) this.pings.delete(due.id);
  }

  /** A lead as the engine matches it, from a listing (or a ping shaped as one). */
  private leadOf(
    data: Pick<
      EventOf<'LeadListed'>,
      'leadId' | 'sellerId' | 'attributes' | 'floor' | 'currency' | 'exclusivity' | 'expiresAt' | 'quality'
    > & { fingerprints: EventOf<'LeadListed'>['fingerprints']; batchId?: string },
    seq: number,
  ): ListedLead {
    const lifetimeEnd = this.nowMs + this.settings.listingLifetimeHours * HOUR;
    return {
      leadId: data.leadId,
      sellerId: data.sellerId,
      batchId: data.batchId,
      sampleVerified: data.batchId !== undefined && this.verifiedBatches.has(data.batchId),
      sourceVerified:
        this.verifiedSources.size !== 0 &&
        this.verifiedSources.has(sourceKey(data.sellerId, data.attributes.source ?? null)),
      seq,
      attributes: data.attributes,
      facts: leadFacts(data.attributes),
      floor: data.floor,
      currency: data.currency,
      exclusive: data.exclusivity.kind === 'exclusive',
      maxSales: data.exclusivity.kind === 'exclusive' ? 1 : data.exclusivity.maxSales,
      expiresAtMs: Math.min(Date.parse(data.expiresAt), lifetimeEnd),
      capturedAtMs: Date.parse(data.attributes.capturedAt),
      quality: data.quality.score,
      sellerQuality: data.quality.parts.sellerHistory,
      fingerprints: fingerprintsOf(data.fingerprints),
      salesMade: 0,
      buyers: NO_BUYERS,
      status: 'available',
      restingSlot: -1,
    };
  }

  /**
   * A newly listed lead against every open order that can take it. Only the N+1 best bids (N =
   * slots left) decide the sale — the winners and the bid that sets the price — so the index walks
   * the book from the highest bid ceiling down and stops once nothing below can enter them. The
   * linear-scan baseline evaluates and ranks every order (the reference the index is tested
   * against) and keeps the same N+1.
   */
  private auctionLead(lead: ListedLead): void {
    const slots = lead.maxSales - lead.salesMade;
    const ranked = this.rankedFor(lead);
    if (ranked.length === 0) return;
    let pricing: Pricing = lead.exclusive
      ? priceExclusiveLead(lead.floor, ranked)
      : priceSharedLead(lead.floor, ranked, slots);
    const pinged = this.pingFloor;
    if (pinged !== null && pricing.price < pinged)
      // An honoured ping: only bids at or above the pinged price win, and they pay it (§5.2).
      pricing = {
        winners: pricing.winners.filter((winner) => winner.effectiveBid >= pinged),
        price: pinged,
        rule: 'ping-price',
      };
    for (const winner of pricing.winners)
      this.allocate(lead, winner.order, pricing.price, pricing.rule, ranked);
  }

  /** The N+1 best eligible bids for the lead (N = its sales left), in rank order. */
  private rankedFor(lead: ListedLead): readonly EligibleBid[] {
    const slots = lead.maxSales - lead.salesMade;
    let ranked: readonly EligibleBid[];
    if (this.fullScan) {
      const bids: EligibleBid[] = [];
      for (const order of this.openOrders.candidatesFor(lead)) {
        const effectiveBid = this.eligibleBid(order, lead);
        if (effectiveBid !== null) bids.push({ order, effectiveBid });
      }
      ranked = rankBids(bids).slice(0, slots + 1);
    } else {
      this.topBids.reset(slots + 1);
      this.auctioned = lead;
      this.auctionedPersons = this.purchasesOf(lead);
      this.cutoff.bid = lead.floor;
      this.cutoff.seq = Number.POSITIVE_INFINITY;
      this.openOrders.visitCandidates(lead, this.visitCandidate, this.cutoff);
      this.auctioned = null;
      this.auctionedPersons = null;
      ranked = this.topBids.bids.slice();
    }
    return ranked;
  }

  /**
   * One candidate of the lead being auctioned. Once N+1 bids are kept, an order can only matter if
   * it ranks before the last of them: the cutoff becomes that bid (below the floor nothing counts).
   */
  private readonly visitCandidate = (order: MarketOrder): void => {
    const lead = this.auctioned!;
    if (order.status !== 'open') return; // never eligible
    // The bid it would make decides first whether its eligibility can matter at all (cheaper).
    this.rollDay(order);
    const bid = this.cappedBid(order, lead);
    const cutoff = this.cutoff;
    if (bid < cutoff.bid || (bid === cutoff.bid && order.seq > cutoff.seq)) return;
    const effectiveBid = this.eligibleWithBid(order, lead, bid);
    if (effectiveBid === null) return;
    const top = this.topBids;
    top.offer(order, effectiveBid);
    if (top.full) {
      const last = top.last;
      this.cutoff.bid = last.effectiveBid;
      this.cutoff.seq = last.order.seq;
    }
  };

  /**
   * An operator's decision on a held batch (§4.1): released, its resting leads are offered again
   * like new listings, in listing order; withdrawn, they leave the market for good (the batch
   * stays held, so nothing of it sells).
   */
  private decideHold(data: EventOf<'AuthenticityHoldDecided'>): void {
    if (!this.heldBatches.has(data.batchId)) return;
    if (data.decision === 'withdrawn') {
      for (const slot of this.restingLeads.slotsOfBatch(data.batchId))
        this.unrest(this.restingLeads.leadIdAt(slot), slot);
      return;
    }
    this.heldBatches.delete(data.batchId);
    this.offerBatchAgain(data.batchId);
  }

  /**
   * The batch's resting leads auctioned again among the open orders, in listing order: after a
   * release (they were off sale) or a passed sample (orders that require sample-verified leads
   * may take them now). A held batch is not offered.
   */
  private offerBatchAgain(batchId: string): void {
    if (this.heldBatches.has(batchId)) return;
    this.offerAgain(this.restingLeads.slotsOfBatch(batchId));
  }

  /**
   * A held source decided by an operator (§4.1): released, its resting leads are offered again
   * like new listings; withdrawn, they leave the market and the source stays held, so its new
   * leads do not sell either.
   */
  private decideSourceHold(data: EventOf<'AuthenticitySourceHoldDecided'>): void {
    const key = sourceKey(data.sellerId, data.source);
    if (!this.heldSources.has(key)) return;
    if (data.decision === 'withdrawn') {
      for (const slot of this.restingLeads.slotsOfSource(data.sellerId, data.source))
        this.unrest(this.restingLeads.leadIdAt(slot), slot);
      return;
    }
    this.heldSources.delete(key);
    this.offerSourceAgain(data.sellerId, data.source);
  }

  /** The source's resting leads auctioned again, as `offerBatchAgain` (a held source is not offered). */
  private offerSourceAgain(sellerId: string, source: string | null): void {
    if (this.heldSources.has(sourceKey(sellerId, source))) return;
    this.offerAgain(this.restingLeads.slotsOfSource(sellerId, source));
  }

  /** Resting leads auctioned again among the open orders, in the order given (listing order). */
  private offerAgain(slots: readonly number[]): void {
    for (const slot of slots) {
      if (!this.restingLeads.holds(slot, this.restingLeads.seqAt(slot))) continue;
      const lead = this.restingLeads.leadAt(slot);
      if (lead.expiresAtMs <= this.nowMs) continue;
      this.refreshVerified(lead);
      this.auctionLead(lead);
    }
  }

  /** What the engine knows now of the lead's batch sample and source record (`requireSampleVerified`). */
  private refreshVerified(lead: ListedLead): void {
    if (lead.batchId !== undefined) lead.sampleVerified = this.verifiedBatches.has(lead.batchId);
    lead.sourceVerified =
      this.verifiedSources.size !== 0 &&
      this.verifiedSources.has(sourceKey(lead.sellerId, factsOf(lead).source));
  }

  private removeLead(leadId: string): void {
    const slot = this.leads.get(leadId);
    if (slot === undefined || slot < 0) return;
    this.unrest(leadId, slot);
  }

  /** The lead leaves the resting book (sold out, withdrawn, erased or expired). */
  private unrest(leadId: string, slot: number): void {
    this.restingLeads.remove(slot);
    this.leads.set(leadId, -1);
  }

  private expireListing(lead: ListedLead): void {
    lead.status = 'gone';
    if (lead.restingSlot >= 0) this.unrest(lead.leadId, lead.restingSlot);
    this.emit({
      type: 'ListingExpired',
      data: {
        leadId: lead.leadId,
        sellerId: lead.sellerId,
        salesMade: lead.salesMade,
        inputPosition: this.input.position,
      },
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Orders

  private placeOrder(data: EventOf<'OrderPlaced'>): void {
    if (data.vertical !== this.vertical || this.orders.has(data.orderId)) return;
    const { orderId, buyerId, currency, vertical: _vertical, replacementFor: _replacement, ...terms } = data;
    const order: MarketOrder = {
      orderId,
      buyerId,
      currency,
      seq: this.inputCount,
      terms,
      filters: new CompiledFilters(terms.filters),
      expiresAtMs: expiryOf(terms),
      status: 'open',
      bought: 0,
      spent: 0,
      refunded: 0,
      day: this.today(),
      dayCount: 0,
      daySpend: 0,
      hour: this.thisHour(),
      hourCount: 0,
      hourSpend: 0,
      schedule: null,
      scheduleOpen: true,
      scheduleUntilMs: Number.POSITIVE_INFINITY,
      scheduleOpenAtTick: true,
      slot: -1,
    };
    this.setSchedule(order);
    this.orders.set(orderId, order);
    this.openOrders.add(order);
    this.scheduleExpiry(order);
    if (order.expiresAtMs <= this.nowMs) this.closeOrder(order, 'expired');
    else this.sweepRestingLeads(order);
  }

  private amendOrder(data: EventOf<'OrderAmended'>): void {
    const order = this.orders.get(data.orderId);
    if (!order || order.status === 'closed') return;
    const { orderId: _orderId, buyerId: _buyerId, ...terms } = data;
    const wasOpen = order.status === 'open';
    if (wasOpen) this.openOrders.remove(order);
    order.terms = terms;
    order.filters = new CompiledFilters(terms.filters);
    this.setSchedule(order);
    order.expiresAtMs = expiryOf(terms);
    this.scheduleExpiry(order);
    if (order.expiresAtMs <= this.nowMs) return this.closeOrder(order, 'expired');
    if (this.closeIfDone(order)) return;
    if (wasOpen) {
      this.openOrders.add(order);
      this.sweepRestingLeads(order);
    }
  }

  private pauseOrder(orderId: string): void {
    const order = this.orders.get(orderId);
    if (!order || order.status !== 'open') return;
    order.status = 'paused';
    this.openOrders.remove(order);
  }

  private resumeOrder(orderId: string): void {
    const order = this.orders.get(orderId);
    if (!order || order.status !== 'paused') return;
    if (order.expiresAtMs <= this.nowMs) return this.closeOrder(order, 'expired');
    order.status = 'open';
    this.openOrders.add(order);
    this.sweepRestingLeads(order);
  }

  /**
   * An order that arrives (or comes back) takes resting leads at their floor — every order
   * eligible when a lead was listed has already been served — the ones it values most first:
   * its bid with modifiers, then quality score, then freshness (latest capture), then listing
   * order. The ranking is a heap built in linear time and popped only while the order still
   * buys, so an order for a few leads does not sort the whole resting book.
   */
  private sweepRestingLeads(order: MarketOrder): void {
    // Outside its schedule the order takes nothing; a clock tick offers it the leads when it opens.
    if (!this.scheduleOpen(order)) return;
    const resting = this.restingLeads;
    const candidates = resting.candidatesFor(order);
    if (candidates.length === 0) return;
    // What each lead is worth to the order; an order without modifiers values every lead alike.
    const values = new Float64Array(candidates.length);
    const flat =
      order.terms.modifiers.length === 0
        ? bidWithModifiers(order.terms, { facts: resting.factsAt(candidates[0]!) })
        : null;
    const worthTaking: number[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const slot = candidates[i]!;
      const value = flat ?? bidWithModifiers(order.terms, { facts: resting.factsAt(slot) });
      values[i] = value;
      // Budget and daily limits only lower the bid, so a value under the floor never becomes eligible.
      if (value >= resting.floorAt(slot)) worthTaking.push(i);
    }
    const ranked = new MinHeap<number>((a, b) => {
      const slotA = candidates[a]!;
      const slotB = candidates[b]!;
      return valuedBefore(
        values[a]!,
        resting.qualityAt(slotA),
        resting.capturedAtMs(slotA),
        resting.seqAt(slotA),
        values[b]!,
        resting.qualityAt(slotB),
        resting.capturedAtMs(slotB),
        resting.seqAt(slotB),
      );
    }, worthTaking);
    for (let next = ranked.pop(); next !== undefined; next = ranked.pop()) {
      if (order.status !== 'open') return;
      const slot = candidates[next]!;
      // Sold out earlier in this sweep: its slot is free (no lead is listed during a sweep).
      if (!resting.holds(slot, resting.seqAt(slot))) continue;
      const lead = resting.leadAt(slot);
      if (lead.expiresAtMs <= this.nowMs) continue;
      this.refreshVerified(lead);
      const effectiveBid = this.eligibleBid(order, lead);
      if (effectiveBid === null) continue;
      this.allocate(lead, order, lead.floor, 'resting-lead-floor', [{ order, effectiveBid }]);
    }
  }

  /**
   * An accepted return's price credited back to the order's budget, for a replacement: the order
   * gets one unit of quantity and the price back and, if open, takes resting leads at once. A
   * closed order buys nothing more: the replacement is declined (the buyer account releases the
   * refund with the order's other money).
   */
  private replenishOrder(data: EventOf<'RefundCredited'>): void {
    const order = this.orders.get(data.orderId);
    if (!order) return; // another market's order
    const granted = order.status !== 'closed';
    this.emit({
      type: 'ReplacementDecided',
      data: {
        allocationId: data.allocationId,
        orderId: order.orderId,
        buyerId: order.buyerId,
        amount: data.amount,
        outcome: granted ? 'granted' : 'declined',
        inputPosition: this.input.position,
      },
    });
    if (!granted) return;
    order.bought = Math.max(0, order.bought - 1);
    order.refunded += data.amount;
    if (order.status === 'open') this.sweepRestingLeads(order);
  }

  private scheduleExpiry(order: MarketOrder): void {
    if (Number.isFinite(order.expiresAtMs))
      this.orderExpiries.push({ atMs: order.expiresAtMs, seq: order.seq, id: order.orderId });
  }

  private closeIfDone(order: MarketOrder): boolean {
    if (order.bought >= order.terms.quantity) {
      this.emit({
        type: 'OrderFilled',
        data: {
          orderId: order.orderId,
          buyerId: order.buyerId,
          quantity: order.bought,
          spent: order.spent,
          inputPosition: this.input.position,
        },
      });
      this.closeOrder(order, 'filled');
      return true;
    }
    if (budgetLeft(order) <= 0) {
      this.closeOrder(order, 'budget_exhausted');
      return true;
    }
    return false;
  }

  private closeOrder(
    order: MarketOrder,
    reason: 'filled' | 'budget_exhausted' | 'expired' | 'cancelled',
  ): void {
    if (order.status === 'closed') return;
    if (order.status === 'open') this.openOrders.remove(order);
    order.status = 'closed';
    this.scheduledOrders.delete(order.orderId);
    this.emit({
      type: 'OrderClosed',
      data: {
        orderId: order.orderId,
        buyerId: order.buyerId,
        reason,
        spent: order.spent,
        released: Math.max(0, budgetLeft(order)),
        inputPosition: this.input.position,
      },
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Eligibility and allocation

  /** The order's effective bid for the lead, or null when it is not eligible (docs/architecture.md §5). */
  private eligibleBid(order: MarketOrder, lead: ListedLead): number | null {
    return this.eligibleWithBid(order, lead, null);
  }

  /**
   * `eligibleBid`, given the order's capped bid for the lead when the caller computed it already
   * (with the order's day rolled): no state changes between the two, so it is the same bid.
   */
  private eligibleWithBid(order: MarketOrder, lead: ListedLead, cappedBid: number | null): number | null {
    if (order.status !== 'open' || order.currency !== lead.currency) return null;
    if (order.expiresAtMs <= this.nowMs || !exclusivityCompatible(order, lead)) return null;
    const terms = order.terms;
    if (order.bought >= terms.quantity) return null;
    if (order.schedule !== null && !this.scheduleOpen(order)) return null;
    this.rollDay(order);
    if (terms.dailyCapCount !== undefined && order.dayCount >= terms.dailyCapCount) return null;
    if (terms.hourlyCapCount !== undefined && order.hourCount >= terms.hourlyCapCount) return null;
    if (lead.buyers.has(order.buyerId)) return null;
    if (this.boughtSamePerson(order.buyerId, lead)) return null;
    // A batch held by its authenticity sample sells nothing until an operator releases it.
    if (this.heldBatches.size !== 0 && lead.batchId !== undefined && this.heldBatches.has(lead.batchId))
      return null;
    // So does a seller's source held by its checks (§4.1).
    if (this.heldSources.size !== 0 && this.heldSources.has(sourceKey(lead.sellerId, factsOf(lead).source)))
      return null;
    if (!filtersAccept(order.filters, lead, this.nowMs)) return null;
    // An order never bids more than it can still pay: what is left of its budget and of today's
    // spend cap bound its bid, so that the price (≤ the bid) always fits.
    const bid = cappedBid ?? this.cappedBid(order, lead);
    return bid >= lead.floor && bid > 0 ? bid : null;
  }

  /** Bid with modifiers, capped by max bid, budget left, today's and this hour's spend left (rolled). */
  private cappedBid(order: MarketOrder, lead: ListedLead): number {
    const terms = order.terms;
    let bid = bidWithModifiers(terms, lead);
    bid = Math.min(bid, budgetLeft(order));
    if (terms.dailyCapSpend !== undefined) bid = Math.min(bid, terms.dailyCapSpend - order.daySpend);
    if (terms.hourlyCapSpend !== undefined) bid = Math.min(bid, terms.hourlyCapSpend - order.hourSpend);
    return bid;
  }

  private boughtSamePerson(buyerId: string, lead: ListedLead): boolean {
    const purchases = lead === this.auctioned ? this.auctionedPersons : this.purchasesOf(lead);
    if (purchases === null) return false;
    const since = this.nowMs - this.settings.dedupeWindowDays * DAY;
    for (const pairs of purchases) {
      for (let i = 0; i < pairs.length; i += 2) {
        if (pairs[i] === buyerId) {
          if ((pairs[i + 1] as number) > since) return true;
          break;
        }
      }
    }
    return false;
  }

  /** Who bought the lead's persons (one list per fingerprint bought), or null when nobody did. */
  private purchasesOf(lead: ListedLead): (string | number)[][] | null {
    let found: (string | number)[][] | null = null;
    for (const fingerprint of lead.fingerprints) {
      const pairs = this.persons.get(fingerprint);
      if (pairs !== undefined) (found ??= []).push(pairs);
    }
    return found;
  }

  /** The buyer bought the person behind `fingerprint` now. */
  private recordPurchase(fingerprint: string, buyerId: string): void {
    let pairs = this.persons.get(fingerprint);
    if (pairs === undefined) {
      pairs = [];
      this.persons.set(fingerprint, pairs);
    }
    for (let i = 0; i < pairs.length; i += 2) {
      if (pairs[i] === buyerId) {
        pairs[i + 1] = this.nowMs;
        return;
      }
    }
    pairs.push(buyerId, this.nowMs);
  }

  private allocate(
    lead: ListedLead,
    order: MarketOrder,
    price: number,
    rule: PricingRule,
    competing: readonly EligibleBid[],
  ): void {
    const { commission, proceeds } = splitPrice(price, this.settings.commissionBps);
    this.emit({
      type: 'LeadAllocated',
      data: {
        allocationId: deterministicUuid('allocation', this.input.position, lead.leadId, order.orderId),
        leadId: lead.leadId,
        orderId: order.orderId,
        buyerId: order.buyerId,
        sellerId: lead.sellerId,
        vertical: this.vertical,
        currency: lead.currency,
        price,
        commission,
        proceeds,
        rule,
        competingBids: competing.map((bid) => ({
          orderId: bid.order.orderId,
          buyerId: bid.order.buyerId,
          effectiveBid: bid.effectiveBid,
        })),
        inputPosition: this.input.position,
        at: this.clockIso(),
      },
    });
    order.bought++;
    order.spent += price;
    order.dayCount++;
    order.daySpend += price;
    order.hourCount++;
    order.hourSpend += price;
    lead.salesMade++;
    if (lead.restingSlot >= 0) this.restingLeads.recordSale(lead.restingSlot, order.buyerId);
    // Who holds it matters only while it can still sell: a newly listed lead that will rest.
    else if (lead.salesMade < lead.maxSales) lead.buyers = new Set(lead.buyers).add(order.buyerId);
    for (const fingerprint of lead.fingerprints) this.recordPurchase(fingerprint, order.buyerId);
    if (lead.salesMade >= lead.maxSales) {
      lead.status = 'sold_out';
      if (lead.restingSlot >= 0) this.unrest(lead.leadId, lead.restingSlot);
    }
    this.closeIfDone(order);
  }

  // ---------------------------------------------------------------------------------------------
  // Time

  private clockIsoMs = Number.NaN;
  private clockIsoText = '';

  /** The engine clock as an ISO instant, formatted once per clock value. */
  private clockIso(): string {
    if (this.clockIsoMs !== this.nowMs) {
      this.clockIsoMs = this.nowMs;
      this.clockIsoText = new Date(this.nowMs).toISOString();
    }
    return this.clockIsoText;
  }

  private today(): number {
    return Math.floor(this.nowMs / DAY);
  }

  private thisHour(): number {
    return Math.floor(this.nowMs / HOUR);
  }

  /**
   * Daily caps count per UTC day of the engine's clock (event time), hourly caps per clock hour of
   * it (UTC hours: the buyer's local hours too in every zone whose offset is a whole number of hours).
   */
  private rollDay(order: MarketOrder): void {
    const day = this.today();
    if (order.day !== day) {
      order.day = day;
      order.dayCount = 0;
      order.daySpend = 0;
    }
    const hour = this.thisHour();
    if (order.hour !== hour) {
      order.hour = hour;
      order.hourCount = 0;
      order.hourSpend = 0;
    }
  }

  /** Compiles the order's schedule (placed or amended) and registers the order for clock ticks. */
  private setSchedule(order: MarketOrder): void {
    const schedule = order.terms.schedule;
    order.schedule = schedule === undefined ? null : new CompiledSchedule(schedule);
    order.scheduleUntilMs = Number.NEGATIVE_INFINITY;
    if (order.schedule === null) {
      this.scheduledOrders.delete(order.orderId);
      order.scheduleOpen = true;
      order.scheduleOpenAtTick = true;
      return;
    }
    this.scheduledOrders.set(order.orderId, order);
    // Placing, amending or resuming sweeps the resting leads if the window is open now: the next
    // tick must not offer them again as if the window had just opened.
    order.scheduleOpenAtTick = this.scheduleOpen(order);
  }

  /**
   * Whether the order's schedule is open at the engine clock: the compiled schedule's answer,
   * cached until the instant it may change (the clock only moves forward).
   */
  private scheduleOpen(order: MarketOrder): boolean {
    const schedule = order.schedule;
    if (schedule === null) return true;
    if (this.nowMs >= order.scheduleUntilMs) {
      const state = schedule.stateAt(this.nowMs);
      order.scheduleOpen = state.open;
      order.scheduleUntilMs = state.untilMs;
    }
    return order.scheduleOpen;
  }

  /**
   * On a clock tick, every open order whose schedule opened since the previous tick takes the
   * resting leads it accepts (at their floor, as on arrival), in placement order.
   */
  private offerRestingLeadsToOpenedSchedules(): void {
    if (this.scheduledOrders.size === 0) return;
    const opened: MarketOrder[] = [];
    for (const order of this.scheduledOrders.values()) {
      const open = this.scheduleOpen(order);
      if (open && !order.scheduleOpenAtTick && order.status === 'open') opened.push(order);
      order.scheduleOpenAtTick = open;
    }
    opened.sort((a, b) => a.seq - b.seq);
    for (const order of opened) if (order.status === 'open') this.sweepRestingLeads(order);
  }

  private expireDue(): void {
    this.forgetOldPings();
    for (const due of this.orderExpiries.popDue(this.nowMs)) {
      const order = this.orders.get(due.id);
      if (order && order.status !== 'closed' && order.expiresAtMs === due.atMs)
        this.closeOrder(order, 'expired');
    }
    for (const due of this.listingExpiries.popDue(this.nowMs)) {
      if (this.restingLeads.holds(due.slot, due.seq)) this.expireListing(this.restingLeads.leadAt(due.slot));
    }
  }

  private emit(output: MarketOutput): void {
    this.outputs.push(output);
  }
}

/**
 * The order in which an order takes resting leads (`value`: its bid with modifiers for the lead),
 * then quality, freshness (capture time) and listing order: a total order, so replays agree.
 */
function valuedBefore(
  aValue: number,
  aQuality: number,
  aCapturedAtMs: number,
  aSeq: number,
  bValue: number,
  bQuality: number,
  bCapturedAtMs: number,
  bSeq: number,
): boolean {
  if (aValue !== bValue) return aValue > bValue;
  if (aQuality !== bQuality) return aQuality > bQuality;
  if (aCapturedAtMs !== bCapturedAtMs) return aCapturedAtMs > bCapturedAtMs;
  return aSeq < bSeq;
}

const NO_BUYERS: ReadonlySet<string> = new Set();

/** The lead's fingerprints, the phone's first (the order in which sales record them). */
function fingerprintsOf(fingerprints: {
  readonly phone?: string;
  readonly email?: string;
}): readonly string[] {
  const { phone, email } = fingerprints;
  if (phone === undefined) return email === undefined ? [] : [email];
  return email === undefined ? [phone] : [phone, email];
}

/** What the order may still spend: its budget and the refunds credited back, less its sales. */
function budgetLeft(order: MarketOrder): number {
  return order.terms.budget + order.refunded - order.spent;
}

function expiryOf(terms: OrderTerms): number {
  return terms.expiresAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(terms.expiresAt);
}

/** A seller's source inside one market's engine (tags and ids never contain `|`); untagged: ''. */
function sourceKey(sellerId: string, source: string | null): string {
  return `${sellerId}|${source ?? ''}`;
}
