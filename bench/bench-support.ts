import { readFileSync } from 'node:fs';
/**
 * Shared helpers for the benchmarks in bench/: timing loops, percentiles, child-process
 * isolation, fresh databases, the result table and the final one-line JSON.
 *
 * A benchmark prints a human-readable table and ends with EXACTLY one line of JSON on stdout
 * (`printJsonLine`), so that scripts can take `tail -n 1` of the output.
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
// Not the `#lx/testing` barrel: it also re-exports jest-only helpers (they import @jest/globals),
// which cannot load outside jest.
import { createTestDatabase, testServerUrl, type TestDatabase } from '../libs/testing/src/test-database.js';

// ---------------------------------------------------------------------------------------------
// Time

export const now = (): number => performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sleeps until the `performance.now()` instant `at` (returns at once if it has passed). */
export async function sleepUntil(at: number): Promise<void> {
  const wait = at - now();
  if (wait > 0) await sleep(wait);
}

/** Seconds to measure for, overridable with LX_BENCH_SECONDS (e.g. `LX_BENCH_SECONDS=1` for a smoke run). */
export function benchSeconds(fallback: number): number {
  const value = Number(process.env.LX_BENCH_SECONDS);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * How many events a benchmark puts in its log: `--events N`, else LX_BENCH_EVENTS, else
 * `fallback`; fewer than `minimum` would measure start-up rather than throughput.
 */
export function eventsOption(fallback: number, minimum: number): number {
  const { values } = parseArgs({ options: { events: { type: 'string' } }, strict: false });
  const text = (values.events as string | undefined) ?? process.env.LX_BENCH_EVENTS;
  const value = Number(text ?? fallback);
  if (!Number.isSafeInteger(value) || value < minimum)
    throw new RangeError(`--events must be ≥ ${formatNumber(minimum)}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Statistics

export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending-sorted array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, x) => total + x, 0);
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** The rate and per-item latency of a run in which every item was timed on its own. */
export interface PerItemRate {
  /** Items per second of the whole run (the timer's start to `result()`). */
  perSecond: number;
  p50us: number;
  p99us: number;
  /** Items timed. */
  items: number;
}

/**
 * Times the items of one run one by one, in µs: `began()` before an item, `ended(at)` after it;
 * `result()` ends the run. Only the item's own work is inside its latency.
 */
export function perItemTimer(): {
  began: () => number;
  ended: (began: number) => void;
  result: () => PerItemRate;
} {
  const started = now();
  const latenciesUs: number[] = [];
  return {
    began: now,
    ended: (began) => void latenciesUs.push((now() - began) * 1000),
    result: () => {
      const seconds = (now() - started) / 1000;
      const summary = summarize(latenciesUs);
      return {
        perSecond: latenciesUs.length / seconds,
        p50us: summary.p50,
        p99us: summary.p99,
        items: latenciesUs.length,
      };
    },
  };
}

/** Rounds to `digits` significant decimals, for compact JSON. */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

// ---------------------------------------------------------------------------------------------
// Workload drivers

export interface ThroughputOptions {
  /** Run (and discard) this long before measuring. */
  warmupMs: number;
  durationMs: number;
  /** Closed-loop workers: each one awaits its operation before starting the next. */
  concurrency: number;
  /** Builds worker i's operation; an operation resolves with the number of items it processed. */
  worker: (index: number) => () => Promise<number>;
}

export interface ThroughputResult {
  /** Items (e.g. events) per second, counted by completion time inside the measured window. */
  perSecond: number;
  items: number;
  operations: number;
  seconds: number;
  /** Latency of one operation, in ms (for merged rounds: of all rounds' operations). */
  operationMs: Summary;
  /** Per-round `perSecond`, when several rounds were merged. */
  rounds?: number[];
  /** Every operation's latency in ms, kept so that rounds can be merged (dropped by the merge). */
  latenciesMs?: number[];
}

/** Closed-loop throughput: `concurrency` workers call their operation back to back. */
export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const start = now();
  const from = start + options.warmupMs;
  const end = from + options.durationMs;
  let items = 0;
  let operations = 0;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, index) => {
      const operation = options.worker(index);
      while (now() < end) {
        const began = now();
        const count = await operation();
        const finished = now();
        if (finished >= from && finished <= end) {
          items += count;
          operations++;
          latencies.push(finished - began);
        }
      }
    }),
  );
  const seconds = options.durationMs / 1000;
  return {
    perSecond: items / seconds,
    items,
    operations,
    seconds,
    operationMs: summarize(latencies),
    latenciesMs: latencies,
  };
}

/**
 * Several rounds of the same workload as one result: `perSecond` is the mean of the rounds
 * (with rounds in ABBA order against a competitor, linear drift of the machine cancels out).
 */
export function mergeThroughput(results: readonly ThroughputResult[]): ThroughputResult {
  const latencies = results.flatMap((r) => r.latenciesMs ?? []);
  return {
    perSecond: results.reduce((total, r) => total + r.perSecond, 0) / results.length,
    items: results.reduce((total, r) => total + r.items, 0),
    operations: results.reduce((total, r) => total + r.operations, 0),
    seconds: results.reduce((total, r) => total + r.seconds, 0),
    operationMs: latencies.length ? summarize(latencies) : results[0]!.operationMs,
    rounds: results.map((r) => r.perSecond),
  };
}

export interface SteadyRateOptions {
  ratePerSecond: number;
  durationMs: number;
  /** Called at each tick with the tick's index; not awaited before the next tick (open loop). */
  fire: (index: number) => Promise<void>;
}

/**
 * Open-loop load: tick i fires at start + i/rate regardless of how long earlier ticks take, so
 * a slow system does not slow the offered load. Resolves once every fired operation settled.
 */
export async function runAtSteadyRate(
  options: SteadyRateOptions,
): Promise<{ fired: number; failed: number }> {
  const total = Math.round((options.ratePerSecond * options.durationMs) / 1000);
  const interval = 1000 / options.ratePerSecond;
  const start = now();
  const pending: Promise<void>[] = [];
  let failed = 0;
  for (let i = 0; i < total; i++) {
    await sleepUntil(start + i * interval);
    pending.push(options.fire(i).catch(() => void failed++));
  }
  await Promise.all(pending);
  return { fired: total, failed };
}

/** Resolves when `done()` holds, polling every `everyMs`; false on timeout. */
export async function waitFor(done: () => boolean, timeoutMs: number, everyMs = 5): Promise<boolean> {
  const deadline = now() + timeoutMs;
  while (!done()) {
    if (now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Databases

/**
 * A fresh database on the test server (LX_TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432),
 * dropped (WITH FORCE) after `work`, even when it fails.
 */
export async function withFreshDatabase<T>(
  label: string,
  work: (db: TestDatabase) => Promise<T>,
): Promise<T> {
  const db = await createTestDatabase(label);
  try {
    return await work(db);
  } finally {
    await db.drop();
  }
}

/** Server facts worth printing next to the figures (version, durability settings). */
export async function postgresInfo(): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    const info: Record<string, string> = {};
    for (const setting of ['server_version', 'synchronous_commit', 'fsync', 'shared_buffers']) {
      const { rows } = await client.query(`SHOW ${setting}`);
      info[setting] = String((rows[0] as Record<string, unknown>)[setting]);
    }
    return info;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Child processes: run each measurement in its own process, so that libraries with global side
// effects (e.g. a driver's type parsers) and one run's JIT/GC state cannot skew another.

const CHILD_FLAG = '--bench-child';

/** The task this process was forked to run, or null in the parent. */
export function childTask<T>(): T | null {
  const at = process.argv.indexOf(CHILD_FLAG);
  return at >= 0 ? (JSON.parse(process.argv[at + 1]!) as T) : null;
}

/** In a child: runs the task, sends its result to the parent and exits. */
export async function serveChildTask<T, R>(task: T, run: (task: T) => Promise<R>): Promise<void> {
  let message: { ok: true; result: R } | { ok: false; error: string };
  try {
    message = { ok: true, result: await run(task) };
  } catch (error) {
    message = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  process.send!(message, () => process.exit(message.ok ? 0 : 1));
}

/**
 * A benchmark's entry point: forked with a task (`runInChild`), this process runs that task and
 * exits; otherwise it is the parent and runs `main`.
 */
export async function runTaskOrMain<T, R>(
  run: (task: T) => Promise<R>,
  main: () => Promise<void>,
): Promise<void> {
  const task = childTask<T>();
  if (task) await serveChildTask(task, run);
  else await main();
}

/**
 * Forks `modulePath` with `task` and resolves with the result it sends back. The child's stdout
 * goes to our stderr, so that stdout carries only the table and the final JSON line.
 */
export function runInChild<T, R>(
  modulePath: string,
  task: T,
  timeoutMs = 120_000,
  execArgv: readonly string[] = [],
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const child = fork(modulePath, [CHILD_FLAG, JSON.stringify(task)], {
      stdio: ['ignore', 2, 'inherit', 'ipc'],
      execArgv: [...process.execArgv, ...execArgv],
    });
    // Settles only once the child has exited, so that the caller may drop its database safely.
    let reply: { ok: true; result: R } | { ok: false; error: string } | null = null;
    const timer = setTimeout(() => {
      reply ??= { ok: false, error: `benchmark child timed out after ${timeoutMs} ms` };
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on(
      'message',
      (message: { ok: true; result: R } | { ok: false; error: string }) => (reply ??= message),
    );
    child.on('error', (error) => (reply ??= { ok: false, error: error.stack ?? error.message }));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const message = reply ?? {
        ok: false,
        error: `benchmark child exited (${code ?? signal}) without a result`,
      };
      if (message.ok) resolve(message.result);
      else reject(new Error(message.error));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Output

export interface MachineInfo {
  cores: number;
  node: string;
  cpu: string;
  platform: string;
  /** 1-minute load average when the run started (the machine is shared). */
  load1: number;
  [key: string]: unknown;
}

export function machineInfo(extra: Record<string, unknown> = {}): MachineInfo {
  return {
    cores: os.availableParallelism(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    platform: `${os.platform()}-${os.arch()}`,
    load1: round(os.loadavg()[0]!, 2),
    ...extra,
  };
}

/** 12345.6 → "12 346"; small values keep `decimals`. */
export function formatNumber(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  const [whole, fraction] = value.toFixed(decimals).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/** A plain-text table; numeric-looking cells are right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const numeric = /^[-+]?[\d\s.,]+(\s?(ms|x|\/s))?$/;
  const line = (cells: readonly string[]): string =>
    `| ${cells
      .map((cell, i) => (numeric.test(cell) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Ends a benchmark's output: one line of JSON (bigints as strings, non-finite numbers as null). */
export function printJsonLine(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(value, (_, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : typeof v === 'number' && !Number.isFinite(v) ? null : v,
    )}\n`,
  );
}

/** A measured rate for the final JSON: seconds to `secondsDigits` decimals, whole events per second. */
export function roundedRate<T extends { seconds: number; eventsPerSecond: number }>(
  rate: T,
  secondsDigits = 2,
): T {
  return {
    ...rate,
    seconds: round(rate.seconds, secondsDigits),
    eventsPerSecond: round(rate.eventsPerSecond, 0),
  };
}

/** PASS/MISS for a goal, with the comparison spelled out. */
export interface GoalResult {
  goal: string;
  actual: number;
  target: number;
  pass: boolean;
}

export function atLeast(goal: string, actual: number, target: number): GoalResult {
  return { goal, actual, target, pass: actual >= target };
}

export function atMost(goal: string, actual: number, target: number): GoalResult {
  return { goal, actual, target, pass: actual <= target };
}

export const passMiss = (pass: boolean): string => (pass ? 'PASS' : 'MISS');

/** One line a goal: `PASS  leads/s at 1 000 orders: 123456 (goal 100000)`. */
export function printGoals(goals: readonly GoalResult[]): void {
  for (const goal of goals)
    console.log(`${passMiss(goal.pass)}  ${goal.goal}: ${goal.actual} (goal ${goal.target})`);
}

/** The goals as a table: goal, actual (one decimal), target, PASS/MISS. */
export function goalTable(goals: readonly GoalResult[]): string {
  return formatTable(
    ['goal', 'actual', 'target', ''],
    goals.map((g) => [g.goal, formatNumber(g.actual, 1), formatNumber(g.target), passMiss(g.pass)]),
  );
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) a process of this machine has used so far, from /proc/<pid>/stat; null
 * once it is gone, or when it is not ours to read (a database server on another machine).
 */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
