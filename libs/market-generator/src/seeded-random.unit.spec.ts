import { describe, expect, it } from '@jest/globals';

import { SeededRandom } from './seeded-random.js';

const draws = (rng: SeededRandom, count: number) => Array.from({ length: count }, () => rng.uint32());

describe('SeededRandom', () => {
  it('repeats its sequence for the same seed and not for another', () => {
    expect(draws(new SeededRandom(42), 50)).toEqual(draws(new SeededRandom(42), 50));
    expect(draws(new SeededRandom(42), 50)).not.toEqual(draws(new SeededRandom(43), 50));
    expect(draws(new SeededRandom('42'), 50)).not.toEqual(draws(new SeededRandom(42), 50));
  });

  it('pins its output, so fixtures generated today are the ones generated next year', () => {
    const rng = new SeededRandom('pinned');
    expect([rng.int(0, 1_000_000), rng.int(0, 1_000_000), rng.uuid()]).toEqual([
      148901,
      271477,
      '340d67eb-2413-4424-8145-e9b115fe8d02',
    ]);
    expect(draws(new SeededRandom(42), 2)).toEqual([2584463071, 3083680060]);
  });

  it('draws integers inside both bounds, reaching each of them', () => {
    const rng = new SeededRandom(7);
    const seen = new Set(Array.from({ length: 5000 }, () => rng.int(-3, 3)));
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(() => rng.int(2, 1)).toThrow(RangeError);
    expect(() => rng.int(0.5, 1)).toThrow(RangeError);
  });

  it('keeps next() in [0, 1)', () => {
    const rng = new SeededRandom(9);
    const values = Array.from({ length: 10_000 }, () => rng.next());
    expect(values.filter((value) => !(value >= 0 && value < 1))).toEqual([]);
    expect(Math.min(...values)).toBeLessThan(0.001);
    expect(Math.max(...values)).toBeGreaterThan(0.999);
  });

  it('follows the weights, never picking a zero-weight entry', () => {
    const rng = new SeededRandom(11);
    const entries = [
      ['a', 1],
      ['never', 0],
      ['b', 3],
    ] as const;
    const counts = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 40_000; i++) counts[rng.weighted(entries)]++;
    expect(counts.never).toBe(0);
    expect(counts.b / 40_000).toBeCloseTo(0.75, 1);
    expect(() => rng.weighted([['x', 0]])).toThrow(RangeError);
  });

  it('answers chance(0) never and chance(1) always', () => {
    const rng = new SeededRandom(13);
    const results = Array.from({ length: 1000 }, () => [rng.chance(0), rng.chance(1)]);
    expect(results.every(([never, always]) => !never && always)).toBe(true);
  });

  it('shuffles into a permutation without touching the input', () => {
    const input = Array.from({ length: 100 }, (_, i) => i);
    const shuffled = new SeededRandom(17).shuffle(input);
    expect(input).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(shuffled).not.toEqual(input);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(input);
    expect(new SeededRandom(17).sample(input, 5)).toEqual(shuffled.slice(0, 5));
  });

  it('makes distinct version-4 UUIDs', () => {
    const rng = new SeededRandom(19);
    const ids = Array.from({ length: 10_000 }, () => rng.uuid());
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(ids.filter((id) => !v4.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('forks streams that are reproducible and differ from the parent', () => {
    const parent = new SeededRandom(23);
    const child = parent.fork('orders');
    const again = new SeededRandom(23).fork('orders');
    expect(draws(child, 20)).toEqual(draws(again, 20));
    expect(draws(new SeededRandom(23).fork('leads'), 20)).not.toEqual(
      draws(new SeededRandom(23).fork('orders'), 20),
    );
  });
});
