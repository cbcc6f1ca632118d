/**
 * `npm run bench:canonical-json`: `canonicalJson` (libs/canonical-json) against the implementation
 * it replaced (`previousCanonicalJson`, copied below unchanged), in the same run, on the same
 * payloads, in alternating rounds.
 *
 * Payloads: 2 000 seeded pseudo-random events shaped as the hash chain hashes them
 * (`{id, type, stream, data, metadata}`, see libs/event-store/src/hash-chain.ts): half
 * `LeadListed`-like (≈ 50 keys in nested objects, hex fingerprints, a 300-character ciphertext,
 * Cyrillic text), half `LeadAllocated`-like (≈ 20 keys and an array of competing bids). Each set
 * is hashed in two key orders:
 *  - `written`: keys in the order the code builds the event (what an append hashes);
 *  - `readBack`: keys in PostgreSQL jsonb order (shorter keys first, then bytewise), as
 *    hash-chain verification and replay read the events back.
 * Both implementations must write identical text for every payload (checked before timing).
 *
 * LX_BENCH_SECONDS: measured time per round and implementation (default 1); 5 rounds each,
 * alternating (ABAB…), median reported. No database is needed.
 */
import {
  benchSeconds,
  formatNumber,
  formatTable,
  machineInfo,
  median,
  now,
  printJsonLine,
  round,
} from './bench-support.js';
import { canonicalJson } from '#lx/canonical-json';
import { seededRandom } from '../libs/canonical-json/src/testing/seeded-random.js';

const EVENTS = 2_000;
const ROUNDS = 5;

/** The implementation before the fast paths (libs/canonical-json at f105012), the baseline. */
function previousCanonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          if (i in value) out += previousCanonicalJson(value[i]);
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += `${JSON.stringify(key)}:${previousCanonicalJson(item)}`;
      }
      return `${out}}`;
    }
    default: {
      const text = JSON.stringify(value);
      return text === undefined ? 'null' : text;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Payloads

// Seeded, so every run hashes the same events.
const random = seededRandom(2024);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const hex = (length: number): string => {
  let text = '';
  for (let i = 0; i < length; i++) text += '0123456789abcdef'[Math.floor(random() * 16)];
  return text;
};
const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
const iso = (): string => new Date(1_700_000_000_000 + Math.floor(random() * 1e10)).toISOString();
const money = (): number => Math.round(random() * 100_000) / 100;
const metadata = (): Record<string, unknown> => ({
  correlationId: uuid(),
  causationId: uuid(),
  actor: { kind: pick(['seller', 'buyer', 'system']), id: uuid() },
  at: iso(),
});

function leadListed(): Record<string, unknown> {
  const leadId = uuid();
  return {
    id: uuid(),
    type: 'LeadListed',
    stream: `lead-${leadId}`,
    data: {
      leadId,
      sellerId: uuid(),
      batchId: uuid(),
      attributes: {
        vertical: pick(['insurance', 'credit', 'education', 'real_estate']),
        age: 18 + Math.floor(random() * 60),
        gender: pick(['female', 'male', 'non_binary']),
        country: 'RU',
        region: pick(['Москва', 'Moscow Oblast', 'Санкт-Петербург', 'Tatarstan']),
        postalPrefix: String(100 + Math.floor(random() * 900)),
        contacts: {
          phone: { present: true, verified: random() < 0.8 },
          email: { present: true, verified: false },
        },
        employment: pick(['employed', 'self_employed', 'student']),
        maritalStatus: pick(['married', 'single']),
        interests: ['auto', 'home', 'life', 'travel'].slice(0, 1 + Math.floor(random() * 4)),
        stage: pick(['IQL', 'MQL', 'SQL']),
        sourceChannel: pick(['search', 'social', 'referral', 'other']),
        capturedAt: iso(),
      },
      floor: money(),
      currency: 'RUB',
      exclusivity: random() < 0.5 ? { kind: 'exclusive' } : { kind: 'shared', maxSales: 3 },
      expiresAt: iso(),
      quality: {
        score: Math.floor(random() * 100),
        parts: { completeness: 70, verification: 65, freshness: 90, sellerHistory: 55 },
      },
      fingerprints: { phone: hex(64), email: hex(64) },
      consent: {
        textVersion: 'v3',
        textHash: hex(64),
        pageUrl: 'https://forms.example.test/insurance?utm_source=search&utm_campaign=spring',
        capturedAt: iso(),
        sellersNamed: ['Seller One', 'ООО «Лиды»'],
      },
      personalData: {
        algorithm: 'AES-256-GCM',
        keyId: `key-${leadId}`,
        iv: hex(16),
        ciphertext: hex(300),
        tag: hex(24),
      },
    },
    metadata: metadata(),
  };
}

function leadAllocated(): Record<string, unknown> {
  const price = money();
  const commission = Math.round(price * 10) / 100;
  return {
    id: uuid(),
    type: 'LeadAllocated',
    stream: 'market-insurance',
    data: {
      allocationId: uuid(),
      leadId: uuid(),
      orderId: uuid(),
      buyerId: uuid(),
      sellerId: uuid(),
      vertical: 'insurance',
      currency: 'RUB',
      price,
      commission,
      proceeds: Math.round((price - commission) * 100) / 100,
      rule: pick(['second_price', 'floor', 'sole_bid']),
      competingBids: Array.from({ length: Math.floor(random() * 5) }, () => ({
        orderId: uuid(),
        buyerId: uuid(),
        effectiveBid: money(),
      })),
      inputPosition: Math.floor(random() * 1_000_000),
      at: iso(),
    },
    metadata: metadata(),
  };
}

/** The same value with every object's keys in PostgreSQL jsonb order (length, then bytes). */
function jsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonbOrder);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort((a, b) =>
    a.length !== b.length ? a.length - b.length : Buffer.compare(Buffer.from(a), Buffer.from(b)),
  );
  return Object.fromEntries(keys.map((key) => [key, jsonbOrder(record[key])]));
}

// ---------------------------------------------------------------------------------------------
// Measurement

type Implementation = (value: unknown) => string;

/** Calls per second over `set`, looping over it for at least `ms`. */
function opsPerSecond(implementation: Implementation, set: readonly unknown[], ms: number): number {
  let calls = 0;
  let sink = 0;
  const start = now();
  let elapsed = 0;
  do {
    for (const value of set) sink += implementation(value).length;
    calls += set.length;
    elapsed = now() - start;
  } while (elapsed < ms);
  if (sink < 0) console.error(sink); // keeps the results alive
  return calls / (elapsed / 1000);
}

interface Figures {
  opsPerSecond: number;
  mbPerSecond: number;
  rounds: number[];
}

function main(): void {
  const started = now();
  const machine = machineInfo();
  const seconds = benchSeconds(1);
  const written = Array.from({ length: EVENTS }, (_, i) => (i % 2 === 0 ? leadListed() : leadAllocated()));
  const sets: Record<'written' | 'readBack', unknown[]> = { written, readBack: written.map(jsonbOrder) };

  const rows: string[][] = [];
  const payloads: Record<string, unknown> = {};
  let identical = true;
  for (const [name, set] of Object.entries(sets)) {
    const texts = set.map((value) => previousCanonicalJson(value));
    identical &&= set.every((value, i) => canonicalJson(value) === texts[i]);
    const bytesPerEvent = texts.reduce((total, text) => total + Buffer.byteLength(text), 0) / set.length;

    // Warm both up, then alternate rounds so that drift on the shared machine favours neither.
    opsPerSecond(previousCanonicalJson, set, 300);
    opsPerSecond(canonicalJson, set, 300);
    const previousRounds: number[] = [];
    const currentRounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      previousRounds.push(opsPerSecond(previousCanonicalJson, set, seconds * 1000));
      currentRounds.push(opsPerSecond(canonicalJson, set, seconds * 1000));
    }
    const figures = (rounds: number[]): Figures => ({
      opsPerSecond: round(median(rounds), 0),
      mbPerSecond: round((median(rounds) * bytesPerEvent) / 1e6, 1),
      rounds: rounds.map((value) => round(value, 0)),
    });
    const baseline = figures(previousRounds);
    const current = figures(currentRounds);
    const speedup = median(currentRounds) / median(previousRounds);
    payloads[name] = {
      bytesPerEvent: round(bytesPerEvent, 0),
      baseline,
      current,
      speedup: round(speedup, 2),
    };
    rows.push(
      [
        name,
        'previous (baseline)',
        formatNumber(baseline.opsPerSecond),
        formatNumber(baseline.mbPerSecond, 1),
        '',
      ],
      [
        name,
        'current',
        formatNumber(current.opsPerSecond),
        formatNumber(current.mbPerSecond, 1),
        `${round(speedup, 2)} x`,
      ],
    );
    console.error(`${name}: done`);
  }

  console.log(
    `\ncanonicalJson — ${formatNumber(EVENTS)} events (LeadListed / LeadAllocated), ${machine.cpu}, ` +
      `${machine.cores} cores, node ${machine.node}, load ${machine.load1}\n`,
  );
  console.log(formatTable(['key order', 'implementation', 'events/s', 'MB/s', 'speed-up'], rows));
  console.log(`\nIdentical output on every payload: ${identical ? 'yes' : 'NO'}`);
  printJsonLine({
    benchmark: 'canonical-json',
    events: EVENTS,
    identical,
    payloads,
    config: { secondsPerRound: seconds, rounds: ROUNDS },
    machine: { ...machine, load1End: round(machineInfo().load1, 2) },
    seconds: round((now() - started) / 1000, 0),
  });
}

main();
