/**
 * `npm run bench:projections`: how fast `ProjectionRunner` builds a read model from scratch, with
 * one transaction per event (the runner's behaviour before pages, `eventsPerTransaction: 1`)
 * against one transaction per page of events (the default), in the same run, over the same log.
 *
 * A fresh database gets LX_BENCH_EVENTS events (default 50 000; `--events N` also works):
 * `ThingHappened` with the event-store benchmark's ≈200-byte payload, spread round-robin over
 * 5 000 streams (so consecutive events touch different rows, as listings of different leads do).
 * The projection does what the exchange's read models do per event: inserts one row (the event)
 * and upserts one (its stream's running totals). Each run starts a runner on an empty schema of
 * its own and times it until it has caught up; each run is a child process of its own. The two
 * read models are then compared row by row (`compareProjectionTables`): they must be identical.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { eventCatalogue, FundsDeposited, newEvent, SettlementFinalized } from '#lx/contracts';
import { PostgresEventStore, type StreamWrite } from '#lx/event-store';
import { SeededRandom } from '#lx/market-generator';
import { compareProjectionTables, ProjectionRunner, readCheckpoint, type Projection } from '#lx/projections';
import { contractTestCatalogue } from '../libs/event-store/src/testing/test-catalogue.js';
import { auditIndexProjection } from '../libs/audit/src/infrastructure/audit-index.projection.js';
import { ledgerProjection } from '../libs/ledger/src/infrastructure/ledger.projection.js';
import { leadAllocated, leadListed, orderPlaced } from '../libs/ledger/src/testing/settlement-fixtures.js';
import {
  eventsOption,
  formatNumber,
  formatTable,
  machineInfo,
  now,
  postgresInfo,
  printJsonLine,
  round,
  roundedRate,
  runInChild,
  runTaskOrMain,
  withFreshDatabase,
  processCpuSeconds,
} from './bench-support.js';

const STREAMS = 5_000;
/** Events per `appendToStreams` call while building the log (one event per stream in each). */
const APPEND_CHUNK = 500;
/** The runner's page size (its default): the most events one transaction applies. */
const PAGE_SIZE = 500;
const TEXT = 'x'.repeat(175);

function eventsToAppend(): number {
  return eventsOption(50_000, 1_000);
}

const log = (message: string) => process.stderr.write(`[projections] ${message}\n`);

// ---------------------------------------------------------------------------------------------
// The projection: one insert and one upsert per event.

function streamTotalsProjection(name: string): Projection {
  return {
    name,
    version: 1,
    filter: { eventTypes: ['ThingHappened'] },
    entities: [],
    createTables: (schema) => [
      `CREATE TABLE ${schema}.thing_event (
         event_id uuid PRIMARY KEY, stream_name text NOT NULL, revision int NOT NULL,
         position text NOT NULL, n int NOT NULL, text_length int NOT NULL)`,
      `CREATE TABLE ${schema}.stream_total (
         stream_name text PRIMARY KEY, events int NOT NULL, sum_n bigint NOT NULL, last_revision int NOT NULL)`,
    ],
    async handle(event, manager) {
      const { n, text } = event.data as { n: number; text: string };
      await manager.query(
        `INSERT INTO thing_event (event_id, stream_name, revision, position, n, text_length)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          event.id,
          event.streamName,
          event.revision,
          `${event.position.commit}/${event.position.prepare}`,
          n,
          text.length,
        ],
      );
      await manager.query(
        `INSERT INTO stream_total (stream_name, events, sum_n, last_revision) VALUES ($1, 1, $2, $3)
         ON CONFLICT (stream_name) DO UPDATE
           SET events = stream_total.events + 1, sum_n = stream_total.sum_n + $2, last_revision = $3`,
        [event.streamName, n, event.revision],
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Building the log

async function appendLog(url: string, total: number): Promise<{ seconds: number; eventsPerSecond: number }> {
  const store = await PostgresEventStore.connect({ connectionString: url, registry: contractTestCatalogue });
  const started = now();
  try {
    for (let from = 0; from < total; from += APPEND_CHUNK) {
      const writes: StreamWrite[] = [];
      for (let i = from; i < Math.min(total, from + APPEND_CHUNK); i++) {
        const revision = Math.floor(i / STREAMS);
        writes.push({
          stream: `thing-${i % STREAMS}`,
          events: [{ type: 'ThingHappened', data: { n: i, text: TEXT } }],
          expectedRevision: revision === 0 ? 'no_stream' : revision - 1,
        });
      }
      await store.appendToStreams(writes);
    }
    // Read the log once, so that both runs find it in the same (warm) cache.
    for (let after = null, end = false; !end;) {
      const page = await store.readAll({ after, maxCount: 1000 });
      ({ nextAfter: after, isEnd: end } = page);
    }
  } finally {
    await store.close();
  }
  const seconds = (now() - started) / 1000;
  return { seconds, eventsPerSecond: total / seconds };
}

// ---------------------------------------------------------------------------------------------
// One run of the runner, in a child process

interface Task {
  url: string;
  /** The bench's own projection over the ThingHappened log (`projection` names it), or a real read model over the market log. */
  kind: 'things' | 'audit_index' | 'ledger';
  projection: string;
  /** Real read models: where to build (beside the live schema). */
  schema?: string;
  /** Real read models: false hides their `handleBatch`, so a page runs `handle` per event. */
  batchHook?: boolean;
  /** 1 for the baseline; omitted for pages. */
  eventsPerTransaction?: number;
}

interface RunResult {
  eventsApplied: number;
  seconds: number;
  eventsPerSecond: number;
  /** CPU of the process running the projection (process.cpuUsage()), µs per event applied. */
  cpuMicrosPerEvent: number;
  /** CPU of its PostgreSQL backends (/proc/<pid>/stat, utime + stime), µs per event applied. */
  postgresCpuMicrosPerEvent: number;
  /** The machine's 1-minute load average at the end of the run. */
  load1: number;
}

/** utime + stime of each PostgreSQL backend connected to the current database, in seconds. */
async function backendCpu(dataSource: DataSource): Promise<Map<number, number>> {
  const rows: { pid: number }[] = await dataSource.query(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    // gone, or another machine's server: not counted
    const seconds = processCpuSeconds(pid);
    if (seconds !== null) cpu.set(pid, seconds);
  }
  return cpu;
}

function projectionOf(task: Task): Projection {
  if (task.kind === 'things') return streamTotalsProjection(task.projection);
  const real = task.kind === 'audit_index' ? auditIndexProjection : ledgerProjection;
  if (task.batchHook !== false) return real;
  const { handleBatch: _hidden, ...perEventOnly } = real;
  return perEventOnly;
}

async function runProjection(task: Task): Promise<RunResult> {
  const store = await PostgresEventStore.connect({
    connectionString: task.url,
    registry: task.kind === 'things' ? contractTestCatalogue : eventCatalogue,
  });
  const dataSource = new DataSource({ type: 'postgres', url: task.url });
  await dataSource.initialize();
  try {
    const cpuBefore = process.cpuUsage();
    const postgresBefore = await backendCpu(dataSource);
    const started = now();
    const runner = await ProjectionRunner.start({
      projection: projectionOf(task),
      store,
      dataSource,
      ...(task.schema ? { schema: task.schema } : {}),
      batchSize: PAGE_SIZE,
      eventsPerTransaction: task.eventsPerTransaction,
      giveUpAfterFailures: 1,
      log: (message, error) => log(`${message}${error ? `: ${String(error)}` : ''}`),
    });
    await runner.caughtUp;
    const seconds = (now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const postgresAfter = await backendCpu(dataSource);
    await runner.stop();
    let postgresSeconds = 0;
    for (const [pid, after] of postgresAfter) postgresSeconds += after - (postgresBefore.get(pid) ?? 0);
    const stored = await readCheckpoint(dataSource, runner.schema);
    const eventsApplied = stored?.eventsApplied ?? 0;
    return {
      eventsApplied,
      seconds,
      eventsPerSecond: eventsApplied / seconds,
      cpuMicrosPerEvent: round((cpu.user + cpu.system) / Math.max(1, eventsApplied), 1),
      postgresCpuMicrosPerEvent: round((postgresSeconds * 1e6) / Math.max(1, eventsApplied), 1),
      load1: round(os.loadavg()[0]!, 2),
    };
  } finally {
    await dataSource.destroy();
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The market log for the real read models

/**
 * A deterministic market as the soak writes it: deposits and orders on buyer streams, listings on
 * lead streams, the engine's allocations on `market-eyewear` (several per append), and settlements
 * closing them (one in ten voided). About 2.4 events per listing; every event reaches the audit
 * index, the money events the ledger.
 */
async function appendMarketLog(url: string, listings: number): Promise<{ events: number; seconds: number }> {
  const store = await PostgresEventStore.connect({ connectionString: url, registry: eventCatalogue });
  const random = new SeededRandom(17);
  const buyers = Array.from({ length: 20 }, (_, i) => `buyer-${i}`);
  const sellers = Array.from({ length: 50 }, (_, i) => `seller-${i}`);
  const at = '2030-01-01T10:00:00.000Z';
  let events = 0;
  let writes: StreamWrite[] = [];
  const streams = new Set<string>();
  const flush = async () => {
    if (writes.length === 0) return;
    await store.appendToStreams(writes);
    writes = [];
    streams.clear();
  };
  const write = async (stream: string, batch: { type: string; data: unknown }[]) => {
    // One write per stream in a call: a stream's second write goes into the next call.
    if (streams.has(stream)) await flush();
    streams.add(stream);
    events += batch.length;
    writes.push({ stream, events: batch, expectedRevision: 'any' });
    if (writes.length >= APPEND_CHUNK) await flush();
  };
  const started = now();
  try {
    const orders = new Map<string, string>();
    for (const buyerId of buyers) {
      const orderId = `order-${buyerId}-0`;
      orders.set(buyerId, orderId);
      await write(`buyer-${buyerId}`, [
        newEvent(FundsDeposited, {
          buyerId,
          depositId: `dep-${buyerId}`,
          amount: 1e12,
          currency: 'RUB',
          reference: 'bench',
        }),
        orderPlaced({ orderId, buyerId, budget: 1e11 }),
      ]);
    }
    let pendingAllocations: ReturnType<typeof leadAllocated>[] = [];
    const toSettle: ReturnType<typeof leadAllocated>[] = [];
    for (let i = 0; i < listings; i++) {
      const sellerId = random.pick(sellers);
      const leadId = `lead-${i}`;
      await write(`lead-${leadId}`, [leadListed({ leadId, sellerId })]);
      if (random.chance(0.7)) {
        const buyerId = random.pick(buyers);
        if (random.chance(0.02)) {
          const orderId = `order-${buyerId}-${i}`;
          orders.set(buyerId, orderId);
          await write(`buyer-${buyerId}`, [orderPlaced({ orderId, buyerId, budget: 1e11 })]);
        }
        const allocation = leadAllocated({
          allocationId: `alloc-${i}`,
          leadId,
          orderId: orders.get(buyerId)!,
          buyerId,
          sellerId,
          price: random.int(10_000, 60_000),
          at,
        });
        pendingAllocations.push(allocation);
        toSettle.push(allocation);
      }
      if (pendingAllocations.length >= random.int(1, 8)) {
        await write('market-eyewear', pendingAllocations);
        pendingAllocations = [];
      }
      // Settlements trail the allocations (a return window later).
      while (toSettle.length > 200) {
        const { allocationId, sellerId, buyerId, currency, proceeds, commission } = toSettle.shift()!.data;
        const outcome = random.chance(0.1) ? 'voided' : 'posted';
        await write(`settlement-${allocationId}`, [
          newEvent(SettlementFinalized, {
            allocationId,
            sellerId,
            buyerId,
            currency,
            proceeds,
            commission,
            outcome,
          }),
        ]);
      }
    }
    if (pendingAllocations.length > 0) await write('market-eyewear', pendingAllocations);
    await flush();
    for (let after = null, end = false; !end;) {
      const page = await store.readAll({ after, maxCount: 1000 });
      ({ nextAfter: after, isEnd: end } = page);
    }
  } finally {
    await store.close();
  }
  return { events, seconds: (now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------

const modulePath = fileURLToPath(import.meta.url);

const ONLY = process.env.LX_BENCH_PROJECTIONS_ONLY ?? '';
const MARKET_LISTINGS = Number(process.env.LX_BENCH_MARKET_LISTINGS ?? 8_000);

interface MarketPair {
  readModel: 'audit_index' | 'ledger';
  /** A page per transaction, `handle` once per event (as before `handleBatch`). */
  perEvent: RunResult;
  /** A page per transaction, `handleBatch` once per page. */
  batched: RunResult;
  /** Same-run ratios: events/s, and CPU per event of the process and of PostgreSQL. */
  speedup: number;
  cpuRatio: number;
  postgresCpuRatio: number;
  identical: boolean;
}

/** The audit index and the ledger over the market log, per-event handlers vs their batch hook, interleaved. */
async function marketRuns(): Promise<{ events: number; append: { seconds: number }; pairs: MarketPair[] }> {
  return withFreshDatabase('bench_projections_market', async (db) => {
    log(`appending a market of ${formatNumber(MARKET_LISTINGS)} listings…`);
    const append = await appendMarketLog(db.url, MARKET_LISTINGS);
    log(`${formatNumber(append.events)} events in ${round(append.seconds, 1)} s`);
    const hour = 60 * 60_000;
    const pairs: MarketPair[] = [];
    for (const [index, readModel] of (['audit_index', 'ledger'] as const).entries()) {
      const run = (batchHook: boolean) =>
        runInChild<Task, RunResult>(
          modulePath,
          {
            url: db.url,
            kind: readModel,
            projection: readModel,
            schema: `rm_${readModel}__${batchHook ? 'batched' : 'per_event'}`,
            batchHook,
          },
          hour,
        );
      // Alternate which goes first, so that neither always meets the colder cache.
      let perEvent: RunResult;
      let batched: RunResult;
      if (index % 2 === 0) {
        log(`${readModel}: handle per event…`);
        perEvent = await run(false);
        log(`${readModel}: handleBatch per page…`);
        batched = await run(true);
      } else {
        log(`${readModel}: handleBatch per page…`);
        batched = await run(true);
        log(`${readModel}: handle per event…`);
        perEvent = await run(false);
      }
      const dataSource = new DataSource({ type: 'postgres', url: db.url });
      await dataSource.initialize();
      try {
        const comparison = await compareProjectionTables(
          dataSource,
          `rm_${readModel}__per_event`,
          `rm_${readModel}__batched`,
        );
        pairs.push({
          readModel,
          perEvent: roundedRate(perEvent),
          batched: roundedRate(batched),
          speedup: round(batched.eventsPerSecond / perEvent.eventsPerSecond, 2),
          cpuRatio: round(perEvent.cpuMicrosPerEvent / batched.cpuMicrosPerEvent, 2),
          postgresCpuRatio: round(perEvent.postgresCpuMicrosPerEvent / batched.postgresCpuMicrosPerEvent, 2),
          identical: comparison.equal,
        });
      } finally {
        await dataSource.destroy();
      }
    }
    return { events: append.events, append: { seconds: round(append.seconds, 1) }, pairs };
  });
}

async function main(): Promise<void> {
  const total = eventsToAppend();
  const machine = machineInfo({ postgres: await postgresInfo() });
  const started = now();
  const results =
    ONLY === 'market'
      ? null
      : await withFreshDatabase('bench_projections', async (db) => {
          log(`appending ${formatNumber(total)} events over ${formatNumber(STREAMS)} streams…`);
          const append = await appendLog(db.url, total);
          const hour = 60 * 60_000;
          log('baseline: one event per transaction…');
          const baseline = await runInChild<Task, RunResult>(
            modulePath,
            { url: db.url, kind: 'things', projection: 'bench_per_event', eventsPerTransaction: 1 },
            hour,
          );
          log(`baseline: ${formatNumber(baseline.eventsPerSecond)} events/s; one transaction per page…`);
          const pages = await runInChild<Task, RunResult>(
            modulePath,
            { url: db.url, kind: 'things', projection: 'bench_per_page' },
            hour,
          );
          const dataSource = new DataSource({ type: 'postgres', url: db.url });
          await dataSource.initialize();
          try {
            const comparison = await compareProjectionTables(
              dataSource,
              'rm_bench_per_event',
              'rm_bench_per_page',
            );
            return { append, baseline, pages, identical: comparison.equal };
          } finally {
            await dataSource.destroy();
          }
        });
  const market = ONLY === 'things' ? null : await marketRuns();
  if (results) {
    const { baseline, pages, identical } = results;
    const speedup = pages.eventsPerSecond / baseline.eventsPerSecond;

    console.log(
      `\nProjection rebuild from scratch — ${formatNumber(total)} events, ${machine.cpu}, ${machine.cores} cores, ` +
        `node ${machine.node}, load ${machine.load1}\n`,
    );
    console.log(
      formatTable(
        ['runner', 'events applied', 'seconds', 'events/s', 'CPU µs/event', 'PostgreSQL CPU µs/event'],
        [
          [
            'one event per transaction (baseline)',
            formatNumber(baseline.eventsApplied),
            formatNumber(baseline.seconds, 1),
            formatNumber(baseline.eventsPerSecond),
            formatNumber(baseline.cpuMicrosPerEvent, 1),
            formatNumber(baseline.postgresCpuMicrosPerEvent, 1),
          ],
          [
            `one page per transaction (≤ ${PAGE_SIZE} events)`,
            formatNumber(pages.eventsApplied),
            formatNumber(pages.seconds, 1),
            formatNumber(pages.eventsPerSecond),
            formatNumber(pages.cpuMicrosPerEvent, 1),
            formatNumber(pages.postgresCpuMicrosPerEvent, 1),
          ],
        ],
      ),
    );
    console.log(`\nSpeed-up ${round(speedup, 1)} ×; read models identical: ${identical ? 'yes' : 'NO'}`);
    if (baseline.eventsApplied !== total || pages.eventsApplied !== total)
      console.log(`WARNING: expected ${total} events applied by each run`);
  }
  if (market) {
    console.log(
      `\nReal read models over a market log of ${formatNumber(market.events)} events (a page of ≤ ${PAGE_SIZE} per transaction)\n`,
    );
    console.log(
      formatTable(
        [
          'read model',
          'handler',
          'events',
          'seconds',
          'events/s',
          'CPU µs/event',
          'PostgreSQL CPU µs/event',
          'load',
        ],
        market.pairs.flatMap((pair) =>
          (['perEvent', 'batched'] as const).map((which) => {
            const r = pair[which];
            return [
              pair.readModel,
              which === 'perEvent' ? 'handle per event' : 'handleBatch per page',
              formatNumber(r.eventsApplied),
              formatNumber(r.seconds, 1),
              formatNumber(r.eventsPerSecond),
              formatNumber(r.cpuMicrosPerEvent, 1),
              formatNumber(r.postgresCpuMicrosPerEvent, 1),
              formatNumber(r.load1, 1),
            ];
          }),
        ),
      ),
    );
    for (const pair of market.pairs)
      console.log(
        `${pair.readModel}: ${pair.speedup} × events/s, ${pair.cpuRatio} × less process CPU, ${pair.postgresCpuRatio} × less PostgreSQL CPU per event; tables identical: ${pair.identical ? 'yes' : 'NO'}`,
      );
  }
  printJsonLine({
    benchmark: 'projections',
    events: results ? total : null,
    baseline: results ? roundedRate(results.baseline) : null,
    pages: results ? roundedRate(results.pages) : null,
    speedup: results ? round(results.pages.eventsPerSecond / results.baseline.eventsPerSecond, 2) : null,
    identical: results ? results.identical : null,
    append: results
      ? {
          seconds: round(results.append.seconds, 1),
          eventsPerSecond: round(results.append.eventsPerSecond, 0),
        }
      : null,
    market,
    config: { streams: STREAMS, pageSize: PAGE_SIZE, payloadBytes: 200, appendChunk: APPEND_CHUNK },
    machine,
    seconds: round((now() - started) / 1000, 0),
  });
}

await runTaskOrMain<Task, unknown>(runProjection, main);
