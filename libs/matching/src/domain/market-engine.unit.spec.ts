import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  LeadAllocated,
  LeadPostOutcome,
  ListingExpired,
  OrderClosed,
  OrderFilled,
  PingAnswered,
  ReplacementDecided,
} from '#lx/contracts';
import { allocations, at, engineSpec } from '../testing/engine-spec.js';
import {
  InputLog,
  leadListed,
  orderPlaced,
  refundCredited,
  settings,
  tick,
} from '../testing/market-fixtures.js';
import { MarketEngine } from './market-engine.js';

const spec = engineSpec();

describe('exclusive leads: second price with the floor as reserve', () => {
  it('the highest bid wins and pays the second-highest bid', () => {
    spec
      .given([orderPlaced('o-low', { bid: 45000 }), orderPlaced('o-high', { bid: 50000 })])
      .when(leadListed('lead-1', { floor: 30000 }))
      .then([
        {
          type: 'LeadAllocated',
          data: {
            leadId: 'lead-1',
            orderId: 'o-high',
            buyerId: 'buyer-of-o-high',
            price: 45000,
            commission: 6750,
            proceeds: 38250,
            rule: 'exclusive-second-price',
            competingBids: [
              { orderId: 'o-high', buyerId: 'buyer-of-o-high', effectiveBid: 50000 },
              { orderId: 'o-low', buyerId: 'buyer-of-o-low', effectiveBid: 45000 },
            ],
            inputPosition: '1/3',
            at: '2030-01-01T10:00:00.000Z',
          },
        },
      ]);
  });

  it('a lone bidder pays the floor', () => {
    spec
      .given([orderPlaced('o-1', { bid: 50000 })])
      .when(leadListed('lead-1', { floor: 30000 }))
      .then([{ type: 'LeadAllocated', data: { price: 30000, rule: 'exclusive-floor' } }]);
  });

  it('the floor is the price when the second bid is below it', () => {
    spec
      .given([orderPlaced('o-1', { bid: 50000 }), orderPlaced('o-2', { bid: 35000 })])
      .when(leadListed('lead-1', { floor: 40000 }))
      .then([{ type: 'LeadAllocated', data: { orderId: 'o-1', price: 40000, rule: 'exclusive-floor' } }]);
  });

  it('a floor above every bid sells nothing; the lead rests and expires on a later tick', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(orderPlaced('o-1', { bid: 50000 })));
    expect(engine.apply(log.input(leadListed('lead-1', { floor: 70000 })))).toEqual([]);
    expect(engine.restingLeadCount).toBe(1);
    expect(engine.apply(log.input(tick('2030-01-04T09:59:59.000Z')))).toEqual([]);
    expect(engine.apply(log.input(tick('2030-01-04T10:00:00.000Z')))).toEqual([
      {
        type: 'ListingExpired',
        data: { leadId: 'lead-1', sellerId: 'seller-1', salesMade: 0, inputPosition: '1/4' },
      },
    ]);
    expect(engine.restingLeadCount).toBe(0);
  });

  it('ties go to the order placed first, and the winner pays the tied bid', () => {
    spec
      .given([orderPlaced('o-z-first', { bid: 50000 }), orderPlaced('o-a-second', { bid: 50000 })])
      .when(leadListed('lead-1'))
      .then([{ type: 'LeadAllocated', data: { orderId: 'o-z-first', price: 50000 } }]);
  });

  it('bid modifiers raise the effective bid, capped by the max bid', () => {
    const employed = { attribute: 'employment' as const, equals: 'employed' as const, add: 8000 };
    spec
      .given([
        orderPlaced('o-capped', { bid: 45000, modifiers: [employed], maxBid: 50000 }),
        orderPlaced('o-plain', { bid: 49000 }),
      ])
      .when(leadListed('lead-1', { attributes: { employment: 'employed' } }))
      .then([
        {
          type: 'LeadAllocated',
          data: {
            orderId: 'o-capped',
            price: 49000,
            competingBids: [
              { orderId: 'o-capped', effectiveBid: 50000 },
              { orderId: 'o-plain', effectiveBid: 49000 },
            ],
          },
        },
      ]);
    spec
      .given([orderPlaced('o-capped', { bid: 45000, modifiers: [employed], maxBid: 50000 })])
      .when(leadListed('lead-1', { attributes: { employment: 'retired' } }))
      .then((outputs) => expect(allocations(outputs)[0]!.competingBids[0]!.effectiveBid).toBe(45000));
  });

  it('a buyer competes with its best order only, never against itself', () => {
    spec
      .given([
        orderPlaced('o-1', { buyerId: 'b-1', bid: 60000 }),
        orderPlaced('o-2', { buyerId: 'b-1', bid: 55000 }),
        orderPlaced('o-3', { buyerId: 'b-2', bid: 40000 }),
      ])
      .when(leadListed('lead-1'))
      .then([{ type: 'LeadAllocated', data: { orderId: 'o-1', price: 40000 } }]);
  });
});

describe('shared leads: uniform price', () => {
  const shared = (maxSales: number) => ({ exclusivity: { kind: 'shared' as const, maxSales } });

  it('the top N win and each pays the (N+1)-th bid', () => {
    const outputs = spec
      .given([
        orderPlaced('o-1', { bid: 60000 }),
        orderPlaced('o-2', { bid: 55000 }),
        orderPlaced('o-3', { bid: 50000 }),
        orderPlaced('o-4', { bid: 45000 }),
      ])
      .when(leadListed('lead-1', shared(2))).outputs;
    expect(allocations(outputs).map((a) => [a.orderId, a.price, a.rule])).toEqual([
      ['o-1', 50000, 'shared-uniform-price'],
      ['o-2', 50000, 'shared-uniform-price'],
    ]);
  });

  it('with fewer bidders than N every bidder wins at the floor, and the rest of the lead rests', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(orderPlaced('o-1', { bid: 60000 })));
    engine.apply(log.input(orderPlaced('o-2', { bid: 55000 })));
    const listed = engine.apply(log.input(leadListed('lead-1', { floor: 30000, ...shared(3) })));
    expect(allocations(listed).map((a) => [a.orderId, a.price, a.rule])).toEqual([
      ['o-1', 30000, 'shared-floor'],
      ['o-2', 30000, 'shared-floor'],
    ]);
    expect(engine.restingLeadCount).toBe(1);
    const arriving = engine.apply(log.input(orderPlaced('o-3', { bid: 35000 })));
    expect(allocations(arriving).map((a) => [a.orderId, a.price, a.rule])).toEqual([
      ['o-3', 30000, 'resting-lead-floor'],
    ]);
    expect(engine.restingLeadCount).toBe(0);
    expect(engine.apply(log.input(orderPlaced('o-4', { bid: 90000 })))).toEqual([]);
  });

  it('an exclusive-only order never takes a shared lead, nor a shared-ok order an exclusive one', () => {
    spec
      .given([orderPlaced('o-ex', { exclusivity: 'exclusive_only' })])
      .when(leadListed('lead-1', shared(2)))
      .then([]);
    spec
      .given([orderPlaced('o-sh', { exclusivity: 'shared_ok' })])
      .when(leadListed('lead-1'))
      .then([]);
  });
});

describe('resting leads', () => {
  it('an arriving order takes matching resting leads at their floor, listing order breaking ties, up to its quantity', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    for (const id of ['lead-a', 'lead-b', 'lead-c'])
      engine.apply(log.input(leadListed(id, { floor: 20000 + id.charCodeAt(5) })));
    engine.apply(log.input(leadListed('lead-far', { attributes: { region: 'RU-SPE' } })));
    const outputs = engine.apply(
      log.input(orderPlaced('o-1', { quantity: 2, budget: 100000, filters: { regions: ['RU-MOW'] } })),
    );
    expect(outputs.map((output) => output.type)).toEqual([
      'LeadAllocated',
      'LeadAllocated',
      'OrderFilled',
      'OrderClosed',
    ]);
    expect(allocations(outputs).map((a) => [a.leadId, a.price, a.rule])).toEqual([
      ['lead-a', 20097, 'resting-lead-floor'],
      ['lead-b', 20098, 'resting-lead-floor'],
    ]);
    expect(outputs[3]).toEqual({
      type: 'OrderClosed',
      data: {
        orderId: 'o-1',
        buyerId: 'buyer-of-o-1',
        reason: 'filled',
        spent: 40195,
        released: 59805,
        inputPosition: '1/5',
      },
    });
  });

  it('an order takes first the resting leads its modifiers value most (seed 001: 35 employed of 70, 50 wanted)', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    for (let i = 0; i < 70; i++)
      engine.apply(
        log.input(
          leadListed(`lead-${i}`, {
            floor: 30000,
            attributes: { employment: i % 2 === 0 ? 'unemployed' : 'employed' },
          }),
        ),
      );
    const employed = { attribute: 'employment' as const, equals: 'employed' as const, add: 5000 };
    const outputs = engine.apply(
      log.input(
        orderPlaced('o-1', {
          bid: 55000,
          maxBid: 60000,
          modifiers: [employed],
          quantity: 50,
          budget: 5_000_000,
        }),
      ),
    );
    const taken = allocations(outputs).map((a) => Number(a.leadId.slice(5)));
    expect(taken).toHaveLength(50);
    // Every employed lead first, in listing order, then the best 15 of the rest in listing order.
    expect(taken.slice(0, 35)).toEqual(Array.from({ length: 35 }, (_, i) => 2 * i + 1));
    expect(taken.slice(35)).toEqual(Array.from({ length: 15 }, (_, i) => 2 * i));
  });

  it('among leads of equal value it takes the higher quality, then the fresher capture, then the older listing', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    const quality = (score: number) => ({
      score,
      parts: { completeness: score, verification: score, freshness: score, sellerHistory: score },
    });
    engine.apply(log.input(leadListed('old-low', { quality: quality(60) })));
    engine.apply(log.input(leadListed('old-high', { quality: quality(90) })));
    engine.apply(log.input(leadListed('stale', { attributes: { capturedAt: '2030-01-01T09:00:00.000Z' } })));
    engine.apply(log.input(leadListed('fresh', { attributes: { capturedAt: '2030-01-01T09:58:00.000Z' } })));
    engine.apply(log.input(leadListed('twin-a')));
    engine.apply(log.input(leadListed('twin-b')));
    const outputs = engine.apply(log.input(orderPlaced('o-1', { quantity: 6 })));
    expect(allocations(outputs).map((a) => a.leadId)).toEqual([
      'old-high',
      'fresh',
      'twin-a',
      'twin-b',
      'stale',
      'old-low',
    ]);
  });

  it('a lead valued under its floor is passed over, and budget left decides what the sweep can still pay', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(leadListed('dear', { floor: 52000 })));
    engine.apply(log.input(leadListed('cheap-a', { floor: 30000, attributes: { employment: 'employed' } })));
    engine.apply(
      log.input(leadListed('cheap-b', { floor: 30000, attributes: { employment: 'unemployed' } })),
    );
    const employed = { attribute: 'employment' as const, equals: 'employed' as const, add: 1000 };
    const outputs = engine.apply(
      log.input(orderPlaced('o-1', { bid: 50000, modifiers: [employed], quantity: 5, budget: 59999 })),
    );
    expect(allocations(outputs).map((a) => [a.leadId, a.price])).toEqual([['cheap-a', 30000]]);
    expect(engine.restingLeadCount).toBe(2);
  });

  it('for any resting book, an order takes exactly the leads it values most, by the documented tie-breaks', () => {
    const employed = { attribute: 'employment' as const, equals: 'employed' as const, add: 5000 };
    const restingLead = fc.record({
      employed: fc.boolean(),
      score: fc.integer({ min: 40, max: 100 }),
      capturedMinute: fc.integer({ min: 0, max: 50 }),
      floor: fc.constantFrom(30000, 40000, 56000),
    });
    fc.assert(
      fc.property(
        fc.array(restingLead, { maxLength: 40 }),
        fc.integer({ min: 1, max: 30 }),
        (leads, quantity) => {
          const engine = new MarketEngine({ vertical: 'eyewear' });
          const log = new InputLog();
          leads.forEach((lead, i) =>
            engine.apply(
              log.input(
                leadListed(`lead-${i}`, {
                  floor: lead.floor,
                  attributes: {
                    employment: lead.employed ? 'employed' : 'unemployed',
                    capturedAt: new Date(
                      Date.parse('2030-01-01T09:00:00.000Z') + lead.capturedMinute * 60_000,
                    ).toISOString(),
                  },
                  quality: {
                    score: lead.score,
                    parts: { completeness: 80, verification: 80, freshness: 80, sellerHistory: 80 },
                  },
                }),
              ),
            ),
          );
          const outputs = engine.apply(
            log.input(
              orderPlaced('o-1', { bid: 52000, modifiers: [employed], quantity, budget: 100_000_000 }),
            ),
          );
          const expected = leads
            .map((lead, i) => ({ ...lead, i, value: 52000 + (lead.employed ? 5000 : 0) }))
            .filter((lead) => lead.value >= lead.floor)
            .sort(
              (a, b) =>
                b.value - a.value || b.score - a.score || b.capturedMinute - a.capturedMinute || a.i - b.i,
            )
            .slice(0, quantity)
            .map((lead) => `lead-${lead.i}`);
          expect(allocations(outputs).map((a) => a.leadId)).toEqual(expected);
        },
      ),
    );
  });

  it('a withdrawn or erased lead is no longer sold', () => {
    spec
      .given([
        leadListed('lead-1'),
        leadListed('lead-2'),
        { type: 'LeadWithdrawn', data: { leadId: 'lead-1', sellerId: 'seller-1' } },
        {
          type: 'LeadErased',
          data: { leadId: 'lead-2', sellerId: 'seller-1', keyId: 'k', reason: 'consent_revoked' },
        },
      ])
      .when(orderPlaced('o-1'))
      .then([]);
  });

  it('a paused order is skipped, and takes the resting leads when resumed', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(orderPlaced('o-1', { buyerId: 'b-1' })));
    engine.apply(log.input({ type: 'OrderPaused', data: { orderId: 'o-1', buyerId: 'b-1' } }));
    expect(engine.apply(log.input(leadListed('lead-1')))).toEqual([]);
    const resumed = engine.apply(
      log.input({ type: 'OrderResumed', data: { orderId: 'o-1', buyerId: 'b-1' } }),
    );
    expect(allocations(resumed).map((a) => [a.leadId, a.rule])).toEqual([['lead-1', 'resting-lead-floor']]);
  });
});

describe('quantity, budget and daily caps', () => {
  it('fills the order at its quantity: OrderFilled, then OrderClosed releasing the unspent budget', () => {
    spec
      .given([orderPlaced('o-1', { quantity: 1, budget: 100000, bid: 50000 })])
      .when(leadListed('lead-1', { floor: 30000 }))
      .then([
        { type: 'LeadAllocated', data: { orderId: 'o-1', price: 30000 } },
        { type: 'OrderFilled', data: { orderId: 'o-1', quantity: 1, spent: 30000 } },
        { type: 'OrderClosed', data: { orderId: 'o-1', reason: 'filled', spent: 30000, released: 70000 } },
      ]);
  });

  it('an order bids no more than its budget left: when that falls below the floor it stops buying', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(orderPlaced('o-1', { bid: 50000, budget: 80000, quantity: 5 })));
    engine.apply(log.input(orderPlaced('o-2', { bid: 40000, budget: 1_000_000, quantity: 5 })));
    // Lead 1: o-1 wins at 40 000 and has 40 000 left.
    expect(allocations(engine.apply(log.input(leadListed('lead-1'))))[0]).toMatchObject({
      orderId: 'o-1',
      price: 40000,
    });
    // Lead 2: o-1 can bid only its remaining 40 000: a tie that o-1 wins (placed first), at 40 000.
    const second = engine.apply(log.input(leadListed('lead-2')));
    expect(second.map((o) => o.type)).toEqual(['LeadAllocated', 'OrderClosed']);
    expect(second[0]!.data).toMatchObject({ orderId: 'o-1', price: 40000 });
    expect(second[1]!.data).toMatchObject({ reason: 'budget_exhausted', spent: 80000, released: 0 });
    // Lead 3: o-1 is closed; o-2 buys alone at the floor.
    expect(allocations(engine.apply(log.input(leadListed('lead-3'))))[0]).toMatchObject({
      orderId: 'o-2',
      price: 30000,
    });
  });

  it('a budget left between the floor and the bid caps the bid, so the order can lose mid-lead', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(orderPlaced('o-1', { bid: 60000, budget: 95000, quantity: 5 })));
    engine.apply(log.input(leadListed('lead-1', { floor: 50000 })));
    engine.apply(log.input(orderPlaced('o-2', { bid: 48000, quantity: 5 })));
    // o-1 has 45 000 left, below this floor of 46 000: o-2 buys.
    const outputs = engine.apply(log.input(leadListed('lead-2', { floor: 46000 })));
    expect(allocations(outputs).map((a) => [a.orderId, a.price])).toEqual([['o-2', 46000]]);
  });

  it('a daily count cap stops buying for the rest of the UTC day and resets at midnight', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(orderPlaced('o-1', { dailyCapCount: 1 }), '2030-01-01T23:58:00.000Z'));
    const first = engine.apply(log.input(leadListed('lead-1'), '2030-01-01T23:58:30.000Z'));
    expect(allocations(first)).toHaveLength(1);
    const sameDay = engine.apply(log.input(leadListed('lead-2'), '2030-01-01T23:59:59.999Z'));
    expect(allocations(sameDay)).toHaveLength(0);
    const nextDay = engine.apply(log.input(leadListed('lead-3'), '2030-01-02T00:00:00.000Z'));
    expect(allocations(nextDay).map((a) => a.leadId)).toEqual(['lead-3']);
  });

  it('a daily spend cap bounds the bid by what is left to spend today', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(
      log.input(orderPlaced('o-1', { bid: 50000, dailyCapSpend: 70000 }), '2030-01-01T12:00:00.000Z'),
    );
    expect(
      allocations(engine.apply(log.input(leadListed('lead-1'), '2030-01-01T12:00:00.000Z'))),
    ).toHaveLength(1);
    // 40 000 left today, the floor is 30 000: still buys, at most 40 000.
    expect(
      allocations(engine.apply(log.input(leadListed('lead-2'), '2030-01-01T12:01:00.000Z'))),
    ).toHaveLength(1);
    // 10 000 left today: below the floor.
    expect(
      allocations(engine.apply(log.input(leadListed('lead-3'), '2030-01-01T12:02:00.000Z'))),
    ).toHaveLength(0);
    expect(
      allocations(engine.apply(log.input(leadListed('lead-4'), '2030-01-02T00:00:01.000Z'))),
    ).toHaveLength(1);
  });
});

describe('the same lead or person twice', () => {
  it('a buyer never buys the same person again inside the dedupe window', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(settings({ dedupeWindowDays: 30 })));
    engine.apply(log.input(orderPlaced('o-1', { buyerId: 'b-1', quantity: 10 })));
    engine.apply(log.input(orderPlaced('o-other', { buyerId: 'b-2', bid: 35000, quantity: 10 })));
    expect(allocations(engine.apply(log.input(leadListed('lead-1', { person: 'anna' }))))[0]!.buyerId).toBe(
      'b-1',
    );
    const again = engine.apply(
      log.input(
        leadListed('lead-2', { person: 'anna', expiresAt: '2030-03-01T00:00:00.000Z' }),
        '2030-01-20T10:00:00.000Z',
      ),
    );
    expect(allocations(again).map((a) => a.buyerId)).toEqual(['b-2']);
    const later = engine.apply(
      log.input(
        leadListed('lead-3', { person: 'anna', expiresAt: '2030-03-01T00:00:00.000Z' }),
        '2030-02-01T10:00:00.000Z',
      ),
    );
    expect(allocations(later).map((a) => a.buyerId)).toEqual(['b-1']);
  });

  it('a shared lead is sold once per buyer even when the buyer has several eligible orders', () => {
    spec
      .given([orderPlaced('o-1', { buyerId: 'b-1' }), orderPlaced('o-2', { buyerId: 'b-1' })])
      .when(leadListed('lead-1', { exclusivity: { kind: 'shared', maxSales: 3 } }))
      .then((outputs) => expect(allocations(outputs).map((a) => a.orderId)).toEqual(['o-1']));
  });
});

describe('filters', () => {
  it('a lead outside any filter is never allocated to that order', () => {
    const cases = [
      [{ ageMin: 45 }, {}],
      [{ regions: ['RU-SPE'] }, {}],
      [
        { requiredContacts: ['phone' as const, 'email' as const] },
        {
          contacts: { phone: { present: false, verified: false }, email: { present: true, verified: true } },
        },
      ],
      [
        { requiredContacts: ['phone' as const], requireVerified: true },
        { contacts: { phone: { present: true, verified: false }, email: { present: true, verified: true } } },
      ],
      [{ maritalStatus: ['single' as const] }, {}],
      [{ interestsAll: ['premium_glasses', 'sunglasses'] }, {}],
      [{ maxLeadAgeMinutes: 4 }, {}],
      [{ minQuality: 81 }, {}],
      [{ postalPrefixes: ['102'] }, {}],
      [{ sellersExcluded: ['seller-1'] }, {}],
    ] as const;
    for (const [filters, attributes] of cases) {
      spec
        .given([orderPlaced('o-1', { filters: filters as never })])
        .when(leadListed('lead-1', { attributes: attributes as never }))
        .then([]);
    }
    spec
      .given([orderPlaced('o-1', { filters: { ageMin: 40, postalPrefixes: ['10'], maxLeadAgeMinutes: 5 } })])
      .when(leadListed('lead-1'))
      .then([{ type: 'LeadAllocated' }]);
  });
});

describe('expiries and cancellation', () => {
  it('an order expires on the first tick at or after its expiry, releasing its unspent budget', () => {
    spec
      .given([
        orderPlaced('o-1', { expiresAt: '2030-01-02T00:00:00.000Z', budget: 500000 }),
        leadListed('lead-1'),
      ])
      .when(tick('2030-01-02T00:00:00.000Z'))
      .then([{ type: 'OrderClosed', data: { reason: 'expired', spent: 30000, released: 470000 } }]);
  });

  it('an expired order no longer buys even before the tick closes it', () => {
    spec
      .given([orderPlaced('o-1', { expiresAt: '2030-01-01T10:30:00.000Z' })])
      .when(at('2030-01-01T11:00:00.000Z', leadListed('lead-1')))
      .then([]);
  });

  it('the listing lifetime setting shortens a listing', () => {
    spec
      .given([settings({ listingLifetimeHours: 1 }), leadListed('lead-1', { floor: 90000 })])
      .when(tick('2030-01-01T11:00:00.000Z'))
      .then([{ type: 'ListingExpired', data: { leadId: 'lead-1', salesMade: 0 } }]);
  });

  it('cancelling closes the order with its released budget', () => {
    spec
      .given([orderPlaced('o-1', { buyerId: 'b-1', budget: 200000 })])
      .when({ type: 'OrderCancelled', data: { orderId: 'o-1', buyerId: 'b-1' } })
      .then([{ type: 'OrderClosed', data: { reason: 'cancelled', spent: 0, released: 200000 } }]);
  });
});

describe('replacements of returned leads', () => {
  it('a refund credited to a live order gives back one unit and the price: the order buys a replacement', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(orderPlaced('o-1', { quantity: 2, budget: 100000, bid: 50000 })));
    const [first] = allocations(engine.apply(log.input(leadListed('lead-1'))));
    expect(first).toMatchObject({ orderId: 'o-1', price: 30000 });
    const replenished = engine.apply(log.input(refundCredited('o-1', first!.allocationId, 30000)));
    expect(replenished).toEqual([
      {
        type: 'ReplacementDecided',
        data: {
          allocationId: first!.allocationId,
          orderId: 'o-1',
          buyerId: 'buyer-of-o-1',
          amount: 30000,
          outcome: 'granted',
          inputPosition: '1/3',
        },
      },
    ]);
    // Two more leads fit the order: the replacement and the second unit it always had.
    expect(allocations(engine.apply(log.input(leadListed('lead-2'))))).toHaveLength(1);
    const last = engine.apply(log.input(leadListed('lead-3')));
    expect(last.map((o) => o.type)).toEqual(['LeadAllocated', 'OrderFilled', 'OrderClosed']);
    expect(last[1]!.data).toMatchObject({ quantity: 2, spent: 90000 });
    // Budget 100 000 + 30 000 refunded − 90 000 of sales.
    expect(last[2]!.data).toMatchObject({ reason: 'filled', spent: 90000, released: 40000 });
  });

  it('the refunded budget lets the order take a resting lead it could no longer afford, at once', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(orderPlaced('o-1', { quantity: 5, budget: 50000, bid: 50000 })));
    const [first] = allocations(engine.apply(log.input(leadListed('lead-1'))));
    // 20 000 left is below lead-2's floor: lead-2 rests.
    expect(engine.apply(log.input(leadListed('lead-2')))).toEqual([]);
    const outputs = engine.apply(log.input(refundCredited('o-1', first!.allocationId, 30000)));
    expect(outputs.map((o) => o.type)).toEqual(['ReplacementDecided', 'LeadAllocated']);
    expect(outputs[1]!.data).toMatchObject({
      leadId: 'lead-2',
      price: 30000,
      rule: 'resting-lead-floor',
      inputPosition: '1/4',
    });
  });

  it('a paused order keeps the replacement for when it resumes', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(orderPlaced('o-1', { quantity: 1, budget: 50000, bid: 50000 })));
    engine.apply(log.input({ type: 'OrderPaused', data: { orderId: 'o-1', buyerId: 'buyer-of-o-1' } }));
    expect(engine.apply(log.input(leadListed('lead-1')))).toEqual([]);
    const granted = engine.apply(log.input(refundCredited('o-1', 'alloc-x', 30000)));
    expect(granted.map((o) => o.type)).toEqual(['ReplacementDecided']);
    const resumed = engine.apply(
      log.input({ type: 'OrderResumed', data: { orderId: 'o-1', buyerId: 'buyer-of-o-1' } }),
    );
    expect(allocations(resumed)).toMatchObject([{ leadId: 'lead-1', price: 30000 }]);
  });

  it('a closed order buys nothing more: the replacement is declined', () => {
    spec
      .given([orderPlaced('o-1', { quantity: 1, budget: 100000 }), leadListed('lead-1')])
      .when(refundCredited('o-1', 'alloc-1', 30000))
      .then([{ type: 'ReplacementDecided', data: { orderId: 'o-1', outcome: 'declined', amount: 30000 } }]);
  });

  it('a refund to the available balance, or for another market’s order, is not the engine’s business', () => {
    spec
      .given([orderPlaced('o-1')])
      .when(refundCredited('o-1', 'alloc-1', 30000, 'available'))
      .then([]);
    spec
      .given([orderPlaced('o-1')])
      .when(refundCredited('o-elsewhere', 'alloc-1', 30000))
      .then([]);
  });
});

describe('market settings and currency', () => {
  it('takes the commission from the settings', () => {
    spec
      .given([settings({ commissionBps: 1000 }), orderPlaced('o-1')])
      .when(leadListed('lead-1', { floor: 33333 }))
      .then([{ type: 'LeadAllocated', data: { price: 33333, commission: 3333, proceeds: 30000 } }]);
  });

  it('prices only in the market currency: set by the operator, or the first listing', () => {
    spec
      .given([settings({ currency: 'EUR' }), orderPlaced('o-1')])
      .when(leadListed('lead-1'))
      .then([]);
    spec
      .given([leadListed('lead-0', { floor: 99999 }), orderPlaced('o-eur', { currency: 'EUR' })])
      .when(leadListed('lead-1', { currency: 'EUR' }))
      .then([]);
  });

  it('ignores inputs of other markets', () => {
    spec
      .given([orderPlaced('o-1', { vertical: 'loans' })])
      .when(leadListed('lead-1'))
      .then([]);
  });
});

describe('outputs fit the event catalogue', () => {
  it('every output validates against its schema', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    const outputs = [
      orderPlaced('o-1', { quantity: 1 }),
      orderPlaced('o-2', { expiresAt: '2030-01-01T12:00:00.000Z' }),
      leadListed('lead-1'),
      leadListed('lead-2', { floor: 40000 }),
      leadListed('lead-3', { floor: 99999 }),
      tick('2030-01-05T00:00:00.000Z'),
      refundCredited('o-1', 'alloc-1', 30000),
    ].flatMap((event) => engine.apply(log.input(event)));
    const definitions = {
      LeadAllocated,
      OrderFilled,
      OrderClosed,
      ListingExpired,
      ReplacementDecided,
      PingAnswered,
      LeadPostOutcome,
    };
    expect(outputs.map((o) => o.type)).toEqual([
      'LeadAllocated',
      'OrderFilled',
      'OrderClosed',
      'LeadAllocated',
      'OrderClosed',
      'ListingExpired',
      'ReplacementDecided',
    ]);
    for (const output of outputs)
      expect(definitions[output.type].validate(output.data)).toMatchObject({ ok: true });
  });
});
