import { describe, expect, it } from '@jest/globals';
import { LeadListed, OrderPlaced } from '#lx/contracts';
import { generateLeadRows, generateOrderSpecs, scenarioOneOrder } from '#lx/market-generator';
import { leadListedFromRow, orderPlacedFromSpec } from '../testing/generated-market.js';
import { settings } from '../testing/market-fixtures.js';
import { MarketEngine } from './market-engine.js';
import type { LeadAttributes, MarketInput, MarketInputEvent, MarketOutput } from './market-model.js';

/*
 * Scenario 1 of docs/scenarios.md, "Glasses with diamonds", against the engine alone: an eyewear
 * retailer's standing order for 50 leads at 600 RUB.
 */

const capturedAround = new Date('2030-03-02T12:00:00.000Z');
const rows = generateLeadRows({
  seed: 'scenario-1',
  count: 3000,
  vertical: 'eyewear',
  capturedAround,
  badShare: 0,
  duplicateShare: 0,
}).rows;

/** The scenario's table, checked independently of the engine's own filter code. */
function fitsScenarioOne(a: LeadAttributes): boolean {
  return (
    a.age >= 30 &&
    (a.region === 'RU-MOW' || a.region === 'RU-SPE') &&
    a.contacts.phone.present &&
    a.contacts.email.present &&
    (a.maritalStatus === 'married' || a.maritalStatus === 'partnered') &&
    (a.interests.includes('premium_glasses') || a.interests.includes('luxury_glasses'))
  );
}

function play(events: readonly MarketInputEvent[]): {
  outputs: MarketOutput[];
  leads: Map<string, LeadAttributes>;
} {
  const engine = new MarketEngine({ vertical: 'eyewear' });
  const leads = new Map<string, LeadAttributes>();
  const outputs: MarketOutput[] = [];
  events.forEach((event, index) => {
    const input: MarketInput = { position: `1/${index + 1}`, at: capturedAround.toISOString(), event };
    if (event.type === 'LeadListed') {
      expect(LeadListed.validate(event.data)).toEqual(expect.objectContaining({ ok: true }));
      leads.set(event.data.leadId, event.data.attributes);
    }
    if (event.type === 'OrderPlaced')
      expect(OrderPlaced.validate(event.data)).toEqual(expect.objectContaining({ ok: true }));
    outputs.push(...engine.apply(input));
  });
  return { outputs, leads };
}

const retailerOrder = orderPlacedFromSpec(scenarioOneOrder(), 'order-glasses', 'buyer-optics');
const allocationsOf = (outputs: MarketOutput[], orderId: string) =>
  outputs.flatMap((o) => (o.type === 'LeadAllocated' && o.data.orderId === orderId ? [o.data] : []));

describe('scenario 1: glasses with diamonds', () => {
  it('delivers 50 leads at 600 RUB, all inside the filters, with phone and e-mail, 30 000 RUB in total', () => {
    const listings = rows.map((row, i) =>
      leadListedFromRow(row, 'eyewear', { leadId: `lead-${i}`, floor: 60000 }),
    );
    const { outputs, leads } = play([settings(), retailerOrder, ...listings]);
    const bought = allocationsOf(outputs, 'order-glasses');
    expect(bought).toHaveLength(50);
    expect(bought.every((a) => a.price === 60000)).toBe(true);
    expect(bought.every((a) => fitsScenarioOne(leads.get(a.leadId)!))).toBe(true);
    expect(bought.reduce((sum, a) => sum + a.price, 0)).toBe(3_000_000);
    // Every fitting lead listed before the order filled went to it: nothing it wanted was missed.
    const lastBought = Math.max(...bought.map((a) => Number(a.leadId.slice(5))));
    const fitting = rows.slice(0, lastBought + 1).filter((_, i) => fitsScenarioOne(leads.get(`lead-${i}`)!));
    expect(fitting).toHaveLength(50);
    expect(
      outputs.filter(
        (o) => o.type !== 'LeadAllocated' && 'orderId' in o.data && o.data.orderId === 'order-glasses',
      ),
    ).toEqual([
      { type: 'OrderFilled', data: expect.objectContaining({ quantity: 50, spent: 3_000_000 }) },
      {
        type: 'OrderClosed',
        data: expect.objectContaining({ reason: 'filled', spent: 3_000_000, released: 0 }),
      },
    ]);
  });

  it('in a market of competing orders and lower floors, never pays above 600 RUB nor beyond its budget', () => {
    const competitors = generateOrderSpecs({
      seed: 'scenario-1-market',
      count: 25,
      vertical: 'eyewear',
      currency: 'RUB',
    });
    const listings = rows.map((row, i) =>
      leadListedFromRow(row, 'eyewear', { leadId: `lead-${i}`, floor: 20000 + (i % 9) * 5000 }),
    );
    const { outputs, leads } = play([
      settings(),
      retailerOrder,
      ...competitors.map((spec, i) => orderPlacedFromSpec(spec, `order-${i}`, `buyer-${i % 120}`)),
      ...listings,
    ]);
    const bought = allocationsOf(outputs, 'order-glasses');
    expect(bought.length).toBeGreaterThan(10);
    expect(bought.every((a) => a.price <= 60000 && a.price >= 20000)).toBe(true);
    expect(bought.every((a) => fitsScenarioOne(leads.get(a.leadId)!))).toBe(true);
    expect(bought.reduce((sum, a) => sum + a.price, 0)).toBeLessThanOrEqual(3_000_000);
    expect(bought.length).toBeLessThanOrEqual(50);
    // Leads without a phone or an e-mail never reached the order.
    expect(bought.some((a) => !leads.get(a.leadId)!.contacts.phone.present)).toBe(false);
  });
});
