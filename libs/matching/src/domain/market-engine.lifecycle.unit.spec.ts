import { describe, expect, it } from '@jest/globals';
import { allocations, at, engineSpec } from '../testing/engine-spec.js';
import {
  InputLog,
  leadListed,
  orderAmended,
  orderPlaced,
  settings,
  tick,
} from '../testing/market-fixtures.js';
import { MarketEngine } from './market-engine.js';
import type { MarketInputEvent } from './market-model.js';

/*
 * An order's and a listing's life in the engine: amendments, pauses, expiries and the clock, and
 * the baseline scan that must sell exactly what the index sells.
 */

const spec = engineSpec();

const paused = (orderId: string): MarketInputEvent => ({
  type: 'OrderPaused',
  data: { orderId, buyerId: `buyer-of-${orderId}` },
});
const resumed = (orderId: string): MarketInputEvent => ({
  type: 'OrderResumed',
  data: { orderId, buyerId: `buyer-of-${orderId}` },
});
const cancelled = (orderId: string): MarketInputEvent => ({
  type: 'OrderCancelled',
  data: { orderId, buyerId: `buyer-of-${orderId}` },
});

describe('amending an order', () => {
  it('a higher bid takes at once, at its floor, the resting lead the order could not reach before', () => {
    spec
      .given([leadListed('lead-1', { floor: 60000 }), orderPlaced('o-1', { bid: 50000 })])
      .when(orderAmended('o-1', { bid: 70000 }))
      .then([
        {
          type: 'LeadAllocated',
          data: { leadId: 'lead-1', orderId: 'o-1', price: 60000, rule: 'resting-lead-floor' },
        },
      ]);
  });

  it('a paused order stays paused when amended, and takes the resting lead only once resumed', () => {
    spec
      .given([leadListed('lead-1', { floor: 60000 }), orderPlaced('o-1'), paused('o-1')])
      .when(orderAmended('o-1', { bid: 70000 }))
      .then([]);
    spec
      .given([
        leadListed('lead-1', { floor: 60000 }),
        orderPlaced('o-1'),
        paused('o-1'),
        orderAmended('o-1', { bid: 70000 }),
      ])
      .when(resumed('o-1'))
      .then([{ type: 'LeadAllocated', data: { leadId: 'lead-1', price: 60000 } }]);
  });

  it('lowering the quantity to what the order has bought fills it and releases the rest of its budget', () => {
    spec
      .given([orderPlaced('o-1', { quantity: 5 }), leadListed('lead-1')])
      .when(orderAmended('o-1', { quantity: 1 }))
      .then([
        { type: 'OrderFilled', data: { orderId: 'o-1', quantity: 1, spent: 30000 } },
        { type: 'OrderClosed', data: { reason: 'filled', spent: 30000, released: 970000 } },
      ]);
  });

  it('an expiry moved into the past closes the order as expired, releasing its whole budget', () => {
    spec
      .given([orderPlaced('o-1')])
      .when(orderAmended('o-1', { expiresAt: '2030-01-01T10:00:00.000Z' }))
      .then([{ type: 'OrderClosed', data: { orderId: 'o-1', reason: 'expired', released: 1_000_000 } }]);
  });

  it('a moved expiry replaces the old one: the order closes at the new instant, not at the old', () => {
    const moved = [
      orderPlaced('o-1', { expiresAt: '2030-01-01T12:00:00.000Z' }),
      orderAmended('o-1', { expiresAt: '2030-01-01T14:00:00.000Z' }),
    ];
    spec.given(moved).when(tick('2030-01-01T12:00:00.000Z')).then([]);
    spec
      .given([...moved, tick('2030-01-01T12:00:00.000Z')])
      .when(tick('2030-01-01T14:00:00.000Z'))
      .then([{ type: 'OrderClosed', data: { orderId: 'o-1', reason: 'expired' } }]);
  });

  it('an amendment of a closed or an unknown order changes nothing', () => {
    spec
      .given([orderPlaced('o-1'), cancelled('o-1')])
      .when(orderAmended('o-1', { bid: 70000 }))
      .then([]);
    spec.given([]).when(orderAmended('o-1')).then([]);
    // And a closed order takes nothing when a lead comes.
    spec
      .given([orderPlaced('o-1'), cancelled('o-1'), orderAmended('o-1', { bid: 70000 })])
      .when(leadListed('lead-1'))
      .then([]);
  });
});

describe('when an order stops buying', () => {
  it('an order whose budget a sale uses up closes as budget exhausted, releasing nothing', () => {
    spec
      .given([orderPlaced('o-1', { bid: 30000, budget: 30000 })])
      .when(leadListed('lead-1'))
      .then([
        { type: 'LeadAllocated', data: { price: 30000 } },
        { type: 'OrderClosed', data: { reason: 'budget_exhausted', spent: 30000, released: 0 } },
      ]);
  });

  it('an order placed with its expiry passed closes at once and buys no resting lead', () => {
    spec
      .given([leadListed('lead-1')])
      .when(orderPlaced('o-1', { expiresAt: '2030-01-01T10:00:00.000Z' }))
      .then([{ type: 'OrderClosed', data: { reason: 'expired', spent: 0, released: 1_000_000 } }]);
  });

  it('a paused order resumed after its expiry closes as expired and buys nothing', () => {
    spec
      .given([
        orderPlaced('o-1', { expiresAt: '2030-01-01T10:30:00.000Z' }),
        paused('o-1'),
        leadListed('lead-1'),
      ])
      .when(at('2030-01-01T11:00:00.000Z', resumed('o-1')))
      .then([{ type: 'OrderClosed', data: { reason: 'expired', spent: 0 } }]);
  });

  it('a paused order can be cancelled, once, and then buys nothing even when resumed', () => {
    spec
      .given([orderPlaced('o-1'), paused('o-1')])
      .when(cancelled('o-1'))
      .then([{ type: 'OrderClosed', data: { reason: 'cancelled', released: 1_000_000 } }]);
    spec
      .given([orderPlaced('o-1'), paused('o-1'), cancelled('o-1')])
      .when(cancelled('o-1'))
      .then([]);
    spec
      .given([orderPlaced('o-1'), paused('o-1'), cancelled('o-1'), resumed('o-1')])
      .when(leadListed('lead-1'))
      .then([]);
  });

  it('a cancelled order is not closed a second time when its expiry comes', () => {
    spec
      .given([orderPlaced('o-1', { expiresAt: '2030-01-01T12:00:00.000Z' }), cancelled('o-1')])
      .when(tick('2030-01-01T12:00:00.000Z'))
      .then([]);
  });

  it('pausing a paused order or resuming an open one changes nothing', () => {
    spec
      .given([orderPlaced('o-1'), paused('o-1')])
      .when(paused('o-1'))
      .then([]);
    spec
      .given([leadListed('lead-1', { floor: 60000 }), orderPlaced('o-1')])
      .when(resumed('o-1'))
      .then([]);
  });
});

describe('the life of a listing', () => {
  it('a listing whose expiry is this very instant expires at once, unsold; a millisecond later it sells', () => {
    spec
      .given([orderPlaced('o-1')])
      .when(leadListed('lead-1', { expiresAt: '2030-01-01T10:00:00.000Z' }))
      .then([{ type: 'ListingExpired', data: { leadId: 'lead-1', sellerId: 'seller-1', salesMade: 0 } }]);
    spec
      .given([orderPlaced('o-1')])
      .when(leadListed('lead-1', { expiresAt: '2030-01-01T10:00:00.001Z' }))
      .then([{ type: 'LeadAllocated', data: { leadId: 'lead-1' } }]);
  });

  it('a lead listed twice is sold once, and a listing of another market is not sold here', () => {
    spec
      .given([orderPlaced('o-1'), leadListed('lead-1')])
      .when(leadListed('lead-1'))
      .then([]);
    spec
      .given([orderPlaced('o-1')])
      .when(leadListed('lead-1', { attributes: { vertical: 'loans' } }))
      .then([]);
  });

  it('a lead sold from the resting book, or withdrawn, does not expire later', () => {
    spec
      .given([leadListed('lead-1', { floor: 60000 }), orderPlaced('o-1', { bid: 70000 })])
      .when(tick('2030-01-05T00:00:00.000Z'))
      .then([]);
    spec
      .given([
        leadListed('lead-1', { floor: 60000 }),
        { type: 'LeadWithdrawn', data: { leadId: 'lead-1', sellerId: 'seller-1' } } as MarketInputEvent,
      ])
      .when(tick('2030-01-05T00:00:00.000Z'))
      .then([]);
  });

  it('a resting lead that expires is no longer sold to an order that comes later', () => {
    spec
      .given([leadListed('lead-1', { floor: 60000 }), tick('2030-01-05T00:00:00.000Z')])
      .when(at('2030-01-05T00:00:00.000Z', orderPlaced('o-1', { bid: 70000 })))
      .then([]);
  });
});

describe('the same person inside the dedupe window', () => {
  it('the window ends exactly its length after the sale: a millisecond before, the buyer is refused', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(settings({ dedupeWindowDays: 1 })));
    engine.apply(log.input(orderPlaced('o-1', { buyerId: 'b-1' })));
    expect(allocations(engine.apply(log.input(leadListed('lead-1', { person: 'anna' }))))).toHaveLength(1);
    const listing = (leadId: string) =>
      leadListed(leadId, { person: 'anna', expiresAt: '2030-01-10T00:00:00.000Z' });
    expect(engine.apply(log.input(listing('lead-2'), '2030-01-02T09:59:59.999Z'))).toEqual([]);
    expect(allocations(engine.apply(log.input(listing('lead-3'), '2030-01-02T10:00:00.000Z')))).toMatchObject(
      [{ leadId: 'lead-3', buyerId: 'b-1' }],
    );
  });

  it('a lead of another person is sold to the buyer inside the window', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(orderPlaced('o-1', { buyerId: 'b-1' })));
    engine.apply(log.input(leadListed('lead-1', { person: 'anna' })));
    expect(allocations(engine.apply(log.input(leadListed('lead-2', { person: 'boris' }))))).toHaveLength(1);
  });
});

describe('the engine’s clock, position and book', () => {
  it('the clock follows the latest event time and never goes back; the position is the last input’s', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    expect(engine.position).toBeNull();
    engine.apply(log.input(tick('2030-01-01T12:00:00.000Z'), '2030-01-01T11:00:00.000Z'));
    expect(engine.clock).toBe('2030-01-01T12:00:00.000Z');
    engine.apply(log.input(orderPlaced('o-1'), '2030-01-01T10:00:00.000Z'));
    expect(engine.clock).toBe('2030-01-01T12:00:00.000Z');
    expect(engine.position).toBe('1/2');
    engine.apply(log.input(tick('not a time'), '2030-01-01T13:00:00.000Z'));
    expect(engine.clock).toBe('2030-01-01T13:00:00.000Z');
  });

  it('counts the open orders and the resting leads as they come and go', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(orderPlaced('o-1', { bid: 40000 })));
    engine.apply(log.input(leadListed('lead-1', { floor: 60000 })));
    expect([engine.openOrderCount, engine.restingLeadCount]).toEqual([1, 1]);
    engine.apply(log.input(paused('o-1')));
    expect(engine.openOrderCount).toBe(0);
    engine.apply(log.input(orderPlaced('o-2', { bid: 70000, quantity: 1 })));
    expect([engine.openOrderCount, engine.restingLeadCount]).toEqual([0, 0]);
  });

  it('the market currency is the operator’s, else the first listing’s; another market’s settings change nothing', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    expect(engine.currentSettings).toMatchObject({ currency: null, commissionBps: 1500 });
    engine.apply(log.input(leadListed('lead-1', { currency: 'EUR' })));
    engine.apply(log.input(settings({ vertical: 'loans', commissionBps: 1, currency: 'RUB' })));
    expect(engine.currentSettings).toMatchObject({ currency: 'EUR', commissionBps: 1500 });
    engine.apply(log.input(settings({ currency: 'RUB', commissionBps: 900 })));
    expect(engine.currentSettings).toMatchObject({ currency: 'RUB', commissionBps: 900 });
  });
});

describe('the baseline scan over every order', () => {
  it('sells the same leads to the same orders at the same prices as the index', () => {
    const market: MarketInputEvent[] = [
      orderPlaced('o-a', { buyerId: 'b-a', bid: 52000 }),
      orderPlaced('o-b', { buyerId: 'b-b', bid: 47000, exclusivity: 'shared_ok' }),
      orderPlaced('o-c', {
        buyerId: 'b-c',
        bid: 45000,
        maxBid: 60000,
        modifiers: [{ attribute: 'gender', equals: 'female', add: 10000 }],
      }),
      orderPlaced('o-a2', { buyerId: 'b-a', bid: 58000, filters: { ageMin: 50 } }),
      leadListed('lead-shared', { exclusivity: { kind: 'shared', maxSales: 2 } }),
      leadListed('lead-x', { person: 'x' }),
      leadListed('lead-male', { person: 'm', attributes: { gender: 'male', age: 55 } }),
      leadListed('lead-high', { person: 'h', floor: 56000 }),
      orderPlaced('o-d', { buyerId: 'b-d', bid: 57000, quantity: 1 }),
    ];
    const run = (orderIndex: 'bitset' | 'scan') => {
      const engine = new MarketEngine({ vertical: 'eyewear', orderIndex });
      const log = new InputLog();
      return market.flatMap((event) => engine.apply(log.input(event)));
    };
    const scanned = run('scan');
    expect(scanned).toEqual(run('bitset'));
    expect(allocations(scanned).map((a) => [a.leadId, a.orderId, a.price])).toEqual([
      ['lead-shared', 'o-c', 47000],
      ['lead-shared', 'o-a', 47000],
      ['lead-x', 'o-c', 52000],
      ['lead-male', 'o-a2', 45000],
      ['lead-high', 'o-d', 56000],
    ]);
  });
});

describe('who may buy a lead, at the edges', () => {
  it('an order in another currency never buys the market’s leads', () => {
    spec
      .given([leadListed('lead-0', { floor: 99999 }), orderPlaced('o-eur', { currency: 'EUR' })])
      .when(leadListed('lead-1'))
      .then([]);
  });

  it('an order expiring at the very instant a lead is listed does not buy it', () => {
    spec
      .given([orderPlaced('o-1', { expiresAt: '2030-01-01T10:00:00.001Z' })])
      .when(at('2030-01-01T10:00:00.001Z', leadListed('lead-1')))
      .then([]);
    spec
      .given([orderPlaced('o-1', { expiresAt: '2030-01-01T10:00:00.001Z' })])
      .when(leadListed('lead-1'))
      .then([{ type: 'LeadAllocated', data: { orderId: 'o-1' } }]);
  });

  it('a paused order resumed at the very instant of its expiry closes as expired', () => {
    spec
      .given([orderPlaced('o-1', { expiresAt: '2030-01-01T11:00:00.000Z' }), paused('o-1')])
      .when(at('2030-01-01T11:00:00.000Z', resumed('o-1')))
      .then([{ type: 'OrderClosed', data: { reason: 'expired' } }]);
  });

  it('a bid exactly at the floor buys: at listing and from the resting book', () => {
    spec
      .given([orderPlaced('o-1', { bid: 30000 })])
      .when(leadListed('lead-1', { floor: 30000 }))
      .then([{ type: 'LeadAllocated', data: { price: 30000 } }]);
    spec
      .given([leadListed('lead-1', { floor: 30000 })])
      .when(orderPlaced('o-1', { bid: 30000 }))
      .then([{ type: 'LeadAllocated', data: { price: 30000, rule: 'resting-lead-floor' } }]);
  });

  it('a resting lead at the instant of its expiry is not sold, even before the tick that expires it', () => {
    spec
      .given([leadListed('lead-1', { floor: 60000, expiresAt: '2030-01-01T11:00:00.000Z' })])
      .when(at('2030-01-01T11:00:00.000Z', orderPlaced('o-1', { bid: 70000 })))
      .then([]);
  });

  it('a sold exclusive lead, or a shared one sold to its limit, is not sold again to a later order', () => {
    spec
      .given([orderPlaced('o-1'), leadListed('lead-1')])
      .when(orderPlaced('o-2', { bid: 90000 }))
      .then([]);
    spec
      .given([
        orderPlaced('o-1'),
        orderPlaced('o-2'),
        leadListed('lead-1', { exclusivity: { kind: 'shared', maxSales: 2 } }),
      ])
      .when(orderPlaced('o-3', { bid: 90000 }))
      .then([]);
  });

  it('a buyer holding a shared lead does not buy it again with another order, fingerprints or not', () => {
    const anonymous = {
      exclusivity: { kind: 'shared' as const, maxSales: 3 },
      attributes: {
        contacts: { phone: { present: false, verified: false }, email: { present: false, verified: false } },
      },
    };
    spec
      .given([orderPlaced('o-1', { buyerId: 'b-1' }), leadListed('lead-1', anonymous)])
      .when(orderPlaced('o-2', { buyerId: 'b-1' }))
      .then([]);
    spec
      .given([orderPlaced('o-1', { buyerId: 'b-1' }), leadListed('lead-1', anonymous)])
      .when(orderPlaced('o-2', { buyerId: 'b-2' }))
      .then([{ type: 'LeadAllocated', data: { leadId: 'lead-1', buyerId: 'b-2' } }]);
  });

  it('two people without a phone are not taken for one person', () => {
    const emailOnly = {
      attributes: {
        contacts: { phone: { present: false, verified: false }, email: { present: true, verified: true } },
      },
    };
    spec
      .given([orderPlaced('o-1', { buyerId: 'b-1' }), leadListed('lead-1', { ...emailOnly, person: 'anna' })])
      .when(leadListed('lead-2', { ...emailOnly, person: 'boris' }))
      .then([{ type: 'LeadAllocated', data: { leadId: 'lead-2', buyerId: 'b-1' } }]);
  });

  it('an order placed twice under one id is one order', () => {
    spec
      .given([orderPlaced('o-1', { quantity: 1 }), leadListed('lead-1')])
      .when(orderPlaced('o-1', { quantity: 1 }))
      .then([]);
  });

  it('a replacement gives back exactly one unit: an order of 3 that bought 2 buys 2 more, then fills', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(orderPlaced('o-1', { quantity: 3 })));
    const [first] = allocations(engine.apply(log.input(leadListed('lead-1'))));
    engine.apply(log.input(leadListed('lead-2')));
    engine.apply(
      log.input({
        type: 'RefundCredited',
        data: {
          orderId: 'o-1',
          buyerId: 'buyer-of-o-1',
          allocationId: first!.allocationId,
          amount: 30000,
          currency: 'RUB',
          creditedTo: 'order_budget',
        },
      } as MarketInputEvent),
    );
    expect(allocations(engine.apply(log.input(leadListed('lead-3'))))).toHaveLength(1);
    const last = engine.apply(log.input(leadListed('lead-4')));
    expect(last.map((output) => output.type)).toEqual(['LeadAllocated', 'OrderFilled', 'OrderClosed']);
    expect(engine.apply(log.input(leadListed('lead-5')))).toEqual([]);
  });
});
