import { describe, expect, it } from '@jest/globals';
import { buyerSourceReport, type BuyerSourceTotals } from './source-report.js';

const row = (change: Partial<BuyerSourceTotals>): BuyerSourceTotals => ({
  sellerId: 'seller-1',
  source: 'google',
  subSource: null,
  currency: 'RUB',
  leadsBought: 0,
  spend: 0,
  returnsRequested: 0,
  returnsAccepted: 0,
  refunded: 0,
  conversions: 0,
  conversionValue: 0,
  qualitySum: 0,
  ...change,
});

describe('a buyer’s report by source', () => {
  it('keeps two sellers’ sources of the same name apart, and sums each source’s sub-sources', () => {
    const report = buyerSourceReport([
      row({ sellerId: 'seller-2', leadsBought: 1, spend: 40_000, qualitySum: 70 }),
      row({
        subSource: 'brand',
        leadsBought: 3,
        spend: 150_000,
        returnsRequested: 2,
        returnsAccepted: 1,
        refunded: 50_000,
        qualitySum: 245,
      }),
      row({
        subSource: null,
        leadsBought: 1,
        spend: 50_000,
        conversions: 1,
        conversionValue: 900_000,
        qualitySum: 80,
      }),
      row({ source: null, leadsBought: 2, spend: 60_000, qualitySum: 100 }),
    ]);
    expect(report.map((entry) => [entry.sellerId, entry.source])).toEqual([
      ['seller-1', 'google'],
      ['seller-1', null],
      ['seller-2', 'google'],
    ]);
    expect(report[0]).toMatchObject({
      leadsBought: 4,
      spend: 200_000,
      returnsRequested: 2,
      returnsAccepted: 1,
      returnRateBps: 2500,
      refunded: 50_000,
      netSpend: 150_000,
      costPerLead: 50_000,
      conversions: 1,
      conversionRateBps: 2500,
      costPerAcquisition: 200_000,
      conversionValue: 900_000,
      averageQuality: 81.2, // 325 / 4 = 81.25, half to even
    });
    expect(report[0]!.subSources.map((sub) => [sub.subSource, sub.leadsBought, sub.returnRateBps])).toEqual([
      ['brand', 3, 3333],
      [null, 1, 0],
    ]);
    expect(report[2]).toMatchObject({ sellerId: 'seller-2', leadsBought: 1, averageQuality: 70 });
  });

  it('is empty before the first purchase', () => {
    expect(buyerSourceReport([])).toEqual([]);
  });
});
