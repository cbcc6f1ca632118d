import { describe, expect, it } from '@jest/globals';
import { LEAD_ATTRIBUTES, ORDER_TERMS } from '../testing/market-fixtures.js';
import { CompiledFilters } from './compiled-filters.js';
import { SlotExpiryQueue } from './expiry-queue.js';
import { leadFacts, type ListedLead, type MarketOrder } from './market-model.js';
import { RestingLeadIndex } from './resting-lead-index.js';

/*
 * The resting book as columns: a lead stored and read back is the lead listed (every field the
 * engine reads), slots are reused only by later leads (told apart by their sequence), and the
 * typed expiry heap pops in (instant, sequence) order.
 */

const lead = (seq: number, change: Partial<ListedLead> = {}): ListedLead => ({
  leadId: `lead-${seq}`,
  sellerId: `seller-${seq % 2}`,
  seq,
  facts: leadFacts({ ...LEAD_ATTRIBUTES, interests: ['premium_glasses', 'sunglasses'] }),
  floor: 30_000 + seq,
  currency: 'RUB',
  exclusive: seq % 2 === 0,
  maxSales: seq % 2 === 0 ? 1 : 3,
  expiresAtMs: 1_900_000_000_000 + seq,
  capturedAtMs: 1_899_000_000_000 + seq,
  quality: 80,
  sellerQuality: 70,
  fingerprints: [`phone-${seq}`, `email-${seq}`],
  salesMade: 0,
  buyers: new Set(),
  status: 'available',
  restingSlot: -1,
  ...change,
});

const order = (filters = {}): MarketOrder => {
  const terms = { ...ORDER_TERMS, filters };
  return {
    orderId: 'order-1',
    buyerId: 'buyer-1',
    currency: 'RUB',
    seq: 1,
    terms,
    filters: new CompiledFilters(filters),
    expiresAtMs: Number.POSITIVE_INFINITY,
    status: 'open',
    bought: 0,
    spent: 0,
    refunded: 0,
    day: 0,
    dayCount: 0,
    daySpend: 0,
    hour: 0,
    hourCount: 0,
    hourSpend: 0,
    schedule: null,
    scheduleOpen: true,
    scheduleUntilMs: Number.POSITIVE_INFINITY,
    scheduleOpenAtTick: true,
    slot: -1,
  };
};

describe('the resting-lead index', () => {
  it('gives back every field of a lead it stores', () => {
    const index = new RestingLeadIndex();
    const listed = lead(1, {
      facts: {
        ...leadFacts(LEAD_ATTRIBUTES),
        gender: null,
        region: null,
        postalPrefix: null,
        employment: null,
      },
      fingerprints: ['email-only'],
      salesMade: 1,
      buyers: new Set(['buyer-9']),
    });
    const slot = index.add(listed);
    const { restingSlot: _slot, ...expected } = listed;
    expect(index.leadAt(slot)).toEqual({ ...expected, restingSlot: slot });
    expect(index.leadAt(slot).buyers).toEqual(new Set(['buyer-9']));
  });

  it('records sales, frees slots and reuses them for later leads only', () => {
    const index = new RestingLeadIndex();
    const first = index.add(lead(1));
    const second = index.add(lead(2));
    index.recordSale(first, 'buyer-1');
    expect(index.leadAt(first)).toMatchObject({ salesMade: 1, buyers: new Set(['buyer-1']) });
    index.remove(first);
    expect(index.size).toBe(1);
    expect(index.holds(first, 1)).toBe(false);
    const third = index.add(lead(3));
    expect(third).toBe(first);
    expect(index.holds(third, 1)).toBe(false);
    expect(index.holds(third, 3)).toBe(true);
    expect(index.leadAt(third)).toMatchObject({ leadId: 'lead-3', salesMade: 0, buyers: new Set() });
    expect(index.holds(second, 2)).toBe(true);
  });

  it('finds the resting leads an order accepts, by their attributes', () => {
    const index = new RestingLeadIndex();
    const moscow = index.add(lead(1));
    const spb = index.add(lead(2, { facts: leadFacts({ ...LEAD_ATTRIBUTES, region: 'RU-SPE' }) }));
    expect(index.candidatesFor(order())).toEqual([moscow, spb]);
    expect(index.candidatesFor(order({ regions: ['RU-SPE'] }))).toEqual([spb]);
    expect(index.candidatesFor(order({ interestsAny: ['sunglasses'] }))).toEqual([moscow]);
    index.remove(spb);
    expect(index.candidatesFor(order({ regions: ['RU-SPE'] }))).toEqual([]);
  });
});

describe('the typed expiry heap of resting leads', () => {
  it('pops what is due, earliest first, ties in sequence order', () => {
    const queue = new SlotExpiryQueue();
    const entries = Array.from({ length: 300 }, (_, i) => ({
      atMs: ((i * 7919) % 50) * 1000,
      seq: (i * 104_729) % 1000,
      slot: i,
    }));
    for (const entry of entries) queue.push(entry.atMs, entry.seq, entry.slot);
    const sorted = [...entries].sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
    expect(queue.popDue(20_000)).toEqual(sorted.filter((entry) => entry.atMs <= 20_000));
    expect(queue.popDue(Number.POSITIVE_INFINITY)).toEqual(sorted.filter((entry) => entry.atMs > 20_000));
    expect(queue.size).toBe(0);
  });
});
