import { MinHeap } from './min-heap.js';

/** A binary min-heap of (instant, sequence, id): what expires first, ties in log order. */
export interface ExpiryEntry {
  readonly atMs: number;
  readonly seq: number;
  readonly id: string;
}

export class ExpiryQueue {
  private readonly heap = new MinHeap<ExpiryEntry>(before);

  get size(): number {
    return this.heap.size;
  }

  push(entry: ExpiryEntry): void {
    this.heap.push(entry);
  }

  /** Removes and returns every entry due at or before `nowMs`, earliest first. */
  popDue(nowMs: number): ExpiryEntry[] {
    const due: ExpiryEntry[] = [];
    while (this.heap.size > 0 && this.heap.peek()!.atMs <= nowMs) due.push(this.heap.pop()!);
    return due;
  }
}

function before(a: ExpiryEntry, b: ExpiryEntry): boolean {
  return a.atMs !== b.atMs ? a.atMs < b.atMs : a.seq < b.seq;
}

/** A due entry of a `SlotExpiryQueue`. */
export interface SlotExpiry {
  readonly atMs: number;
  readonly seq: number;
  readonly slot: number;
}

/**
 * The same queue for resting leads, as typed arrays (no object per entry): (instant, sequence,
 * slot), earliest first, ties in log order. A slot may hold another lead by the time its entry
 * is due: the sequence tells them apart.
 */
export class SlotExpiryQueue {
  private atMs = new Float64Array(64);
  private seqs = new Float64Array(64);
  private slots = new Int32Array(64);
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(atMs: number, seq: number, slot: number): void {
    if (this.count === this.atMs.length) this.grow();
    let index = this.count++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!earlier(atMs, seq, this.atMs[parent]!, this.seqs[parent]!)) break;
      this.move(parent, index);
      index = parent;
    }
    this.atMs[index] = atMs;
    this.seqs[index] = seq;
    this.slots[index] = slot;
  }

  /** Removes and returns every entry due at or before `nowMs`, earliest first. */
  popDue(nowMs: number): SlotExpiry[] {
    const due: SlotExpiry[] = [];
    while (this.count > 0 && this.atMs[0]! <= nowMs) {
      due.push({ atMs: this.atMs[0]!, seq: this.seqs[0]!, slot: this.slots[0]! });
      this.popTop();
    }
    return due;
  }

  private popTop(): void {
    const last = --this.count;
    if (last === 0) return;
    const atMs = this.atMs[last]!;
    const seq = this.seqs[last]!;
    const slot = this.slots[last]!;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      if (left >= last) break;
      const right = left + 1;
      const first =
        right < last && earlier(this.atMs[right]!, this.seqs[right]!, this.atMs[left]!, this.seqs[left]!)
          ? right
          : left;
      if (!earlier(this.atMs[first]!, this.seqs[first]!, atMs, seq)) break;
      this.move(first, index);
      index = first;
    }
    this.atMs[index] = atMs;
    this.seqs[index] = seq;
    this.slots[index] = slot;
  }

  private move(from: number, to: number): void {
    this.atMs[to] = this.atMs[from]!;
    this.seqs[to] = this.seqs[from]!;
    this.slots[to] = this.slots[from]!;
  }

  private grow(): void {
    const size = this.atMs.length * 2;
    const atMs = new Float64Array(size);
    const seqs = new Float64Array(size);
    const slots = new Int32Array(size);
    atMs.set(this.atMs);
    seqs.set(this.seqs);
    slots.set(this.slots);
    this.atMs = atMs;
    this.seqs = seqs;
    this.slots = slots;
  }
}

function earlier(atMs: number, seq: number, otherAtMs: number, otherSeq: number): boolean {
  return atMs !== otherAtMs ? atMs < otherAtMs : seq < otherSeq;
}
