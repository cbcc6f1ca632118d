import { describe, expect, it } from '@jest/globals';
import { LeadPostOutcome, PingAnswered, type EventData } from '#lx/contracts';
import { InputLog, leadListed, orderPlaced, pingReceived, settings, T0 } from '../testing/market-fixtures.js';
import type { MarketInputEvent, MarketOutput } from './market-model.js';
import { MarketEngine } from './market-engine.js';

const ping = pingReceived;

const posted = (leadId: string, pingId?: string, overrides: Parameters<typeof leadListed>[1] = {}) =>
  leadListed(leadId, { posted: pingId ? { pingId } : {}, batchId: leadId, ...overrides });

const answerOf = (outputs: MarketOutput[]) =>
  outputs.find((o) => o.type === 'PingAnswered')!.data as EventData<typeof PingAnswered>;
const outcomeOf = (outputs: MarketOutput[]) =>
  outputs.find((o) => o.type === 'LeadPostOutcome')!.data as EventData<typeof LeadPostOutcome>;

const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

function market(...events: MarketInputEvent[]) {
  const engine = new MarketEngine({ vertical: 'eyewear' });
  const log = new InputLog();
  for (const event of [settings({ pingTtlSeconds: 10 } as never), ...events]) engine.apply(log.input(event));
  return { engine, log, apply: (event: MarketInputEvent, when = T0) => engine.apply(log.input(event, when)) };
}

describe('pings (docs/architecture.md §5.2)', () => {
  it('answers the price a new listing would fetch now, by second price, without selling anything', () => {
    const m = market(orderPlaced('o-1', { bid: 50000 }), orderPlaced('o-2', { bid: 42000 }));
    const outputs = m.apply(ping('p-1'));
    expect(outputs.map((o) => o.type)).toEqual(['PingAnswered']);
    const answer = answerOf(outputs);
    expect(answer).toMatchObject({ outcome: 'bid', price: 42000, sales: 1, validUntil: at(10) });
    expect(answer.bids.map((b) => b.orderId)).toEqual(['o-1', 'o-2']);
    expect(PingAnswered.validate(answer)).toMatchObject({ ok: true });
    // Nothing was sold: the order still buys a listing at the same price.
    expect(outcomeOf(m.apply(posted('lead-1'))).sales[0]).toMatchObject({ orderId: 'o-1', price: 42000 });
  });

  it('answers no bid when no order would buy, and when the ping is in another currency', () => {
    const m = market(orderPlaced('o-1', { bid: 20000 }));
    expect(answerOf(m.apply(ping('p-1')))).toMatchObject({
      outcome: 'no_bid',
      reason: 'no_eligible_order',
      price: 0,
      sales: 0,
    });
    expect(answerOf(m.apply(ping('p-2', { currency: 'EUR' })))).toMatchObject({
      outcome: 'no_bid',
      reason: 'wrong_currency',
    });
  });

  it('prices a shared ping for its N best buyers at the (N+1)-th bid', () => {
    const m = market(
      orderPlaced('o-1', { bid: 60000 }),
      orderPlaced('o-2', { bid: 50000 }),
      orderPlaced('o-3', { bid: 45000 }),
    );
    expect(answerOf(m.apply(ping('p-1', { exclusivity: { kind: 'shared', maxSales: 2 } })))).toMatchObject({
      outcome: 'bid',
      price: 45000,
      sales: 2,
    });
  });

  it('uses the market setting pingTtlSeconds, 10 s by default', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    engine.apply(log.input(orderPlaced('o-1')));
    expect(answerOf(engine.apply(log.input(ping('p-1')))).validUntil).toBe(at(10));
    engine.apply(log.input(settings({ pingTtlSeconds: 3 } as never)));
    expect(answerOf(engine.apply(log.input(ping('p-2')))).validUntil).toBe(at(3));
  });
});

describe('posted leads (docs/architecture.md §5.2)', () => {
  it('answers sold with the sales, resting without, and not_listed in another currency', () => {
    const m = market(orderPlaced('o-1', { bid: 50000, quantity: 1 }));
    const sold = outcomeOf(m.apply(posted('lead-1')));
    expect(sold).toMatchObject({
      outcome: 'sold',
      sales: [{ orderId: 'o-1', price: 30000, proceeds: 25500 }],
    });
    expect(LeadPostOutcome.validate(sold)).toMatchObject({ ok: true });
    expect(outcomeOf(m.apply(posted('lead-2')))).toMatchObject({ outcome: 'resting', sales: [] });
    expect(outcomeOf(m.apply(posted('lead-3', undefined, { currency: 'EUR' })))).toMatchObject({
      outcome: 'not_listed',
      reason: 'wrong_currency',
    });
  });

  it('a batch listing gets no outcome event', () => {
    const m = market(orderPlaced('o-1'));
    expect(m.apply(leadListed('lead-1')).map((o) => o.type)).toEqual(['LeadAllocated']);
  });

  it('honours a ping: the pinned order buys at the pinged price even if the auction alone would set less', () => {
    const m = market(orderPlaced('o-1', { bid: 50000 }), orderPlaced('o-2', { bid: 42000 }));
    expect(answerOf(m.apply(ping('p-1'))).price).toBe(42000);
    // o-2 goes away: the auction alone would now sell to o-1 at the floor.
    m.apply({
      type: 'OrderCancelled',
      data: { orderId: 'o-2', buyerId: 'buyer-of-o-2' },
    } as MarketInputEvent);
    const outputs = m.apply(posted('lead-1', 'p-1'), at(5));
    const outcome = outcomeOf(outputs);
    expect(outcome).toMatchObject({
      outcome: 'sold',
      ping: { pingId: 'p-1', honoured: true, price: 42000 },
      sales: [{ orderId: 'o-1', price: 42000 }],
    });
    expect(outputs.find((o) => o.type === 'LeadAllocated')!.data).toMatchObject({ rule: 'ping-price' });
  });

  it('pays more than the ping when the auction now sets more', () => {
    const m = market(orderPlaced('o-1', { bid: 50000 }), orderPlaced('o-2', { bid: 35000 }));
    expect(answerOf(m.apply(ping('p-1'))).price).toBe(35000);
    m.apply(orderPlaced('o-3', { bid: 45000 }));
    expect(outcomeOf(m.apply(posted('lead-1', 'p-1'), at(1)))).toMatchObject({
      ping: { honoured: true },
      sales: [{ orderId: 'o-1', price: 45000 }],
    });
  });

  it('refuses an expired ping on the listing event time, and auctions the lead as usual', () => {
    const m = market(orderPlaced('o-1', { bid: 50000 }), orderPlaced('o-2', { bid: 42000 }));
    m.apply(ping('p-1'));
    const outcome = outcomeOf(m.apply(posted('lead-1', 'p-1'), at(11)));
    expect(outcome).toMatchObject({
      outcome: 'sold',
      ping: { honoured: false, refusal: 'ping_expired', price: 42000 },
      sales: [{ orderId: 'o-1', price: 42000 }],
    });
    // At the very validUntil it still stands.
    m.apply(ping('p-2'), at(20));
    expect(outcomeOf(m.apply(posted('lead-2', 'p-2'), at(30))).ping).toMatchObject({ honoured: true });
  });

  it('says why a ping is not honoured: attributes, terms, withdrawn bid, used, unknown, no bid', () => {
    const m = market(orderPlaced('o-1', { bid: 50000 }), orderPlaced('o-2', { bid: 42000 }));
    const refusal = (lead: MarketInputEvent) => outcomeOf(m.apply(lead)).ping?.refusal;
    m.apply(ping('p-1'));
    expect(refusal(posted('lead-1', 'p-1', { attributes: { age: 41 } }))).toBe('ping_attributes_differ');
    m.apply(ping('p-2'));
    expect(refusal(posted('lead-2', 'p-2', { floor: 31000 }))).toBe('ping_terms_differ');
    expect(refusal(posted('lead-3', 'p-unknown'))).toBe('ping_unknown');
    m.apply(ping('p-4', { sellerId: 'seller-2' }));
    expect(refusal(posted('lead-4', 'p-4'))).toBe('ping_unknown');
    m.apply(ping('p-5'));
    m.apply({ type: 'OrderPaused', data: { orderId: 'o-1', buyerId: 'buyer-of-o-1' } } as MarketInputEvent);
    expect(refusal(posted('lead-5', 'p-5'))).toBe('bid_withdrawn');
    m.apply({ type: 'OrderResumed', data: { orderId: 'o-1', buyerId: 'buyer-of-o-1' } } as MarketInputEvent);
    m.apply(ping('p-6'));
    expect(outcomeOf(m.apply(posted('lead-6', 'p-6'))).ping).toMatchObject({ honoured: true });
    expect(refusal(posted('lead-7', 'p-6'))).toBe('ping_used');
    m.apply(ping('p-8', { floor: 99999 }));
    expect(refusal(posted('lead-8', 'p-8', { floor: 99999 }))).toBe('no_bid');
  });

  it('refuses a ping whose buyer already bought the same person (the bid does not stand for this lead)', () => {
    const m = market(orderPlaced('o-1', { bid: 50000 }), orderPlaced('o-2', { bid: 42000 }));
    m.apply(leadListed('lead-0', { person: 'ann' }));
    m.apply(ping('p-1'));
    const outcome = outcomeOf(m.apply(posted('lead-1', 'p-1', { person: 'ann' })));
    expect(outcome.ping).toMatchObject({ honoured: false, refusal: 'bid_withdrawn' });
  });

  it('replays to the same outputs', () => {
    const events = [
      orderPlaced('o-1', { bid: 50000 }),
      orderPlaced('o-2', { bid: 42000 }),
      ping('p-1'),
      posted('lead-1', 'p-1'),
      ping('p-2'),
      posted('lead-2', 'p-2'),
    ];
    const run = () => {
      const engine = new MarketEngine({ vertical: 'eyewear' });
      const log = new InputLog();
      return events.flatMap((event, i) => engine.apply(log.input(event, at(i * 4))));
    };
    expect(run()).toEqual(run());
  });
});
