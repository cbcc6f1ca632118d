import { describe, expect, it } from '@jest/globals';
import { CompiledFilters } from '#lx/matching/rules';
import { LISTED_ATTRIBUTES } from '../testing/catalogue-fixtures.js';
import { ageBand, contactsSegment, leadMatchesFilters, type LeadAttributesData } from './lead-filters.js';

/*
 * The preview applies the engine's filter rule (each filter's edges are specified with it, in
 * libs/matching's order-filters spec); these check that a resting lead as the read model keeps it —
 * capture time in its attributes, quality and seller quality as listed — reaches that rule intact.
 */

const now = new Date('2030-01-01T12:00:00.000Z');
const attributes = (change: Partial<LeadAttributesData> = {}): LeadAttributesData => ({
  ...LISTED_ATTRIBUTES,
  contacts: { phone: { present: true, verified: true }, email: { present: true, verified: false } },
  ...change,
});
const lead = (change: Partial<LeadAttributesData> = {}) => ({
  sellerId: 's-1',
  quality: 80,
  sellerQuality: 64,
  attributes: attributes(change),
});

const scenarioOne = {
  ageMin: 30,
  regions: ['RU-MOW', 'RU-SPE'],
  requiredContacts: ['phone', 'email'] as ('phone' | 'email')[],
  maritalStatus: ['married', 'partnered'] as ('married' | 'partnered')[],
  interestsAny: ['premium_glasses', 'luxury_glasses'],
};

describe('leadMatchesFilters', () => {
  it('accepts a lead that satisfies scenario 1, refuses one that misses any filter', () => {
    expect(leadMatchesFilters(lead(), scenarioOne, now)).toBe(true);
    expect(leadMatchesFilters(lead({ age: 29 }), scenarioOne, now)).toBe(false);
    expect(leadMatchesFilters(lead({ region: 'RU-KDA' }), scenarioOne, now)).toBe(false);
    expect(
      leadMatchesFilters(
        lead({
          contacts: { phone: { present: false, verified: false }, email: { present: true, verified: true } },
        }),
        scenarioOne,
        now,
      ),
    ).toBe(false);
    expect(leadMatchesFilters(lead({ maritalStatus: 'single' }), scenarioOne, now)).toBe(false);
    expect(leadMatchesFilters(lead({ interests: ['sport_glasses'] }), scenarioOne, now)).toBe(false);
  });

  it('honours verification, lead age, quality and sellers', () => {
    expect(leadMatchesFilters(lead(), { requiredContacts: ['email'], requireVerified: true }, now)).toBe(
      false,
    );
    expect(leadMatchesFilters(lead(), { maxLeadAgeMinutes: 5 }, now)).toBe(true);
    expect(
      leadMatchesFilters(lead({ capturedAt: '2030-01-01T11:50:00.000Z' }), { maxLeadAgeMinutes: 5 }, now),
    ).toBe(false);
    expect(leadMatchesFilters(lead(), { minQuality: 81 }, now)).toBe(false);
    expect(leadMatchesFilters(lead(), { minSellerQuality: 64 }, now)).toBe(true);
    expect(leadMatchesFilters(lead(), { minSellerQuality: 65 }, now)).toBe(false);
    expect(leadMatchesFilters(lead(), { sellersExcluded: ['s-1'] }, now)).toBe(false);
    expect(leadMatchesFilters(lead(), { sellersIncluded: ['s-2'] }, now)).toBe(false);
  });

  it('answers the same with the filters compiled once for the whole inventory', () => {
    const compiled = new CompiledFilters(scenarioOne);
    for (const change of [{}, { age: 29 }, { region: 'RU-KDA' }, { maritalStatus: 'single' as const }])
      expect(leadMatchesFilters(lead(change), compiled, now)).toBe(
        leadMatchesFilters(lead(change), scenarioOne, now),
      );
    expect(leadMatchesFilters(lead(), compiled, now)).toBe(true);
  });

  it('segments coarsely', () => {
    expect([ageBand(18), ageBand(34), ageBand(35), ageBand(70)]).toEqual(['18-24', '25-34', '35-44', '65+']);
    expect(contactsSegment(attributes().contacts)).toBe('phone+email');
  });
});
