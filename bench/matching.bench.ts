/**
 * Matching engine benchmark (`npm run bench:matching`).
 *
 * 1. In memory: leads/s and per-lead p50/p99 of the engine with 1 000, 10 000 and 100 000 open
 *    orders (filter mixes from `generateOrderSpecs`), side by side in the same run with
 *    (a) the same engine with a linear scan over every order instead of the index and
 *    (b) json-rules-engine evaluating every order's filters (filters only, no pricing: a lower
 *    bound on its cost). The slow baselines run on a sample of the leads.
 * 2. End to end on the PostgreSQL event store: listing → LeadAllocated committed, at a steady
 *    rate of listed leads (LX_BENCH_SECONDS, default 30 s).
 *
 * Orders get 1 000× their generated quantity and budget so that N orders stay open throughout.
 */
import { Engine as RulesEngine, type NestedCondition } from 'json-rules-engine';
import { eventCatalogue } from '#lx/contracts';
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
} from './bench-support.js';

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
  for (const event of leads) {
    const input: MarketInput = { position: next(), at, event };
    const began = timer.began();
    const outputs = engine.apply(input);
    timer.ended(began);
    for (const output of outputs) if (output.type === 'LeadAllocated') allocated++;
  }
  const rate = timer.result();
  return {
    leadsPerSecond: rate.perSecond,
    p50us: rate.p50us,
    p99us: rate.p99us,
    leads: rate.items,
    allocated,
    openOrders: engine.openOrderCount,
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
      const latencies = [...committedAt].map(([leadId, at]) => at - listedAt.get(leadId)!);
      return { ...summarize(latencies), fired: run.fired, failed: run.failed, allocated: latencies.length };
    } finally {
      await host.stop();
      await store.close();
    }
  });
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const sizes = await inMemory();
  const e2eSeconds = benchSeconds(30);
  const e2e = await endToEnd(e2eSeconds, 200);

  console.log(
    `\nMatching engine — ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, load ${machine.load1}\n`,
  );
  console.log(
    formatTable(
      [
        'open orders',
        'index leads/s',
        'p50 µs',
        'p99 µs',
        'scan leads/s',
        'index÷scan',
        'rules leads/s',
        'index÷rules',
        'samples scan/rules',
      ],
      sizes.map((s) => [
        formatNumber(s.orders),
        formatNumber(s.index.leadsPerSecond),
        formatNumber(s.index.p50us, 1),
        formatNumber(s.index.p99us, 1),
        formatNumber(s.scan.leadsPerSecond),
        `${formatNumber(s.index.leadsPerSecond / s.scan.leadsPerSecond, 1)}x`,
        formatNumber(s.rules.leadsPerSecond, 1),
        `${formatNumber(s.index.leadsPerSecond / s.rules.leadsPerSecond, 0)}x`,
        `${s.scan.leads}/${s.rules.leads}`,
      ]),
    ),
  );
  console.log(
    `\nEnd to end (PostgreSQL event store, 1 000 open orders, 200 leads/s for ${e2eSeconds} s): listing → LeadAllocated committed ` +
      `p50 ${formatNumber(e2e.p50, 1)} ms, p99 ${formatNumber(e2e.p99, 1)} ms, max ${formatNumber(e2e.max, 1)} ms (${e2e.allocated} of ${e2e.fired} leads allocated)\n`,
  );
  const [k1, k10, k100] = sizes as [SizeResult, SizeResult, SizeResult];
  const goals: GoalResult[] = [
    atLeast('leads/s at 1 000 orders', round(k1.index.leadsPerSecond, 0), 100_000),
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
    atMost('e2e listing → allocation committed p99 ms', round(e2e.p99, 1), 100),
  ];
  printGoals(goals);
  printJsonLine({
    benchmark: 'matching',
    machine,
    sizes: sizes.map((s) => ({
      orders: s.orders,
      index: {
        leadsPerSecond: round(s.index.leadsPerSecond, 0),
        p50us: round(s.index.p50us, 1),
        p99us: round(s.index.p99us, 1),
        allocated: s.index.allocated,
      },
      scan: { leadsPerSecond: round(s.scan.leadsPerSecond, 0), sampledLeads: s.scan.leads },
      jsonRulesEngine: { leadsPerSecond: round(s.rules.leadsPerSecond, 1), sampledLeads: s.rules.leads },
      ratioVsScan: round(s.index.leadsPerSecond / s.scan.leadsPerSecond, 1),
      ratioVsRules: round(s.index.leadsPerSecond / s.rules.leadsPerSecond, 0),
    })),
    endToEnd: {
      seconds: e2eSeconds,
      ratePerSecond: 200,
      p50ms: round(e2e.p50, 1),
      p99ms: round(e2e.p99, 1),
      maxMs: round(e2e.max, 1),
      allocated: e2e.allocated,
      fired: e2e.fired,
    },
    goals,
  });
}

await main();
