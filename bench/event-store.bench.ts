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
import os from 'node:os';
import pg from 'pg';
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
  processCpuSeconds,
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
const ALL_WORKLOADS: WorkloadName[] = [
  'appendSingle1',
  'appendSingle8',
  'appendBatch100',
  'readAll',
  'subscriberLatency',
];
/**
 * LX_BENCH_WORKLOADS (comma-separated names) runs only those workloads, e.g. `appendBatch100`
 * while working on appends; the table and JSON line then hold only their rows.
 */
const WORKLOADS: WorkloadName[] = process.env.LX_BENCH_WORKLOADS
  ? ALL_WORKLOADS.filter((w) => process.env.LX_BENCH_WORKLOADS!.split(',').includes(w))
  : ALL_WORKLOADS;

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

/** CPU spent inside an append workload's measured window, per event appended in it. */
interface CpuPerEvent {
  /** The benchmark process (the store's client side): process.cpuUsage(), user + system. */
  nodeUs: number;
  /** The database's backends (every connection to the run's database): utime + stime from /proc. */
  pgUs: number;
  /** The machine's 1-minute load average at the start and the end of the measured window. */
  load: [number, number];
  /** Backends connected to the database at the start and the end of the window. */
  backends: [number, number];
}

type AppendResult = ThroughputResult & { cpu: CpuPerEvent; cpuRounds?: CpuPerEvent[] };

type WorkloadResult = AppendResult | ThroughputResult | ReadAllResult | LatencyResult;

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
        return await withCpu(task.url, (o) => singleAppends(store, 1, o));
      case 'appendSingle8':
        return await withCpu(task.url, (o) => singleAppends(store, CONFIG.concurrentWriters, o));
      case 'appendBatch100':
        return await withCpu(task.url, (o) => batchedAppends(store, o));
      case 'readAll':
        return await readAll(store);
      case 'subscriberLatency':
        return await subscriberLatency(store);
    }
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------
// CPU accounting of an append workload's measured window

/** utime + stime of a process in µs, or null if it is gone (or /proc is not ours to read). */
function processCpuUs(pid: number): number | null {
  const seconds = processCpuSeconds(pid);
  return seconds === null ? null : seconds * 1e6;
}

interface CpuSample {
  node: number;
  backends: Map<number, number>;
  load: number;
}

/**
 * Runs `measure`, which calls `window.start()` when its measured window opens and
 * `window.end()` when it closes, and adds the CPU spent in between per event measured: this
 * process's, and that of every PostgreSQL backend connected to the run's database (found through
 * a monitoring connection of its own, which is left out). A backend that connects during the
 * window counts from its start; one that exits during it is lost (the stores' pools keep theirs).
 */
async function withCpu(
  url: string,
  measure: (window: { start: () => void; end: () => void }) => Promise<ThroughputResult>,
): Promise<AppendResult> {
  const monitor = new pg.Client({ connectionString: url });
  await monitor.connect();
  const backendPids = async (): Promise<number[]> =>
    (
      await monitor.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      )
    ).rows.map((row) => row.pid);
  const sample = (pids: number[]): CpuSample => {
    const usage = process.cpuUsage();
    const backends = new Map<number, number>();
    for (const pid of pids) {
      const cpu = processCpuUs(pid);
      if (cpu !== null) backends.set(pid, cpu);
    }
    return { node: usage.user + usage.system, backends, load: os.loadavg()[0]! };
  };
  // This process's CPU is read at the window's edge; the backends right after listing them.
  let first: Promise<CpuSample> | null = null;
  let last: Promise<CpuSample> | null = null;
  const end = (): void => {
    if (last) return;
    const node = process.cpuUsage();
    last = backendPids().then((listed) => ({ ...sample(listed), node: node.user + node.system }));
  };
  try {
    const start = (): void => {
      if (first) return;
      const node = process.cpuUsage();
      first = backendPids().then((listed) => ({ ...sample(listed), node: node.user + node.system }));
    };
    const result = await measure({ start, end });
    // The window's timer may fire after the last operation ended (the loop stops at the same instant).
    end();
    const [a, b] = await Promise.all([first!, last!]);
    let backendUs = 0;
    for (const [pid, cpu] of b.backends) backendUs += cpu - (a.backends.get(pid) ?? 0);
    const items = Math.max(1, result.items);
    return {
      ...result,
      cpu: {
        nodeUs: round((b.node - a.node) / items, 2),
        pgUs: round(backendUs / items, 2),
        load: [round(a.load, 2), round(b.load, 2)],
        backends: [a.backends.size, b.backends.size],
      },
    };
  } finally {
    await monitor.end();
  }
}

/** Opens and closes the measured window of `measureThroughput`'s options on timers. */
function windowTimers(window: { start: () => void; end: () => void }): void {
  setTimeout(() => {
    window.start();
    setTimeout(window.end, CONFIG.appendMeasureMs);
  }, CONFIG.warmupMs);
}

/** Each writer appends one event at a time to its own stream, with the expected revision. */
function singleAppends(
  store: BenchStore,
  writers: number,
  window: { start: () => void; end: () => void },
): Promise<ThroughputResult> {
  const run = randomBytes(3).toString('hex');
  windowTimers(window);
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
function batchedAppends(
  store: BenchStore,
  window: { start: () => void; end: () => void },
): Promise<ThroughputResult> {
  let count = 0;
  windowTimers(window);
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

function figuresOf(results: Partial<Record<WorkloadName, WorkloadResult>>): Partial<Figures> {
  const figures: Partial<Figures> = {};
  for (const key of APPEND_WORKLOADS)
    if (results[key]) figures[key] = (results[key] as ThroughputResult).perSecond;
  if (results.readAll) figures.readAll = (results.readAll as ReadAllResult).perSecond;
  const latency = results.subscriberLatency as LatencyResult | undefined;
  if (latency) {
    figures.subscriberP50Ms = latency.ms.p50;
    figures.subscriberP99Ms = latency.ms.p99;
  }
  return figures;
}

function details(results: Partial<Record<WorkloadName, WorkloadResult>>): Record<string, unknown> {
  const op = (r: WorkloadResult): Record<string, unknown> => {
    const t = r as AppendResult;
    return {
      rounds: (t.rounds ?? [t.perSecond]).map((x) => round(x, 0)),
      opP50Ms: round(t.operationMs.p50),
      opP99Ms: round(t.operationMs.p99),
      operations: t.operations,
      cpu: t.cpu,
      cpuRounds: t.cpuRounds,
    };
  };
  const out: Record<string, unknown> = {};
  for (const key of APPEND_WORKLOADS) if (results[key]) out[key] = op(results[key]);
  const read = results.readAll as ReadAllResult | undefined;
  if (read)
    out.readAll = {
      events: read.events,
      eventsRead: read.eventsRead,
      passesPerSecond: read.passesPerSecond,
      seedSeconds: read.seedSeconds,
    };
  const latency = results.subscriberLatency as LatencyResult | undefined;
  if (latency)
    out.subscriberLatency = {
      samples: latency.ms.count,
      meanMs: round(latency.ms.mean),
      p90Ms: round(latency.ms.p90),
      maxMs: round(latency.ms.max),
      failedAppends: latency.failedAppends,
      missing: latency.missing,
    };
  return out;
}

/** Rounds of an append workload as one: throughput merged, CPU per event averaged over the rounds. */
function mergeAppendRounds(rounds: readonly AppendResult[]): AppendResult {
  const mean = (f: (c: CpuPerEvent) => number): number =>
    round(rounds.reduce((total, r) => total + f(r.cpu), 0) / rounds.length, 2);
  return {
    ...mergeThroughput(rounds),
    cpu: {
      nodeUs: mean((c) => c.nodeUs),
      pgUs: mean((c) => c.pgUs),
      load: [Math.min(...rounds.map((r) => r.cpu.load[0])), Math.max(...rounds.map((r) => r.cpu.load[1]))],
      backends: [rounds[0]!.cpu.backends[0], rounds[0]!.cpu.backends[1]],
    },
    cpuRounds: rounds.map((r) => r.cpu),
  };
}

const APPEND_WORKLOADS = ['appendSingle1', 'appendSingle8', 'appendBatch100'] as const;

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
        rounds > 1 ? mergeAppendRounds(runs[store] as AppendResult[]) : runs[store][0]!;
  }

  const ours = figuresOf(results.ours);
  const emmett = figuresOf(results.emmett);
  const ratios: Partial<Record<keyof Figures, number>> = {};
  const goals: Record<string, { actual: number; target: number; pass: boolean }> = {};
  const atLeastEmmett: Partial<Record<keyof Figures, boolean>> = {};
  const misses: string[] = [];
  const tableRows: string[][] = [];
  const rows = ROWS.filter((row) => ours[row.key] !== undefined && emmett[row.key] !== undefined);
  for (const row of rows) {
    const [o, e] = [ours[row.key]!, emmett[row.key]!];
    const ratio = row.lowerIsBetter ? e / o : o / e;
    ratios[row.key] = round(ratio, 2);
    atLeastEmmett[row.key] = ratio >= 1;
    const checks: GoalResult[] = [atLeast('>= Emmett', ratio, 1)];
    if (row.goal) {
      const check = row.goal.check(o);
      goals[row.goal.key] = { actual: round(check.actual, 2), target: check.target, pass: check.pass };
      checks.unshift(check);
    }
    for (const check of checks) if (!check.pass) misses.push(`${row.label} ${check.goal}`);
    const fmt = (v: number): string => (row.unit === 'ms' ? `${formatNumber(v, 1)} ms` : formatNumber(v));
    tableRows.push([
      row.label,
      fmt(o),
      fmt(e),
      `${ratio.toFixed(2)}x`,
      checks.map((c) => c.goal).join(' and '),
      checks.map((c) => passMiss(c.pass)).join(' / '),
    ]);
  }
  const checked = Object.keys(goals).length + rows.length;
  const allPass = misses.length === 0;
  const table = formatTable(['workload', 'ours', 'Emmett', 'ratio', 'goal', 'result'], tableRows);
  // CPU per event appended, in the measured windows (mean of the rounds), beside the machine's load.
  const cpuOf = (store: StoreName, key: (typeof APPEND_WORKLOADS)[number]) =>
    (results[store][key] as AppendResult | undefined)?.cpu;
  const cpuRows = APPEND_WORKLOADS.flatMap((key) => {
    const [o, e] = [cpuOf('ours', key), cpuOf('emmett', key)];
    if (!o || !e) return [];
    const fmt = (v: number): string => formatNumber(v, 1);
    return [
      [
        key,
        fmt(o.nodeUs),
        fmt(o.pgUs),
        fmt(o.nodeUs + o.pgUs),
        fmt(e.nodeUs),
        fmt(e.pgUs),
        fmt(e.nodeUs + e.pgUs),
        `${((e.nodeUs + e.pgUs) / (o.nodeUs + o.pgUs)).toFixed(2)}x`,
        `${Math.min(o.load[0], e.load[0])}–${Math.max(o.load[1], e.load[1])}`,
      ],
    ];
  });
  const cpuTable = cpuRows.length
    ? `CPU µs per event appended (node = the store's process, PG = its database's backends; ` +
      `ratio = Emmett/ours total, > 1 means we spend less):\n\n` +
      formatTable(
        [
          'workload',
          'ours node',
          'ours PG',
          'ours total',
          'Emmett node',
          'Emmett PG',
          'Emmett total',
          'ratio',
          'load',
        ],
        cpuRows,
      ) +
      '\n\n'
    : '';
  const notes = [
    'Emmett has no read-all API: its read-all row pages with the exported readMessagesBatch (what its consumers poll with).',
    "Emmett's subscriber is store.consumer() + reactor() with default pulling; ours is store.subscribe() with defaults.",
    ...(['ours', 'emmett'] as const).flatMap((store) => {
      const read = results[store].readAll as ReadAllResult | undefined;
      const latency = results[store].subscriberLatency as LatencyResult | undefined;
      return [
        ...(read?.eventsRead.some((n) => n !== read.events)
          ? [
              `WARNING ${store}: read-all returned ${read.eventsRead.join('/')} of ${read.events} events (it skipped or repeated some).`,
            ]
          : []),
        ...(latency && latency.missing > 0
          ? [`WARNING ${store}: the subscriber never saw ${latency.missing} of the appended events.`]
          : []),
      ];
    }),
  ];
  const loadAtEnd = round(os.loadavg()[0]!, 2);
  process.stdout.write(
    `\nEvent store: ours vs Emmett (${machine.cores}-core machine, node ${machine.node}, load ${machine.load1} at start, ` +
      `${loadAtEnd} at the end; ratio = ours/Emmett, for latency Emmett/ours: > 1 means we are better)\n\n${table}\n\n` +
      cpuTable +
      `${notes.map((n) => `- ${n}`).join('\n')}\n\n` +
      `Goals: ${checked - misses.length}/${checked} met${allPass ? '' : `; MISSED: ${misses.join('; ')}`}\n` +
      `Total time ${((now() - started) / 1000).toFixed(0)} s\n\n`,
  );
  const roundAll = (f: Partial<Figures>): Partial<Figures> =>
    Object.fromEntries(
      Object.entries(f).map(([k, v]) => [k, round(v, k.endsWith('Ms') ? 2 : 0)]),
    ) as Partial<Figures>;
  const cpuPerEvent = (store: StoreName) =>
    Object.fromEntries(
      APPEND_WORKLOADS.flatMap((key) => {
        const cpu = cpuOf(store, key);
        return cpu
          ? [[key, { nodeUs: cpu.nodeUs, pgUs: cpu.pgUs, totalUs: round(cpu.nodeUs + cpu.pgUs, 2) }]]
          : [];
      }),
    );
  printJsonLine({
    bench: 'event-store',
    ours: roundAll(ours),
    emmett: roundAll(emmett),
    ratios,
    cpuPerEvent: { ours: cpuPerEvent('ours'), emmett: cpuPerEvent('emmett') },
    goals: { ...goals, atLeastEmmett },
    allGoalsMet: allPass,
    config: CONFIG,
    details: { ours: details(results.ours), emmett: details(results.emmett) },
    machine: { ...machine, loadAtEnd },
    seconds: round((now() - started) / 1000, 0),
  });
}

await runTaskOrMain<Task, unknown>(runTask, main);
