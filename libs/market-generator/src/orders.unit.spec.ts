import { describe, expect, it } from '@jest/globals';

import { PRICE_BANDS, generateOrderSpecs, scenarioOneOrder, type OrderSpec } from './orders.js';
import { INTERESTS_BY_VERTICAL, VERTICALS, findRegion } from './reference-data.js';

const effectiveBidCeiling = (order: OrderSpec) => {
  const withEveryModifier = order.bid + order.modifiers.reduce((sum, modifier) => sum + modifier.add, 0);
  return order.maxBid === undefined ? withEveryModifier : Math.min(withEveryModifier, order.maxBid);
};

describe('scenarioOneOrder', () => {
  it("is scenario 1's table: eyewear, Moscow and Saint Petersburg, 30+, phone and e-mail, partnered, premium glasses, 600 RUB × 50", () => {
    expect(scenarioOneOrder()).toEqual({
      vertical: 'eyewear',
      currency: 'RUB',
      filters: {
        ageMin: 30,
        regions: ['RU-MOW', 'RU-SPE'],
        requiredContacts: ['phone', 'email'],
        maritalStatus: ['married', 'partnered'],
        interestsAny: ['premium_glasses', 'luxury_glasses'],
      },
      bid: 60000,
      maxBid: 60000,
      modifiers: [{ attribute: 'employment', in: ['employed', 'self_employed'], add: 5000 }],
      quantity: 50,
      budget: 3_000_000,
      exclusivity: 'any',
      delivery: 'pull',
    });
  });

  it('never lets the buyer pay more than 600 RUB a lead nor more than 30 000 RUB in all', () => {
    const order = scenarioOneOrder();
    expect(order.filters.genders).toBeUndefined();
    expect(order.filters.employment).toBeUndefined();
    expect(effectiveBidCeiling(order)).toBe(60000);
    expect(order.budget).toBe(order.quantity * 60000);
  });

  it('hands out a fresh object every time', () => {
    const order = scenarioOneOrder();
    order.filters.regions!.push('RU-KDA');
    expect(scenarioOneOrder().filters.regions).toEqual(['RU-MOW', 'RU-SPE']);
  });
});

describe('generateOrderSpecs', () => {
  it('is reproducible from its seed', () => {
    const options = { seed: 42, count: 200, vertical: 'eyewear', currency: 'RUB' } as const;
    expect(JSON.stringify(generateOrderSpecs(options))).toBe(JSON.stringify(generateOrderSpecs(options)));
    expect(generateOrderSpecs({ ...options, seed: 43 })).not.toEqual(generateOrderSpecs(options));
  });

  it.each(VERTICALS.flatMap((vertical) => [[vertical, 'RUB'] as const, [vertical, 'EUR'] as const]))(
    'places coherent %s orders in %s',
    (vertical, currency) => {
      const orders = generateOrderSpecs({ seed: `${vertical}-${currency}`, count: 500, vertical, currency });
      const [low, high] = PRICE_BANDS[currency][vertical];
      const country = currency === 'RUB' ? 'RU' : 'ES';
      const interests = INTERESTS_BY_VERTICAL[vertical].map((interest) => interest.code);
      const problems = orders.flatMap((order, i) => {
        const { filters } = order;
        const attributes = order.modifiers.map((modifier) => modifier.attribute);
        const targeted = [...(filters.interestsAny ?? []), ...(filters.interestsAll ?? [])];
        return Object.entries({
          market: order.vertical === vertical && order.currency === currency,
          bidInBand: order.bid >= low * 100 && order.bid <= high * 100,
          bidRound: order.bid % (currency === 'RUB' ? 1000 : 50) === 0,
          budget: order.budget >= order.bid && order.budget <= order.quantity * order.bid,
          maxBid: order.maxBid === undefined || order.maxBid >= order.bid,
          dailyCapSpend: order.dailyCapSpend === undefined || order.dailyCapSpend >= order.bid,
          dailyCapCount: order.dailyCapCount === undefined || order.dailyCapCount >= 1,
          ageRange:
            filters.ageMin === undefined || filters.ageMax === undefined || filters.ageMax > filters.ageMin,
          regions:
            (filters.regions ?? []).every((region) => findRegion(region)?.country === country) &&
            new Set(filters.regions ?? []).size === (filters.regions?.length ?? 0),
          interests: targeted.every((interest) => interests.includes(interest)),
          modifiers:
            new Set(attributes).size === attributes.length &&
            order.modifiers.every((modifier) => modifier.add > 0 && modifier.in.length > 0),
          modifiersNotPinnedByFilters:
            !(filters.employment && attributes.includes('employment')) &&
            !(filters.regions && attributes.includes('region')),
        })
          .filter(([, ok]) => !ok)
          .map(([check]) => `order ${i}: ${check}`);
      });
      expect(problems).toEqual([]);
    },
  );

  it('mixes filters the way buyers do: most target regions, some need both contacts, some want fresh leads', () => {
    const orders = generateOrderSpecs({ seed: 1, count: 2000, vertical: 'insurance', currency: 'EUR' });
    const shareOf = (test: (order: OrderSpec) => boolean) => orders.filter(test).length / orders.length;
    expect(shareOf((order) => order.filters.regions !== undefined)).toBeGreaterThan(0.6);
    expect(shareOf((order) => order.filters.requiredContacts?.length === 2)).toBeGreaterThan(0.25);
    expect(shareOf((order) => order.filters.requiredContacts === undefined)).toBeGreaterThan(0.1);
    expect(shareOf((order) => (order.filters.maxLeadAgeMinutes ?? Infinity) <= 5)).toBeGreaterThan(0.02);
    expect(shareOf((order) => order.modifiers.length > 0)).toBeGreaterThan(0.3);
    expect(shareOf((order) => order.budget < order.quantity * order.bid)).toBeGreaterThan(0.15);
    expect(shareOf((order) => order.exclusivity === 'exclusive_only')).toBeGreaterThan(0.15);
    expect(shareOf((order) => order.dailyCapCount !== undefined)).toBeGreaterThan(0.15);
  });

  it('targets only the regions it is given', () => {
    const regions = ['RU-MOW', 'RU-SPE', 'RU-KDA'];
    const orders = generateOrderSpecs({ seed: 2, count: 300, vertical: 'loans', currency: 'RUB', regions });
    const targeted = orders.flatMap((order) => order.filters.regions ?? []);
    expect(new Set(targeted)).toEqual(new Set(regions));
  });
});
