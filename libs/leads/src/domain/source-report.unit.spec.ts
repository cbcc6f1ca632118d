import { describe, expect, it } from '@jest/globals';
import { divideHalfEven, sourceFigures, sourceReport, type SourceTotals } from './source-report.js';

const row = (change: Partial<SourceTotals>): SourceTotals => ({
  source: 'google',
  subSource: null,
  currency: 'RUB',
  listed: 0,
  sold: 0,
  returned: 0,
  conversions: 0,
  qualitySum: 0,
  proceeds: 0,
  ...change,
});

describe('a seller’s figures for one source', () => {
  it('rates per sale in basis points, half to even, and the average quality to one decimal', () => {
    expect(
      sourceFigures({ listed: 3, sold: 8, returned: 1, conversions: 3, qualitySum: 200, proceeds: 255_000 }),
    ).toEqual({
      listed: 3,
      sold: 8,
      returned: 1,
      returnRateBps: 1250,
      conversions: 3,
      conversionRateBps: 3750,
      averageQuality: 66.7,
      proceeds: 255_000,
    });
    // 1 of 3: 3333.33… → 3333; 2 of 3: 6666.67 → 6667; quality 72.25 → 72.2, 72.35 → 72.4 (half to even)
    expect(
      sourceFigures({ ...row({}), listed: 4, sold: 3, returned: 1, conversions: 2, qualitySum: 289 }),
    ).toMatchObject({
      returnRateBps: 3333,
      conversionRateBps: 6667,
      averageQuality: 72.2,
    });
    expect(sourceFigures({ ...row({}), listed: 20, qualitySum: 1447 }).averageQuality).toBe(72.4);
  });

  it('has no rates before a sale and no average without leads', () => {
    expect(sourceFigures(row({ listed: 2, qualitySum: 150 }))).toMatchObject({
      returnRateBps: null,
      conversionRateBps: null,
      averageQuality: 75,
    });
    expect(sourceFigures(row({})).averageQuality).toBeNull();
  });

  it('divides half to even', () => {
    expect([
      divideHalfEven(5, 2),
      divideHalfEven(7, 2),
      divideHalfEven(10, 4),
      divideHalfEven(11, 4),
    ]).toEqual([2, 4, 2, 3]);
  });
});

describe('the report by source', () => {
  it('sums sub-sources into their source, orders tags with the untagged last, and splits currencies', () => {
    const report = sourceReport([
      row({ source: null, listed: 4, qualitySum: 200 }),
      row({
        source: 'google',
        subSource: 'brand',
        listed: 2,
        sold: 2,
        returned: 1,
        qualitySum: 170,
        proceeds: 50_000,
      }),
      row({
        source: 'affiliates',
        subSource: 'aff-2',
        listed: 1,
        sold: 1,
        conversions: 1,
        qualitySum: 60,
        proceeds: 20_000,
      }),
      row({
        source: 'google',
        subSource: null,
        listed: 2,
        sold: 2,
        conversions: 1,
        qualitySum: 150,
        proceeds: 60_000,
      }),
      row({ source: 'google', subSource: 'brand', currency: 'EUR', listed: 1, qualitySum: 90 }),
    ]);
    expect(report.map((entry) => [entry.source, entry.currency])).toEqual([
      ['affiliates', 'RUB'],
      ['google', 'EUR'],
      ['google', 'RUB'],
      [null, 'RUB'],
    ]);
    const google = report[2]!;
    expect(google).toMatchObject({
      listed: 4,
      sold: 4,
      returned: 1,
      returnRateBps: 2500,
      conversions: 1,
      conversionRateBps: 2500,
      averageQuality: 80,
      proceeds: 110_000,
    });
    expect(google.subSources.map((sub) => [sub.subSource, sub.listed, sub.returned])).toEqual([
      ['brand', 2, 1],
      [null, 2, 0],
    ]);
    for (const entry of report)
      for (const key of ['listed', 'sold', 'returned', 'conversions', 'proceeds'] as const)
        expect(entry.subSources.reduce((sum, sub) => sum + sub[key], 0)).toBe(entry[key]);
  });

  it('is empty for a seller without leads', () => {
    expect(sourceReport([])).toEqual([]);
  });
});
