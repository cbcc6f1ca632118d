import { describe, expect, it } from '@jest/globals';
import { commissionOn, splitPrice } from './money.js';

describe('commission in basis points, rounded half to even', () => {
  it.each([
    [10000, 1500, 1500],
    [10030, 1500, 1504], // 1504.5 → 1504 (even)
    [10010, 1500, 1502], // 1501.5 → 1502 (even)
    [10011, 1500, 1502], // 1501.65 → 1502
    [3, 5000, 2], // 1.5 → 2
    [5, 5000, 2], // 2.5 → 2
    [0, 1500, 0],
    [60000, 0, 0],
    [60000, 10000, 60000],
  ])('price %i at %i bp → %i', (price, bps, commission) => {
    expect(commissionOn(price, bps)).toBe(commission);
    expect(splitPrice(price, bps)).toEqual({ commission, proceeds: price - commission });
  });

  it('refuses fractional money', () => {
    expect(() => commissionOn(10.5, 1500)).toThrow(RangeError);
  });
});
