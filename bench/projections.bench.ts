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
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { PostgresEventStore, type StreamWrite } from '#lx/event-store';
import { compareProjectionTables, ProjectionRunner, readCheckpoint, type Projection } from '#lx/projections';
import { contractTestCatalogue } from '../libs/event-store/src/testing/test-catalogue.js';
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
  projection: string;
  /** 1 for the baseline; omitted for pages. */
  eventsPerTransaction?: number;
}

interface RunResult {
  eventsApplied: number;
  seconds: number;
  eventsPerSecond: number;
}

async function runProjection(task: Task): Promise<RunResult> {
  const store = await PostgresEventStore.connect({
    connectionString: task.url,
    registry: contractTestCatalogue,
  });
  const dataSource = new DataSource({ type: 'postgres', url: task.url });
  await dataSource.initialize();
  try {
    const started = now();
    const runner = await ProjectionRunner.start({
      projection: streamTotalsProjection(task.projection),
      store,
      dataSource,
      batchSize: PAGE_SIZE,
      eventsPerTransaction: task.eventsPerTransaction,
      giveUpAfterFailures: 1,
      log: (message, error) => log(`${message}${error ? `: ${String(error)}` : ''}`),
    });
    await runner.caughtUp;
    const seconds = (now() - started) / 1000;
    await runner.stop();
    const stored = await readCheckpoint(dataSource, runner.schema);
    const eventsApplied = stored?.eventsApplied ?? 0;
    return { eventsApplied, seconds, eventsPerSecond: eventsApplied / seconds };
  } finally {
    await dataSource.destroy();
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------

const modulePath = fileURLToPath(import.meta.url);

async function main(): Promise<void> {
  const total = eventsToAppend();
  const machine = machineInfo({ postgres: await postgresInfo() });
  const started = now();
  const results = await withFreshDatabase('bench_projections', async (db) => {
    log(`appending ${formatNumber(total)} events over ${formatNumber(STREAMS)} streams…`);
    const append = await appendLog(db.url, total);
    const hour = 60 * 60_000;
    log('baseline: one event per transaction…');
    const baseline = await runInChild<Task, RunResult>(
      modulePath,
      { url: db.url, projection: 'bench_per_event', eventsPerTransaction: 1 },
      hour,
    );
    log(`baseline: ${formatNumber(baseline.eventsPerSecond)} events/s; one transaction per page…`);
    const pages = await runInChild<Task, RunResult>(
      modulePath,
      { url: db.url, projection: 'bench_per_page' },
      hour,
    );
    const dataSource = new DataSource({ type: 'postgres', url: db.url });
    await dataSource.initialize();
    try {
      const comparison = await compareProjectionTables(dataSource, 'rm_bench_per_event', 'rm_bench_per_page');
      return { append, baseline, pages, identical: comparison.equal };
    } finally {
      await dataSource.destroy();
    }
  });
  const { append, baseline, pages, identical } = results;
  const speedup = pages.eventsPerSecond / baseline.eventsPerSecond;

  console.log(
    `\nProjection rebuild from scratch — ${formatNumber(total)} events, ${machine.cpu}, ${machine.cores} cores, ` +
      `node ${machine.node}, load ${machine.load1}\n`,
  );
  console.log(
    formatTable(
      ['runner', 'events applied', 'seconds', 'events/s'],
      [
        [
          'one event per transaction (baseline)',
          formatNumber(baseline.eventsApplied),
          formatNumber(baseline.seconds, 1),
          formatNumber(baseline.eventsPerSecond),
        ],
        [
          `one page per transaction (≤ ${PAGE_SIZE} events)`,
          formatNumber(pages.eventsApplied),
          formatNumber(pages.seconds, 1),
          formatNumber(pages.eventsPerSecond),
        ],
      ],
    ),
  );
  console.log(`\nSpeed-up ${round(speedup, 1)} ×; read models identical: ${identical ? 'yes' : 'NO'}`);
  if (baseline.eventsApplied !== total || pages.eventsApplied !== total)
    console.log(`WARNING: expected ${total} events applied by each run`);
  printJsonLine({
    benchmark: 'projections',
    events: total,
    baseline: roundedRate(baseline),
    pages: roundedRate(pages),
    speedup: round(speedup, 2),
    identical,
    append: { seconds: round(append.seconds, 1), eventsPerSecond: round(append.eventsPerSecond, 0) },
    config: { streams: STREAMS, pageSize: PAGE_SIZE, payloadBytes: 200, appendChunk: APPEND_CHUNK },
    machine,
    seconds: round((now() - started) / 1000, 0),
  });
}

await runTaskOrMain<Task, unknown>(runProjection, main);
