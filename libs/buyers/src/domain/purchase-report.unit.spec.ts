import { describe, expect, it } from '@jest/globals';
import { divideHalfEven, purchaseReport } from './purchase-report.js';

describe('purchase report', () => {
  it('reads scenario 1: 50 leads at 600 RUB, 11 converted → 30 000 RUB, CPL 600, 22 %, CPA ≈ 2 727', () => {
    const report = purchaseReport({
      leadsBought: 50,
      spend: 50 * 60000,
      returnsRequested: 0,
      returnsAccepted: 0,
      refunded: 0,
      conversions: 11,
      conversionValue: 0,
    });
    expect(report).toMatchObject({
      spend: 3_000_000,
      costPerLead: 60000,
      conversionRateBps: 2200,
      conversionRatePercent: 22,
      costPerAcquisition: 272727,
      netSpend: 3_000_000,
    });
  });

  it('has no ratios before the first lead or conversion, and nets accepted refunds', () => {
    expect(
      purchaseReport({
        leadsBought: 0,
        spend: 0,
        returnsRequested: 0,
        returnsAccepted: 0,
        refunded: 0,
        conversions: 0,
        conversionValue: 0,
      }),
    ).toMatchObject({ costPerLead: null, conversionRateBps: null, costPerAcquisition: null });
    expect(
      purchaseReport({
        leadsBought: 3,
        spend: 100,
        returnsRequested: 2,
        returnsAccepted: 1,
        refunded: 30,
        conversions: 0,
        conversionValue: 0,
      }),
    ).toMatchObject({ netSpend: 70, costPerLead: 33, costPerAcquisition: null });
  });

  it('rounds half to even', () => {
    expect([
      divideHalfEven(5, 2),
      divideHalfEven(7, 2),
      divideHalfEven(3_000_000, 11),
      divideHalfEven(2, 3),
    ]).toEqual([2, 4, 272727, 1]);
  });
});
