import type { PricingRule } from '#lx/contracts';
import type { MarketOrder } from './market-model.js';

// The catalogue defines the rules (LeadAllocated.rule); the engine's callers may keep importing it from here.
export type { PricingRule };

export interface EligibleBid {
  readonly order: MarketOrder;
  readonly effectiveBid: number;
}

export interface Pricing {
  readonly winners: readonly EligibleBid[];
  readonly price: number;
  readonly rule: PricingRule;
}

/** Effective bid descending, then order placement ascending, then order id: a total order. */
export function compareBids(a: EligibleBid, b: EligibleBid): number {
  if (a.effectiveBid !== b.effectiveBid) return b.effectiveBid - a.effectiveBid;
  if (a.order.seq !== b.order.seq) return a.order.seq - b.order.seq;
  return a.order.orderId < b.order.orderId ? -1 : a.order.orderId > b.order.orderId ? 1 : 0;
}

/**
 * Ranks the eligible bids and keeps each buyer's best one: a buyer can win a lead once only, so
 * its other orders neither compete for it nor set its price against itself.
 */
export function rankBids(bids: readonly EligibleBid[]): EligibleBid[] {
  const ranked = [...bids].sort(compareBids);
  const buyers = new Set<string>();
  return ranked.filter((bid) => {
    if (buyers.has(bid.order.buyerId)) return false;
    buyers.add(bid.order.buyerId);
    return true;
  });
}

/** Second price with the floor as reserve: the winner pays max(floor, second-highest bid). */
export function priceExclusiveLead(floor: number, ranked: readonly EligibleBid[]): Pricing {
  const second = ranked[1]?.effectiveBid ?? floor;
  return second > floor
    ? { winners: ranked.slice(0, 1), price: second, rule: 'exclusive-second-price' }
    : { winners: ranked.slice(0, 1), price: floor, rule: 'exclusive-floor' };
}

/**
 * Uniform price for up to `slots` winners: each pays max(floor, the first losing bid) — truthful
 * for buyers who want one unit each.
 */
export function priceSharedLead(floor: number, ranked: readonly EligibleBid[], slots: number): Pricing {
  const winners = ranked.slice(0, slots);
  const firstLoser = ranked[slots]?.effectiveBid ?? floor;
  return firstLoser > floor
    ? { winners, price: firstLoser, rule: 'shared-uniform-price' }
    : { winners, price: floor, rule: 'shared-floor' };
}

/** Whether `order` bidding `effectiveBid` ranks before `other` (the order of `compareBids`). */
function ranksBefore(order: MarketOrder, effectiveBid: number, other: EligibleBid): boolean {
  if (effectiveBid > other.effectiveBid) return true;
  if (effectiveBid < other.effectiveBid) return false;
  if (order.seq < other.order.seq) return true;
  if (order.seq > other.order.seq) return false;
  // Equal ids are the same order, which is offered once per lead: the `<=` mutant of this line is
  // equivalent (it survives). Not marked, as a mark would also hide the `>=` mutant, which the ties
  // of the top-k property kill.
  return order.orderId < other.order.orderId;
}

/**
 * The first `k` of `rankBids(all offered bids)`, kept incrementally: each buyer's best bid, in
 * rank order, without sorting or storing the rest. `rankBids(bids).slice(0, k)` is the reference.
 */
export class TopBids {
  private k = 0;
  private readonly kept: EligibleBid[] = [];

  reset(k: number): void {
    this.k = k;
    this.kept.length = 0;
  }

  get bids(): readonly EligibleBid[] {
    return this.kept;
  }

  get full(): boolean {
    // Never above `k`: `offer` pops the bid that falls out.
    return this.kept.length === this.k;
  }

  /** The last bid kept (once `full`, a bid must rank before it to enter). */
  get last(): EligibleBid {
    return this.kept[this.kept.length - 1]!;
  }

  offer(order: MarketOrder, effectiveBid: number): void {
    const kept = this.kept;
    // A bid that does not rank before the last kept one is inserted last and popped below.
    for (let i = 0; i < kept.length; i++) {
      if (kept[i]!.order.buyerId !== order.buyerId) continue;
      // The buyer's best bid so far: the new one replaces it only if it ranks before it.
      if (!ranksBefore(order, effectiveBid, kept[i]!)) return;
      kept.splice(i, 1);
      break;
    }
    let at = kept.length;
    while (at > 0 && ranksBefore(order, effectiveBid, kept[at - 1]!)) at--;
    kept.splice(at, 0, { order, effectiveBid });
    if (kept.length > this.k) kept.pop();
  }
}
