import { describe, expect, it } from 'vitest';
import {
  EMPTY_ORDER,
  fromTerms,
  orderFormSchema,
  termsTheFormKeeps,
  toPlaceOrder,
  toPreview,
  type OrderFormValues,
} from './order-form';
import { formPathOf, isKnownTimeZone, timeZoneChoices } from './schedule-and-sources';

/** A valid order (scenario 1's price terms) with `change` on top. */
const order = (change: Partial<OrderFormValues> = {}): OrderFormValues => ({
  ...EMPTY_ORDER,
  bid: '600',
  quantity: '50',
  budget: '30000',
  timeZone: 'Europe/Madrid',
  ...change,
});

const issues = (values: OrderFormValues) => {
  const parsed = orderFormSchema('RUB').safeParse(values);
  return parsed.success ? [] : parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message]);
};

describe('the order form’s schedule and sources', () => {
  it('sends the schedule, hourly caps and source filters in the API’s terms, days in week order', () => {
    const values = order({
      windows: [
        { days: ['fri', 'mon', 'wed'], from: '09:00', to: '18:00' },
        { days: ['sat'], from: '10:00', to: '24:00' },
      ],
      hourlyCapCount: '5',
      hourlyCapSpend: '3000.50',
      sourcesIncluded: [
        { sellerId: '', source: 'google', subSource: '' },
        { sellerId: 'seller-1', source: 'affiliates', subSource: 'sub_7' },
      ],
      sourcesExcluded: [{ sellerId: ' seller-1 ', source: ' google ', subSource: 'brand' }],
      requireSampleVerified: true,
    });
    expect(issues(values)).toEqual([]);
    const body = toPlaceOrder(values, 'RUB');
    expect(body.schedule).toEqual({
      timeZone: 'Europe/Madrid',
      windows: [
        { days: ['mon', 'wed', 'fri'], from: '09:00', to: '18:00' },
        { days: ['sat'], from: '10:00', to: '24:00' },
      ],
    });
    expect(body.hourlyCapCount).toBe(5);
    expect(body.hourlyCapSpend).toBe(300_050);
    expect(body.filters).toEqual({
      sourcesIncluded: [
        { source: 'google' },
        { sellerId: 'seller-1', source: 'affiliates', subSource: 'sub_7' },
      ],
      sourcesExcluded: [{ sellerId: 'seller-1', source: 'google', subSource: 'brand' }],
      requireSampleVerified: true,
    });
  });

  it('sends no schedule without windows, and reads an order’s terms back into the same form', () => {
    const plain = toPlaceOrder(order(), 'RUB');
    expect(plain).not.toHaveProperty('schedule');
    expect(plain).not.toHaveProperty('hourlyCapCount');
    expect(plain.filters).toEqual({});

    const values = order({
      windows: [{ days: ['mon', 'tue'], from: '08:30', to: '12:00' }],
      hourlyCapCount: '2',
      hourlyCapSpend: '1200',
      sourcesExcluded: [{ sellerId: '', source: 'spam', subSource: '' }],
      requireSampleVerified: true,
    });
    const { vertical, ...terms } = toPlaceOrder(values, 'RUB');
    expect(fromTerms(terms, vertical, 'RUB')).toEqual({
      ...values,
      bid: '600.00',
      budget: '30000.00',
      hourlyCapSpend: '1200.00',
    });
  });

  it('refuses a window that ends before it starts, an overlap on a day, bad hours and no days', () => {
    const values = order({
      windows: [
        { days: ['mon', 'tue'], from: '09:00', to: '18:00' },
        { days: ['tue'], from: '17:00', to: '20:00' },
        { days: ['wed'], from: '18:00', to: '09:00' },
        { days: [], from: '9:00', to: '24:01' },
      ],
    });
    expect(issues(values)).toEqual(
      expect.arrayContaining([
        ['windows.1.days', 'buyer.builder.errors.windowOverlap'],
        ['windows.2.to', 'buyer.builder.errors.windowOrder'],
        ['windows.3.days', 'buyer.builder.errors.windowDays'],
        ['windows.3.from', 'buyer.builder.errors.windowFrom'],
        ['windows.3.to', 'buyer.builder.errors.windowTo'],
      ]),
    );
    expect(issues(values)).toHaveLength(5);
    // Back to back is no overlap: 18:00 closes one window as the next opens.
    expect(
      issues(
        order({
          windows: [
            { days: ['mon'], from: '09:00', to: '18:00' },
            { days: ['mon'], from: '18:00', to: '20:00' },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('refuses an unknown time zone, bad source tags, a repeated entry and an entry in both lists', () => {
    expect(issues(order({ timeZone: 'Mars/Olympus' }))).toEqual([
      ['timeZone', 'buyer.builder.errors.timeZone'],
    ]);
    expect(
      issues(
        order({
          sourcesIncluded: [
            { sellerId: '', source: 'google', subSource: '' },
            { sellerId: '', source: 'google', subSource: '' },
            { sellerId: 'a b', source: '-bad', subSource: 'sub source' },
          ],
          sourcesExcluded: [{ sellerId: '', source: 'google', subSource: '' }],
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        ['sourcesIncluded.1.source', 'buyer.builder.errors.sourceRepeated'],
        ['sourcesIncluded.2.sellerId', 'buyer.builder.errors.sellerId'],
        ['sourcesIncluded.2.source', 'buyer.builder.errors.sourceTag'],
        ['sourcesIncluded.2.subSource', 'buyer.builder.errors.sourceTag'],
        ['sourcesExcluded.0.source', 'buyer.builder.errors.sourceInBoth'],
      ]),
    );
  });

  it('previews the schedule only once it is valid, the source filters with the other filters', () => {
    const windows = [{ days: ['mon' as const], from: '09:00', to: '18:00' }];
    expect(toPreview(order({ windows }), 'RUB')).toEqual({
      vertical: 'eyewear',
      filters: {},
      bid: 60000,
      exclusivity: 'any',
      schedule: { timeZone: 'Europe/Madrid', windows },
    });
    const halfTyped = toPreview(order({ windows: [{ days: ['mon'], from: '09:00', to: '1' }] }), 'RUB');
    expect(halfTyped).not.toBeNull();
    expect(halfTyped).not.toHaveProperty('schedule');
    expect(
      toPreview(order({ sourcesExcluded: [{ sellerId: '', source: 'spam', subSource: '' }] }), 'RUB')!
        .filters,
    ).toEqual({
      sourcesExcluded: [{ source: 'spam' }],
    });
    expect(
      toPreview(order({ sourcesExcluded: [{ sellerId: '', source: '', subSource: '' }] }), 'RUB'),
    ).toBeNull();
  });

  it('places the exchange’s field names on the form’s fields', () => {
    expect(formPathOf('schedule.timeZone')).toBe('timeZone');
    expect(formPathOf('schedule.windows.1.to')).toBe('windows.1.to');
    expect(formPathOf('schedule.windows.1')).toBe('windows.1');
    expect(formPathOf('schedule.windows.0.days.2')).toBe('windows.0.days');
    expect(formPathOf('schedule.windows')).toBe('windows');
    expect(formPathOf('schedule')).toBe('windows');
    expect(formPathOf('filters.sourcesIncluded.3.subSource')).toBe('sourcesIncluded.3.subSource');
    expect(formPathOf('filters.sourcesExcluded')).toBe('sourcesExcluded');
    expect(formPathOf('filters.regions')).toBeNull();
    expect(formPathOf('budget')).toBeNull();
  });

  it('offers the zones the browser knows, the current one included', () => {
    expect(isKnownTimeZone('Europe/Madrid')).toBe(true);
    expect(isKnownTimeZone('UTC+3')).toBe(false);
    const zones = timeZoneChoices('Europe/Madrid');
    expect(zones).toContain('Europe/Madrid');
    expect(zones).toContain('UTC');
    expect(new Set(zones).size).toBe(zones.length);
  });

  it('keeps, when amending, the sellers an order includes or excludes (the form does not edit them)', () => {
    const { vertical: _vertical, ...terms } = toPlaceOrder(order(), 'RUB');
    expect(termsTheFormKeeps({ ...terms, filters: { sellersExcluded: ['seller-9'], ageMin: 30 } })).toEqual({
      sellersExcluded: ['seller-9'],
    });
    expect(termsTheFormKeeps(terms)).toEqual({});
  });
});
