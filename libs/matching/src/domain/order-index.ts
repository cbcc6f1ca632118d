import { ATTRIBUTE_DIMENSIONS, type AttributeDimension } from './attribute-dimensions.js';
import { andInto, BitsetSpace, forEachSetBit, orInto, type Bitset } from './bitset.js';
import type { ListedLead, MarketOrder } from './market-model.js';

/** Finds the open orders that may match a lead; the engine checks each candidate exactly. */
export interface OrderCandidates {
  add(order: MarketOrder): void;
  remove(order: MarketOrder): void;
  /** Candidates in an unspecified but deterministic order (the engine ranks them). */
  candidatesFor(lead: ListedLead): MarketOrder[];
  readonly size: number;
}

interface DimensionBits {
  readonly dimension: AttributeDimension;
  /** Orders with no filter on this attribute. */
  readonly unconstrained: Bitset;
  /** Key → orders that accept it: those filtering for it plus the unconstrained ones. */
  readonly accept: Map<string, Bitset>;
}

/**
 * Open orders as bitsets over slots, one per (attribute, accepted key): a lead's candidates are
 * the AND over attributes of the OR of its keys' bitsets — a few hundred word operations per
 * attribute at 10 000 orders, instead of evaluating every order's filters.
 */
export class BitsetOrderIndex implements OrderCandidates {
  private readonly space = new BitsetSpace();
  private readonly occupied = this.space.create();
  private readonly dimensions: DimensionBits[];
  private readonly slots: (MarketOrder | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private scratch = new Uint32Array(0);
  private union = new Uint32Array(0);
  private count = 0;

  constructor(dimensions: readonly AttributeDimension[] = ATTRIBUTE_DIMENSIONS) {
    this.dimensions = dimensions.map((dimension) => ({
      dimension,
      unconstrained: this.space.create(),
      accept: new Map(),
    }));
  }

  get size(): number {
    return this.count;
  }

  add(order: MarketOrder): void {
    // Lowest free slot first, so that the slot layout is a function of the inputs alone.
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.slots.length;
    this.space.ensureCapacity(slot + 1);
    this.slots[slot] = order;
    order.slot = slot;
    this.occupied.set(slot);
    this.count++;
    for (const bits of this.dimensions) {
      const values = bits.dimension.orderValues(order.terms.filters, order.terms.exclusivity);
      if (values === undefined) {
        bits.unconstrained.set(slot);
        for (const accepting of bits.accept.values()) accepting.set(slot);
      } else {
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

  remove(order: MarketOrder): void {
    const slot = order.slot;
    if (slot < 0 || this.slots[slot] !== order) return;
    this.slots[slot] = undefined;
    order.slot = -1;
    this.occupied.clear(slot);
    this.count--;
    for (const bits of this.dimensions) {
      bits.unconstrained.clear(slot);
      for (const accepting of bits.accept.values()) accepting.clear(slot);
    }
    this.freeSlots.push(slot);
    this.freeSlots.sort((a, b) => b - a);
  }

  candidatesFor(lead: ListedLead): MarketOrder[] {
    const words = this.space.words;
    if (this.scratch.length !== words) {
      this.scratch = new Uint32Array(words);
      this.union = new Uint32Array(words);
    }
    const scratch = this.scratch;
    scratch.set(this.occupied.words);
    for (const bits of this.dimensions) {
      const keys = bits.dimension.leadValues(lead);
      if (keys.length === 1) {
        andInto(scratch, (bits.accept.get(keys[0]!) ?? bits.unconstrained).words);
      } else {
        const union = this.union;
        union.set(bits.unconstrained.words);
        for (const key of keys) {
          const accepting = bits.accept.get(key);
          if (accepting) orInto(union, accepting.words);
        }
        andInto(scratch, union);
      }
    }
    const found: MarketOrder[] = [];
    forEachSetBit(scratch, (slot) => found.push(this.slots[slot]!));
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

  candidatesFor(): MarketOrder[] {
    return [...this.orders.values()];
  }
}
