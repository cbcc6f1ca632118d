/**
 * Audit benchmark (`npm run bench:audit`).
 *
 * Builds a realistic market log in a fresh database — listings from the generator, placed orders,
 * market settings, clock ticks, and the matching engine's real outputs on `market-<vertical>` —
 * of LX_BENCH_EVENTS events (default 1 000 000; `--events N` also works), timing the appends.
 * Then, each in a process of its own, over that log:
 *
 *  1. plain read-all of the whole log, and of the engine's inputs only (the floors);
 *  2. the replay proof (`replayMarkets`): a fresh engine re-folds every input and every output is
 *     compared with the recorded one (digests) — goal ≤ 15 s (issue 17; it was 30 s);
 *  3. hash-chain verification of the whole log (`verifyIntegrity`) — goal ≥ 100 000 events/s;
 *  4. read-model rebuilds (`rebuildProjection`, dry run) of the audit index and the ledger, each
 *     cut off after LX_BENCH_REBUILD_SECONDS (default 90 s) if not finished: then its rate and
 *     the projected full time are reported.
 *
 * `--only verify` runs just the read-all floor and the verification — two rounds with its first pass
 * on worker threads, interleaved with two in one thread, the baseline (`--only replay`: the inputs'
 * read-all floor and the replay proof); `--keep-database` keeps the
 * built log (its URL goes to stderr) and `--database <url>` re-measures a kept one without building.
 *
 * The outputs are computed as the MarketEngineHost computes them: the same engine fed the same
 * inputs at their real log positions (read back from the append), with the host's ids
 * (deterministicUuid('market-output', vertical, inputPosition, index)) and metadata. Unlike the
 * host, the outputs of a whole batch of inputs are appended in one transaction (same events, same
 * order; only transaction boundaries differ).
 *
 * Every measurement reports the CPU time it cost per event — the measuring process's
 * (`process.cpuUsage()`, worker threads included) and PostgreSQL's backends' — and the load average.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { deterministicUuid, eventCatalogue } from '#lx/contracts';
import {
  comparePositions,
  formatPosition,
  PostgresEventStore,
  type NewEvent,
  type StreamWrite,
} from '#lx/event-store';
import { generateLeadRows, generateOrderSpecs } from '#lx/market-generator';
import {
  MARKET_INPUT_CATEGORIES,
  MARKET_INPUT_TYPES,
  MarketEngine,
  marketClockStream,
  marketSettingsStream,
  marketStream,
  type MarketInputEvent,
  type MarketOutput,
} from '#lx/matching';
import { readCheckpoint, rebuildProjection, type Projection } from '#lx/projections';
import { auditIndexProjection } from '../libs/audit/src/infrastructure/audit-index.projection.js';
import { replayMarkets } from '../libs/audit/src/application/replay-proof.js';
import { REPLAY_NODE_FLAGS } from '../libs/audit/src/infrastructure/scratch-replay.js';
import { ledgerProjection } from '../libs/ledger/src/infrastructure/ledger.projection.js';
import { leadListedFromRow, orderPlacedFromSpec } from '../libs/matching/src/testing/generated-market.js';
import {
  atLeast,
  atMost,
  eventsOption,
  formatNumber,
  formatTable,
  machineInfo,
  now,
  passMiss,
  postgresInfo,
  printGoals,
  printJsonLine,
  round,
  roundedRate,
  runInChild,
  runTaskOrMain,
  withFreshDatabase,
  type GoalResult,
  processCpuSeconds,
} from './bench-support.js';
import { createTestDatabase } from '../libs/testing/src/test-database.js';

const VERTICAL = 'eyewear';
const T0 = Date.parse('2030-03-01T00:00:00.000Z');
const MINUTE = 60_000;
/** Leads listed per batch (one append of inputs, then one append of the engine's outputs). */
const LEADS_PER_BATCH = 500;
/** Simulated time a batch covers; one clock tick ends it. */
const BATCH_MINUTES = 10;
/** The book is topped up to this many open orders before each batch. */
const OPEN_ORDERS = 300;
const BUYERS = 200;
const SELLERS = 50;
/** Concurrent transactions a batch's inputs are split into. */
const INPUT_CHUNKS = 4;

function eventsToBuild(): number {
  return eventsOption(1_000_000, 10_000);
}

interface RunFlags {
  /** Reuse a log built by an earlier run (`--database <url>`, kept with `--keep-database`): no build. */
  database?: string;
  /** Do not drop the database at the end (its URL goes to stderr), so that later runs can reuse it. */
  keepDatabase: boolean;
  /** `--only verify`: just read-all of the whole log (the floor) and the hash-chain verification. */
  verifyOnly: boolean;
  /** `--only replay`: just read-all of the engine's inputs (the floor) and the replay proof. */
  replayOnly: boolean;
}

function runFlags(): RunFlags {
  const { values } = parseArgs({
    options: {
      database: { type: 'string' },
      'keep-database': { type: 'boolean' },
      only: { type: 'string' },
    },
    strict: false,
  });
  const only = values.only as string | undefined;
  if (only !== undefined && only !== 'verify' && only !== 'replay')
    throw new RangeError('--only accepts: verify, replay');
  return {
    ...(typeof values.database === 'string' ? { database: values.database } : {}),
    keepDatabase: values['keep-database'] === true,
    verifyOnly: only === 'verify',
    replayOnly: only === 'replay',
  };
}

function rebuildSeconds(): number {
  const value = Number(process.env.LX_BENCH_REBUILD_SECONDS);
  return Number.isFinite(value) && value > 0 ? value : 90;
}

// ---------------------------------------------------------------------------------------------
// Building the log

interface BuildResult {
  events: number;
  inputs: number;
  outputs: number;
  byType: Record<string, number>;
  seconds: number;
  eventsPerSecond: number;
  /** Waiting for the inputs' appends (concurrent chunks). */
  inputAppendSeconds: number;
  /** Time the outputs' appends took (overlapping the next batch). */
  outputAppendSeconds: number;
  /** Time the build waited for the previous batch's outputs to be written. */
  outputWaitSeconds: number;
  engineSeconds: number;
  generateSeconds: number;
  inputAppends: number;
  outputAppends: number;
  simulatedDays: number;
  tableBytes: number;
}

async function buildLog(url: string, total: number): Promise<BuildResult> {
  const store = await PostgresEventStore.connect({ connectionString: url, registry: eventCatalogue });
  const engine = new MarketEngine({ vertical: VERTICAL });
  const byType: Record<string, number> = {};
  const count = (type: string, n = 1) => (byType[type] = (byType[type] ?? 0) + n);
  let events = 0;
  let inputs = 0;
  let outputs = 0;
  let revision = -1;
  let inputAppendMs = 0;
  let outputAppendMs = 0;
  let outputWaitMs = 0;
  let outputsWritten: Promise<void> = Promise.resolve();
  let engineMs = 0;
  let generateMs = 0;
  let inputAppends = 0;
  let outputAppends = 0;
  let openOrders = 0;
  let ordersPlaced = 0;
  let leadsListed = 0;
  let batch = 0;
  let simNow = T0;

  const settingsEvent = (commissionBps: number): MarketInputEvent => ({
    type: 'MarketSettingsChanged',
    data: {
      vertical: VERTICAL,
      currency: 'RUB',
      commissionBps,
      returnWindowHours: 72,
      dedupeWindowDays: 30,
      listingLifetimeHours: 72,
    },
  });

  // autovacuum is off on the shared test server: without statistics, the plans lx_append caches
  // per connection (made while the table is tiny) turn into sequential scans of a growing log,
  // and each append gets slower with the log's size. Analyse as autovacuum would.
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  let analysedAt = 0;
  let analyseMs = 0;
  const started = now();
  while (events < total) {
    if (events >= Math.max(2_000, analysedAt * 2) || events - analysedAt >= 100_000) {
      const z0 = now();
      await admin.query('ANALYZE lx_events; ANALYZE lx_streams');
      analyseMs += now() - z0;
      analysedAt = events;
    }
    const at = new Date(simNow).toISOString();
    const writes: StreamWrite[] = [];
    const inputOf: { event: MarketInputEvent; id: string; at: string }[] = [];
    const add = (
      stream: string,
      event: MarketInputEvent,
      occurredAt: string,
      actor: string,
      expected: 'any' | 'no_stream',
    ) => {
      const id = randomUUID();
      inputOf.push({ event, id, at: occurredAt });
      writes.push({
        stream,
        expectedRevision: expected,
        events: [
          { id, type: event.type, data: event.data, metadata: { correlationId: id, occurredAt, actor } },
        ],
      });
    };

    const g0 = now();
    // Settings: at the start, then a commission change every 200 batches.
    if (batch % 200 === 0)
      add(
        marketSettingsStream(VERTICAL),
        settingsEvent(1500 + (batch / 200) * 50),
        at,
        'operator:bench',
        'any',
      );
    // Orders: top the book up (closed orders are replaced by new ones).
    const missing = OPEN_ORDERS - openOrders;
    if (missing > 0) {
      const specs = generateOrderSpecs({
        seed: `audit-bench-${batch}`,
        count: missing,
        vertical: VERTICAL,
        currency: 'RUB',
      });
      for (const spec of specs) {
        const buyerId = `b${ordersPlaced % BUYERS}`;
        const order = orderPlacedFromSpec(spec, `o${ordersPlaced++}`, buyerId);
        add(`buyer-${buyerId}`, order, at, `buyer:${buyerId}`, 'any');
      }
      openOrders += missing;
    }
    // Listings captured during this batch's minutes.
    const leadCount = Math.min(LEADS_PER_BATCH, Math.max(1, Math.ceil((total - events) / 2)));
    const { rows } = generateLeadRows({
      seed: `audit-bench-leads-${batch}`,
      count: leadCount,
      vertical: VERTICAL,
      capturedAround: new Date(simNow),
      captureWindowMinutes: 30,
      badShare: 0,
      duplicateShare: 0.03,
    });
    rows.forEach((row, i) => {
      const n = leadsListed++;
      const leadId = `l${n}`;
      const listedAt = new Date(
        simNow + Math.floor((i * BATCH_MINUTES * MINUTE) / rows.length),
      ).toISOString();
      const listing = leadListedFromRow(row, VERTICAL, {
        leadId,
        sellerId: `s${n % SELLERS}`,
        floor: 20000 + (n % 9) * 5000,
        exclusivity: n % 10 < 7 ? { kind: 'exclusive' } : { kind: 'shared', maxSales: 2 + (n % 3) },
      });
      add(`lead-${leadId}`, listing, listedAt, `seller:s${n % SELLERS}`, 'no_stream');
    });
    simNow += BATCH_MINUTES * MINUTE;
    const tickAt = new Date(simNow).toISOString();
    add(
      marketClockStream(VERTICAL),
      { type: 'MarketClockTicked', data: { at: tickAt } },
      tickAt,
      'clock',
      'any',
    );
    generateMs += now() - g0;

    // Inputs: INPUT_CHUNKS concurrent transactions (so that PostgreSQL works on both cores while
    // this process generates and folds); one event per write, so each result is that event's
    // position. While they run, the previous batch's outputs are still being appended.
    const a0 = now();
    const size = Math.ceil(writes.length / INPUT_CHUNKS);
    const chunks = Array.from({ length: Math.ceil(writes.length / size) }, (_, c) =>
      store.appendToStreams(writes.slice(c * size, (c + 1) * size)),
    );
    const results = (await Promise.all(chunks)).flat();
    inputAppendMs += now() - a0;
    inputAppends += chunks.length;
    inputs += writes.length;
    events += writes.length;
    for (const input of inputOf) count(input.event.type);

    // Fold in log order, as the host would, and collect the host's output events.
    const e0 = now();
    const order = results
      .map((result, i) => ({ position: result.position, input: inputOf[i]! }))
      .sort((x, y) => comparePositions(x.position, y.position));
    const produced: NewEvent[] = [];
    for (const { position, input } of order) {
      const inputPosition = formatPosition(position);
      const out: MarketOutput[] = engine.apply({ position: inputPosition, at: input.at, event: input.event });
      out.forEach((output, index) => {
        count(output.type);
        if (output.type === 'OrderClosed') openOrders--;
        produced.push({
          id: deterministicUuid('market-output', VERTICAL, inputPosition, String(index)),
          type: output.type,
          data: output.data,
          metadata: {
            correlationId: input.id,
            causationId: input.id,
            actor: `engine:${VERTICAL}`,
            occurredAt: engine.clock,
          },
        });
      });
    }
    engineMs += now() - e0;

    // The market stream has one writer: its appends stay in order, each after the previous one.
    const o0 = now();
    await outputsWritten;
    outputWaitMs += now() - o0;
    outputsWritten = (async () => {
      const w0 = now();
      for (let from = 0; from < produced.length; from += 5000) {
        const chunk = produced.slice(from, from + 5000);
        const result = await store.appendToStream(marketStream(VERTICAL), chunk, {
          expectedRevision: revision < 0 ? 'no_stream' : revision,
        });
        revision = result.nextRevision;
        outputAppends++;
      }
      outputAppendMs += now() - w0;
    })();
    outputs += produced.length;
    events += produced.length;
    batch++;
    if (batch % 50 === 0)
      process.stderr.write(
        `… ${formatNumber(events)} events (${formatNumber(events / ((now() - started) / 1000))}/s), ${engine.openOrderCount} open orders, ${engine.restingLeadCount} resting leads\n`,
      );
  }
  await outputsWritten;
  const seconds = (now() - started) / 1000;
  await admin.end();
  process.stderr.write(`(ANALYZE during the build: ${round(analyseMs / 1000, 1)} s)\n`);
  await store.close();
  const client = new DataSource({ type: 'postgres', url });
  await client.initialize();
  const [{ bytes }] = await client.query(`SELECT pg_total_relation_size('lx_events')::text AS bytes`);
  await client.destroy();
  return {
    events,
    inputs,
    outputs,
    byType,
    seconds,
    eventsPerSecond: events / seconds,
    inputAppendSeconds: inputAppendMs / 1000,
    outputAppendSeconds: outputAppendMs / 1000,
    outputWaitSeconds: outputWaitMs / 1000,
    engineSeconds: engineMs / 1000,
    generateSeconds: generateMs / 1000,
    inputAppends,
    outputAppends,
    simulatedDays: (simNow - T0) / 86_400_000,
    tableBytes: Number(bytes),
  };
}

// ---------------------------------------------------------------------------------------------
// Measurements, each in its own process

type Task =
  | { kind: 'readAll'; url: string; inputsOnly: boolean }
  | { kind: 'replay'; url: string }
  /** `workers`: LX_VERIFY_WORKERS for this run (0: the first pass in the verifying thread). */
  | { kind: 'verify'; url: string; workers?: number }
  | { kind: 'rebuild'; url: string; projection: 'audit_index' | 'ledger' };

/**
 * CPU time a measurement cost: this process's (`process.cpuUsage()`: every thread, so worker
 * threads included) and the PostgreSQL backends' serving this database (their /proc/<pid>/stat
 * utime + stime, sampled every 100 ms: a backend that ends between two samples loses at most that
 * much), with the 1-minute load average at the start and the end.
 */
interface CpuFigures {
  cpuSeconds: number;
  postgresCpuSeconds: number;
  loadAtStart: number;
  loadAtEnd: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

function backendTicks(pid: number): number | null {
  const seconds = processCpuSeconds(pid);
  return seconds === null ? null : Math.round(seconds * CLOCK_TICKS);
}

async function measuringCpu<T>(url: string, work: () => Promise<T>): Promise<T & CpuFigures> {
  const sampler = new pg.Client({ connectionString: url });
  await sampler.connect();
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let starting = true;
  const sample = async () => {
    const { rows } = await sampler.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    for (const { pid } of rows) {
      const ticks = backendTicks(pid);
      if (ticks === null) continue;
      if (!first.has(pid)) first.set(pid, starting ? ticks : 0);
      last.set(pid, ticks);
    }
  };
  await sample();
  starting = false;
  let sampling = Promise.resolve();
  const timer = setInterval(() => (sampling = sampling.then(sample, () => undefined)), 100);
  const loadAtStart = round(os.loadavg()[0]!, 2);
  const cpu0 = process.cpuUsage();
  try {
    const result = await work();
    const cpu = process.cpuUsage(cpu0);
    clearInterval(timer);
    await sampling;
    await sample();
    let ticks = 0;
    for (const [pid, end] of last) ticks += end - first.get(pid)!;
    return {
      ...result,
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
      postgresCpuSeconds: round(ticks / CLOCK_TICKS, 2),
      loadAtStart,
      loadAtEnd: round(os.loadavg()[0]!, 2),
    };
  } finally {
    clearInterval(timer);
    await sampling.catch(() => undefined);
    await sampler.end();
  }
}

/** µs of CPU per unit, this process's and PostgreSQL's. */
const cpuPer = (figures: CpuFigures, units: number) => ({
  cpuUsPerEvent: round((figures.cpuSeconds * 1e6) / units, 1),
  postgresCpuUsPerEvent: round((figures.postgresCpuSeconds * 1e6) / units, 1),
});

const PROJECTIONS: Record<'audit_index' | 'ledger', Projection> = {
  audit_index: auditIndexProjection,
  ledger: ledgerProjection,
};

async function runTask(task: Task): Promise<unknown> {
  if (task.kind === 'verify' && task.workers !== undefined)
    process.env.LX_VERIFY_WORKERS = String(task.workers);
  const store = await PostgresEventStore.connect({ connectionString: task.url, registry: eventCatalogue });
  try {
    if (task.kind === 'rebuild') return await measure(store, task);
    return await measuringCpu(task.url, () => measure(store, task));
  } finally {
    await store.close();
  }
}

async function measure(store: PostgresEventStore, task: Task): Promise<object> {
  {
    const started = now();
    switch (task.kind) {
      case 'readAll': {
        let after = null;
        let events = 0;
        for (;;) {
          const page = await store.readAll({
            after,
            maxCount: 5000,
            ...(task.inputsOnly
              ? { filter: { streamCategories: MARKET_INPUT_CATEGORIES, eventTypes: MARKET_INPUT_TYPES } }
              : {}),
          });
          events += page.events.length;
          if (page.isEnd) break;
          after = page.nextAfter;
        }
        const seconds = (now() - started) / 1000;
        return { events, seconds, eventsPerSecond: events / seconds };
      }
      case 'replay': {
        const proof = await replayMarkets(store, { verticals: [VERTICAL] });
        const seconds = (now() - started) / 1000;
        const market = proof.markets[0]!;
        return {
          seconds,
          ok: proof.ok,
          eventsRead: proof.eventsRead,
          inputs: market.inputs,
          recordedOutputs: market.recordedOutputs,
          replayedOutputs: market.replayedOutputs,
          identical: market.identical,
          digest: market.recordedDigest,
          firstDivergence: market.firstDivergence,
          peakRssMb: Math.round(process.memoryUsage().rss / 1e6),
        };
      }
      case 'verify': {
        const report = await store.verifyIntegrity();
        const seconds = (now() - started) / 1000;
        return { ...report, seconds, eventsPerSecond: report.eventsChecked / seconds };
      }
      case 'rebuild': {
        const projection = PROJECTIONS[task.projection];
        const dataSource = new DataSource({
          type: 'postgres',
          url: task.url,
          entities: [...projection.entities],
        });
        await dataSource.initialize();
        try {
          const report = await rebuildProjection({
            projection,
            store,
            dataSource,
            dryRun: true,
            batchSize: 1000,
          });
          const seconds = (now() - started) / 1000;
          return {
            seconds,
            eventsApplied: report.eventsApplied,
            eventsPerSecond: report.eventsApplied / seconds,
          };
        } finally {
          await dataSource.destroy();
        }
      }
    }
  }
}

interface RebuildFigure {
  projection: string;
  /** Events of the log that the projection's filter selects. */
  matching: number;
  eventsApplied: number;
  seconds: number;
  eventsPerSecond: number;
  finished: boolean;
  /** Measured when finished; else matching ÷ the measured rate. */
  fullSeconds: number;
}

/** Runs rebuildProjection in a child for at most `budgetSeconds`; when cut off, reads how far it got. */
async function measureRebuild(
  url: string,
  name: 'audit_index' | 'ledger',
  budgetSeconds: number,
): Promise<RebuildFigure> {
  const projection = PROJECTIONS[name];
  const probe = new DataSource({ type: 'postgres', url });
  await probe.initialize();
  try {
    const types = projection.filter.eventTypes;
    const [{ n }] = await probe.query(
      types?.length
        ? `SELECT count(*)::int AS n FROM lx_events WHERE event_type = ANY($1::text[])`
        : `SELECT count(*)::int AS n FROM lx_events`,
      types?.length ? [types] : [],
    );
    const started = now();
    try {
      const result = await runInChild<
        Task,
        { seconds: number; eventsApplied: number; eventsPerSecond: number }
      >(modulePath, { kind: 'rebuild', url, projection: name }, budgetSeconds * 1000);
      return { projection: name, matching: n, ...result, finished: true, fullSeconds: result.seconds };
    } catch (error) {
      if (!String(error).includes('timed out')) throw error;
      const seconds = (now() - started) / 1000;
      const stored = await readCheckpoint(probe, `rm_${name}__next`);
      const eventsApplied = stored?.eventsApplied ?? 0;
      const eventsPerSecond = eventsApplied / seconds;
      await probe.query(`DROP SCHEMA IF EXISTS rm_${name}__next CASCADE`);
      return {
        projection: name,
        matching: n,
        eventsApplied,
        seconds,
        eventsPerSecond,
        finished: false,
        fullSeconds: n / eventsPerSecond,
      };
    }
  } finally {
    await probe.destroy();
  }
}

const modulePath = fileURLToPath(import.meta.url);

/** A fresh database (dropped at the end unless --keep-database), or the one --database names. */
async function onDatabase<T>(flags: RunFlags, work: (url: string) => Promise<T>): Promise<T> {
  if (flags.database) return work(flags.database);
  if (!flags.keepDatabase) return withFreshDatabase('bench_audit', (db) => work(db.url));
  const db = await createTestDatabase('bench_audit');
  process.stderr.write(`keeping the database: --database ${db.url}\n`);
  return work(db.url);
}

type Rate = { events: number; seconds: number; eventsPerSecond: number };
type VerifyFigure = CpuFigures & {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  seconds: number;
  eventsPerSecond: number;
};

/** A verification's figures for the JSON line: rate, CPU per event (this process and PostgreSQL), load. */
const verifyFigures = (verify: VerifyFigure) => ({
  ...roundedRate(verify),
  ok: verify.ok,
  streamsChecked: verify.streamsChecked,
  cpuSeconds: verify.cpuSeconds,
  postgresCpuSeconds: verify.postgresCpuSeconds,
  ...cpuPer(verify, verify.eventsChecked),
  load: [verify.loadAtStart, verify.loadAtEnd],
});

/** Rounds of `--only verify`: verification on the worker threads and in one thread, interleaved. */
const VERIFY_ROUNDS = 2;

/** A row of the results table: what was measured, how many events in how long, and its goal. */
function rateRow(label: string, events: number, seconds: number, goal = '', result = ''): string[] {
  return [
    label,
    formatNumber(events),
    formatNumber(seconds, 1),
    formatNumber(events / seconds),
    goal,
    result,
  ];
}

const readAllRow = (rate: Rate) =>
  rateRow('read-all, whole log (floor for verification)', rate.events, rate.seconds);
const readInputsRow = (rate: Rate) =>
  rateRow('read-all, engine inputs only (floor for replay)', rate.events, rate.seconds);
const replayRow = (replay: ReplayFigure) =>
  rateRow(
    'replay proof (replayMarkets)',
    replay.eventsRead,
    replay.seconds,
    `≤ ${REPLAY_GOAL_SECONDS} s at 1 000 000 events`,
    `${passMiss(replay.seconds <= REPLAY_GOAL_SECONDS)}${replay.identical ? '' : ' (DIVERGES)'}`,
  );
const verifyRow = (verify: VerifyFigure) =>
  rateRow(
    'hash-chain verification (verifyIntegrity)',
    verify.eventsChecked,
    verify.seconds,
    '≥ 100 000/s',
    `${passMiss(verify.eventsPerSecond >= 100_000)}${verify.ok ? '' : ' (FAILS)'}`,
  );

const LONG_MS = 30 * 60_000;

/** The replay proof's goal at 1 000 000 events (issue 17). */
const REPLAY_GOAL_SECONDS = 15;

/** A read-all's figures for the JSON line, with CPU per event and the load. */
const readFigures = (rate: Rate & CpuFigures) => ({
  ...roundedRate(rate),
  ...cpuPer(rate, rate.events),
});

/** What an `--only` run reports of the build: its time and rate. */
const buildFigures = (build: BuildResult) => ({
  seconds: round(build.seconds, 1),
  eventsPerSecond: round(build.eventsPerSecond, 0),
});

/** An `--only` run: the machine, a new log (unless `--database` names a kept one), then `measure` on it. */
async function runOnly<T>(flags: RunFlags, measure: (url: string) => Promise<T>) {
  const machine = machineInfo({ postgres: await postgresInfo() });
  const started = now();
  const { build, result } = await onDatabase(flags, async (url) => ({
    build: flags.database ? null : await buildLog(url, eventsToBuild()),
    result: await measure(url),
  }));
  return { machine, started, build, result };
}

function printOnlyHeader(title: string, machine: ReturnType<typeof machineInfo>): void {
  console.log(
    `\nAudit, ${title}, ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, ` +
      `load ${machine.load1} at the start, ${round(os.loadavg()[0]!, 2)} at the end\n`,
  );
}

/** `--only verify`: the read-all floor and verifyIntegrity, over a new log or a kept one. */
async function mainVerifyOnly(flags: RunFlags): Promise<void> {
  const { machine, started, build, result } = await runOnly(flags, async (url) => {
    const tableBytes = await tableSize(url);
    const readAll = await runInChild<Task, Rate & CpuFigures>(
      modulePath,
      { kind: 'readAll', url, inputsOnly: false },
      LONG_MS,
    );
    // The baseline in the same run: the same verification with its first pass in one thread
    // (LX_VERIFY_WORKERS=0), interleaved with the default (one worker per core).
    const workers: VerifyFigure[] = [];
    const oneThread: VerifyFigure[] = [];
    for (let round = 0; round < VERIFY_ROUNDS; round++) {
      workers.push(await runInChild<Task, VerifyFigure>(modulePath, { kind: 'verify', url }, LONG_MS));
      oneThread.push(
        await runInChild<Task, VerifyFigure>(modulePath, { kind: 'verify', url, workers: 0 }, LONG_MS),
      );
    }
    return { tableBytes, readAll, workers, oneThread };
  });
  const { tableBytes, readAll, workers, oneThread } = result;
  const mean = (runs: VerifyFigure[], pick: (run: VerifyFigure) => number) =>
    runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  const events = workers[0]!.eventsChecked;
  const rate = mean(workers, (run) => run.eventsPerSecond);
  const oneThreadRate = mean(oneThread, (run) => run.eventsPerSecond);
  const cpuPerEvent = (runs: VerifyFigure[]) => mean(runs, (run) => (run.cpuSeconds * 1e6) / events);
  const pgPerEvent = (runs: VerifyFigure[]) => mean(runs, (run) => (run.postgresCpuSeconds * 1e6) / events);
  printOnlyHeader(
    `verification only — ${formatNumber(events)} events (${round(tableBytes / 1e9, 2)} GB)`,
    machine,
  );
  const cpuColumns = (run: CpuFigures, units: number) => [
    formatNumber((run.cpuSeconds * 1e6) / units, 1),
    formatNumber((run.postgresCpuSeconds * 1e6) / units, 1),
    `${run.loadAtStart}–${run.loadAtEnd}`,
  ];
  console.log(
    formatTable(
      [
        'measure',
        'events',
        'seconds',
        'events/s',
        'goal',
        'result',
        'CPU µs/event',
        'PG CPU µs/event',
        'load',
      ],
      [
        [...readAllRow(readAll), ...cpuColumns(readAll, readAll.events)],
        ...workers.flatMap((run, i) => [
          [...verifyRow(run), ...cpuColumns(run, events)],
          [
            ...rateRow('… first pass in one thread (baseline)', events, oneThread[i]!.seconds),
            ...cpuColumns(oneThread[i]!, events),
          ],
        ]),
      ],
    ),
  );
  console.log(
    `\nMean of ${VERIFY_ROUNDS} rounds: ${formatNumber(rate)} events/s on workers, ${formatNumber(oneThreadRate)} in one thread ` +
      `(${round(rate / oneThreadRate, 2)} ×); CPU ${round(cpuPerEvent(workers), 1)} vs ${round(cpuPerEvent(oneThread), 1)} µs/event, ` +
      `PostgreSQL ${round(pgPerEvent(workers), 1)} vs ${round(pgPerEvent(oneThread), 1)} µs/event\n`,
  );
  const goals = [atLeast('hash-chain verification events/s', round(rate, 0), 100_000)];
  printJsonLine({
    benchmark: 'audit',
    only: 'verify',
    machine,
    loadAtEnd: round(os.loadavg()[0]!, 2),
    events,
    tableBytes,
    build: build && buildFigures(build),
    readAll: readFigures(readAll),
    verify: {
      eventsPerSecond: round(rate, 0),
      cpuUsPerEvent: round(cpuPerEvent(workers), 1),
      postgresCpuUsPerEvent: round(pgPerEvent(workers), 1),
      rounds: workers.map(verifyFigures),
    },
    verifyOneThread: {
      eventsPerSecond: round(oneThreadRate, 0),
      cpuUsPerEvent: round(cpuPerEvent(oneThread), 1),
      postgresCpuUsPerEvent: round(pgPerEvent(oneThread), 1),
      rounds: oneThread.map(verifyFigures),
    },
    workersVsOneThread: round(rate / oneThreadRate, 2),
    goals,
    seconds: round((now() - started) / 1000, 0),
  });
}

type ReplayFigure = CpuFigures & {
  seconds: number;
  ok: boolean;
  eventsRead: number;
  inputs: number;
  recordedOutputs: number;
  replayedOutputs: number;
  identical: boolean;
  digest: string;
  peakRssMb: number;
};

/** The replay's figures for the JSON line, with CPU per input read (this process and PostgreSQL). */
const replayFigures = (replay: ReplayFigure) => ({
  ...replay,
  seconds: round(replay.seconds, 2),
  ...cpuPer(replay, replay.eventsRead),
});

/** `--only replay`: the inputs' read-all floor and the replay proof, over a new log or a kept one. */
async function mainReplayOnly(flags: RunFlags): Promise<void> {
  const { machine, started, build, result } = await runOnly(flags, async (url) => ({
    readInputs: await runInChild<Task, Rate & CpuFigures>(
      modulePath,
      { kind: 'readAll', url, inputsOnly: true },
      LONG_MS,
    ),
    // The flags the exchange's scratch replay process runs with.
    replay: await runInChild<Task, ReplayFigure>(
      modulePath,
      { kind: 'replay', url },
      LONG_MS,
      REPLAY_NODE_FLAGS,
    ),
  }));
  const { readInputs, replay } = result;
  printOnlyHeader(
    `replay proof only — ${formatNumber(replay.inputs)} inputs, ${formatNumber(replay.recordedOutputs)} outputs`,
    machine,
  );
  console.log(
    formatTable(
      ['measure', 'events', 'seconds', 'events/s', 'goal', 'result'],
      [readInputsRow(readInputs), replayRow(replay)],
    ),
  );
  printJsonLine({
    benchmark: 'audit',
    only: 'replay',
    machine,
    loadAtEnd: round(os.loadavg()[0]!, 2),
    build: build && buildFigures(build),
    readInputs: readFigures(readInputs),
    replay: replayFigures(replay),
    goals: [
      {
        goal: 'replay proof seconds',
        actual: round(replay.seconds, 1),
        target: REPLAY_GOAL_SECONDS,
        pass: replay.seconds <= REPLAY_GOAL_SECONDS,
      },
    ],
    seconds: round((now() - started) / 1000, 0),
  });
}

async function tableSize(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT pg_total_relation_size('lx_events')::text AS bytes`);
    return Number((rows[0] as { bytes: string }).bytes);
  } finally {
    await client.end();
  }
}

async function main(flags: RunFlags): Promise<void> {
  if (flags.verifyOnly) return mainVerifyOnly(flags);
  if (flags.replayOnly) return mainReplayOnly(flags);
  if (flags.database)
    throw new RangeError('--database needs --only verify or replay (the full run builds its own log)');
  const total = eventsToBuild();
  const budget = rebuildSeconds();
  const machine = machineInfo({ postgres: await postgresInfo() });
  const started = now();
  const results = await onDatabase(flags, async (url) => {
    const db = { url };
    process.stderr.write(`building a market log of ${formatNumber(total)} events…\n`);
    const build = await buildLog(db.url, total);
    process.stderr.write(`built in ${round(build.seconds, 1)} s; reading, replaying, verifying…\n`);
    const long = 30 * 60_000;
    const readAll = await runInChild<Task, Rate & CpuFigures>(
      modulePath,
      { kind: 'readAll', url: db.url, inputsOnly: false },
      long,
    );
    const readInputs = await runInChild<Task, Rate & CpuFigures>(
      modulePath,
      { kind: 'readAll', url: db.url, inputsOnly: true },
      long,
    );
    const replay = await runInChild<Task, ReplayFigure>(
      modulePath,
      { kind: 'replay', url: db.url },
      long,
      REPLAY_NODE_FLAGS,
    );
    const verify = await runInChild<Task, VerifyFigure>(modulePath, { kind: 'verify', url: db.url }, long);
    process.stderr.write(`rebuilding read models (at most ${budget} s each)…\n`);
    const rebuilds = [
      await measureRebuild(db.url, 'audit_index', budget),
      await measureRebuild(db.url, 'ledger', budget),
    ];
    return { build, readAll, readInputs, replay, verify, rebuilds };
  });
  const { build, readAll, readInputs, replay, verify, rebuilds } = results;

  console.log(
    `\nAudit — ${formatNumber(build.events)} events (${formatNumber(build.inputs)} inputs, ${formatNumber(build.outputs)} engine outputs, ` +
      `${round(build.tableBytes / 1e9, 2)} GB), ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, load ${machine.load1}\n`,
  );
  console.log(
    formatTable(
      ['measure', 'events', 'seconds', 'events/s', 'goal', 'result'],
      [
        rateRow('build the log (appends + generator + engine)', build.events, build.seconds),
        rateRow('… inputs: waiting for their appends', build.inputs, build.inputAppendSeconds),
        rateRow('… engine outputs: their appends (overlapped)', build.outputs, build.outputAppendSeconds),
        readAllRow(readAll),
        readInputsRow(readInputs),
        replayRow(replay),
        verifyRow(verify),
        ...rebuilds.map((r) => [
          `rebuild ${r.projection}${r.finished ? '' : ` (cut off; full ≈ ${formatNumber(r.fullSeconds)} s)`}`,
          `${formatNumber(r.eventsApplied)}/${formatNumber(r.matching)}`,
          formatNumber(r.seconds, 1),
          formatNumber(r.eventsPerSecond),
          '',
          '',
        ]),
      ],
    ),
  );
  console.log(
    `\nBuild: ${formatNumber(build.inputAppends)} input appends + ${formatNumber(build.outputAppends)} output appends; ` +
      `generator ${round(build.generateSeconds, 1)} s, engine ${round(build.engineSeconds, 1)} s, input appends ${round(build.inputAppendSeconds, 1)} s, output appends ${round(build.outputAppendSeconds, 1)} s (waited ${round(build.outputWaitSeconds, 1)} s); ` +
      `${round(build.simulatedDays, 1)} simulated days. Events: ${Object.entries(build.byType)
        .map(([type, n]) => `${type} ${formatNumber(n)}`)
        .join(', ')}\n`,
  );
  const goals: GoalResult[] = [
    atMost('replay proof seconds', round(replay.seconds, 1), REPLAY_GOAL_SECONDS),
    atLeast('hash-chain verification events/s', round(verify.eventsPerSecond, 0), 100_000),
  ];
  printGoals(goals);
  printJsonLine({
    benchmark: 'audit',
    machine,
    events: build.events,
    build: {
      ...roundedRate(build, 1),
      inputAppendSeconds: round(build.inputAppendSeconds, 1),
      outputAppendSeconds: round(build.outputAppendSeconds, 1),
      outputWaitSeconds: round(build.outputWaitSeconds, 1),
      engineSeconds: round(build.engineSeconds, 1),
      generateSeconds: round(build.generateSeconds, 1),
      simulatedDays: round(build.simulatedDays, 1),
    },
    readAll: readFigures(readAll),
    readInputs: readFigures(readInputs),
    replay: replayFigures(replay),
    verify: verifyFigures(verify),
    rebuilds: rebuilds.map((r) => ({
      ...roundedRate(r, 1),
      fullSeconds: round(r.fullSeconds, 0),
    })),
    rebuildBudgetSeconds: budget,
    goals,
    seconds: round((now() - started) / 1000, 0),
  });
}

await runTaskOrMain<Task, unknown>(runTask, () => main(runFlags()));
