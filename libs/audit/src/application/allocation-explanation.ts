import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  comparePositions,
  formatPosition,
  parsePosition,
  type EventStore,
  type LogPosition,
  type RecordedEvent,
} from '#lx/event-store';
import { describeSchedule, type DeliveryScheduleData } from '#lx/contracts';
import { CompiledSchedule, DEFAULT_MARKET_SETTINGS, marketSettingsStream, splitPrice } from '#lx/matching';
import { AllocationNotFoundError } from './dispute-report.js';
import { replayMarkets } from './replay-proof.js';
import { isOrderTerms, orderEventsAsOf } from './order-history.js';

interface Allocation {
  allocationId: string;
  leadId: string;
  orderId: string;
  buyerId: string;
  vertical: string;
  price: number;
  commission: number;
  proceeds: number;
  rule: string;
  competingBids: { orderId: string; buyerId: string; effectiveBid: number }[];
  inputPosition: string;
}

export interface OrderAsOf {
  orderId: string;
  buyerId: string;
  terms: Record<string, unknown> | null;
  status: 'open' | 'paused' | 'cancelled' | 'unknown';
  spentBefore: number;
  budgetLeft: number | null;
  termsPosition: string | null;
}

export interface Check {
  check: string;
  holds: boolean;
  detail: string;
}

export interface AllocationExplanation {
  allocationId: string;
  recorded: Allocation & { position: string };
  asOf: {
    position: string;
    lead: Record<string, unknown> | null;
    commissionBps: number;
    order: OrderAsOf;
    competingOrders: OrderAsOf[];
  };
  checks: Check[];
  /** Every check holds, and re-running the engine up to the triggering input reproduces the allocation exactly. */
  confirmed: boolean;
}

/**
 * Explains one allocation from the log as it stood when the allocation happened, recomputes its
 * price by hand from the recorded bids and floor, and re-runs the engine up to the input that
 * triggered it: an auditor sees whether `LeadAllocated` is confirmed or refuted, and why.
 */
@Injectable()
export class AllocationExplanations {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async explain(allocationId: string): Promise<AllocationExplanation> {
    const found = await this.findAllocation(allocationId);
    if (!found) throw new AllocationNotFoundError(`Allocation ${allocationId} was not found`);
    const { event, all } = found;
    const allocation = event.data as Allocation;
    const input = parsePosition(allocation.inputPosition);

    const [listed] = (await this.store.readStream(`lead-${allocation.leadId}`)).filter(
      (e) => e.type === 'LeadListed',
    );
    const lead =
      listed && comparePositions(listed.position, input) <= 0
        ? (listed.data as Record<string, unknown>)
        : null;
    const settings = (await this.store.readStream(marketSettingsStream(allocation.vertical)))
      .filter((e) => comparePositions(e.position, input) <= 0)
      .at(-1);
    const commissionBps =
      (settings?.data as { commissionBps?: number } | undefined)?.commissionBps ??
      DEFAULT_MARKET_SETTINGS.commissionBps;
    // The state before the lead's allocations: a shared lead's winners are recorded one after
    // the other, but they were all decided on the same state, so none of them is "earlier".
    const sameSale = (e: RecordedEvent) =>
      e.type === 'LeadAllocated' &&
      (e.data as Allocation).leadId === allocation.leadId &&
      (e.data as Allocation).inputPosition === allocation.inputPosition;
    const earlier = all.filter(
      (e) =>
        (e.type === 'LeadAllocated' || e.type === 'ReplacementDecided') &&
        comparePositions(e.position, event.position) < 0 &&
        !sameSale(e),
    );
    const order = await this.orderAsOf(allocation.orderId, allocation.buyerId, input, earlier);
    const competingOrders = await Promise.all(
      allocation.competingBids
        .filter((bid) => bid.orderId !== allocation.orderId)
        .map((bid) => this.orderAsOf(bid.orderId, bid.buyerId, input, earlier)),
    );

    const sameInput = all.filter(sameSale).length;
    const checks = this.recomputePrice(allocation, lead, commissionBps, sameInput);
    checks.push({
      check: 'order open and funded as of the allocation',
      holds: order.status === 'open' && order.budgetLeft !== null && order.budgetLeft >= allocation.price,
      detail: `status ${order.status}, budget left ${order.budgetLeft ?? 'unknown'} ≥ price ${allocation.price}`,
    });
    const schedule = order.terms?.schedule as DeliveryScheduleData | undefined;
    const soldAt = (allocation as Allocation & { at?: string }).at;
    if (schedule !== undefined && soldAt !== undefined)
      checks.push({
        check: "the sale's time inside the order's delivery schedule",
        holds: new CompiledSchedule(schedule).isOpenAt(Date.parse(soldAt)),
        detail: `sold at ${soldAt}; schedule ${describeSchedule(schedule)}`,
      });

    const proof = await replayMarkets(this.store, { verticals: [allocation.vertical], upTo: input });
    const market = proof.markets[0]!;
    checks.push({
      check:
        're-running the engine up to the triggering input reproduces every output, this allocation included',
      holds: market.identical,
      detail: market.identical
        ? `${market.compared} outputs identical (digest ${market.replayedDigest.slice(0, 16)}…)`
        : `first divergence at output #${market.firstDivergence?.index}`,
    });

    return {
      allocationId,
      recorded: { ...allocation, position: formatPosition(event.position) },
      asOf: { position: allocation.inputPosition, lead, commissionBps, order, competingOrders },
      checks,
      confirmed: checks.every((check) => check.holds),
    };
  }

  /** The price rule by hand: the floor and the recorded bids (in rank order) decide it. */
  private recomputePrice(
    allocation: Allocation,
    lead: Record<string, unknown> | null,
    commissionBps: number,
    winners: number,
  ): Check[] {
    const floor = (lead?.floor as number | undefined) ?? null;
    const bids = allocation.competingBids.map((bid) => bid.effectiveBid);
    const exclusive = (lead?.exclusivity as { kind?: string } | undefined)?.kind === 'exclusive';
    let expected: number | null = null;
    if (floor !== null) {
      if (allocation.rule === 'resting-lead-floor') expected = floor;
      else if (exclusive) expected = Math.max(floor, bids[1] ?? 0);
      else expected = Math.max(floor, bids[winners] ?? 0);
      // An honoured ping (§5.2): at least the auction's price, at most the winner's own bid.
      const own = allocation.competingBids.find((bid) => bid.orderId === allocation.orderId)?.effectiveBid;
      if (allocation.rule === 'ping-price' && own !== undefined)
        expected = allocation.price >= expected && allocation.price <= own ? allocation.price : expected;
    }
    const split = splitPrice(allocation.price, commissionBps);
    const winner = allocation.competingBids.find((bid) => bid.orderId === allocation.orderId);
    return [
      {
        check: `price follows ${allocation.rule}`,
        holds: expected === allocation.price,
        detail:
          floor === null
            ? 'the lead was not listed before the allocation'
            : `floor ${floor}, bids ${bids.slice(0, winners + 1).join(' ≥ ')} → ${expected}; recorded ${allocation.price}`,
      },
      {
        check: "price within [floor, winner's effective bid]",
        holds:
          floor !== null &&
          winner !== undefined &&
          allocation.price >= floor &&
          allocation.price <= winner.effectiveBid,
        detail: `${floor} ≤ ${allocation.price} ≤ ${winner?.effectiveBid ?? 'no winning bid recorded'}`,
      },
      {
        check: 'commission and proceeds (half-even basis points)',
        holds: split.commission === allocation.commission && split.proceeds === allocation.proceeds,
        detail: `${commissionBps} bp of ${allocation.price} = ${split.commission} (recorded ${allocation.commission}); proceeds ${split.proceeds} (recorded ${allocation.proceeds})`,
      },
    ];
  }

  private async findAllocation(
    allocationId: string,
  ): Promise<{ event: RecordedEvent; all: RecordedEvent[] } | null> {
    // The allocation id names no stream; the audit index finds it in production, a scan of the
    // market streams here keeps this usable without it.
    let after: LogPosition | null = null;
    for (;;) {
      const page = await this.store.readAll({
        after,
        maxCount: 5000,
        filter: { eventTypes: ['LeadAllocated'] },
      });
      const hit = page.events.find((e) => (e.data as Allocation).allocationId === allocationId);
      if (hit) return { event: hit, all: await this.store.readStream(hit.streamName) };
      if (page.isEnd) return null;
      after = page.nextAfter;
    }
  }

  private async orderAsOf(
    orderId: string,
    buyerId: string,
    input: LogPosition,
    earlier: RecordedEvent[],
  ): Promise<OrderAsOf> {
    const events = await orderEventsAsOf(this.store, buyerId, orderId, { through: input });
    const terms = events.filter(isOrderTerms).at(-1);
    const lifecycle = events
      .filter((e) => ['OrderPaused', 'OrderResumed', 'OrderCancelled'].includes(e.type))
      .at(-1);
    const status = !terms
      ? 'unknown'
      : lifecycle?.type === 'OrderPaused'
        ? 'paused'
        : lifecycle?.type === 'OrderCancelled'
          ? 'cancelled'
          : 'open';
    const ofOrder = earlier.filter((e) => (e.data as { orderId: string }).orderId === orderId);
    const spentBefore = ofOrder
      .filter((e) => e.type === 'LeadAllocated')
      .reduce((sum, e) => sum + (e.data as Allocation).price, 0);
    // Refunds the engine credited back to the order for replacements may be spent again.
    const refunded = ofOrder
      .filter((e) => (e.data as { outcome?: string }).outcome === 'granted')
      .reduce((sum, e) => sum + (e.data as { amount: number }).amount, 0);
    const budget = (terms?.data as { budget?: number } | undefined)?.budget;
    return {
      orderId,
      buyerId,
      terms: (terms?.data as Record<string, unknown>) ?? null,
      status,
      spentBefore,
      budgetLeft: budget === undefined ? null : budget + refunded - spentBefore,
      termsPosition: terms ? formatPosition(terms.position) : null,
    };
  }
}
