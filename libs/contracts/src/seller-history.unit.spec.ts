import { describe, expect, it } from '@jest/globals';
import { sellerHistory, sellerHistoryScore } from './seller-history.js';

describe('seller history: one rule for the quality score and the settlement report', () => {
  it('a new seller is neutral, and its first sales cannot swing the score', () => {
    expect(sellerHistoryScore({ sold: 0, returned: 0, conversions: 0 })).toBe(50);
    expect(sellerHistoryScore({ sold: 1, returned: 1, conversions: 0 })).toBe(48);
    expect(sellerHistoryScore({ sold: 1, returned: 0, conversions: 0 })).toBe(51);
  });

  it('returns lower the score and reported conversions raise it, as sales accumulate', () => {
    const clean = sellerHistoryScore({ sold: 200, returned: 0, conversions: 0 });
    const returned = sellerHistoryScore({ sold: 200, returned: 60, conversions: 0 });
    const converting = sellerHistoryScore({ sold: 200, returned: 0, conversions: 100 });
    expect(returned).toBeLessThan(clean);
    expect(converting).toBeGreaterThan(clean);
    expect(converting).toBeLessThanOrEqual(100);
    expect(sellerHistoryScore({ sold: 200, returned: 200, conversions: 0 })).toBeGreaterThanOrEqual(0);
  });

  it('reports whole-percent rates beside the score', () => {
    expect(sellerHistory('s-1', { sold: 30, returned: 2, conversions: 7 })).toEqual({
      sellerId: 's-1',
      sold: 30,
      returned: 2,
      conversions: 7,
      returnRatePercent: 6,
      conversionRatePercent: 23,
      score: sellerHistoryScore({ sold: 30, returned: 2, conversions: 7 }),
    });
  });
});
