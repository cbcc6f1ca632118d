/** A seed as a caller writes it: a number from a test, or a label such as 'seller-7'. */
export type Seed = number | string;

/** A value and its relative weight; weights need not sum to anything in particular. */
export type Weighted<T> = readonly [value: T, weight: number];

/** 32-bit FNV-1a, so that string seeds and fork labels map to stable integers. */
export function hashSeed(seed: Seed): number {
  const text = typeof seed === 'number' ? `n:${seed}` : `s:${seed}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function splitmix32(state: number): () => number {
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

// Cumulative weights are computed once per (constant) entries array, not on every draw.
const cumulativeCache = new WeakMap<readonly Weighted<unknown>[], Float64Array>();

function cumulativeWeights(entries: readonly Weighted<unknown>[]): Float64Array {
  let cumulative = cumulativeCache.get(entries);
  if (cumulative) return cumulative;
  cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([, weight], i) => {
    if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`invalid weight ${weight}`);
    total += weight;
    cumulative![i] = total;
  });
  if (total <= 0) throw new RangeError('weighted() needs at least one positive weight');
  cumulativeCache.set(entries, cumulative);
  return cumulative;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter): passes PractRand, needs only 32-bit integer
 * arithmetic, so the same seed yields the same sequence on every platform and Node version —
 * which is the whole point of a reproducible market.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: Seed) {
    const mix = splitmix32(hashSeed(seed));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /**
   * A child stream seeded from this one's next draw: whatever the child draws, this stream's
   * sequence goes on as if only one number had been taken.
   */
  fork(label: string): SeededRandom {
    return new SeededRandom(`${this.uint32()}/${label}`);
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
      throw new RangeError(`int(${min}, ${max}) needs integers with min <= max`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(entries: readonly Weighted<T>[]): T {
    const cumulative = cumulativeWeights(entries);
    const target = this.next() * cumulative[cumulative.length - 1]!;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid]! > target) high = mid;
      else low = mid + 1;
    }
    return entries[low]![0];
  }

  /** A shuffled copy (Fisher–Yates); the input is left as it was. */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }

  /** `count` distinct items in random order (all of them if there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, count));
  }

  /** RFC 4122 version-4 shape (version nibble 4, variant 10xx), drawn from this stream. */
  uuid(): string {
    const words = [this.uint32(), this.uint32(), this.uint32(), this.uint32()];
    words[1] = (words[1]! & 0xffff0fff) | 0x00004000;
    words[2] = (words[2]! & 0x3fffffff) | 0x80000000;
    const hex = words.map((word) => (word >>> 0).toString(16).padStart(8, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
