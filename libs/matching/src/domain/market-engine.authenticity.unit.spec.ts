import { describe, expect, it } from '@jest/globals';
import { allocations, engineSpec } from '../testing/engine-spec.js';
import { InputLog, leadListed, orderPlaced } from '../testing/market-fixtures.js';
import { MarketEngine } from './market-engine.js';
import type { MarketInputEvent } from './market-model.js';

/*
 * Authenticity samples in the engine (docs/architecture.md §4.1): a held batch sells nothing until
 * an operator releases it; a withdrawn one never sells again; an order that requires sample-verified
 * leads takes only leads of batches whose sample passed.
 */

const spec = engineSpec();
const batch = { batchId: 'batch-1', sellerId: 'seller-1', vertical: 'eyewear' };
const tally = { sampled: 3, answered: 1, confirmed: 0, failed: 1, holdThresholdPercent: 20 };

const held = (batchId = 'batch-1'): MarketInputEvent => ({
  type: 'AuthenticitySampleHeld',
  data: { ...batch, batchId, ...tally },
});
const decided = (decision: 'released' | 'withdrawn', batchId = 'batch-1'): MarketInputEvent => ({
  type: 'AuthenticityHoldDecided',
  data: { ...batch, batchId, decision, operatorId: 'operator-1', note: 'called the seller' },
});
const passed = (batchId = 'batch-1'): MarketInputEvent => ({
  type: 'AuthenticitySamplePassed',
  data: { ...batch, batchId, sampled: 3, answered: 3, confirmed: 3, failed: 0, holdThresholdPercent: 20 },
});

describe('a held batch', () => {
  it('does not sell its resting leads to a new order, while other batches sell', () => {
    spec
      .given([
        leadListed('lead-1', { batchId: 'batch-1' }),
        leadListed('lead-2', { batchId: 'batch-2' }),
        held('batch-1'),
      ])
      .when(orderPlaced('o-1'))
      .then((outputs) => expect(allocations(outputs).map((sale) => sale.leadId)).toEqual(['lead-2']));
  });

  it('is auctioned again, in listing order, when an operator releases it', () => {
    spec
      .given([
        leadListed('lead-1'),
        leadListed('lead-2'),
        held(),
        orderPlaced('o-1', { bid: 50000 }),
        orderPlaced('o-2', { bid: 40000 }),
      ])
      .when(decided('released'))
      .then((outputs) =>
        expect(allocations(outputs)).toMatchObject([
          // Each released lead is a new auction: the best bid wins at the second-best.
          { leadId: 'lead-1', orderId: 'o-1', price: 40000, rule: 'exclusive-second-price' },
          { leadId: 'lead-2', orderId: 'o-1', price: 40000, rule: 'exclusive-second-price' },
        ]),
      );
  });

  it('never sells again once withdrawn', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    const T = '2030-01-01T10:00:00.000Z';
    for (const event of [leadListed('lead-1'), held(), decided('withdrawn')])
      engine.apply(log.input(event, T));
    expect(engine.restingLeadCount).toBe(0);
    expect(allocations(engine.apply(log.input(orderPlaced('o-1'), T)))).toEqual([]);
    // A later release of a withdrawn batch is not a decision the engine honours.
    expect(allocations(engine.apply(log.input(decided('released'), T)))).toEqual([]);
  });

  it('a lead listed after the hold (a late row of the batch) is held too', () => {
    spec
      .given([orderPlaced('o-1'), held()])
      .when(leadListed('lead-9'))
      .then((outputs) => expect(allocations(outputs)).toEqual([]));
  });
});

describe('an order requiring sample-verified leads', () => {
  const verifiedOnly = { filters: { requireSampleVerified: true } };

  it('does not take leads of a batch whose sample has not passed', () => {
    spec
      .given([leadListed('lead-1')])
      .when(orderPlaced('o-1', verifiedOnly))
      .then((outputs) => expect(allocations(outputs)).toEqual([]));
  });

  it('takes them once the sample passes, and a plain order is not held back meanwhile', () => {
    spec
      .given([
        leadListed('lead-1'),
        leadListed('lead-2', { batchId: 'batch-2' }),
        orderPlaced('o-1', verifiedOnly),
      ])
      .when(passed('batch-1'))
      .then((outputs) =>
        expect(allocations(outputs)).toMatchObject([
          { leadId: 'lead-1', orderId: 'o-1', rule: 'exclusive-floor' },
        ]),
      );
    spec
      .given([leadListed('lead-1'), orderPlaced('o-1', verifiedOnly)])
      .when(orderPlaced('o-2'))
      .then((outputs) => expect(allocations(outputs)).toMatchObject([{ leadId: 'lead-1', orderId: 'o-2' }]));
  });

  it('takes resting leads of a verified batch when placed later', () => {
    spec
      .given([leadListed('lead-1'), passed()])
      .when(orderPlaced('o-1', verifiedOnly))
      .then((outputs) =>
        expect(allocations(outputs)).toMatchObject([{ leadId: 'lead-1', rule: 'resting-lead-floor' }]),
      );
  });

  it('ignores another market’s samples', () => {
    spec
      .given([
        leadListed('lead-1'),
        { ...passed(), data: { ...passed().data, vertical: 'auto' } } as MarketInputEvent,
      ])
      .when(orderPlaced('o-1', verifiedOnly))
      .then((outputs) => expect(allocations(outputs)).toEqual([]));
  });
});

/*
 * Per source (§4.1): a held source sells none of its leads, resting or new, whatever their batch,
 * until an operator releases it; a verified source's leads meet `requireSampleVerified`.
 */
const sourceFacts = { sourceId: 'src-1', vertical: 'eyewear', sellerId: 'seller-1', source: 'google' };
const sourceTally = { answered: 3, confirmed: 0, failed: 3, holdThresholdPercent: 20, holdMinAnswered: 3 };
const tagged = (leadId: string, source: string | undefined, batchId = leadId) =>
  leadListed(leadId, { batchId, attributes: source === undefined ? {} : { source } });
const sourceHeld = (source: string | null = 'google'): MarketInputEvent => ({
  type: 'AuthenticitySourceHeld',
  data: { ...sourceFacts, source, ...sourceTally },
});
const sourceDecided = (
  decision: 'released' | 'withdrawn',
  source: string | null = 'google',
): MarketInputEvent => ({
  type: 'AuthenticitySourceHoldDecided',
  data: { ...sourceFacts, source, decision, operatorId: 'operator-1', note: 'called the seller' },
});
const sourceVerified = (source: string | null = 'google'): MarketInputEvent => ({
  type: 'AuthenticitySourceVerified',
  data: { ...sourceFacts, source, ...sourceTally, confirmed: 3, failed: 0 },
});

describe('a held source', () => {
  it('sells neither its resting leads nor its new ones; another source of the seller and the same tag of another seller sell', () => {
    spec
      .given([
        tagged('lead-1', 'google'),
        tagged('lead-2', 'bing'),
        sourceHeld(),
        orderPlaced('o-1', { quantity: 10 }),
      ])
      .when(tagged('lead-3', 'google'))
      .then((outputs) => expect(allocations(outputs)).toEqual([]));
    spec
      .given([
        tagged('lead-1', 'google'),
        tagged('lead-2', 'bing'),
        leadListed('lead-4', { batchId: 'lead-4', sellerId: 'seller-2', attributes: { source: 'google' } }),
        sourceHeld(),
      ])
      .when(orderPlaced('o-1', { quantity: 10 }))
      .then((outputs) =>
        expect(
          allocations(outputs)
            .map((sale) => sale.leadId)
            .sort(),
        ).toEqual(['lead-2', 'lead-4']),
      );
  });

  it('holds the seller’s untagged leads when its untagged source is held, not its tagged ones', () => {
    spec
      .given([tagged('lead-1', undefined), tagged('lead-2', 'google'), sourceHeld(null)])
      .when(orderPlaced('o-1', { quantity: 10 }))
      .then((outputs) => expect(allocations(outputs).map((sale) => sale.leadId)).toEqual(['lead-2']));
  });

  it('is auctioned again, in listing order, when an operator releases it', () => {
    spec
      .given([
        tagged('lead-1', 'google'),
        tagged('lead-2', 'google'),
        sourceHeld(),
        orderPlaced('o-1', { bid: 50000, quantity: 10 }),
        orderPlaced('o-2', { bid: 40000, quantity: 10 }),
      ])
      .when(sourceDecided('released'))
      .then((outputs) =>
        expect(allocations(outputs)).toMatchObject([
          { leadId: 'lead-1', orderId: 'o-1', price: 40000, rule: 'exclusive-second-price' },
          { leadId: 'lead-2', orderId: 'o-1', price: 40000, rule: 'exclusive-second-price' },
        ]),
      );
  });

  it('once withdrawn, leaves the book and keeps its new leads off sale', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    const T = '2030-01-01T10:00:00.000Z';
    for (const event of [
      tagged('lead-1', 'google'),
      tagged('lead-2', 'bing'),
      sourceHeld(),
      sourceDecided('withdrawn'),
    ])
      engine.apply(log.input(event, T));
    expect(engine.restingLeadCount).toBe(1);
    expect(
      allocations(engine.apply(log.input(orderPlaced('o-1', { quantity: 10 }), T))).map((s) => s.leadId),
    ).toEqual(['lead-2']);
    expect(allocations(engine.apply(log.input(tagged('lead-3', 'google'), T)))).toEqual([]);
  });

  it('ignores another market’s source holds', () => {
    spec
      .given([
        tagged('lead-1', 'google'),
        { ...sourceHeld(), data: { ...sourceHeld().data, vertical: 'auto' } } as MarketInputEvent,
      ])
      .when(orderPlaced('o-1'))
      .then((outputs) => expect(allocations(outputs).map((sale) => sale.leadId)).toEqual(['lead-1']));
  });
});

describe('an order requiring sample-verified leads, per source', () => {
  const verifiedOnly = { quantity: 10, filters: { requireSampleVerified: true } };

  it('takes the resting leads of a source when it is verified, and its new leads after', () => {
    spec
      .given([tagged('lead-1', 'google'), tagged('lead-2', 'bing'), orderPlaced('o-1', verifiedOnly)])
      .when(sourceVerified())
      .then((outputs) =>
        expect(allocations(outputs)).toMatchObject([
          { leadId: 'lead-1', orderId: 'o-1', rule: 'exclusive-floor' },
        ]),
      );
    spec
      .given([sourceVerified(), orderPlaced('o-1', verifiedOnly)])
      .when(tagged('lead-3', 'google'))
      .then((outputs) => expect(allocations(outputs)).toMatchObject([{ leadId: 'lead-3', orderId: 'o-1' }]));
  });

  it('no longer takes them once the source is held, nor after a release until verified again', () => {
    spec
      .given([sourceVerified(), sourceHeld(), sourceDecided('released'), orderPlaced('o-1', verifiedOnly)])
      .when(tagged('lead-1', 'google'))
      .then((outputs) => expect(allocations(outputs)).toEqual([]));
  });
});
