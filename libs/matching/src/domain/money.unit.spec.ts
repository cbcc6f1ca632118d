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

describe('splitting a price between the seller and the exchange', () => {
  it('commission plus the seller’s net is the price, and rounding moves at most half a minor unit', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.nat(1_000_000), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
        fc.integer({ min: 0, max: 10_000 }),
        (price, bps) => {
          const { commission, proceeds } = splitPrice(price, bps);
          expect(commission + proceeds).toBe(price);
          expect(commission).toBeGreaterThanOrEqual(0);
          expect(proceeds).toBeGreaterThanOrEqual(0);
          // |commission − price·bps/10000| ≤ ½, in exact integers: |20000·commission − 2·price·bps| ≤ 10000.
          const error = 20_000n * BigInt(commission) - 2n * BigInt(price) * BigInt(bps);
          expect(error <= 10_000n && error >= -10_000n).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('an exact half rounds to the even commission, so over many sales neither side gains', () => {
    // 0.5, 1.5, 2.5, 3.5 → 0, 2, 2, 4: the halves sum to what was owed, 8 = 0.5 + 1.5 + 2.5 + 3.5.
    const halves = [1, 3, 5, 7].map((price) => commissionOn(price, 5000));
    expect(halves).toEqual([0, 2, 2, 4]);
    expect(halves.reduce((sum, c) => sum + c, 0)).toBe(8);
  });

  it.each([
    [-1, 1500, 'price must be minor units, got -1'],
    [Number.MAX_SAFE_INTEGER + 1, 1500, `price must be minor units, got ${Number.MAX_SAFE_INTEGER + 1}`],
    [10.5, 1500, 'price must be minor units, got 10.5'],
    [1000, -1, 'basis points must be 0..10000, got -1'],
    [1000, 10_001, 'basis points must be 0..10000, got 10001'],
    [1000, 12.5, 'basis points must be 0..10000, got 12.5'],
  ])('refuses price %p at %p bp: %s', (price, bps, message) => {
    expect(() => commissionOn(price, bps)).toThrow(new RangeError(message));
  });

  it('accepts the boundaries: a free lead, no commission and the whole price as commission', () => {
    expect(splitPrice(0, 10_000)).toEqual({ commission: 0, proceeds: 0 });
    expect(splitPrice(Number.MAX_SAFE_INTEGER, 0)).toEqual({
      commission: 0,
      proceeds: Number.MAX_SAFE_INTEGER,
    });
    expect(splitPrice(777, 10_000)).toEqual({ commission: 777, proceeds: 0 });
  });
});
