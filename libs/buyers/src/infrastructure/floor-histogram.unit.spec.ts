import { describe, expect, it } from '@jest/globals';
import { floorHistogram } from './market-depth.queries.js';

describe('the preview’s floor histogram', () => {
  it('has one bar per floor when the floors are few', () => {
    expect(floorHistogram([50000, 60000, 60000, 70000])).toEqual([
      { from: 50000, to: 50000, leads: 1 },
      { from: 60000, to: 60000, leads: 2 },
      { from: 70000, to: 70000, leads: 1 },
    ]);
    expect(floorHistogram([])).toEqual([]);
  });

  it('groups many floors into ten equal ranges, leaving empty ones out, every lead counted once', () => {
    const floors = [...Array.from({ length: 20 }, (_, i) => 10000 + i * 100), 99900].sort((a, b) => a - b);
    const bars = floorHistogram(floors);
    expect(bars.reduce((total, bar) => total + bar.leads, 0)).toBe(floors.length);
    expect(bars.length).toBeLessThanOrEqual(10);
    expect(bars[0]!.from).toBe(10000);
    expect(bars.at(-1)!.to).toBeGreaterThanOrEqual(99900);
    for (const bar of bars) expect(bar.leads).toBeGreaterThan(0);
  });
});
