/**
 * Fixed-width bitsets over slot numbers, all of one width, grown together. The order index and
 * the resting-lead index are made of them: one per (attribute, value).
 */
export class BitsetSpace {
  private wordCount = 8;
  private readonly members: Bitset[] = [];

  get words(): number {
    return this.wordCount;
  }

  create(): Bitset {
    const bitset = new Bitset(new Uint32Array(this.wordCount));
    this.members.push(bitset);
    return bitset;
  }

  /** A copy that stays in the space (grows with it). */
  copyOf(source: Bitset): Bitset {
    const bitset = this.create();
    bitset.words.set(source.words);
    return bitset;
  }

  /** Makes room for slot numbers below `slots`. */
  ensureCapacity(slots: number): void {
    const needed = Math.ceil(slots / 32);
    if (needed <= this.wordCount) return;
    let next = this.wordCount;
    while (next < needed) next *= 2;
    for (const member of this.members) {
      const grown = new Uint32Array(next);
      grown.set(member.words);
      member.words = grown;
    }
    this.wordCount = next;
  }
}

export class Bitset {
  constructor(public words: Uint32Array) {}

  set(slot: number): void {
    this.words[slot >>> 5]! |= 1 << (slot & 31);
  }

  clear(slot: number): void {
    this.words[slot >>> 5]! &= ~(1 << (slot & 31));
  }

  has(slot: number): boolean {
    return (this.words[slot >>> 5]! & (1 << (slot & 31))) !== 0;
  }
}

/** target := source */
export function copyInto(target: Uint32Array, source: Uint32Array): void {
  target.set(source);
}

/** target &= source */
export function andInto(target: Uint32Array, source: Uint32Array): void {
  for (let i = 0; i < target.length; i++) target[i]! &= source[i]!;
}

/** target |= source */
export function orInto(target: Uint32Array, source: Uint32Array): void {
  for (let i = 0; i < target.length; i++) target[i]! |= source[i]!;
}

/** Calls `visit` for every set bit, in ascending slot order. */
export function forEachSetBit(words: Uint32Array, visit: (slot: number) => void): void {
  for (let i = 0; i < words.length; i++) {
    let word = words[i]!;
    while (word !== 0) {
      const low = word & -word;
      visit((i << 5) + (31 - Math.clz32(low)));
      word ^= low;
    }
  }
}
