/**
 * Matching engine benchmark (`npm run bench:matching`).
 *
 * 1. In memory: leads/s and per-lead p50/p99 of the engine with 1 000, 10 000 and 100 000 open
 *    orders (filter mixes from `generateOrderSpecs`), side by side in the same run with
 *    (a) the same engine with a linear scan over every order instead of the index and
 *    (b) json-rules-engine evaluating every order's filters (filters only, no pricing: a lower
 *    bound on its cost). The slow baselines run on a sample of the leads.
 *    Beside wall clock: the process's CPU time per lead (process.cpuUsage) and the load average.
 * 2. Memory: the engine's heap (V8 heap + array buffers, after a full GC) per resting lead, for
 *    100 000 listed leads that all rest (no orders), against an empty engine measured the same way.
 *    Listings are parsed from JSON one by one, as the store delivers them, so that the engine keeps
 *    only what it chooses to.
 * 3. End to end on the PostgreSQL event store: listing → LeadAllocated committed, at a steady
 *    rate of listed leads (LX_BENCH_SECONDS, default 30 s; LX_BENCH_E2E=0 skips it), with the CPU of
 *    this process and of the database's backends per lead.
 *
 * Orders get 1 000× their generated quantity and budget so that N orders stay open throughout.
 */
import os from 'node:os';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Engine as RulesEngine, type NestedCondition } from 'json-rules-engine';
import pg from 'pg';
import { deterministicUuid, eventCatalogue } from '#lx/contracts';
import { PostgresEventStore } from '#lx/event-store';
import { generateLeadRows, generateOrderSpecs, type OrderSpec } from '#lx/market-generator';
import { MarketEngine, MarketEngineHost, type MarketInput, type MarketInputEvent } from '#lx/matching';
import { leadListedFromRow, orderPlacedFromSpec } from '../libs/matching/src/testing/generated-market.js';
import {
  atLeast,
  atMost,
  benchSeconds,
  formatNumber,
  formatTable,
  machineInfo,
  now,
  perItemTimer,
  printGoals,
  printJsonLine,
  round,
  runAtSteadyRate,
  summarize,
  waitFor,
  withFreshDatabase,
  type GoalResult,
  processCpuSeconds,
} from './bench-support.js';
import { testServerUrl } from '../libs/testing/src/test-database.js';

const VERTICAL = 'eyewear';
const T0 = new Date('2030-03-02T12:00:00.000Z');

function openOrders(count: number): MarketInputEvent[] {
  return generateOrderSpecs({ seed: `bench-${count}`, count, vertical: VERTICAL, currency: 'RUB' }).map(
    (spec, i) =>
      orderPlacedFromSpec(
        { ...spec, quantity: spec.quantity * 1000, budget: spec.budget * 1000 } as OrderSpec,
        `order-${i}`,
        `buyer-${i % Math.max(1, Math.floor(count / 3))}`,
      ),
  );
}

function listings(count: number, seed: string): MarketInputEvent[] {
  const { rows } = generateLeadRows({
    seed,
    count,
    vertical: VERTICAL,
    capturedAround: T0,
    badShare: 0,
    duplicateShare: 0,
  });
  return rows.map((row, i) =>
    leadListedFromRow(row, VERTICAL, {
      leadId: `${seed}-${i}`,
      floor: 20000 + (i % 9) * 5000,
      exclusivity: i % 10 < 7 ? { kind: 'exclusive' } : { kind: 'shared', maxSales: 2 + (i % 3) },
      expiresAt: new Date(T0.getTime() + 72 * 3_600_000).toISOString(),
    }),
  );
}

/** CPU time (user + system) of this process so far, in µs. */
function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

const load1 = (): number => round(os.loadavg()[0]!, 2);

/** A full garbage collection: `--expose-gc` turned on from inside, for `node dist/bench/…` runs. */
function fullGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

/** What the engine holds in memory: V8's heap plus typed arrays' buffers (outside the heap). */
function heldBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/**
 * The engine's memory per resting lead: `count` listings (ids and sellers UUID-shaped as in
 * production, 50 sellers) folded into an engine without orders, so that every lead rests.
 * Listings are generated in chunks of 10 000 as JSON text, each parsed just before it is folded,
 * so nothing but the engine outlives a chunk (texts kept across the measurement would distort it:
 * V8 flattens a string in place the first time it is parsed).
 */
function restingMemory(count: number) {
  const gc = fullGc();
  const sellers = Array.from({ length: 50 }, (_, i) => deterministicUuid('bench-seller', i));
  const at = T0.toISOString();
  gc();
  const beforeEngine = heldBytes();
  const engine = new MarketEngine({ vertical: VERTICAL });
  gc();
  const emptyEngine = heldBytes();
  let cpuUs = 0;
  let wallMs = 0;
  let position = 0;
  for (let start = 0; start < count; start += 10_000) {
    const { rows } = generateLeadRows({
      seed: `bench-memory-${start}`,
      count: Math.min(10_000, count - start),
      vertical: VERTICAL,
      capturedAround: T0,
      badShare: 0,
      duplicateShare: 0,
    });
    const texts = rows.map((row, i) => {
      const n = start + i;
      return JSON.stringify(
        leadListedFromRow(row, VERTICAL, {
          leadId: deterministicUuid('bench-lead', n),
          sellerId: sellers[n % sellers.length]!,
          floor: 20000 + (n % 9) * 5000,
          exclusivity: n % 10 < 7 ? { kind: 'exclusive' } : { kind: 'shared', maxSales: 2 + (n % 3) },
          expiresAt: new Date(T0.getTime() + 72 * 3_600_000).toISOString(),
        }),
      );
    });
    const cpuStart = cpuMicros();
    const wallStart = now();
    for (const text of texts) {
      engine.apply({ position: `1/${++position}`, at, event: JSON.parse(text) as MarketInputEvent });
    }
    wallMs += now() - wallStart;
    cpuUs += cpuMicros() - cpuStart;
  }
  gc();
  const held = heldBytes();
  const rssMb = process.memoryUsage().rss / 1_048_576;
  const resting = engine.restingLeadCount;
  return {
    leads: count,
    resting,
    emptyEngineBytes: emptyEngine - beforeEngine,
    bytesPerRestingLead: (held - emptyEngine) / resting,
    engineMb: (held - beforeEngine) / 1_048_576,
    rssMb,
    listCpuUsPerLead: cpuUs / count,
    listLeadsPerSecond: count / (wallMs / 1000),
    load1: load1(),
  };
}

function engineWith(
  orders: readonly MarketInputEvent[],
  index: 'bitset' | 'scan',
): { engine: MarketEngine; next: () => string } {
  const engine = new MarketEngine({ vertical: VERTICAL, orderIndex: index });
  let position = 0;
  const at = T0.toISOString();
  for (const event of orders) engine.apply({ position: `1/${++position}`, at, event });
  return { engine, next: () => `1/${++position}` };
}

/** Leads/s and per-lead latency (µs) of feeding `leads` to an engine holding `orders`. */
function measureEngine(
  orders: readonly MarketInputEvent[],
  leads: readonly MarketInputEvent[],
  index: 'bitset' | 'scan',
) {
  const { engine, next } = engineWith(orders, index);
  const at = T0.toISOString();
  // Warm-up on a copy of the first leads under other ids is not needed: the JIT settles within
  // the first few hundred leads, which are included (a conservative figure).
  let allocated = 0;
  const timer = perItemTimer();
  const cpuStart = cpuMicros();
  for (const event of leads) {
    const input: MarketInput = { position: next(), at, event };
    const began = timer.began();
    const outputs = engine.apply(input);
    timer.ended(began);
    for (const output of outputs) if (output.type === 'LeadAllocated') allocated++;
  }
  const cpuUs = cpuMicros() - cpuStart;
  const rate = timer.result();
  return {
    leadsPerSecond: rate.perSecond,
    p50us: rate.p50us,
    p99us: rate.p99us,
    /** CPU time of this process per lead (µs), the timer's own reads included. */
    cpuUsPerLead: cpuUs / rate.items,
    leads: rate.items,
    allocated,
    openOrders: engine.openOrderCount,
    load1: load1(),
  };
}

/** One json-rules-engine rule per order: its filters as conditions; the run evaluates them all. */
function rulesFor(orders: readonly MarketInputEvent[]): RulesEngine {
  const rules = new RulesEngine([], { allowUndefinedFacts: true });
  for (const event of orders) {
    if (event.type !== 'OrderPlaced') continue;
    const f = event.data.filters;
    const all: NestedCondition[] = [];
    if (f.ageMin !== undefined) all.push({ fact: 'age', operator: 'greaterThanInclusive', value: f.ageMin });
    if (f.ageMax !== undefined) all.push({ fact: 'age', operator: 'lessThanInclusive', value: f.ageMax });
    if (f.genders) all.push({ fact: 'gender', operator: 'in', value: f.genders });
    if (f.countries) all.push({ fact: 'country', operator: 'in', value: f.countries });
    if (f.regions) all.push({ fact: 'region', operator: 'in', value: f.regions });
    if (f.postalPrefixes) all.push({ fact: 'postalPrefix3', operator: 'in', value: f.postalPrefixes });
    for (const kind of f.requiredContacts ?? [])
      all.push({
        fact: f.requireVerified ? 'verifiedContacts' : 'presentContacts',
        operator: 'contains',
        value: kind,
      });
    if (f.employment) all.push({ fact: 'employment', operator: 'in', value: f.employment });
    if (f.maritalStatus) all.push({ fact: 'maritalStatus', operator: 'in', value: f.maritalStatus });
    if (f.interestsAny)
      all.push({
        any: f.interestsAny.map((interest) => ({ fact: 'interests', operator: 'contains', value: interest })),
      });
    for (const interest of f.interestsAll ?? [])
      all.push({ fact: 'interests', operator: 'contains', value: interest });
    if (f.stages) all.push({ fact: 'stage', operator: 'in', value: f.stages });
    if (f.sourceChannels) all.push({ fact: 'sourceChannel', operator: 'in', value: f.sourceChannels });
    if (f.maxLeadAgeMinutes !== undefined)
      all.push({ fact: 'leadAgeMinutes', operator: 'lessThanInclusive', value: f.maxLeadAgeMinutes });
    if (f.minQuality !== undefined)
      all.push({ fact: 'quality', operator: 'greaterThanInclusive', value: f.minQuality });
    rules.addRule({
      conditions: { all },
      event: { type: 'eligible', params: { orderId: event.data.orderId } },
    });
  }
  return rules;
}

async function measureRules(orders: readonly MarketInputEvent[], leads: readonly MarketInputEvent[]) {
  const rules = rulesFor(orders);
  const timer = perItemTimer();
  for (const event of leads) {
    if (event.type !== 'LeadListed') continue;
    const a = event.data.attributes;
    const facts = {
      ...a,
      postalPrefix3: a.postalPrefix ?? null,
      presentContacts: (['phone', 'email'] as const).filter((k) => a.contacts[k].present),
      verifiedContacts: (['phone', 'email'] as const).filter((k) => a.contacts[k].verified),
      leadAgeMinutes: (T0.getTime() - Date.parse(a.capturedAt)) / 60_000,
      quality: event.data.quality.score,
    };
    const began = timer.began();
    await rules.run(facts);
    timer.ended(began);
  }
  const rate = timer.result();
  return { leadsPerSecond: rate.perSecond, p50us: rate.p50us, p99us: rate.p99us, leads: rate.items };
}

interface SizeResult {
  orders: number;
  index: ReturnType<typeof measureEngine>;
  scan: ReturnType<typeof measureEngine>;
  rules: Awaited<ReturnType<typeof measureRules>>;
}

async function inMemory(): Promise<SizeResult[]> {
  const sizes = [1_000, 10_000, 100_000];
  const leads = listings(20_000, 'bench-leads');
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const orders = openOrders(size);
    // Fewer leads for the larger books, so that the whole run stays within a few minutes.
    const indexSample = size >= 100_000 ? 2_000 : size >= 10_000 ? 8_000 : 20_000;
    const index = measureEngine(orders, leads.slice(0, indexSample), 'bitset');
    const scanSample = size >= 100_000 ? 200 : size >= 10_000 ? 1_000 : 5_000;
    const scan = measureEngine(orders, leads.slice(0, scanSample), 'scan');
    const rulesSample = size >= 100_000 ? 5 : size >= 10_000 ? 30 : 200;
    const rules = await measureRules(orders, leads.slice(0, rulesSample));
    results.push({ orders: size, index, scan, rules });
    process.stderr.write(`… ${size} orders done\n`);
  }
  return results;
}

/** CPU time (user + system, µs) of the PostgreSQL backends serving `database`, by pid. */
async function backendCpu(database: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    const ticks = new Map<number, number>();
    for (const { pid } of rows) {
      // A backend that ended (or a server elsewhere) is not counted.
      const seconds = processCpuSeconds(pid);
      if (seconds !== null) ticks.set(pid, seconds * 1_000_000);
    }
    return ticks;
  } finally {
    await client.end();
  }
}

function cpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, us] of after) total += us - (before.get(pid) ?? 0);
  return total;
}

async function endToEnd(seconds: number, ratePerSecond: number) {
  return withFreshDatabase('bench_matching', async (db) => {
    const store = await PostgresEventStore.connect({ connectionString: db.url, registry: eventCatalogue });
    const committedAt = new Map<string, number>();
    const host = new MarketEngineHost({
      store,
      vertical: VERTICAL,
      instance: 'bench',
      pollIntervalMs: 100,
      onWritten: (outputs) => {
        const at = now();
        for (const output of outputs)
          if (output.type === 'LeadAllocated') committedAt.set(output.data.leadId, at);
      },
    });
    try {
      const meta = { occurredAt: T0.toISOString(), actor: 'bench' };
      await store.appendToStream(
        `marketSettings-${VERTICAL}`,
        [
          {
            type: 'MarketSettingsChanged',
            data: {
              vertical: VERTICAL,
              currency: 'RUB',
              commissionBps: 1500,
              returnWindowHours: 72,
              dedupeWindowDays: 30,
              listingLifetimeHours: 72,
            },
            metadata: meta,
          },
        ],
        { expectedRevision: 'any' },
      );
      for (const event of openOrders(1_000)) {
        const data = event.data as { buyerId: string };
        await store.appendToStream(
          `buyer-${data.buyerId}`,
          [{ type: event.type, data: event.data, metadata: meta }],
          { expectedRevision: 'any' },
        );
      }
      await host.start();
      await host.caughtUp;
      const leads = listings(Math.round(seconds * ratePerSecond), 'e2e-leads');
      const listedAt = new Map<string, number>();
      const backendsBefore = await backendCpu(db.name);
      const cpuStart = cpuMicros();
      const run = await runAtSteadyRate({
        ratePerSecond,
        durationMs: seconds * 1000,
        fire: async (i) => {
          const event = leads[i]!;
          const leadId = (event.data as { leadId: string }).leadId;
          listedAt.set(leadId, now());
          await store.appendToStream(
            `lead-${leadId}`,
            [{ type: event.type, data: event.data, metadata: meta }],
            { expectedRevision: 'no_stream' },
          );
        },
      });
      await waitFor(() => host.lastHandled() !== null && host.stats.inputs >= 1001 + run.fired, 30_000);
      const cpuUs = cpuMicros() - cpuStart;
      const backendsUs = cpuSpent(backendsBefore, await backendCpu(db.name));
      const latencies = [...committedAt].map(([leadId, at]) => at - listedAt.get(leadId)!);
      return {
        ...summarize(latencies),
        fired: run.fired,
        failed: run.failed,
        allocated: latencies.length,
        // This process appends the leads and runs the host; the backends serve both.
        processCpuUsPerLead: cpuUs / Math.max(1, run.fired),
        backendsCpuUsPerLead: backendsUs / Math.max(1, run.fired),
        load1: load1(),
      };
    } finally {
      await host.stop();
      await store.close();
    }
  });
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const memory = restingMemory(100_000);
  process.stderr.write(`… memory done\n`);
  const sizes = await inMemory();
  const e2eSeconds = benchSeconds(30);
  const e2e = process.env.LX_BENCH_E2E === '0' ? null : await endToEnd(e2eSeconds, 200);

  console.log(
    `\nMatching engine — ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, load ${machine.load1} at the start, ${load1()} at the end\n`,
  );
  console.log(
    formatTable(
      [
        'open orders',
        'index leads/s',
        'p50 µs',
        'p99 µs',
        'CPU µs/lead',
        'scan leads/s',
        'scan CPU µs/lead',
        'index÷scan',
        'rules leads/s',
        'index÷rules',
        'samples scan/rules',
        'load',
      ],
      sizes.map((s) => [
        formatNumber(s.orders),
        formatNumber(s.index.leadsPerSecond),
        formatNumber(s.index.p50us, 1),
        formatNumber(s.index.p99us, 1),
        formatNumber(s.index.cpuUsPerLead, 1),
        formatNumber(s.scan.leadsPerSecond),
        formatNumber(s.scan.cpuUsPerLead, 1),
        `${formatNumber(s.index.leadsPerSecond / s.scan.leadsPerSecond, 1)}x`,
        formatNumber(s.rules.leadsPerSecond, 1),
        `${formatNumber(s.index.leadsPerSecond / s.rules.leadsPerSecond, 0)}x`,
        `${s.scan.leads}/${s.rules.leads}`,
        formatNumber(s.index.load1, 1),
      ]),
    ),
  );
  console.log(
    `\nMemory: ${formatNumber(memory.resting)} resting leads (no orders) → ${formatNumber(memory.bytesPerRestingLead)} bytes per ` +
      `resting lead (heap + array buffers after GC; empty engine ${formatNumber(memory.emptyEngineBytes)} bytes), engine ` +
      `${formatNumber(memory.engineMb, 1)} MB, process RSS ${formatNumber(memory.rssMb)} MB; listing them: ` +
      `${formatNumber(memory.listCpuUsPerLead, 1)} µs CPU per lead (${formatNumber(memory.listLeadsPerSecond)} leads/s), load ${memory.load1}`,
  );
  if (e2e)
    console.log(
      `\nEnd to end (PostgreSQL event store, 1 000 open orders, 200 leads/s for ${e2eSeconds} s): listing → LeadAllocated committed ` +
        `p50 ${formatNumber(e2e.p50, 1)} ms, p99 ${formatNumber(e2e.p99, 1)} ms, max ${formatNumber(e2e.max, 1)} ms (${e2e.allocated} of ${e2e.fired} leads allocated); ` +
        `CPU per lead: this process ${formatNumber(e2e.processCpuUsPerLead)} µs, PostgreSQL backends ${formatNumber(e2e.backendsCpuUsPerLead)} µs; load ${e2e.load1}\n`,
    );
  const [k1, k10, k100] = sizes as [SizeResult, SizeResult, SizeResult];
  const goals: GoalResult[] = [
    atLeast('leads/s at 1 000 orders', round(k1.index.leadsPerSecond, 0), 100_000),
    atMost(
      'CPU µs per lead at 1 000 orders (100 000 leads/s of one core)',
      round(k1.index.cpuUsPerLead, 1),
      10,
    ),
    atLeast('leads/s at 10 000 orders', round(k10.index.leadsPerSecond, 0), 25_000),
    atLeast('leads/s at 100 000 orders', round(k100.index.leadsPerSecond, 0), 8_000),
    atMost('p99 µs at 1 000 orders', round(k1.index.p99us, 1), 50),
    atMost('p99 µs at 10 000 orders', round(k10.index.p99us, 1), 250),
    atMost('p99 µs at 100 000 orders', round(k100.index.p99us, 1), 500),
    atLeast(
      'index ÷ linear scan at 10 000 orders',
      round(k10.index.leadsPerSecond / k10.scan.leadsPerSecond, 1),
      5,
    ),
    atMost('engine bytes per resting lead (100 000 resting)', round(memory.bytesPerRestingLead, 0), 1024),
    ...(e2e ? [atMost('e2e listing → allocation committed p99 ms', round(e2e.p99, 1), 100)] : []),
  ];
  printGoals(goals);
  printJsonLine({
    benchmark: 'matching',
    machine,
    loadAtEnd: load1(),
    memory: {
      restingLeads: memory.resting,
      bytesPerRestingLead: round(memory.bytesPerRestingLead, 0),
      emptyEngineBytes: memory.emptyEngineBytes,
      engineMb: round(memory.engineMb, 1),
      rssMb: round(memory.rssMb, 0),
      listCpuUsPerLead: round(memory.listCpuUsPerLead, 1),
      listLeadsPerSecond: round(memory.listLeadsPerSecond, 0),
      load1: memory.load1,
    },
    sizes: sizes.map((s) => ({
      orders: s.orders,
      index: {
        leadsPerSecond: round(s.index.leadsPerSecond, 0),
        p50us: round(s.index.p50us, 1),
        p99us: round(s.index.p99us, 1),
        cpuUsPerLead: round(s.index.cpuUsPerLead, 1),
        allocated: s.index.allocated,
        load1: s.index.load1,
      },
      scan: {
        leadsPerSecond: round(s.scan.leadsPerSecond, 0),
        cpuUsPerLead: round(s.scan.cpuUsPerLead, 1),
        sampledLeads: s.scan.leads,
      },
      jsonRulesEngine: { leadsPerSecond: round(s.rules.leadsPerSecond, 1), sampledLeads: s.rules.leads },
      ratioVsScan: round(s.index.leadsPerSecond / s.scan.leadsPerSecond, 1),
      cpuRatioVsScan: round(s.scan.cpuUsPerLead / s.index.cpuUsPerLead, 1),
      ratioVsRules: round(s.index.leadsPerSecond / s.rules.leadsPerSecond, 0),
    })),
    endToEnd: e2e && {
      seconds: e2eSeconds,
      ratePerSecond: 200,
      p50ms: round(e2e.p50, 1),
      p99ms: round(e2e.p99, 1),
      maxMs: round(e2e.max, 1),
      allocated: e2e.allocated,
      fired: e2e.fired,
      processCpuUsPerLead: round(e2e.processCpuUsPerLead, 0),
      backendsCpuUsPerLead: round(e2e.backendsCpuUsPerLead, 0),
      load1: e2e.load1,
    },
    goals,
  });
}

await main();
