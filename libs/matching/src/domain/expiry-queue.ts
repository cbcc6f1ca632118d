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
