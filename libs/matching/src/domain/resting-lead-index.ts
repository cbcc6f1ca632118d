import { ATTRIBUTE_DIMENSIONS, type AttributeDimension } from './attribute-dimensions.js';
import { andInto, BitsetSpace, forEachSetBit, orInto, type Bitset } from './bitset.js';
import type { LeadFacts, ListedLead, MarketOrder } from './market-model.js';
import { MinHeap } from './min-heap.js';

const NO_BUYERS: ReadonlySet<string> = new Set();
const NONE = -1;

/** Each distinct string once, referred to by its number (attribute values, sellers, currencies). */
class StringTable {
  private readonly ids = new Map<string, number>();
  private readonly values: string[] = [];

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  /** The number of a string already stored, without storing it. */
  find(value: string): number | undefined {
    return this.ids.get(value);
  }

  idOrNone(value: string | null): number {
    return value === null ? NONE : this.id(value);
  }

  value(id: number): string {
    return this.values[id]!;
  }

  valueOrNull(id: number): string | null {
    return id === NONE ? null : this.values[id]!;
  }
}

/** Lists of interests, each distinct list (in its order) once. */
class ListTable {
  private readonly ids = new Map<string, number>();
  private readonly lists: (readonly string[])[] = [];

  id(list: readonly string[]): number {
    const key = JSON.stringify(list);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.lists.length;
      this.lists.push(Object.freeze([...list]));
      this.ids.set(key, id);
    }
    return id;
  }

  list(id: number): readonly string[] {
    return this.lists[id]!;
  }
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(column: T, capacity: number): T {
  const next = new (column.constructor as new (length: number) => T)(capacity);
  next.set(column);
  return next;
}

/** The interned attribute values each slot keeps in `values`. */
const VALUES_PER_SLOT = 10;

/**
 * Leads resting unsold, kept as columns over slots — typed arrays, with attribute values,
 * sellers and interest lists interned — instead of one object per lead: a market holds up to
 * hundreds of thousands of them. A lead comes back as a `ListedLead` (a fresh object) only when
 * the engine needs one. Beside the columns, one bitset per (attribute, key the lead has): an
 * arriving order's candidates are the AND, over the attributes it filters on, of the OR of the
 * keys it accepts. Candidates come back as slots, in ascending slot order: the engine ranks them.
 */
export class RestingLeadIndex {
  private readonly space = new BitsetSpace();
  private readonly occupied = this.space.create();
  private readonly keyed: { dimension: AttributeDimension; has: Map<string, Bitset> }[];
  /** Freed slots, lowest first, so the bitsets stay as short as the leads resting. */
  private readonly freeSlots = new MinHeap<number>((a, b) => a < b);
  private count = 0;
  private end = 0;
  private capacity = 0;
  private readonly strings = new StringTable();
  private readonly interestLists = new ListTable();
  // The columns, one entry per slot.
  private leadIds: (string | undefined)[] = [];
  /** A lead's fingerprints (phone's first), in two columns: no array per lead. */
  private firstFingerprints: (string | undefined)[] = [];
  private secondFingerprints: (string | undefined)[] = [];
  private seqs = new Float64Array(0);
  private floors = new Float64Array(0);
  private expiries = new Float64Array(0);
  private capturedAt = new Float64Array(0);
  private qualities = new Float64Array(0);
  private sellerQualities = new Float64Array(0);
  private ages = new Float64Array(0);
  private sellers = new Int32Array(0);
  /** The lead's batch (interned; -1 when the lead carries none). */
  private batches = new Int32Array(0);
  private currencies = new Int32Array(0);
  private maxSales = new Int32Array(0);
  private salesMade = new Int32Array(0);
  /** Interned values of gender, country, region, postal prefix, employment, marital status, stage, source channel, source, sub-source. */
  private values = new Int32Array(0);
  private interests = new Int32Array(0);
  /** Bits: 1 exclusive, 2 phone present, 4 phone verified, 8 e-mail present, 16 e-mail verified. */
  private flags = new Uint8Array(0);
  /** Buyers of the partly sold (shared) leads that rest; most resting leads have none. */
  private readonly buyers = new Map<number, Set<string>>();

  constructor(dimensions: readonly AttributeDimension[] = ATTRIBUTE_DIMENSIONS) {
    this.keyed = dimensions.map((dimension) => ({ dimension, has: new Map() }));
  }

  get size(): number {
    return this.count;
  }

  private ensureCapacity(slots: number): void {
    this.space.ensureCapacity(slots);
    if (slots <= this.capacity) return;
    let next = Math.max(64, this.capacity);
    while (next < slots) next *= 2;
    this.seqs = grown(this.seqs, next);
    this.floors = grown(this.floors, next);
    this.expiries = grown(this.expiries, next);
    this.capturedAt = grown(this.capturedAt, next);
    this.qualities = grown(this.qualities, next);
    this.sellerQualities = grown(this.sellerQualities, next);
    this.ages = grown(this.ages, next);
    this.sellers = grown(this.sellers, next);
    this.currencies = grown(this.currencies, next);
    this.maxSales = grown(this.maxSales, next);
    this.salesMade = grown(this.salesMade, next);
    this.batches = grown(this.batches, next);
    this.values = grown(this.values, next * VALUES_PER_SLOT);
    this.interests = grown(this.interests, next);
    this.flags = grown(this.flags, next);
    this.capacity = next;
  }

  /** Stores the lead (its facts must be set) and returns its slot. */
  add(lead: ListedLead): number {
    if (lead.restingSlot >= 0) return lead.restingSlot;
    const facts = lead.facts;
    if (facts === undefined) throw new TypeError('a resting lead needs its facts');
    const slot = this.freeSlots.pop() ?? this.end++;
    this.ensureCapacity(slot + 1);
    const strings = this.strings;
    this.leadIds[slot] = lead.leadId;
    if (lead.fingerprints.length > 2) throw new RangeError('a lead has at most two fingerprints');
    this.firstFingerprints[slot] = lead.fingerprints[0];
    this.secondFingerprints[slot] = lead.fingerprints[1];
    this.seqs[slot] = lead.seq;
    this.floors[slot] = lead.floor;
    this.expiries[slot] = lead.expiresAtMs;
    this.capturedAt[slot] = lead.capturedAtMs;
    this.qualities[slot] = lead.quality;
    this.sellerQualities[slot] = lead.sellerQuality;
    this.ages[slot] = facts.age;
    this.sellers[slot] = strings.id(lead.sellerId);
    this.batches[slot] = lead.batchId === undefined ? -1 : strings.id(lead.batchId);
    this.currencies[slot] = strings.id(lead.currency);
    this.maxSales[slot] = lead.maxSales;
    this.salesMade[slot] = lead.salesMade;
    const at = slot * VALUES_PER_SLOT;
    this.values[at] = strings.idOrNone(facts.gender);
    this.values[at + 1] = strings.id(facts.country);
    this.values[at + 2] = strings.idOrNone(facts.region);
    this.values[at + 3] = strings.idOrNone(facts.postalPrefix);
    this.values[at + 4] = strings.idOrNone(facts.employment);
    this.values[at + 5] = strings.idOrNone(facts.maritalStatus);
    this.values[at + 6] = strings.id(facts.stage);
    this.values[at + 7] = strings.id(facts.sourceChannel);
    this.values[at + 8] = strings.idOrNone(facts.source);
    this.values[at + 9] = strings.idOrNone(facts.subSource);
    this.interests[slot] = this.interestLists.id(facts.interests);
    this.flags[slot] =
      (lead.exclusive ? 1 : 0) |
      (facts.phonePresent ? 2 : 0) |
      (facts.phoneVerified ? 4 : 0) |
      (facts.emailPresent ? 8 : 0) |
      (facts.emailVerified ? 16 : 0);
    if (lead.buyers.size > 0) this.buyers.set(slot, new Set(lead.buyers));
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
    return slot;
  }

  /** Whether `slot` holds the lead listed at `seq` (slots are reused once a lead leaves). */
  holds(slot: number, seq: number): boolean {
    return slot >= 0 && slot < this.end && this.occupied.has(slot) && this.seqs[slot] === seq;
  }

  leadIdAt(slot: number): string {
    return this.leadIds[slot]!;
  }

  seqAt(slot: number): number {
    return this.seqs[slot]!;
  }

  floorAt(slot: number): number {
    return this.floors[slot]!;
  }

  qualityAt(slot: number): number {
    return this.qualities[slot]!;
  }

  capturedAtMs(slot: number): number {
    return this.capturedAt[slot]!;
  }

  /** The facts of the lead in `slot`, as listed (a fresh object, interned values). */
  factsAt(slot: number): LeadFacts {
    const strings = this.strings;
    const at = slot * VALUES_PER_SLOT;
    const flags = this.flags[slot]!;
    return {
      age: this.ages[slot]!,
      gender: strings.valueOrNull(this.values[at]!),
      country: strings.value(this.values[at + 1]!),
      region: strings.valueOrNull(this.values[at + 2]!),
      postalPrefix: strings.valueOrNull(this.values[at + 3]!),
      phonePresent: (flags & 2) !== 0,
      phoneVerified: (flags & 4) !== 0,
      emailPresent: (flags & 8) !== 0,
      emailVerified: (flags & 16) !== 0,
      employment: strings.valueOrNull(this.values[at + 4]!),
      maritalStatus: strings.valueOrNull(this.values[at + 5]!),
      interests: this.interestLists.list(this.interests[slot]!),
      stage: strings.value(this.values[at + 6]!),
      sourceChannel: strings.value(this.values[at + 7]!),
      source: strings.valueOrNull(this.values[at + 8]!),
      subSource: strings.valueOrNull(this.values[at + 9]!),
    };
  }

  /** The lead in `slot` as the engine matches it: a fresh object, status available. */
  leadAt(slot: number): ListedLead {
    const first = this.firstFingerprints[slot];
    const second = this.secondFingerprints[slot];
    const fingerprints = first === undefined ? [] : second === undefined ? [first] : [first, second];
    const buyers = this.buyers.get(slot);
    const batch = this.batches[slot]!;
    return {
      leadId: this.leadIds[slot]!,
      sellerId: this.strings.value(this.sellers[slot]!),
      ...(batch < 0 ? {} : { batchId: this.strings.value(batch) }),
      seq: this.seqs[slot]!,
      facts: this.factsAt(slot),
      floor: this.floors[slot]!,
      currency: this.strings.value(this.currencies[slot]!),
      exclusive: (this.flags[slot]! & 1) !== 0,
      maxSales: this.maxSales[slot]!,
      expiresAtMs: this.expiries[slot]!,
      capturedAtMs: this.capturedAt[slot]!,
      quality: this.qualities[slot]!,
      sellerQuality: this.sellerQualities[slot]!,
      fingerprints,
      salesMade: this.salesMade[slot]!,
      buyers: buyers === undefined ? NO_BUYERS : new Set(buyers),
      status: 'available',
      restingSlot: slot,
    };
  }

  /** A sale of the resting lead in `slot` (the engine updates its own copy of the lead). */
  recordSale(slot: number, buyerId: string): void {
    this.salesMade[slot]!++;
    let buyers = this.buyers.get(slot);
    if (buyers === undefined) {
      buyers = new Set();
      this.buyers.set(slot, buyers);
    }
    buyers.add(buyerId);
  }

  remove(slot: number): void {
    if (slot < 0 || slot >= this.end || !this.occupied.has(slot)) return;
    const lead = this.leadAt(slot);
    this.occupied.clear(slot);
    this.count--;
    for (const { dimension, has } of this.keyed) {
      for (const key of dimension.leadValues(lead)) has.get(key)?.clear(slot);
    }
    this.leadIds[slot] = undefined;
    this.firstFingerprints[slot] = undefined;
    this.secondFingerprints[slot] = undefined;
    this.buyers.delete(slot);
    this.freeSlots.push(slot);
  }

  /** The slots of the resting leads listed from `batchId`, in listing order (a scan: holds are rare). */
  slotsOfBatch(batchId: string): number[] {
    const id = this.strings.find(batchId);
    if (id === undefined) return [];
    const found: number[] = [];
    forEachSetBit(this.occupied.words, (slot) => {
      if (this.batches[slot] === id) found.push(slot);
    });
    return found.sort((a, b) => this.seqs[a]! - this.seqs[b]!);
  }

  /**
   * The slots of the resting leads of the seller's source (null: its untagged leads), in listing
   * order (a scan: source holds and verifications are rare).
   */
  slotsOfSource(sellerId: string, source: string | null): number[] {
    const seller = this.strings.find(sellerId);
    if (seller === undefined) return [];
    const tag = source === null ? NONE : this.strings.find(source);
    if (tag === undefined) return [];
    const found: number[] = [];
    forEachSetBit(this.occupied.words, (slot) => {
      if (this.sellers[slot] === seller && this.values[slot * VALUES_PER_SLOT + 8] === tag) found.push(slot);
    });
    return found.sort((a, b) => this.seqs[a]! - this.seqs[b]!);
  }

  /** The slots of the resting leads the order may take, ascending. */
  candidatesFor(order: MarketOrder): number[] {
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
    const found: number[] = [];
    forEachSetBit(scratch, (slot) => found.push(slot));
    return found;
  }
}
