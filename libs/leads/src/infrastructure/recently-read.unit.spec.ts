import { describe, expect, it } from '@jest/globals';
import { recentlyRead } from './recently-read.js';

describe('recentlyRead', () => {
  const counting = () => {
    const reads: string[] = [];
    let fail = false;
    return {
      reads,
      failNext: () => (fail = true),
      read: async (key: string) => {
        reads.push(key);
        if (fail) {
          fail = false;
          throw new Error('down');
        }
        return `${key}#${reads.length}`;
      },
    };
  };

  it('answers from memory within its time, per key, and reads again after', async () => {
    let clock = 0;
    const source = counting();
    const cached = recentlyRead(5000, source.read, () => clock);
    expect(await cached('a')).toBe('a#1');
    clock = 4999;
    expect(await cached('a')).toBe('a#1');
    expect(await cached('b')).toBe('b#2');
    clock = 5000;
    expect(await cached('a')).toBe('a#3');
    expect(source.reads).toEqual(['a', 'b', 'a']);
  });

  it('lets concurrent callers share one read', async () => {
    const source = counting();
    const cached = recentlyRead(1000, source.read, () => 0);
    expect(await Promise.all([cached('a'), cached('a'), cached('a')])).toEqual(['a#1', 'a#1', 'a#1']);
    expect(source.reads).toEqual(['a']);
  });

  it('keeps no failure: the next caller reads again', async () => {
    const source = counting();
    const cached = recentlyRead(1000, source.read, () => 0);
    source.failNext();
    await expect(cached('a')).rejects.toThrow('down');
    expect(await cached('a')).toBe('a#2');
  });
});
