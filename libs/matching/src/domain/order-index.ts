import { ATTRIBUTE_DIMENSIONS, type AttributeDimension } from './attribute-dimensions.js';
import { BitsetSpace, type Bitset } from './bitset.js';
import type { ListedLead, MarketOrder, OrderTerms } from './market-model.js';

/**
 * Where the engine's search for a lead stands: an order whose (bid ceiling desc, placement asc)
 * ranks after (`bid`, `seq`) can no longer matter — its bid is below the floor or cannot enter the
 * N+1 best bids found so far. The engine raises it as it visits candidates.
 */
export interface Cutoff {
  bid: number;
  seq: number;
}

export type CandidateVisitor = (order: MarketOrder) => void;

const after = (ceiling: number, seq: number, cutoff: Cutoff): boolean =>
  ceiling < cutoff.bid || (ceiling === cutoff.bid && seq > cutoff.seq);

/** Finds the open orders that may match a lead; the engine checks each candidate exactly. */
export interface OrderCandidates {
  add(order: MarketOrder): void;
  remove(order: MarketOrder): void;
  /**
   * Visits the candidates for a lead. An index may skip every order that ranks after `cutoff` by
   * (`bidCeiling` desc, seq asc) at the time it would visit it. The visiting order is
   * deterministic, but the engine must not depend on it.
   */
  visitCandidates(lead: ListedLead, visit: CandidateVisitor, cutoff: Cutoff): void;
  /** Every candidate, for a full evaluation (the linear-scan baseline). */
  candidatesFor(lead: ListedLead): MarketOrder[];
  readonly size: number;
}

/**
 * The highest effective bid an order can ever make: base bid plus every modifier, capped by the
 * max bid, the budget and the daily and hourly spend caps. Its real bid for any lead is never above it.
 */
export function bidCeiling(terms: OrderTerms): number {
  let ceiling = terms.bid;
  for (const modifier of terms.modifiers) if (modifier.add > 0) ceiling += modifier.add;
  if (terms.maxBid !== undefined && ceiling > terms.maxBid) ceiling = terms.maxBid;
  if (ceiling > terms.budget) ceiling = terms.budget;
  if (terms.dailyCapSpend !== undefined && ceiling > terms.dailyCapSpend) ceiling = terms.dailyCapSpend;
  if (terms.hourlyCapSpend !== undefined && ceiling > terms.hourlyCapSpend) ceiling = terms.hourlyCapSpend;
  return ceiling;
}

interface DimensionBits {
  readonly dimension: AttributeDimension;
  /** Orders with no filter on this attribute. */
  readonly unconstrained: Bitset;
  /** Key → orders that accept it: those filtering for it plus the unconstrained ones. */
  readonly accept: Map<string, Bitset>;
  /** Orders placed that filter on this attribute: none, and the attribute narrows nothing. */
  constrained: number;
}

/** Lay all slots out again once runs, tail and holes reach this share of the orders. */
const RELAYOUT_SHARE = 0.5;
const RELAYOUT_MIN = 64;
/** The unsorted tail is sorted into a run once it holds this many slots. */
const RUN_SLOTS = 1024;

/**
 * Open orders as bitsets over slots, one per (attribute, accepted key): an order is a candidate
 * for a lead when, for every attribute, it accepts one of the lead's keys.
 *
 * Slots are laid out by bid ceiling, highest first (ties by placement), so a lead walks the book
 * from the top, one 32-slot word at a time — ANDing the attributes for that word only — and stops
 * as soon as the engine has the N+1 bids that beat every ceiling below. Orders added since the
 * last layout go to a tail; every 1 024 of them are sorted into a run of their own, walked the same
 * way; the (short) unsorted tail is walked in full. Holes left by removed orders stay empty. When
 * runs, tail and holes pass half the book, all slots are laid out again (amortised: a layout costs
 * about as much as adding the orders once). The layout only decides how much is walked, never the
 * result: the engine's N+1 best bids are the same whatever is visited beyond them.
 */
export class BitsetOrderIndex implements OrderCandidates {
  private space!: BitsetSpace;
  private occupied!: Bitset;
  private dimensions!: DimensionBits[];
  private slots: (MarketOrder | undefined)[] = [];
  /** Bid ceiling and placement per slot; (ceiling desc, seq asc) over the sorted region. */
  private ceilings: number[] = [];
  private seqs: number[] = [];
  /** Slots [0, sortedEnd) are sorted by ceiling; sortedEnd is a multiple of 32. */
  private sortedEnd = 0;
  private holes = 0;
  private count = 0;
  private readonly dimensionList: readonly AttributeDimension[];
  private readonly relayoutMin: number;
  private readonly runSlots: number;
  /** Starts of the sorted runs laid out after the main region (each ends where the next starts). */
  private runs: number[] = [];
  /** Where the unsorted tail starts: the end of the last run (a multiple of 32). */
  private tailStart = 0;

  /**
   * `relayoutMin`: changes below which no full layout happens; `runSlots`: size at which the
   * unsorted tail is sorted into a run of its own (tests set both small to exercise them).
   */
  constructor(
    dimensions: readonly AttributeDimension[] = ATTRIBUTE_DIMENSIONS,
    relayoutMin = RELAYOUT_MIN,
    runSlots = RUN_SLOTS,
  ) {
    this.dimensionList = dimensions;
    this.relayoutMin = relayoutMin;
    this.runSlots = Math.max(32, runSlots);
    this.reset(0);
  }

  get size(): number {
    return this.count;
  }

  private reset(capacity: number): void {
    this.space = new BitsetSpace();
    this.space.ensureCapacity(capacity);
    this.occupied = this.space.create();
    this.dimensions = this.dimensionList.map((dimension) => ({
      dimension,
      unconstrained: this.space.create(),
      accept: new Map(),
      constrained: 0,
    }));
    this.slots = [];
    this.ceilings = [];
    this.seqs = [];
    this.sortedEnd = 0;
    this.runs = [];
    this.tailStart = 0;
    this.holes = 0;
    this.count = 0;
  }

  add(order: MarketOrder): void {
    this.place(order, this.slots.length, bidCeiling(order.terms));
    if (this.slots.length - this.tailStart >= this.runSlots) this.sortTail();
    this.relayoutIfDue();
  }

  /** Everything outside the main sorted region (runs, tail) and holes, against the book's size. */
  private relayoutIfDue(): void {
    const unsorted = this.slots.length - this.sortedEnd + this.holes;
    if (unsorted > this.relayoutMin && unsorted > this.count * RELAYOUT_SHARE) this.relayout();
  }

  /** Sorts the unsorted tail into a run of its own (ceiling desc, placement asc). */
  private sortTail(): void {
    const start = this.tailStart;
    const live: { order: MarketOrder; ceiling: number }[] = [];
    for (let slot = start; slot < this.slots.length; slot++) {
      const order = this.slots[slot];
      if (order === undefined) continue;
      live.push({ order, ceiling: this.ceilings[slot]! });
      this.unplace(order);
    }
    this.slots.length = start;
    this.ceilings.length = start;
    this.seqs.length = start;
    live.sort((a, b) => b.ceiling - a.ceiling || a.order.seq - b.order.seq);
    for (let i = 0; i < live.length; i++) this.place(live[i]!.order, start + i, live[i]!.ceiling);
    this.tailStart = this.pad(start + live.length);
    if (this.tailStart > start) this.runs.push(start);
  }

  /** Pads the slots to a whole word with empty slots of the lowest ceiling; returns the end. */
  private pad(end: number): number {
    const padded = (end + 31) & ~31;
    for (let slot = end; slot < padded; slot++) {
      this.slots[slot] = undefined;
      this.ceilings[slot] = Number.NEGATIVE_INFINITY;
      this.seqs[slot] = Number.POSITIVE_INFINITY;
    }
    return padded;
  }

  private place(order: MarketOrder, slot: number, ceiling: number): void {
    this.space.ensureCapacity(slot + 1);
    this.slots[slot] = order;
    this.ceilings[slot] = ceiling;
    this.seqs[slot] = order.seq;
    order.slot = slot;
    this.occupied.set(slot);
    this.count++;
    for (const bits of this.dimensions) {
      const values = bits.dimension.orderValues(order.terms.filters, order.terms.exclusivity);
      if (values === undefined) {
        bits.unconstrained.set(slot);
        for (const accepting of bits.accept.values()) accepting.set(slot);
      } else {
        bits.constrained++;
        for (const value of values) {
          let accepting = bits.accept.get(value);
          if (accepting === undefined) {
            accepting = this.space.copyOf(bits.unconstrained);
            bits.accept.set(value, accepting);
          }
          accepting.set(slot);
        }
      }
    }
  }

  /** Lays every open order out again by ceiling desc, placement asc: a function of the orders alone. */
  private relayout(): void {
    const live: { order: MarketOrder; ceiling: number }[] = [];
    for (let slot = 0; slot < this.slots.length; slot++) {
      const order = this.slots[slot];
      if (order !== undefined) live.push({ order, ceiling: this.ceilings[slot]! });
    }
    live.sort((a, b) => b.ceiling - a.ceiling || a.order.seq - b.order.seq);
    this.reset(live.length);
    for (let slot = 0; slot < live.length; slot++) this.place(live[slot]!.order, slot, live[slot]!.ceiling);
    this.sortedEnd = this.pad(live.length);
    this.tailStart = this.sortedEnd;
  }

  /** Takes the order out of every bitset and its slot. */
  private unplace(order: MarketOrder): void {
    const slot = order.slot;
    this.slots[slot] = undefined;
    order.slot = -1;
    this.occupied.clear(slot);
    this.count--;
    for (const bits of this.dimensions) {
      if (bits.unconstrained.has(slot)) bits.unconstrained.clear(slot);
      else bits.constrained--;
      for (const accepting of bits.accept.values()) accepting.clear(slot);
    }
  }

  remove(order: MarketOrder): void {
    const slot = order.slot;
    if (slot < 0 || this.slots[slot] !== order) return;
    this.unplace(order);
    if (slot < this.tailStart) this.holes++;
    else if (slot === this.slots.length - 1) {
      // The tail shrinks back; an order added later takes the slot again.
      this.slots.length = slot;
      this.ceilings.length = slot;
      this.seqs.length = slot;
    } else this.holes++;
    this.relayoutIfDue();
  }

  /** Per attribute, the bitsets whose union holds the orders accepting one of the lead's keys. */
  private groupsFor(lead: ListedLead): { single: Uint32Array[]; multi: Uint32Array[][] } {
    const single: Uint32Array[] = [];
    const multi: Uint32Array[][] = [];
    for (const bits of this.dimensions) {
      // Every order placed accepts every key: ANDing it would change no word.
      if (bits.constrained === 0) continue;
      const leadKey = bits.dimension.leadKey;
      if (leadKey !== undefined) {
        single.push((bits.accept.get(leadKey(lead)) ?? bits.unconstrained).words);
        continue;
      }
      const keys = bits.dimension.leadValues(lead);
      if (keys.length === 1) {
        single.push((bits.accept.get(keys[0]!) ?? bits.unconstrained).words);
      } else {
        const group = [bits.unconstrained.words];
        for (const key of keys) {
          const accepting = bits.accept.get(key);
          if (accepting) group.push(accepting.words);
        }
        if (group.length === 1) single.push(group[0]!);
        else multi.push(group);
      }
    }
    return { single, multi };
  }

  visitCandidates(lead: ListedLead, visit: CandidateVisitor, cutoff: Cutoff): void {
    if (this.count === 0) return;
    const { single, multi } = this.groupsFor(lead);
    const occupied = this.occupied.words;
    const slots = this.slots;
    const ceilings = this.ceilings;
    const seqs = this.seqs;
    const wordOf = (i: number): number => {
      let word = occupied[i]!;
      for (let d = 0; d < single.length && word !== 0; d++) word &= single[d]![i]!;
      for (let d = 0; d < multi.length && word !== 0; d++) {
        const group = multi[d]!;
        let union = 0;
        for (let g = 0; g < group.length; g++) union |= group[g]![i]!;
        word &= union;
      }
      return word;
    };
    // Each sorted run (the main region first) from its highest ceiling down, until nothing below
    // can matter.
    const runCount = this.runs.length;
    for (let r = -1; r < runCount; r++) {
      const startWord = r < 0 ? 0 : this.runs[r]! >>> 5;
      const endWord = (r + 1 < runCount ? this.runs[r + 1]! : r < 0 ? this.sortedEnd : this.tailStart) >>> 5;
      run: for (let i = startWord; i < endWord; i++) {
        if (after(ceilings[i << 5]!, seqs[i << 5]!, cutoff)) break;
        let word = wordOf(i);
        while (word !== 0) {
          const low = word & -word;
          word ^= low;
          const slot = (i << 5) + (31 - Math.clz32(low));
          if (after(ceilings[slot]!, seqs[slot]!, cutoff)) break run;
          visit(slots[slot]!);
        }
      }
    }
    // Then the unsorted tail (orders added since the last layout), skipping what cannot matter.
    const totalWords = (slots.length + 31) >>> 5;
    for (let i = this.tailStart >>> 5; i < totalWords; i++) {
      let word = wordOf(i);
      while (word !== 0) {
        const low = word & -word;
        word ^= low;
        const slot = (i << 5) + (31 - Math.clz32(low));
        if (!after(ceilings[slot]!, seqs[slot]!, cutoff)) visit(slots[slot]!);
      }
    }
  }

  candidatesFor(lead: ListedLead): MarketOrder[] {
    const found: MarketOrder[] = [];
    const none: Cutoff = { bid: Number.NEGATIVE_INFINITY, seq: Number.POSITIVE_INFINITY };
    this.visitCandidates(lead, (order) => found.push(order), none);
    return found;
  }
}

/** The baseline the index is measured against: every open order is a candidate. */
export class LinearScanOrders implements OrderCandidates {
  private readonly orders = new Map<string, MarketOrder>();

  get size(): number {
    return this.orders.size;
  }

  add(order: MarketOrder): void {
    this.orders.set(order.orderId, order);
  }

  remove(order: MarketOrder): void {
    this.orders.delete(order.orderId);
  }

  visitCandidates(_lead: ListedLead, visit: CandidateVisitor): void {
    for (const order of this.orders.values()) visit(order);
  }

  candidatesFor(): MarketOrder[] {
    return [...this.orders.values()];
  }
}
