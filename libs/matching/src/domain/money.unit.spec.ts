import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
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

describe('commissionOn in doubles', () => {
  const reference = (price: number, bps: number) => {
    const numerator = BigInt(price) * BigInt(bps);
    const quotient = numerator / 10_000n;
    const twice = (numerator % 10_000n) * 2n;
    return Number(twice > 10_000n || (twice === 10_000n && quotient % 2n === 1n) ? quotient + 1n : quotient);
  };

  it('agrees with exact integer arithmetic, halves and huge prices included', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.nat(1_000_000), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
        fc.oneof(fc.constantFrom(0, 1, 5000, 9999, 10_000), fc.integer({ min: 0, max: 10_000 })),
        (price, bps) => expect(commissionOn(price, bps)).toBe(reference(price, bps)),
      ),
      { numRuns: 5000 },
    );
    expect(commissionOn(5, 1000)).toBe(0); // 0.5 → 0 (even)
    expect(commissionOn(15, 1000)).toBe(2); // 1.5 → 2 (even)
  });
});
