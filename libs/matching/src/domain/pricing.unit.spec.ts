import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { MarketOrder } from './market-model.js';
import {
  compareBids,
  priceExclusiveLead,
  priceSharedLead,
  rankBids,
  TopBids,
  type EligibleBid,
} from './pricing.js';

/** Only what ranking reads: the buyer, the placement sequence and the order id. */
const bid = (
  orderId: string,
  effectiveBid: number,
  seq: number,
  buyerId = `buyer-${orderId}`,
): EligibleBid => ({
  order: { orderId, buyerId, seq } as MarketOrder,
  effectiveBid,
});

const winnersOf = (bids: readonly EligibleBid[]) => bids.map((b) => b.order.orderId);

describe('who wins a lead: the ranking of bids', () => {
  it('the higher effective bid ranks first, whatever the placement', () => {
    expect(winnersOf(rankBids([bid('late', 100, 1), bid('early', 200, 9)]))).toEqual(['early', 'late']);
  });

  it('between equal bids, the order placed first ranks first', () => {
    expect(winnersOf(rankBids([bid('second', 500, 2), bid('first', 500, 1)]))).toEqual(['first', 'second']);
    expect(winnersOf(rankBids([bid('first', 500, 1), bid('second', 500, 2)]))).toEqual(['first', 'second']);
  });

  it('between equal bids placed at the same position, the smaller order id ranks first', () => {
    expect(winnersOf(rankBids([bid('o-b', 500, 3), bid('o-a', 500, 3)]))).toEqual(['o-a', 'o-b']);
    expect(winnersOf(rankBids([bid('o-a', 500, 3), bid('o-b', 500, 3)]))).toEqual(['o-a', 'o-b']);
    expect(compareBids(bid('o-a', 500, 3), bid('o-a', 500, 3))).toBe(0);
  });

  it('a buyer competes with its best order only, so it never sets its own price', () => {
    const ranked = rankBids([bid('a-low', 300, 1, 'A'), bid('b', 400, 2, 'B'), bid('a-high', 500, 3, 'A')]);
    expect(winnersOf(ranked)).toEqual(['a-high', 'b']);
  });

  /** Distinct orders of a few buyers, with few bid levels and placements so that ties abound. */
  const bidsArb = fc.uniqueArray(
    fc.record({
      effectiveBid: fc.integer({ min: 1, max: 4 }).map((n) => n * 1000),
      seq: fc.integer({ min: 1, max: 3 }),
      orderId: fc.integer({ min: 1, max: 30 }).map((n) => `o-${n}`),
      buyerId: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
    }),
    { maxLength: 12, selector: (spec) => spec.orderId },
  );
  const asBids = (
    specs: readonly { effectiveBid: number; seq: number; orderId: string; buyerId: string }[],
  ) => specs.map((s) => bid(s.orderId, s.effectiveBid, s.seq, s.buyerId));

  it('equal bids are broken the same way every time, whatever order they arrive in', () => {
    fc.assert(
      fc.property(
        bidsArb.chain((specs) =>
          fc.tuple(fc.constant(specs), fc.shuffledSubarray(specs, { minLength: specs.length })),
        ),
        ([specs, shuffled]) => {
          const once = rankBids(asBids(specs));
          expect(rankBids(asBids(shuffled))).toEqual(once);
          for (let i = 1; i < once.length; i++) {
            // A total order: the earlier ranks before the later, and the later after the earlier.
            expect(compareBids(once[i - 1]!, once[i]!)).toBeLessThan(0);
            expect(compareBids(once[i]!, once[i - 1]!)).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the incremental top-k keeps exactly the first k of the full ranking, ties included', () => {
    fc.assert(
      fc.property(bidsArb, fc.integer({ min: 1, max: 5 }), (specs, k) => {
        const top = new TopBids();
        top.reset(k);
        for (const offered of asBids(specs)) top.offer(offered.order, offered.effectiveBid);
        const expected = rankBids(asBids(specs)).slice(0, k);
        expect(winnersOf(top.bids)).toEqual(winnersOf(expected));
        expect(top.bids.map((b) => b.effectiveBid)).toEqual(expected.map((b) => b.effectiveBid));
        expect(top.full).toBe(expected.length >= k);
        if (expected.length > 0)
          expect(top.last.order.orderId).toBe(expected[expected.length - 1]!.order.orderId);
      }),
      { numRuns: 300 },
    );
  });

  it('a reset forgets the previous lead’s bids, and a new top-k holds none', () => {
    expect(new TopBids().bids).toEqual([]);
    const top = new TopBids();
    top.reset(1);
    top.offer(bid('old', 900, 1).order, 900);
    top.reset(2);
    expect(top.bids).toEqual([]);
    expect(top.full).toBe(false);
  });
});

describe('what the winner of an exclusive lead pays', () => {
  it('the second-highest bid when it is above the floor', () => {
    expect(priceExclusiveLead(1000, [bid('w', 3000, 1), bid('l', 2500, 2)])).toEqual({
      winners: [bid('w', 3000, 1)],
      price: 2500,
      rule: 'exclusive-second-price',
    });
  });

  it('the floor when the second bid is exactly at the floor', () => {
    expect(priceExclusiveLead(2500, [bid('w', 3000, 1), bid('l', 2500, 2)])).toEqual({
      winners: [bid('w', 3000, 1)],
      price: 2500,
      rule: 'exclusive-floor',
    });
  });

  it('the floor when the winner bids alone', () => {
    expect(priceExclusiveLead(1000, [bid('w', 3000, 1)])).toEqual({
      winners: [bid('w', 3000, 1)],
      price: 1000,
      rule: 'exclusive-floor',
    });
  });
});

describe('what the winners of a shared lead pay', () => {
  const ranked = [bid('a', 5000, 1), bid('b', 4000, 2), bid('c', 3000, 3)];

  it('each of the slots’ winners pays the first losing bid when it is above the floor', () => {
    expect(priceSharedLead(1000, ranked, 2)).toEqual({
      winners: [bid('a', 5000, 1), bid('b', 4000, 2)],
      price: 3000,
      rule: 'shared-uniform-price',
    });
  });

  it('the floor when the first losing bid is exactly at the floor', () => {
    const pricing = priceSharedLead(3000, ranked, 2);
    expect({ price: pricing.price, rule: pricing.rule }).toEqual({ price: 3000, rule: 'shared-floor' });
  });

  it('the floor when there are fewer bidders than slots, and every bidder wins', () => {
    expect(priceSharedLead(1000, ranked, 4)).toEqual({ winners: ranked, price: 1000, rule: 'shared-floor' });
  });
});
