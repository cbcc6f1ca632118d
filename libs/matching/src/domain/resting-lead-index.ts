import { ATTRIBUTE_DIMENSIONS, type AttributeDimension } from './attribute-dimensions.js';
import { andInto, BitsetSpace, forEachSetBit, orInto, type Bitset } from './bitset.js';
import type { ListedLead, MarketOrder } from './market-model.js';
import { MinHeap } from './min-heap.js';

/**
 * Leads resting unsold, as bitsets over slots, one per (attribute, key the lead has): an
 * arriving order's candidates are the AND, over the attributes it filters on, of the OR of the
 * keys it accepts. Candidates come back in no particular order: the engine ranks them.
 */
export class RestingLeadIndex {
  private readonly space = new BitsetSpace();
  private readonly occupied = this.space.create();
  private readonly keyed: { dimension: AttributeDimension; has: Map<string, Bitset> }[];
  private readonly slots: (ListedLead | undefined)[] = [];
  /** Freed slots, lowest first, so the bitsets stay as short as the leads resting. */
  private readonly freeSlots = new MinHeap<number>((a, b) => a < b);
  private count = 0;

  constructor(dimensions: readonly AttributeDimension[] = ATTRIBUTE_DIMENSIONS) {
    this.keyed = dimensions.map((dimension) => ({ dimension, has: new Map() }));
  }

  get size(): number {
    return this.count;
  }

  add(lead: ListedLead): void {
    if (lead.restingSlot >= 0) return;
    const slot = this.freeSlots.pop() ?? this.slots.length;
    this.space.ensureCapacity(slot + 1);
    this.slots[slot] = lead;
    lead.restingSlot = slot;
    this.occupied.set(slot);
    this.count++;
    for (const { dimension, has } of this.keyed) {
      for (const key of dimension.leadValues(lead)) {
        let holders = has.get(key);
        if (holders === undefined) {
          holders = this.space.create();
          has.set(key, holders);
        }
        holders.set(slot);
      }
    }
  }

  remove(lead: ListedLead): void {
    const slot = lead.restingSlot;
    if (slot < 0 || this.slots[slot] !== lead) return;
    this.slots[slot] = undefined;
    lead.restingSlot = -1;
    this.occupied.clear(slot);
    this.count--;
    for (const { dimension, has } of this.keyed) {
      for (const key of dimension.leadValues(lead)) has.get(key)?.clear(slot);
    }
    this.freeSlots.push(slot);
  }

  candidatesFor(order: MarketOrder): ListedLead[] {
    if (this.count === 0) return [];
    const words = this.space.words;
    const scratch = new Uint32Array(words);
    scratch.set(this.occupied.words);
    const union = new Uint32Array(words);
    for (const { dimension, has } of this.keyed) {
      const keys = dimension.orderValues(order.terms.filters, order.terms.exclusivity);
      if (keys === undefined) continue;
      union.fill(0);
      for (const key of keys) {
        const holders = has.get(key);
        if (holders) orInto(union, holders.words);
      }
      andInto(scratch, union);
    }
    const found: ListedLead[] = [];
    forEachSetBit(scratch, (slot) => found.push(this.slots[slot]!));
    return found;
  }
}
