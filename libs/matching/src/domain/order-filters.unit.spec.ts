import { describe, expect, it } from '@jest/globals';
import { LEAD_ATTRIBUTES, ORDER_TERMS } from '../testing/market-fixtures.js';
import { CompiledFilters } from './compiled-filters.js';
import type { LeadAttributes, ListedLead, MarketOrder, OrderFilters, OrderTerms } from './market-model.js';
import { bidWithModifiers, exclusivityCompatible, filterableLead, filtersAccept } from './order-filters.js';

/*
 * The single check of an order's filters against a lead (the engine's truth of "all filters
 * hold"), the exclusivity rule, and the bid an order makes for a lead. Every rule is checked at its
 * edge: the value that just holds and the one that just fails.
 */

const NOW = Date.parse('2030-01-01T10:00:00.000Z');
const CAPTURED = Date.parse('2030-01-01T09:50:00.000Z'); // ten minutes before NOW

const attributes = (change: Partial<LeadAttributes> = {}): LeadAttributes => ({
  ...LEAD_ATTRIBUTES,
  interests: ['premium_glasses', 'contacts'],
  capturedAt: new Date(CAPTURED).toISOString(),
  ...change,
});

/** A listed lead without precomputed facts: the check derives them from the attributes. */
const lead = (
  change: Partial<LeadAttributes> = {},
  listing: Partial<Pick<ListedLead, 'quality' | 'sellerQuality' | 'sellerId' | 'exclusive'>> = {},
): ListedLead => ({
  leadId: 'lead-1',
  sellerId: 'seller-1',
  seq: 1,
  attributes: attributes(change),
  floor: 30_000,
  currency: 'RUB',
  exclusive: true,
  maxSales: 1,
  expiresAtMs: NOW + 3_600_000,
  capturedAtMs: CAPTURED,
  quality: 80,
  sellerQuality: 70,
  fingerprints: [],
  salesMade: 0,
  buyers: new Set(),
  status: 'available',
  restingSlot: -1,
  ...listing,
});

const accepts = (filters: OrderFilters, listed: ListedLead, now = NOW) =>
  filtersAccept(new CompiledFilters(filters), listed, now);

const contacts = (phone: [boolean, boolean], email: [boolean, boolean]) => ({
  contacts: {
    phone: { present: phone[0], verified: phone[1] },
    email: { present: email[0], verified: email[1] },
  },
});

describe('which leads an order’s filters accept', () => {
  it('an order without filters accepts every lead', () => {
    expect(accepts({}, lead())).toBe(true);
    expect(accepts({}, lead({ gender: undefined, region: undefined, postalPrefix: undefined }))).toBe(true);
    expect(accepts({}, lead(contacts([false, false], [false, false])))).toBe(true);
  });

  it('the age range includes both of its ends', () => {
    expect(accepts({ ageMin: 40 }, lead({ age: 40 }))).toBe(true);
    expect(accepts({ ageMin: 40 }, lead({ age: 39 }))).toBe(false);
    expect(accepts({ ageMax: 40 }, lead({ age: 40 }))).toBe(true);
    expect(accepts({ ageMax: 40 }, lead({ age: 41 }))).toBe(false);
  });

  it('a minimum quality or seller quality admits a lead exactly at it and refuses one a point below', () => {
    expect(accepts({ minQuality: 80 }, lead({}, { quality: 80 }))).toBe(true);
    expect(accepts({ minQuality: 80 }, lead({}, { quality: 79 }))).toBe(false);
    expect(accepts({ minSellerQuality: 70 }, lead({}, { sellerQuality: 70 }))).toBe(true);
    expect(accepts({ minSellerQuality: 70 }, lead({}, { sellerQuality: 69 }))).toBe(false);
    // Each minimum reads its own score.
    expect(accepts({ minQuality: 75 }, lead({}, { quality: 80, sellerQuality: 10 }))).toBe(true);
    expect(accepts({ minSellerQuality: 75 }, lead({}, { quality: 10, sellerQuality: 80 }))).toBe(true);
  });

  it('a required phone must be present, and verified only when verification is required', () => {
    const phoneOnly = { requiredContacts: ['phone' as const] };
    expect(accepts(phoneOnly, lead(contacts([true, false], [false, false])))).toBe(true);
    expect(accepts(phoneOnly, lead(contacts([false, false], [true, true])))).toBe(false);
    expect(
      accepts({ ...phoneOnly, requireVerified: true }, lead(contacts([true, true], [false, false]))),
    ).toBe(true);
    expect(
      accepts({ ...phoneOnly, requireVerified: true }, lead(contacts([true, false], [true, true]))),
    ).toBe(false);
  });

  it('a required e-mail must be present, and verified only when verification is required', () => {
    const emailOnly = { requiredContacts: ['email' as const] };
    expect(accepts(emailOnly, lead(contacts([false, false], [true, false])))).toBe(true);
    expect(accepts(emailOnly, lead(contacts([true, true], [false, false])))).toBe(false);
    expect(
      accepts({ ...emailOnly, requireVerified: true }, lead(contacts([false, false], [true, true]))),
    ).toBe(true);
    expect(
      accepts({ ...emailOnly, requireVerified: true }, lead(contacts([true, true], [true, false]))),
    ).toBe(false);
  });

  it('a set filter accepts a lead whose value is in it, and refuses one outside it or without the value', () => {
    const cases: [
      OrderFilters,
      Partial<LeadAttributes>,
      Partial<LeadAttributes>,
      Partial<LeadAttributes>?,
    ][] = [
      [{ countries: ['RU', 'KZ'] }, { country: 'KZ' }, { country: 'BY' }],
      [{ regions: ['RU-MOW'] }, { region: 'RU-MOW' }, { region: 'RU-SPE' }, { region: undefined }],
      [{ genders: ['male'] }, { gender: 'male' }, { gender: 'female' }, { gender: undefined }],
      [
        { employment: ['student'] },
        { employment: 'student' },
        { employment: 'retired' },
        { employment: undefined },
      ],
      [
        { maritalStatus: ['single'] },
        { maritalStatus: 'single' },
        { maritalStatus: 'married' },
        { maritalStatus: undefined },
      ],
      [{ stages: ['SQL'] }, { stage: 'SQL' }, { stage: 'MQL' }],
      [{ sourceChannels: ['social'] }, { sourceChannel: 'social' }, { sourceChannel: 'search' }],
    ];
    for (const [filters, inside, outside, without] of cases) {
      expect([filters, accepts(filters, lead(inside))]).toEqual([filters, true]);
      expect([filters, accepts(filters, lead(outside))]).toEqual([filters, false]);
      if (without) expect([filters, accepts(filters, lead(without))]).toEqual([filters, false]);
    }
  });

  it('"any of" interests needs one of them; "all of" needs every one', () => {
    expect(accepts({ interestsAny: ['sunglasses', 'contacts'] }, lead())).toBe(true);
    expect(accepts({ interestsAny: ['sunglasses', 'lenses'] }, lead())).toBe(false);
    expect(accepts({ interestsAll: ['premium_glasses', 'contacts'] }, lead())).toBe(true);
    expect(accepts({ interestsAll: ['premium_glasses', 'sunglasses'] }, lead())).toBe(false);
  });

  it('a postal prefix matches the start of the lead’s postal prefix only; a lead without one is refused', () => {
    expect(accepts({ postalPrefixes: ['20', '10'] }, lead({ postalPrefix: '101' }))).toBe(true);
    expect(accepts({ postalPrefixes: ['01'] }, lead({ postalPrefix: '101' }))).toBe(false);
    expect(accepts({ postalPrefixes: ['10'] }, lead({ postalPrefix: undefined }))).toBe(false);
  });

  it('a lead exactly as old as the maximum age is accepted; a millisecond older is refused', () => {
    expect(accepts({ maxLeadAgeMinutes: 10 }, lead(), CAPTURED + 10 * 60_000)).toBe(true);
    expect(accepts({ maxLeadAgeMinutes: 10 }, lead(), CAPTURED + 10 * 60_000 + 1)).toBe(false);
  });

  it('an order can name the only sellers it buys from, or sellers it never buys from', () => {
    expect(accepts({ sellersIncluded: ['seller-1', 'seller-2'] }, lead())).toBe(true);
    expect(accepts({ sellersIncluded: ['seller-2'] }, lead())).toBe(false);
    expect(accepts({ sellersExcluded: ['seller-1'] }, lead())).toBe(false);
    expect(accepts({ sellersExcluded: ['seller-2'] }, lead())).toBe(true);
  });

  it('gives the same answer for the order’s filters as written as for their compiled form', () => {
    const filters: OrderFilters = { requiredContacts: ['phone'], ageMin: 30, genders: ['female'] };
    const withoutPhone = lead(contacts([false, false], [true, true]));
    const compiled = new CompiledFilters(filters);
    expect(filtersAccept(filters, withoutPhone, NOW)).toBe(false);
    expect(filtersAccept(compiled, withoutPhone, NOW)).toBe(false);
    expect(filtersAccept(filters, lead(), NOW)).toBe(true);
    expect(filtersAccept(compiled, lead(), NOW)).toBe(true);
    expect(filtersAccept({ ageMin: 41 }, lead(), NOW)).toBe(false);
  });
});

describe('a lead as listed, checked outside the engine (order preview, return by replay)', () => {
  const listed = (change: Partial<LeadAttributes> = {}) =>
    filterableLead({ sellerId: 'seller-1', attributes: attributes(change), quality: 80, sellerQuality: 70 });

  it('is checked against the capture time in its attributes', () => {
    expect(listed().capturedAtMs).toBe(CAPTURED);
    expect(filtersAccept({ maxLeadAgeMinutes: 10 }, listed(), CAPTURED + 10 * 60_000)).toBe(true);
    expect(filtersAccept({ maxLeadAgeMinutes: 10 }, listed(), CAPTURED + 10 * 60_000 + 1)).toBe(false);
  });

  it('gives the engine’s answer for its seller, quality and seller quality', () => {
    const cases: OrderFilters[] = [
      { minQuality: 80 },
      { minQuality: 81 },
      { minSellerQuality: 70 },
      { minSellerQuality: 71 },
      { sellersIncluded: ['seller-2'] },
      { sellersExcluded: ['seller-1'] },
      { ageMin: 41, requiredContacts: ['email'], requireVerified: true },
    ];
    for (const filters of cases)
      expect([filters, filtersAccept(filters, listed(), NOW)]).toEqual([filters, accepts(filters, lead())]);
  });
});

describe('which leads an order’s exclusivity takes', () => {
  const order = (exclusivity: OrderTerms['exclusivity']) => ({ terms: { exclusivity } }) as MarketOrder;
  const exclusive = lead({}, { exclusive: true });
  const shared = lead({}, { exclusive: false });

  it('"any" takes exclusive and shared leads', () => {
    expect(exclusivityCompatible(order('any'), exclusive)).toBe(true);
    expect(exclusivityCompatible(order('any'), shared)).toBe(true);
  });

  it('"exclusive only" takes exclusive leads and never a shared one', () => {
    expect(exclusivityCompatible(order('exclusive_only'), exclusive)).toBe(true);
    expect(exclusivityCompatible(order('exclusive_only'), shared)).toBe(false);
  });

  it('"shared ok" takes shared leads and never an exclusive one', () => {
    expect(exclusivityCompatible(order('shared_ok'), shared)).toBe(true);
    expect(exclusivityCompatible(order('shared_ok'), exclusive)).toBe(false);
  });
});

describe('what an order bids for a lead', () => {
  const terms = (change: Partial<OrderTerms> = {}): OrderTerms => ({ ...ORDER_TERMS, ...change });
  type Modifier = OrderTerms['modifiers'][number];
  const bidWith = (modifiers: Modifier[], change: Partial<LeadAttributes> = {}) =>
    bidWithModifiers(terms({ modifiers }), lead(change));

  it('without modifiers the order bids its base bid', () => {
    expect(bidWithModifiers(terms(), lead())).toBe(50_000);
  });

  it('each modifier whose attribute the lead has adds its amount; the others add nothing', () => {
    const modifiers: Modifier[] = [
      { attribute: 'gender', equals: 'female', add: 1 },
      { attribute: 'employment', equals: 'employed', add: 10 },
      { attribute: 'maritalStatus', in: ['married', 'single'], add: 100 },
      { attribute: 'stage', equals: 'SQL', add: 1_000 },
      { attribute: 'sourceChannel', equals: 'search', add: 10_000 },
    ];
    expect(bidWith(modifiers)).toBe(50_000 + 1 + 10 + 100 + 10_000);
  });

  it('a modifier on every attribute adds exactly when the lead’s value matches', () => {
    const cases: [Modifier, Partial<LeadAttributes>, Partial<LeadAttributes>][] = [
      [{ attribute: 'gender', equals: 'male', add: 7 }, { gender: 'male' }, { gender: 'female' }],
      [
        { attribute: 'employment', equals: 'student', add: 7 },
        { employment: 'student' },
        { employment: 'retired' },
      ],
      [
        { attribute: 'maritalStatus', equals: 'single', add: 7 },
        { maritalStatus: 'single' },
        { maritalStatus: 'married' },
      ],
      [{ attribute: 'stage', equals: 'SQL', add: 7 }, { stage: 'SQL' }, { stage: 'IQL' }],
      [
        { attribute: 'sourceChannel', equals: 'social', add: 7 },
        { sourceChannel: 'social' },
        { sourceChannel: 'search' },
      ],
      [{ attribute: 'country', in: ['KZ', 'BY'], add: 7 }, { country: 'KZ' }, { country: 'RU' }],
      [{ attribute: 'region', equals: 'RU-SPE', add: 7 }, { region: 'RU-SPE' }, { region: 'RU-MOW' }],
      [
        { attribute: 'interest', equals: 'sunglasses', add: 7 },
        { interests: ['contacts', 'sunglasses'] },
        { interests: ['contacts'] },
      ],
    ];
    for (const [modifier, matching, other] of cases) {
      expect([modifier, bidWith([modifier], matching)]).toEqual([modifier, 50_007]);
      expect([modifier, bidWith([modifier], other)]).toEqual([modifier, 50_000]);
    }
  });

  it('a modifier on an attribute the lead does not state adds nothing', () => {
    expect(bidWith([{ attribute: 'gender', in: ['female', 'male'], add: 7 }], { gender: undefined })).toBe(
      50_000,
    );
    expect(bidWith([{ attribute: 'region', equals: 'RU-MOW', add: 7 }], { region: undefined })).toBe(50_000);
  });

  it('a verified-contact modifier adds for the named contact only when that contact is verified', () => {
    const phone: Modifier = { attribute: 'verifiedContact', equals: 'phone', add: 7 };
    const email: Modifier = { attribute: 'verifiedContact', equals: 'email', add: 7 };
    expect(bidWith([phone], contacts([true, true], [true, false]))).toBe(50_007);
    expect(bidWith([phone], contacts([true, false], [true, true]))).toBe(50_000);
    expect(bidWith([email], contacts([true, false], [true, true]))).toBe(50_007);
    expect(bidWith([email], contacts([true, true], [true, false]))).toBe(50_000);
  });

  it('the max bid caps the effective bid; a bid at the cap or below it stays as it is', () => {
    const modifier: Modifier = { attribute: 'gender', equals: 'female', add: 5_000 };
    expect(bidWithModifiers(terms({ modifiers: [modifier], maxBid: 52_000 }), lead())).toBe(52_000);
    expect(bidWithModifiers(terms({ modifiers: [modifier], maxBid: 55_000 }), lead())).toBe(55_000);
    expect(bidWithModifiers(terms({ modifiers: [modifier], maxBid: 60_000 }), lead())).toBe(55_000);
    expect(bidWithModifiers(terms({ modifiers: [modifier] }), lead())).toBe(55_000);
  });
});

describe('requireSampleVerified (§4.1)', () => {
  const filters: OrderFilters = { ...ORDER_TERMS.filters, requireSampleVerified: true };
  const verified = (flags: Pick<ListedLead, 'sampleVerified' | 'sourceVerified'>) =>
    filtersAccept(filters, { ...lead(), ...flags }, NOW);

  it('takes a lead whose batch passed its sample, or whose source is verified', () => {
    expect(verified({ sampleVerified: true })).toBe(true);
    expect(verified({ sourceVerified: true })).toBe(true);
    expect(verified({ sampleVerified: true, sourceVerified: true })).toBe(true);
  });

  it('refuses one that has neither, or whose state is unknown; an order without the filter takes it', () => {
    expect(verified({ sampleVerified: false, sourceVerified: false })).toBe(false);
    expect(verified({})).toBe(false);
    expect(filtersAccept({ ...filters, requireSampleVerified: false }, lead(), NOW)).toBe(true);
  });
});
