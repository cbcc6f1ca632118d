/**
 * `npm run soak` — a mixed market held for a while (default 10 minutes) against a real exchange:
 * sellers list LX_SOAK_LEADS_PER_SECOND leads a second (default 100) in batches, a buyer places
 * orders (a third delivered by webhook) and returns leads, the engine trades. Every 10 s it samples
 * each app's RSS and the lag of its subscriptions and projections (from /metrics), and the failed
 * BullMQ jobs (dead letters) of every queue. At the end it counts the acknowledged writes lost or
 * doubled (tests/support/market-load) and says whether RSS and lag stayed flat: the last fifth of
 * the run against the first fifth after warm-up.
 *
 * Not part of `npm test`. Environment: LX_SOAK_MINUTES (default 10), LX_SOAK_LEADS_PER_SECOND
 * (default 100); LX_SOAK_HEAP_SNAPSHOTS="buyers@60,240" writes heap snapshots of that app at those
 * seconds into the run (in LX_SOAK_HEAP_SNAPSHOT_DIR, default the working directory; the apps start
 * with --heapsnapshot-signal=SIGWINCH, not SIGUSR2, which Nest's shutdown hooks take as a signal to
 * shut down). A snapshot stalls the app for tens of seconds and leaves its RSS higher: a run with
 * snapshots diagnoses, it does not measure. Prints a table and ends with one JSON line.
 */
import os from 'node:os';
import pg from 'pg';
import { Redis } from 'ioredis';
import { startExchange, type AppName, type RunningExchange } from '#lx/testing';
import { MarketLoad } from '../tests/support/market-load.js';
import {
  formatNumber,
  formatTable,
  machineInfo,
  printJsonLine,
  processCpuSeconds,
  round,
  sleep,
} from './bench-support.js';

const MINUTES = Number(process.env.LX_SOAK_MINUTES ?? 10);
const LEADS_PER_SECOND = Number(process.env.LX_SOAK_LEADS_PER_SECOND ?? 100);
const SAMPLE_MS = 10_000;
const APPS: AppName[] = ['sellers', 'buyers', 'settlement'];
/** RSS may grow this much from the early to the late part of the run and still count as flat. */
const RSS_GROWTH_ALLOWED = 1.25;

const log = (message: string) => process.stderr.write(`[soak] ${message}\n`);

/** "buyers@60,240": which app to snapshot, and when (seconds into the run). */
const HEAP_SNAPSHOTS = (() => {
  const spec = process.env.LX_SOAK_HEAP_SNAPSHOTS;
  if (!spec) return null;
  const [app, at = ''] = spec.split('@');
  return {
    app: app as AppName,
    atSeconds: at
      .split(',')
      .map(Number)
      .filter((n) => n > 0),
  };
})();
const HEAP_SNAPSHOT_DIR = process.env.LX_SOAK_HEAP_SNAPSHOT_DIR ?? process.cwd();
/** A sample that gets no answer within this long counts as unanswered (the app stalled), not as a crash of the soak. */
const SAMPLE_TIMEOUT_MS = 20_000;

interface Sample {
  atSeconds: number;
  /** null: the app did not answer /metrics within SAMPLE_TIMEOUT_MS. */
  rssMb: Record<AppName, number | null>;
  /** V8 heap in use (`nodejs_heap_size_used_bytes`): what RSS holds besides garbage not yet returned. */
  heapUsedMb: Record<AppName, number | null>;
  /** The largest lag (events) of any subscription or projection of the app. */
  maxLag: Record<AppName, number | null>;
  /** Which subscription or projection that was. */
  mostBehind: Record<AppName, string>;
  deadLetters: Record<string, number>;
  acknowledged: number;
  /** The machine's 1-minute load average at the sample. */
  load1: number;
  /** Events in the log (`lx_events` rows inserted so far, from pg_stat_user_tables). */
  eventsInLog: number;
  /** Events applied so far by the settlement's two heaviest read models (their checkpoints' `events_applied`). */
  applied: { auditIndex: number; ledger: number };
  /** CPU seconds used so far by each app process (utime + stime from /proc/<pid>/stat). */
  cpuSeconds: Record<AppName, number | null>;
  /** CPU seconds used so far by the PostgreSQL backends of the exchange's database (summed per backend seen). */
  postgresCpuSeconds: number;
  /**
   * Age (s) of the oldest open transaction holding a transaction id, in the exchange's database and on
   * the whole server. Subscriptions read only below the server's xmin horizon (gap safety), so any
   * such transaction — of another database too — holds back what every subscription can read.
   */
  oldestWritingTransactionSeconds: { exchange: number; server: number };
}

/** utime + stime of a process, in seconds; null when it is gone. */
function cpuSecondsOf(pid: number | undefined): number | null {
  return pid === undefined ? null : processCpuSeconds(pid);
}

/**
 * The CPU of the PostgreSQL backends serving the exchange's database: each backend's latest
 * reading is kept, so backends that exit keep counting what they used while they were seen.
 */
class PostgresCpu {
  private readonly byPid = new Map<number, number>();
  constructor(private readonly client: pg.Client) {}
  async total(database: string): Promise<number> {
    const { rows } = await this.client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    for (const { pid } of rows) {
      const seconds = cpuSecondsOf(pid);
      if (seconds !== null) this.byPid.set(pid, seconds);
    }
    let sum = 0;
    for (const seconds of this.byPid.values()) sum += seconds;
    return sum;
  }
}

async function logProgress(client: pg.Client): Promise<{
  eventsInLog: number;
  auditIndex: number;
  ledger: number;
  oldestWritingTransactionSeconds: { exchange: number; server: number };
}> {
  const applied = async (schema: string) => {
    const { rows } = await client
      .query<{ n: string }>(`SELECT events_applied::text AS n FROM ${schema}.projection_checkpoint`)
      .catch(() => ({ rows: [] as { n: string }[] }));
    return Number(rows[0]?.n ?? 0);
  };
  const { rows } = await client.query<{ n: string }>(
    `SELECT n_tup_ins::text AS n FROM pg_stat_user_tables WHERE relname = 'lx_events'`,
  );
  const { rows: oldest } = await client.query<{ exchange: string; server: string }>(
    `SELECT coalesce(max(extract(epoch FROM now() - xact_start)) FILTER (WHERE datname = current_database()), 0)::text AS exchange,
            coalesce(max(extract(epoch FROM now() - xact_start)), 0)::text AS server
       FROM pg_stat_activity WHERE backend_xid IS NOT NULL`,
  );
  return {
    oldestWritingTransactionSeconds: {
      exchange: round(Number(oldest[0]?.exchange ?? 0), 1),
      server: round(Number(oldest[0]?.server ?? 0), 1),
    },
    eventsInLog: Number(rows[0]?.n ?? 0),
    auditIndex: await applied('rm_audit_index'),
    ledger: await applied('rm_ledger'),
  };
}

async function metricsOf(
  exchange: RunningExchange,
  app: AppName,
): Promise<{ rssMb: number; heapUsedMb: number; maxLag: number; mostBehind: string } | null> {
  const text = await fetch(`${exchange.url(app)}/metrics`, { signal: AbortSignal.timeout(SAMPLE_TIMEOUT_MS) })
    .then((response) => response.text())
    .catch((error: unknown) => {
      log(`${app} did not answer /metrics: ${String(error)}`);
      return null;
    });
  if (text === null) return null;
  let rssMb = 0;
  let heapUsedMb = 0;
  let maxLag = 0;
  let mostBehind = '';
  for (const line of text.split('\n')) {
    const value = Number(line.split(' ').at(-1));
    if (line.startsWith('process_resident_memory_bytes ')) rssMb = value / 1_048_576;
    if (line.startsWith('nodejs_heap_size_used_bytes ')) heapUsedMb = value / 1_048_576;
    if (line.startsWith('lx_subscription_lag_events{') && value > maxLag) {
      maxLag = value;
      mostBehind = /name="([^"]*)"/.exec(line)?.[1] ?? '';
    }
  }
  return { rssMb, heapUsedMb, maxLag, mostBehind };
}

/** Failed jobs kept by BullMQ per queue: what was given up on (the dead letters). */
async function deadLetters(redis: Redis, prefix: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:bull:*:failed`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys)
      counts[key.slice(`${prefix}:bull:`.length, -':failed'.length)] = await redis.zcard(key);
  } while (cursor !== '0');
  return counts;
}

const answered = (values: (number | null)[]) => values.filter((value): value is number => value !== null);
const mean = (values: (number | null)[]) =>
  answered(values).reduce((sum, value) => sum + value, 0) / Math.max(1, answered(values).length);
const max = (values: (number | null)[]) => Math.max(...answered(values));

/**
 * Between two samples: events written to the log and applied by the audit index (which reads every
 * event) and the ledger, per second; the settlement process's CPU per event of the log it applied
 * (all its work — five read models, the engine's standby, jobs — divided by the events the audit
 * index applied), the cores it used, PostgreSQL's CPU per event written, and the mean load average.
 */
function rates(part: readonly Sample[]) {
  const from = part[0];
  const to = part.at(-1);
  const seconds = from && to ? to.atSeconds - from.atSeconds : 0;
  if (!from || !to || seconds <= 0)
    return {
      seconds: 0,
      eventsProducedPerSecond: NaN,
      auditIndexAppliedPerSecond: NaN,
      ledgerAppliedPerSecond: NaN,
      settlementCpuMsPerEvent: NaN,
      settlementCores: NaN,
      postgresCpuMsPerEvent: NaN,
      exchangeCores: NaN,
      load1: NaN,
    };
  const cpu = (app: AppName) => (to.cpuSeconds[app] ?? NaN) - (from.cpuSeconds[app] ?? NaN);
  const produced = to.eventsInLog - from.eventsInLog;
  const auditApplied = to.applied.auditIndex - from.applied.auditIndex;
  const postgres = to.postgresCpuSeconds - from.postgresCpuSeconds;
  return {
    seconds,
    eventsProducedPerSecond: round(produced / seconds, 1),
    auditIndexAppliedPerSecond: round(auditApplied / seconds, 1),
    ledgerAppliedPerSecond: round((to.applied.ledger - from.applied.ledger) / seconds, 1),
    settlementCpuMsPerEvent: round((cpu('settlement') * 1000) / Math.max(1, auditApplied), 3),
    settlementCores: round(cpu('settlement') / seconds, 2),
    postgresCpuMsPerEvent: round((postgres * 1000) / Math.max(1, produced), 3),
    exchangeCores: round((APPS.reduce((sum, app) => sum + cpu(app), 0) + postgres) / seconds, 2),
    load1: round(part.reduce((sum, sample) => sum + sample.load1, 0) / part.length, 1),
  };
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const exchange = await startExchange('soak', {
    LX_RATE_LIMIT_PER_MINUTE: '1000000',
    // Windows close during the run, so settlement's delayed jobs and the ledger work too.
    LX_RETURN_WINDOW_MS: '60000',
    LX_LOG_LEVEL: 'error',
    ...(HEAP_SNAPSHOTS
      ? { NODE_OPTIONS: `--heapsnapshot-signal=SIGWINCH --diagnostic-dir=${HEAP_SNAPSHOT_DIR}` }
      : {}),
  });
  const redis = new Redis('redis://127.0.0.1:6379');
  const db = new pg.Client({ connectionString: exchange.database.url });
  await db.connect();
  const postgresCpu = new PostgresCpu(db);
  const batchRows = Math.max(10, Math.round(LEADS_PER_SECOND / 2));
  const load = await MarketLoad.prepare(exchange, {
    leadsPerSecond: LEADS_PER_SECOND,
    batchRows,
    orderEveryMs: 1_000,
    orderQuantity: Math.max(5, Math.round(LEADS_PER_SECOND / 2)),
    returnEveryMs: 2_000,
    log,
  });
  const samples: Sample[] = [];
  const started = Date.now();
  try {
    log(
      `${MINUTES} min at ${LEADS_PER_SECOND} leads/s (batches of ${batchRows}), an order a second, a return every 2 s`,
    );
    load.start();
    const snapshotsDue = [...(HEAP_SNAPSHOTS?.atSeconds ?? [])];
    while (Date.now() - started < MINUTES * 60_000) {
      await sleep(SAMPLE_MS);
      if (HEAP_SNAPSHOTS && snapshotsDue.length && Date.now() - started >= snapshotsDue[0]! * 1000) {
        snapshotsDue.shift();
        const pid = exchange.pid(HEAP_SNAPSHOTS.app);
        log(`heap snapshot of ${HEAP_SNAPSHOTS.app} (pid ${pid}) into ${HEAP_SNAPSHOT_DIR}`);
        if (pid) process.kill(pid, 'SIGWINCH');
      }
      const sample: Sample = {
        atSeconds: Math.round((Date.now() - started) / 1000),
        rssMb: {} as Record<AppName, number>,
        heapUsedMb: {} as Record<AppName, number>,
        maxLag: {} as Record<AppName, number>,
        mostBehind: {} as Record<AppName, string>,
        deadLetters: await deadLetters(redis, exchange.redisPrefix),
        acknowledged: load.acknowledged.length,
        load1: round(os.loadavg()[0]!, 2),
        eventsInLog: 0,
        applied: { auditIndex: 0, ledger: 0 },
        cpuSeconds: {} as Record<AppName, number | null>,
        postgresCpuSeconds: 0,
        oldestWritingTransactionSeconds: { exchange: 0, server: 0 },
      };
      const progress = await logProgress(db);
      sample.eventsInLog = progress.eventsInLog;
      sample.applied = { auditIndex: progress.auditIndex, ledger: progress.ledger };
      sample.oldestWritingTransactionSeconds = progress.oldestWritingTransactionSeconds;
      for (const app of APPS) sample.cpuSeconds[app] = cpuSecondsOf(exchange.pid(app));
      sample.postgresCpuSeconds = round(await postgresCpu.total(exchange.database.name), 2);
      for (const app of APPS) {
        const metrics = await metricsOf(exchange, app);
        sample.rssMb[app] = metrics ? round(metrics.rssMb, 1) : null;
        sample.heapUsedMb[app] = metrics ? round(metrics.heapUsedMb, 1) : null;
        sample.maxLag[app] = metrics?.maxLag ?? null;
        sample.mostBehind[app] = metrics?.mostBehind ?? 'no answer';
      }
      samples.push(sample);
      log(
        `${sample.atSeconds} s: RSS ${JSON.stringify(sample.rssMb)} MB, heap used ${JSON.stringify(sample.heapUsedMb)} MB, lag ${JSON.stringify(sample.maxLag)} ${JSON.stringify(sample.mostBehind)}, acknowledged ${sample.acknowledged}, ` +
          `load ${sample.load1}, log ${sample.eventsInLog} events, applied ${JSON.stringify(sample.applied)}, CPU s ${JSON.stringify(sample.cpuSeconds)}, postgres ${sample.postgresCpuSeconds}, ` +
          `oldest writing transaction s ${JSON.stringify(sample.oldestWritingTransactionSeconds)}`,
      );
    }
    await load.stop();
    log('load stopped; settling and reading the log');
    const verdict = await load.verify({ settleTimeoutMs: 300_000 });
    const fifth = Math.max(1, Math.floor(samples.length / 5));
    const early = samples.slice(fifth, 2 * fifth); // after warm-up
    const late = samples.slice(-fifth);
    const rows = APPS.map((app) => {
      const rssEarly = mean(early.map((s) => s.rssMb[app]));
      const rssLate = mean(late.map((s) => s.rssMb[app]));
      const lagEarly = max(early.map((s) => s.maxLag[app]));
      const lagLate = max(late.map((s) => s.maxLag[app]));
      const unanswered = samples.filter((s) => s.rssMb[app] === null).length;
      return {
        app,
        rssEarly: round(rssEarly, 1),
        rssLate: round(rssLate, 1),
        rssMax: max(samples.map((s) => s.rssMb[app])),
        lagEarly,
        lagLate,
        lagMax: max(samples.map((s) => s.maxLag[app])),
        unanswered,
        rssFlat: rssLate <= rssEarly * RSS_GROWTH_ALLOWED,
        // Flat: the lag at the end is no worse than early on, or small (a second of load).
        lagFlat: lagLate <= Math.max(lagEarly, LEADS_PER_SECOND),
      };
    });
    const throughput = {
      whole: rates(samples),
      early: rates(early),
      late: rates(late),
    };
    const finalDeadLetters = samples.at(-1)?.deadLetters ?? {};
    process.stdout.write(
      `\nSoak: ${MINUTES} min, ${LEADS_PER_SECOND} leads/s listed (${verdict.leadsListed} listed, ${verdict.allocations} sold), ` +
        `${verdict.total.acknowledged} writes acknowledged, ${verdict.total.lost} lost, ${verdict.total.doubled} doubled\n\n` +
        formatTable(
          [
            'app',
            'RSS MB early',
            'RSS MB late',
            'RSS MB max',
            'lag early',
            'lag late',
            'lag max',
            'unanswered samples',
            'flat',
          ],
          rows.map((row) => [
            row.app,
            formatNumber(row.rssEarly, 1),
            formatNumber(row.rssLate, 1),
            formatNumber(row.rssMax, 1),
            String(row.lagEarly),
            String(row.lagLate),
            String(row.lagMax),
            String(row.unanswered),
            row.rssFlat && row.lagFlat
              ? 'yes'
              : `no (${row.rssFlat ? '' : 'RSS '}${row.lagFlat ? '' : 'lag'})`,
          ]),
        ) +
        '\n\nEvents produced vs applied, CPU (between the first and last sample of each part):\n' +
        formatTable(
          [
            'part',
            'seconds',
            'log events/s',
            'audit index applied/s',
            'ledger applied/s',
            'settlement CPU ms/event',
            'settlement cores',
            'PostgreSQL CPU ms/event',
            'all apps + PG cores',
            'load avg',
          ],
          Object.entries(throughput).map(([part, r]) => [
            part,
            formatNumber(r.seconds),
            formatNumber(r.eventsProducedPerSecond),
            formatNumber(r.auditIndexAppliedPerSecond),
            formatNumber(r.ledgerAppliedPerSecond),
            formatNumber(r.settlementCpuMsPerEvent, 3),
            formatNumber(r.settlementCores, 2),
            formatNumber(r.postgresCpuMsPerEvent, 3),
            formatNumber(r.exchangeCores, 2),
            formatNumber(r.load1, 1),
          ]),
        ) +
        `\n\nFailed BullMQ jobs (dead letters) at the end: ${JSON.stringify(finalDeadLetters)}\n` +
        `Webhooks: ${verdict.webhooksDelivered} delivered, ${verdict.webhooksMissing} missing\n`,
    );
    const deadLettered = Object.values(finalDeadLetters).reduce((sum, n) => sum + n, 0);
    const pass =
      verdict.total.lost === 0 &&
      verdict.total.doubled === 0 &&
      deadLettered === 0 &&
      rows.every((row) => row.rssFlat && row.lagFlat) &&
      // A heap snapshot stalls the app for a while: only then may a sample go unanswered.
      (HEAP_SNAPSHOTS !== null || rows.every((row) => row.unanswered === 0));
    printJsonLine({
      benchmark: 'soak',
      machine,
      minutes: MINUTES,
      leadsPerSecond: LEADS_PER_SECOND,
      writes: verdict.byKind,
      leadsListed: verdict.leadsListed,
      allocations: verdict.allocations,
      leadsSoldTwice: verdict.leadsSoldTwice,
      webhooksDelivered: verdict.webhooksDelivered,
      webhooksMissing: verdict.webhooksMissing,
      deadLetters: finalDeadLetters,
      apps: rows,
      throughput,
      samples,
      pass,
    });
    if (!pass) process.exitCode = 1;
  } finally {
    await db.end().catch(() => undefined);
    await load.close();
    redis.disconnect();
    await exchange.stop();
  }
}

await main();
