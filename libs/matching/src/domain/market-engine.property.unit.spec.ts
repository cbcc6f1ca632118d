import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { generateLeadRows, generateOrderSpecs } from '#lx/market-generator';
import { leadListedFromRow, orderPlacedFromSpec } from '../testing/generated-market.js';
import { leadListed, orderPlaced, settings, tick } from '../testing/market-fixtures.js';
import { digestOutputs } from './market-digest.js';
import { MarketEngine } from './market-engine.js';
import type { MarketInput, MarketInputEvent, MarketOutput } from './market-model.js';

/*
 * Random markets: orders with random filters, bids, modifiers and caps; leads with random
 * attributes, floors and exclusivity; pauses, cancellations and clock ticks; time running over
 * several UTC midnights. The invariants of docs/architecture.md §5 must hold for every one of them.
 */

const REGIONS = ['RU-MOW', 'RU-SPE', 'RU-KDA'] as const;
const INTERESTS = ['premium_glasses', 'sunglasses', 'contact_lenses'] as const;
const PEOPLE = Array.from({ length: 40 }, (_, i) => `p${i}`);

const orderArb = fc.record({
  buyer: fc.constantFrom('b1', 'b2', 'b3', 'b4'),
  bid: fc.integer({ min: 1, max: 20 }).map((n) => n * 5000),
  maxBidExtra: fc.option(
    fc.integer({ min: 0, max: 3 }).map((n) => n * 2000),
    { nil: undefined },
  ),
  modifier: fc.boolean(),
  quantity: fc.integer({ min: 1, max: 6 }),
  budgetLeads: fc.double({ min: 0.5, max: 6, noNaN: true }),
  dailyCapCount: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  dailyCapSpendLeads: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  exclusivity: fc.constantFrom('exclusive_only', 'shared_ok', 'any'),
  ageMin: fc.option(fc.constantFrom(25, 35, 45), { nil: undefined }),
  regions: fc.option(fc.subarray([...REGIONS], { minLength: 1 }), { nil: undefined }),
  phoneAndEmail: fc.boolean(),
  interestsAny: fc.option(fc.subarray([...INTERESTS], { minLength: 1 }), { nil: undefined }),
  expiresInMinutes: fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined }),
});

const leadArb = fc.record({
  floor: fc.integer({ min: 1, max: 12 }).map((n) => n * 5000 + 17),
  shared: fc.option(fc.integer({ min: 2, max: 4 }), { nil: undefined }),
  age: fc.integer({ min: 18, max: 70 }),
  region: fc.constantFrom(...REGIONS),
  hasPhone: fc.boolean(),
  employed: fc.boolean(),
  interests: fc.subarray([...INTERESTS]),
  person: fc.constantFrom(...PEOPLE),
});

const stepArb = fc.oneof(
  { weight: 3, arbitrary: orderArb.map((order) => ({ kind: 'order' as const, order })) },
  { weight: 6, arbitrary: leadArb.map((lead) => ({ kind: 'lead' as const, lead })) },
  { weight: 1, arbitrary: fc.nat(20).map((index) => ({ kind: 'cancel' as const, index })) },
  { weight: 1, arbitrary: fc.nat(20).map((index) => ({ kind: 'pause' as const, index })) },
  { weight: 1, arbitrary: fc.nat(20).map((index) => ({ kind: 'resume' as const, index })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'tick' as const }) },
);

const marketArb = fc.record({
  commissionBps: fc.integer({ min: 0, max: 3000 }),
  dedupeWindowDays: fc.integer({ min: 0, max: 3 }),
  steps: fc.array(fc.tuple(stepArb, fc.integer({ min: 0, max: 400 })), {
    minLength: 1,
    maxLength: 80,
    size: 'max',
  }),
});

type Market = typeof marketArb extends fc.Arbitrary<infer M> ? M : never;

interface Built {
  inputs: MarketInput[];
  orders: Map<string, ReturnType<typeof orderTerms>>;
  leads: Map<string, { floor: number; maxSales: number }>;
}

function orderTerms(step: Extract<Market['steps'][number][0], { kind: 'order' }>) {
  const { order } = step;
  const budget = Math.max(order.bid, Math.round(order.budgetLeads * order.bid));
  return {
    buyerId: order.buyer,
    bid: order.bid,
    maxBid: order.maxBidExtra === undefined ? undefined : order.bid + order.maxBidExtra,
    modifiers: order.modifier
      ? [{ attribute: 'employment' as const, equals: 'employed' as const, add: 4000 }]
      : [],
    quantity: order.quantity,
    budget,
    dailyCapCount: order.dailyCapCount,
    dailyCapSpend: order.dailyCapSpendLeads === undefined ? undefined : order.dailyCapSpendLeads * order.bid,
    exclusivity: order.exclusivity,
    expiresMinutes: order.expiresInMinutes,
    filters: {
      ...(order.ageMin !== undefined ? { ageMin: order.ageMin } : {}),
      ...(order.regions ? { regions: order.regions } : {}),
      ...(order.phoneAndEmail ? { requiredContacts: ['phone' as const, 'email' as const] } : {}),
      ...(order.interestsAny ? { interestsAny: order.interestsAny } : {}),
    },
  };
}

function build(market: Market): Built {
  const start = Date.parse('2030-01-01T20:00:00.000Z');
  let clock = start;
  let position = 0;
  const inputs: MarketInput[] = [];
  const orders: Built['orders'] = new Map();
  const leads: Built['leads'] = new Map();
  const orderIds: string[] = [];
  const push = (event: MarketInputEvent) =>
    inputs.push({ position: `7/${++position}`, at: new Date(clock).toISOString(), event });
  push(
    settings({
      commissionBps: market.commissionBps,
      dedupeWindowDays: market.dedupeWindowDays,
    }) as MarketInputEvent,
  );
  for (const [step, minutes] of market.steps) {
    clock += minutes * 60_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    switch (step.kind) {
      case 'order': {
        const orderId = `o${orders.size + 1}`;
        const terms = orderTerms(step);
        orders.set(orderId, terms);
        orderIds.push(orderId);
        const { expiresMinutes, ...placed } = terms;
        push(
          orderPlaced(orderId, {
            ...placed,
            ...(expiresMinutes !== undefined ? { expiresAt: iso(clock + expiresMinutes * 60_000) } : {}),
          }),
        );
        break;
      }
      case 'lead': {
        const leadId = `l${leads.size + 1}`;
        const lead = step.lead;
        leads.set(leadId, { floor: lead.floor, maxSales: lead.shared ?? 1 });
        push(
          leadListed(leadId, {
            floor: lead.floor,
            person: lead.person,
            exclusivity: lead.shared ? { kind: 'shared', maxSales: lead.shared } : { kind: 'exclusive' },
            expiresAt: iso(clock + 36 * 3_600_000),
            attributes: {
              age: lead.age,
              region: lead.region,
              employment: lead.employed ? 'employed' : 'unemployed',
              interests: lead.interests,
              capturedAt: iso(clock - 60_000),
              contacts: {
                phone: { present: lead.hasPhone, verified: lead.hasPhone },
                email: { present: true, verified: true },
              },
            },
          }),
        );
        break;
      }
      case 'tick':
        push(tick(new Date(clock).toISOString()));
        break;
      default: {
        const orderId = orderIds[step.index % Math.max(1, orderIds.length)];
        if (!orderId) break;
        const data = { orderId, buyerId: orders.get(orderId)!.buyerId };
        const type =
          step.kind === 'cancel' ? 'OrderCancelled' : step.kind === 'pause' ? 'OrderPaused' : 'OrderResumed';
        push({ type, data } as MarketInputEvent);
      }
    }
  }
  return { inputs, orders, leads };
}

function run(
  inputs: readonly MarketInput[],
  orderIndex: 'bitset' | 'scan' = 'bitset',
  indexLayout?: { relayoutMin?: number; runSlots?: number },
): MarketOutput[] {
  const engine = new MarketEngine({ vertical: 'eyewear', orderIndex, indexLayout });
  return inputs.flatMap((input) => engine.apply(input));
}

const DAY = 86_400_000;

describe('matching engine properties over random markets', () => {
  it('never sells a lead beyond its limit nor an order beyond its quantity, budget or caps', () => {
    let sold = 0;
    let shared = 0;
    fc.assert(
      fc.property(marketArb, (market) => {
        const { inputs, orders, leads } = build(market);
        const outputs = run(inputs);
        const perLead = new Map<string, Set<string>>();
        const perOrder = new Map<
          string,
          { count: number; spent: number; days: Map<number, [number, number]> }
        >();
        for (const output of outputs) {
          if (output.type !== 'LeadAllocated') continue;
          const a = output.data;
          sold++;
          if (a.rule.startsWith('shared')) shared++;
          const buyers = perLead.get(a.leadId) ?? new Set();
          expect(buyers.has(a.buyerId)).toBe(false);
          buyers.add(a.buyerId);
          perLead.set(a.leadId, buyers);
          expect(buyers.size).toBeLessThanOrEqual(leads.get(a.leadId)!.maxSales);

          const terms = orders.get(a.orderId)!;
          const tally = perOrder.get(a.orderId) ?? { count: 0, spent: 0, days: new Map() };
          tally.count++;
          tally.spent += a.price;
          const day = Math.floor(Date.parse(a.at) / DAY);
          const [dayCount, daySpend] = tally.days.get(day) ?? [0, 0];
          tally.days.set(day, [dayCount + 1, daySpend + a.price]);
          perOrder.set(a.orderId, tally);
          expect(tally.count).toBeLessThanOrEqual(terms.quantity);
          expect(tally.spent).toBeLessThanOrEqual(terms.budget);
          if (terms.dailyCapCount !== undefined)
            expect(dayCount + 1).toBeLessThanOrEqual(terms.dailyCapCount);
          if (terms.dailyCapSpend !== undefined)
            expect(daySpend + a.price).toBeLessThanOrEqual(terms.dailyCapSpend);
        }
        for (const output of outputs) {
          if (output.type !== 'OrderClosed') continue;
          const tally = perOrder.get(output.data.orderId) ?? { spent: 0 };
          expect(output.data.spent).toBe(tally.spent);
          expect(output.data.spent + output.data.released).toBe(orders.get(output.data.orderId)!.budget);
        }
      }),
      { numRuns: 300 },
    );
    // The random markets really trade, shared leads included: the checks above are not vacuous.
    expect(sold).toBeGreaterThan(1000);
    expect(shared).toBeGreaterThan(100);
  });

  it('prices every lead within [floor, winning bid], second price for exclusives, price = proceeds + commission', () => {
    fc.assert(
      fc.property(marketArb, (market) => {
        const { inputs, leads } = build(market);
        for (const output of run(inputs)) {
          if (output.type !== 'LeadAllocated') continue;
          const a = output.data;
          const { floor } = leads.get(a.leadId)!;
          const winner = a.competingBids.find((bid) => bid.orderId === a.orderId)!;
          expect(winner).toBeDefined();
          expect(a.price).toBeGreaterThanOrEqual(floor);
          expect(a.price).toBeLessThanOrEqual(winner.effectiveBid);
          expect(a.price).toBe(a.proceeds + a.commission);
          expect(a.commission).toBeGreaterThanOrEqual(0);
          expect(a.proceeds).toBeGreaterThanOrEqual(0);
          if (a.rule === 'exclusive-second-price' || a.rule === 'exclusive-floor') {
            expect(a.competingBids[0]!.orderId).toBe(a.orderId);
            expect(a.price).toBe(Math.max(floor, a.competingBids[1]?.effectiveBid ?? floor));
          }
          if (a.rule === 'resting-lead-floor') expect(a.price).toBe(floor);
          // Rank order: bids never increase down the list.
          for (let i = 1; i < a.competingBids.length; i++)
            expect(a.competingBids[i]!.effectiveBid).toBeLessThanOrEqual(
              a.competingBids[i - 1]!.effectiveBid,
            );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic, and the index finds exactly what a scan over every order finds', () => {
    fc.assert(
      fc.property(marketArb, (market) => {
        const { inputs } = build(market);
        const first = digestOutputs(run(inputs));
        expect(digestOutputs(run(inputs))).toBe(first);
        expect(digestOutputs(run(inputs, 'scan'))).toBe(first);
        // With the book laid out by bid ceiling after almost every change, the early stop of the
        // sorted walk is exercised too (the default waits for 64 changes).
        expect(digestOutputs(run(inputs, 'bitset', { relayoutMin: 0 }))).toBe(first);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the bitset index against the linear scan on a generated book', () => {
  it('gives byte-identical outputs while orders arrive, fill, pause and resume between leads', () => {
    const vertical = 'eyewear';
    const at = '2030-03-02T12:00:00.000Z';
    const specs = generateOrderSpecs({ seed: 'index-vs-scan', count: 1500, vertical, currency: 'RUB' });
    const { rows } = generateLeadRows({
      seed: 'index-vs-scan',
      count: 900,
      vertical,
      capturedAround: new Date(at),
      badShare: 0,
      duplicateShare: 0,
    });
    const events: MarketInputEvent[] = [];
    specs.forEach((spec, i) => {
      // Small quantities, so that orders fill and leave holes; 150 buyers, so N+1 fills up.
      events.push(orderPlacedFromSpec({ ...spec, quantity: 1 + (i % 4) }, `order-${i}`, `buyer-${i % 150}`));
      if (i % 2 === 1) {
        const row = rows[(i - 1) / 2]!;
        const n = (i - 1) / 2;
        events.push(
          leadListedFromRow(row, vertical, {
            leadId: `lead-${n}`,
            floor: 20000 + (n % 9) * 5000,
            exclusivity: n % 10 < 7 ? { kind: 'exclusive' } : { kind: 'shared', maxSales: 2 + (n % 3) },
            expiresAt: '2030-03-05T12:00:00.000Z',
          }),
        );
      }
      if (i % 97 === 0)
        events.push({ type: 'OrderPaused', data: { orderId: `order-${i}`, buyerId: `buyer-${i % 150}` } });
      if (i % 97 === 50)
        events.push({
          type: 'OrderResumed',
          data: { orderId: `order-${i - 50}`, buyerId: `buyer-${(i - 50) % 150}` },
        });
    });
    for (let n = 750; n < 900; n++)
      events.push(
        leadListedFromRow(rows[n]!, vertical, { leadId: `lead-${n}`, floor: 20000 + (n % 9) * 5000 }),
      );
    const inputs = events.map((event, i) => ({ position: `3/${i + 1}`, at, event }));
    const scan = run(inputs, 'scan');
    expect(scan.filter((output) => output.type === 'LeadAllocated').length).toBeGreaterThan(500);
    expect(scan.filter((output) => output.type === 'OrderFilled').length).toBeGreaterThan(100);
    const digest = digestOutputs(scan);
    expect(digestOutputs(run(inputs))).toBe(digest);
    expect(digestOutputs(run(inputs, 'bitset', { relayoutMin: 32, runSlots: 64 }))).toBe(digest);
  });
});
