import { describe, expect, it } from '@jest/globals';
import { MinHeap } from './min-heap.js';

describe('MinHeap', () => {
  it('pops in order, whatever the order of pushes and pops', () => {
    const heap = new MinHeap<number>((a, b) => a < b);
    const reference: number[] = [];
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let step = 0; step < 5_000; step++) {
      if (next() % 3 !== 0 || reference.length === 0) {
        const value = next() % 1_000;
        heap.push(value);
        reference.push(value);
      } else {
        reference.sort((a, b) => a - b);
        expect(heap.pop()).toBe(reference.shift());
      }
      expect(heap.size).toBe(reference.length);
    }
    reference.sort((a, b) => a - b);
    const drained: number[] = [];
    for (let value = heap.pop(); value !== undefined; value = heap.pop()) drained.push(value);
    expect(drained).toEqual(reference);
    expect(heap.peek()).toBeUndefined();
  });

  it('arranges items given at construction into a heap that pops them in order', () => {
    for (const size of [0, 1, 2, 3, 10, 257]) {
      const items = Array.from({ length: size }, (_, i) => (i * 7919) % 263);
      const heap = new MinHeap<number>((a, b) => a < b, [...items]);
      const drained: number[] = [];
      for (let value = heap.pop(); value !== undefined; value = heap.pop()) drained.push(value);
      expect(drained).toEqual([...items].sort((a, b) => a - b));
    }
  });
});
