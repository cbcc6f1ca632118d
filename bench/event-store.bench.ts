/**
 * `npm run bench:event-store`: our PostgreSQL event store against @event-driven-io/emmett-postgresql,
 * same workloads, same ~200-byte JSON payload, same PostgreSQL server, in one run.
 *
 * Every (workload, store) pair runs in its own child process against its own fresh database,
 * created and dropped here. Separate processes matter: Emmett's driver layer (dumbo) replaces
 * node-postgres' global type parsers (int8 → BigInt, jsonb → a reviving JSON parser), which would
 * otherwise change how our adapter parses rows once Emmett had run in the same process.
 */
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { PostgresEventStore, type NewEvent, type ReadAllPage } from '#lx/event-store';
import { getPostgreSQLEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import type { Event as EmmettEvent } from '@event-driven-io/emmett';
// dumbo is Emmett's SQL layer (installed with emmett-postgresql's peer @event-driven-io/pongo, not a
// direct dependency of ours); readMessagesBatch needs one of its executors.
import { dumbo, endAllPools } from '@event-driven-io/dumbo';
import { contractTestCatalogue } from '../libs/event-store/src/testing/test-catalogue.js';
import {
  atLeast,
  atMost,
  benchSeconds,
  formatNumber,
  formatTable,
  machineInfo,
  measureThroughput,
  median,
  mergeThroughput,
  now,
  passMiss,
  postgresInfo,
  printJsonLine,
  round,
  runAtSteadyRate,
  runInChild,
  runTaskOrMain,
  sleep,
  summarize,
  waitFor,
  withFreshDatabase,
  type GoalResult,
  type Summary,
  type ThroughputResult,
} from './bench-support.js';

// ---------------------------------------------------------------------------------------------
// Configuration (the same for both stores)

// LX_BENCH_SECONDS (default 3) sets the measuring time of each append round; the read-all log
// size and the latency run scale with it.
const SCALE = benchSeconds(3) / 3;
const CONFIG = {
  payloadBytes: 200,
  warmupMs: 1000,
  /** Append workloads run `appendRounds` times per store, in ABBA order; the figure is the mean. */
  appendMeasureMs: Math.round(3000 * SCALE),
  appendRounds: 2,
  concurrentWriters: 8,
  batchSize: 100,
  readAllEvents: Math.max(10, Math.round(100 * SCALE)) * 1000, // whole streams of 1000 events
  readAllPageSize: 1000,
  /** Timed passes after one warm-up pass; fewer if the passes exceed `readAllBudgetMs`. */
  readAllMeasuredPasses: 3,
  readAllBudgetMs: Math.round(8000 * SCALE),
  latencyRatePerSecond: 200,
  latencyMeasureMs: Math.round(5000 * SCALE),
};

const GOALS = { batchedAppendsPerSecond: 50_000, readAllPerSecond: 150_000, subscriberP99Ms: 20 };

type StoreName = 'ours' | 'emmett';
type WorkloadName = 'appendSingle1' | 'appendSingle8' | 'appendBatch100' | 'readAll' | 'subscriberLatency';
const WORKLOADS: WorkloadName[] = [
  'appendSingle1',
  'appendSingle8',
  'appendBatch100',
  'readAll',
  'subscriberLatency',
];

interface Task {
  store: StoreName;
  workload: WorkloadName;
  url: string;
}

interface ReadAllResult {
  perSecond: number;
  events: number;
  /** Events each pass returned (warm-up first); fewer than `events` means the reader skipped some. */
  eventsRead: number[];
  pageSize: number;
  passesPerSecond: number[];
  seedSeconds: number;
}

interface LatencyResult {
  ms: Summary;
  ratePerSecond: number;
  fired: number;
  failedAppends: number;
  /** Measured events the subscriber had not seen 3 s after the last append. */
  missing: number;
}

type WorkloadResult = ThroughputResult | ReadAllResult | LatencyResult;

// ---------------------------------------------------------------------------------------------
// The payload: {"n":<int>,"text":"<~175 chars>"} ≈ 200 bytes of JSON, texts varied.

interface Payload {
  n: number;
  text: string;
  [key: string]: unknown;
}

const TEXTS = Array.from({ length: 64 }, () =>
  Array.from(
    { length: 175 },
    () => 'abcdefghijklmnopqrstuvwxyz0123456789 '[Math.floor(Math.random() * 37)],
  ).join(''),
);
let sequence = 0;
const payload = (): Payload => {
  const n = sequence++;
  return { n, text: TEXTS[n % TEXTS.length]! };
};
const payloads = (count: number): Payload[] => Array.from({ length: count }, payload);

// ---------------------------------------------------------------------------------------------
// One interface over both stores, so each workload is written once.

interface BenchStore {
  /**
   * Appends to `stream`, which holds `eventsBefore` events (0: the stream must not exist);
   * the store checks that expectation. Resolves with the number of events in the stream after.
   */
  append(stream: string, data: Payload[], eventsBefore: number): Promise<number>;
  /** Reads the whole log from the start in pages; resolves with the number of events read. */
  readAllPass(pageSize: number): Promise<number>;
  /** Starts a live subscriber from the current end of (an empty) log. */
  subscribe(onEvent: (n: number) => void): Promise<{ stop(): Promise<void> }>;
  close(): Promise<void>;
}

async function openOurs(url: string): Promise<BenchStore> {
  const store = await PostgresEventStore.connect({ connectionString: url, registry: contractTestCatalogue });
  return {
    append: async (stream, data, eventsBefore) => {
      const events: NewEvent[] = data.map((d) => ({ type: 'ThingHappened', data: d }));
      const result = await store.appendToStream(stream, events, {
        expectedRevision: eventsBefore === 0 ? 'no_stream' : eventsBefore - 1,
      });
      return result.nextRevision + 1;
    },
    readAllPass: async (pageSize) => {
      let read = 0;
      let page: ReadAllPage = { events: [], nextAfter: null, isEnd: false };
      do {
        page = await store.readAll({ after: page.nextAfter, maxCount: pageSize });
        read += page.events.length;
      } while (!page.isEnd);
      return read;
    },
    subscribe: async (onEvent) => {
      // Defaults: store-kept checkpoint, LISTEN/NOTIFY wake-ups, 250 ms poll fallback.
      const subscription = store.subscribe('bench-latency', async (event) =>
        onEvent((event.data as Payload).n),
      );
      await subscription.caughtUp;
      return subscription;
    },
    close: () => store.close(),
  };
}

type ThingHappened = EmmettEvent<'ThingHappened', Payload>;

async function openEmmett(url: string): Promise<BenchStore> {
  const store = getPostgreSQLEventStore(url);
  await store.schema.migrate();
  const reader = dumbo({ connectionString: url });
  return {
    append: async (stream, data, eventsBefore) => {
      const events: ThingHappened[] = data.map((d) => ({ type: 'ThingHappened', data: d }));
      // Emmett's stream version is the event count; 0n means "new stream" (checked by a unique key).
      const result = await store.appendToStream<ThingHappened>(stream, events, {
        expectedStreamVersion: BigInt(eventsBefore),
      });
      return Number(result.nextExpectedStreamVersion);
    },
    // Emmett's event store has no read-all API; its consumers page through the log with the
    // exported `readMessagesBatch` (keyset on global_position, below the xmin horizon), so we
    // call that directly: the consumer would add a transaction and a checkpoint write per message.
    readAllPass: async (pageSize) => {
      let read = 0;
      let after = 0n;
      for (;;) {
        const batch = await readMessagesBatch<ThingHappened>(reader.execute, { after, batchSize: pageSize });
        read += batch.messages.length;
        after = batch.currentGlobalPosition;
        if (!batch.areMessagesLeft) return read;
      }
    },
    subscribe: async (onEvent) => {
      // Defaults: batch size 100, pulling frequency 50 ms (Emmett backs off up to 1 s when idle).
      const consumer = store.consumer<ThingHappened>();
      consumer.reactor<ThingHappened>({
        processorId: 'bench-latency',
        eachMessage: async (message) => onEvent(message.data.n),
      });
      const running = consumer.start();
      await sleep(500); // no "caught up" signal; the log is empty, give it time to start pulling
      return {
        stop: async () => {
          await consumer.stop();
          await running;
        },
      };
    },
    close: async () => {
      await reader.close();
      await store.close();
      await endAllPools(); // dumbo shares ref-counted pg pools per connection string
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Workloads (run in a child process)

async function runTask(task: Task): Promise<WorkloadResult> {
  const store = task.store === 'ours' ? await openOurs(task.url) : await openEmmett(task.url);
  try {
    switch (task.workload) {
      case 'appendSingle1':
        return await singleAppends(store, 1);
      case 'appendSingle8':
        return await singleAppends(store, CONFIG.concurrentWriters);
      case 'appendBatch100':
        return await batchedAppends(store);
      case 'readAll':
        return await readAll(store);
      case 'subscriberLatency':
        return await subscriberLatency(store);
    }
  } finally {
    await store.close();
  }
}

/** Each writer appends one event at a time to its own stream, with the expected revision. */
function singleAppends(store: BenchStore, writers: number): Promise<ThroughputResult> {
  const run = randomBytes(3).toString('hex');
  return measureThroughput({
    warmupMs: CONFIG.warmupMs,
    durationMs: CONFIG.appendMeasureMs,
    concurrency: writers,
    worker: (index) => {
      const stream = `single-${run}w${index}`;
      let count = 0;
      return async () => {
        count = await store.append(stream, [payload()], count);
        return 1;
      };
    },
  });
}

/** One writer appends 100 events per call to its stream, with the expected revision. */
function batchedAppends(store: BenchStore): Promise<ThroughputResult> {
  let count = 0;
  return measureThroughput({
    warmupMs: CONFIG.warmupMs,
    durationMs: CONFIG.appendMeasureMs,
    concurrency: 1,
    worker: () => async () => {
      count = await store.append('batch-w0', payloads(CONFIG.batchSize), count);
      return CONFIG.batchSize;
    },
  });
}

/** Seeds the log (not timed), reads it once to warm up, then times full passes. */
async function readAll(store: BenchStore): Promise<ReadAllResult> {
  const seedStart = now();
  const perStream = 1000;
  const streams = Math.ceil(CONFIG.readAllEvents / perStream);
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let s = next++; s < streams; s = next++)
        for (let count = 0; count < perStream;)
          count = await store.append(`seed-${s}`, payloads(CONFIG.batchSize), count);
    }),
  );
  const seedSeconds = (now() - seedStart) / 1000;
  const expected = streams * perStream;
  const warm = await store.readAllPass(CONFIG.readAllPageSize);
  const passes: number[] = [];
  const reads: number[] = [];
  const budgetEnd = now() + CONFIG.readAllBudgetMs; // Emmett's passes slow down as the log grows
  while (passes.length < CONFIG.readAllMeasuredPasses && (passes.length === 0 || now() < budgetEnd)) {
    const start = now();
    const read = await store.readAllPass(CONFIG.readAllPageSize);
    passes.push(read / ((now() - start) / 1000));
    reads.push(read);
  }
  return {
    perSecond: median(passes),
    events: expected,
    eventsRead: [warm, ...reads],
    pageSize: CONFIG.readAllPageSize,
    passesPerSecond: passes.map((p) => round(p, 0)),
    seedSeconds: round(seedSeconds, 2),
  };
}

/**
 * A live subscriber, and a writer appending single events (each to a new stream) at a steady
 * rate, open loop. Latency = when the handler sees event n − just before append n was called.
 * The first second is warm-up and not recorded.
 */
async function subscriberLatency(store: BenchStore): Promise<LatencyResult> {
  const rate = CONFIG.latencyRatePerSecond;
  const warmupEvents = Math.round((rate * CONFIG.warmupMs) / 1000);
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const base = sequence;
  let measured = 0;
  const subscription = await store.subscribe((n) => {
    const seen = now();
    const sent = sentAt.get(n);
    if (sent !== undefined && n - base >= warmupEvents) {
      latencies.push(seen - sent);
      measured++;
    }
  });
  const run = randomBytes(3).toString('hex');
  const { fired, failed } = await runAtSteadyRate({
    ratePerSecond: rate,
    durationMs: CONFIG.warmupMs + CONFIG.latencyMeasureMs,
    fire: async (i) => {
      const data = payload();
      sentAt.set(data.n, now());
      await store.append(`latency-${run}-${i}`, [data], 0);
    },
  });
  const expected = fired - failed - warmupEvents;
  await waitFor(() => measured >= expected, 3000);
  await subscription.stop();
  return {
    ms: summarize(latencies),
    ratePerSecond: rate,
    fired,
    failedAppends: failed,
    missing: Math.max(0, expected - measured),
  };
}

// ---------------------------------------------------------------------------------------------
// The parent: runs every (workload, store) in a child on a fresh database, prints the results.

interface Figures {
  appendSingle1: number;
  appendSingle8: number;
  appendBatch100: number;
  readAll: number;
  subscriberP50Ms: number;
  subscriberP99Ms: number;
}

interface Row {
  key: keyof Figures;
  label: string;
  unit: string;
  lowerIsBetter: boolean;
  /** An absolute goal on our figure, keyed `goalKey` in the JSON line. */
  goal?: { key: string; check: (ours: number) => GoalResult };
}

const ROWS: Row[] = [
  { key: 'appendSingle1', label: 'single-event appends/s, 1 writer', unit: '/s', lowerIsBetter: false },
  { key: 'appendSingle8', label: 'single-event appends/s, 8 writers', unit: '/s', lowerIsBetter: false },
  {
    key: 'appendBatch100',
    label: 'events/s appended in batches of 100',
    unit: '/s',
    lowerIsBetter: false,
    goal: {
      key: 'batchedAppends',
      check: (v) => atLeast('>= 50 000 events/s', v, GOALS.batchedAppendsPerSecond),
    },
  },
  {
    key: 'readAll',
    label: 'read-all events/s (pages of 1000)',
    unit: '/s',
    lowerIsBetter: false,
    goal: { key: 'readAll', check: (v) => atLeast('>= 150 000 events/s', v, GOALS.readAllPerSecond) },
  },
  { key: 'subscriberP50Ms', label: 'append->subscriber p50 @200/s', unit: 'ms', lowerIsBetter: true },
  {
    key: 'subscriberP99Ms',
    label: 'append->subscriber p99 @200/s',
    unit: 'ms',
    lowerIsBetter: true,
    goal: { key: 'subscriberP99Ms', check: (v) => atMost('<= 20 ms', v, GOALS.subscriberP99Ms) },
  },
];

function figuresOf(results: Record<WorkloadName, WorkloadResult>): Figures {
  const latency = results.subscriberLatency as LatencyResult;
  return {
    appendSingle1: (results.appendSingle1 as ThroughputResult).perSecond,
    appendSingle8: (results.appendSingle8 as ThroughputResult).perSecond,
    appendBatch100: (results.appendBatch100 as ThroughputResult).perSecond,
    readAll: (results.readAll as ReadAllResult).perSecond,
    subscriberP50Ms: latency.ms.p50,
    subscriberP99Ms: latency.ms.p99,
  };
}

function details(results: Record<WorkloadName, WorkloadResult>): Record<string, unknown> {
  const op = (r: WorkloadResult): Record<string, unknown> => {
    const t = r as ThroughputResult;
    return {
      rounds: (t.rounds ?? [t.perSecond]).map((x) => round(x, 0)),
      opP50Ms: round(t.operationMs.p50),
      opP99Ms: round(t.operationMs.p99),
      operations: t.operations,
    };
  };
  const latency = results.subscriberLatency as LatencyResult;
  const read = results.readAll as ReadAllResult;
  return {
    appendSingle1: op(results.appendSingle1),
    appendSingle8: op(results.appendSingle8),
    appendBatch100: op(results.appendBatch100),
    readAll: {
      events: read.events,
      eventsRead: read.eventsRead,
      passesPerSecond: read.passesPerSecond,
      seedSeconds: read.seedSeconds,
    },
    subscriberLatency: {
      samples: latency.ms.count,
      meanMs: round(latency.ms.mean),
      p90Ms: round(latency.ms.p90),
      maxMs: round(latency.ms.max),
      failedAppends: latency.failedAppends,
      missing: latency.missing,
    },
  };
}

async function main(): Promise<void> {
  const started = now();
  const machine = machineInfo({ postgres: await postgresInfo() });
  const self = fileURLToPath(import.meta.url);
  process.stderr.write(
    `event-store benchmark: ours vs @event-driven-io/emmett-postgresql 0.42 on ${machine.cores} cores, ` +
      `node ${machine.node}, PostgreSQL ${String((machine.postgres as Record<string, string>).server_version)}\n`,
  );
  const results: Record<StoreName, Partial<Record<WorkloadName, WorkloadResult>>> = { ours: {}, emmett: {} };
  for (const [index, workload] of WORKLOADS.entries()) {
    // Alternate which store goes first (ABBA when repeated), so drift on the shared machine favours neither.
    const pair: StoreName[] = index % 2 === 0 ? ['ours', 'emmett'] : ['emmett', 'ours'];
    const rounds = workload.startsWith('append') ? CONFIG.appendRounds : 1;
    const order = Array.from({ length: rounds }, (_, r) => (r % 2 === 0 ? pair : [...pair].reverse())).flat();
    const runs: Record<StoreName, WorkloadResult[]> = { ours: [], emmett: [] };
    for (const store of order) {
      const t0 = now();
      const result = await withFreshDatabase(`bench_es_${store}_${workload}`, (db) =>
        runInChild<Task, WorkloadResult>(self, { store, workload, url: db.url }),
      );
      runs[store].push(result);
      process.stderr.write(
        `  ${workload.padEnd(18)} ${store.padEnd(6)} done in ${((now() - t0) / 1000).toFixed(1)} s\n`,
      );
    }
    for (const store of pair)
      results[store][workload] =
        rounds > 1 ? mergeThroughput(runs[store] as ThroughputResult[]) : runs[store][0]!;
  }

  const ours = figuresOf(results.ours as Record<WorkloadName, WorkloadResult>);
  const emmett = figuresOf(results.emmett as Record<WorkloadName, WorkloadResult>);
  const ratios = {} as Record<keyof Figures, number>;
  const goals: Record<string, { actual: number; target: number; pass: boolean }> = {};
  const atLeastEmmett = {} as Record<keyof Figures, boolean>;
  const misses: string[] = [];
  const tableRows: string[][] = [];
  for (const row of ROWS) {
    const ratio = row.lowerIsBetter ? emmett[row.key] / ours[row.key] : ours[row.key] / emmett[row.key];
    ratios[row.key] = round(ratio, 2);
    atLeastEmmett[row.key] = ratio >= 1;
    const checks: GoalResult[] = [atLeast('>= Emmett', ratio, 1)];
    if (row.goal) {
      const check = row.goal.check(ours[row.key]);
      goals[row.goal.key] = { actual: round(check.actual, 2), target: check.target, pass: check.pass };
      checks.unshift(check);
    }
    for (const check of checks) if (!check.pass) misses.push(`${row.label} ${check.goal}`);
    const fmt = (v: number): string => (row.unit === 'ms' ? `${formatNumber(v, 1)} ms` : formatNumber(v));
    tableRows.push([
      row.label,
      fmt(ours[row.key]),
      fmt(emmett[row.key]),
      `${ratio.toFixed(2)}x`,
      checks.map((c) => c.goal).join(' and '),
      checks.map((c) => passMiss(c.pass)).join(' / '),
    ]);
  }
  const checked = Object.keys(goals).length + ROWS.length;
  const allPass = misses.length === 0;
  const table = formatTable(['workload', 'ours', 'Emmett', 'ratio', 'goal', 'result'], tableRows);
  const notes = [
    'Emmett has no read-all API: its read-all row pages with the exported readMessagesBatch (what its consumers poll with).',
    "Emmett's subscriber is store.consumer() + reactor() with default pulling; ours is store.subscribe() with defaults.",
    ...(['ours', 'emmett'] as const).flatMap((store) => {
      const read = results[store].readAll as ReadAllResult;
      const latency = results[store].subscriberLatency as LatencyResult;
      return [
        ...(read.eventsRead.some((n) => n !== read.events)
          ? [
              `WARNING ${store}: read-all returned ${read.eventsRead.join('/')} of ${read.events} events (it skipped or repeated some).`,
            ]
          : []),
        ...(latency.missing > 0
          ? [`WARNING ${store}: the subscriber never saw ${latency.missing} of the appended events.`]
          : []),
      ];
    }),
  ];
  process.stdout.write(
    `\nEvent store: ours vs Emmett (${machine.cores}-core machine, node ${machine.node}, load ${machine.load1} at start; ` +
      `ratio = ours/Emmett, for latency Emmett/ours: > 1 means we are better)\n\n${table}\n\n` +
      `${notes.map((n) => `- ${n}`).join('\n')}\n\n` +
      `Goals: ${checked - misses.length}/${checked} met${allPass ? '' : `; MISSED: ${misses.join('; ')}`}\n` +
      `Total time ${((now() - started) / 1000).toFixed(0)} s\n\n`,
  );
  const roundAll = (f: Figures): Figures =>
    Object.fromEntries(
      Object.entries(f).map(([k, v]) => [k, round(v as number, k.endsWith('Ms') ? 2 : 0)]),
    ) as unknown as Figures;
  printJsonLine({
    bench: 'event-store',
    ours: roundAll(ours),
    emmett: roundAll(emmett),
    ratios,
    goals: { ...goals, atLeastEmmett },
    allGoalsMet: allPass,
    config: CONFIG,
    details: {
      ours: details(results.ours as Record<WorkloadName, WorkloadResult>),
      emmett: details(results.emmett as Record<WorkloadName, WorkloadResult>),
    },
    machine,
    seconds: round((now() - started) / 1000, 0),
  });
}

await runTaskOrMain<Task, unknown>(runTask, main);
