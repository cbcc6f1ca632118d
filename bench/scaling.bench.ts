/**
 * `npm run bench:scaling` — two instances of an app on one exchange (docs/scaling.md).
 *
 * (a) `sellers`: two sellers apps sharing the verification queue. The same number of batches of the
 *     same size is uploaded to one instance, then split over two, in ABBA order within the same run
 *     (one, two, two, one); for each round the wall time until every row is verified and listed,
 *     and the CPU time of every process (the apps' /proc/<pid>/stat, the PostgreSQL backends of
 *     the exchange's database) per row. Then the log is checked: every row verified exactly once.
 * (b) `failover`: two settlement instances, both running the market's engine (the hot standby of
 *     libs/matching). Leads flow at a steady rate to a buyer's open order; the instance whose engine
 *     writes (its `lx_engine_appends{outcome="written"}` on /metrics) is killed with SIGKILL in
 *     the middle; the time until allocations resume on the standby, listing → allocation latency
 *     before and after, and from the log: no lead allocated twice, none lost, the market stream
 *     without a gap.
 *
 * `LX_SCALING_ONLY=sellers|failover` runs one part. Every exchange runs on a fresh database and
 * Redis prefix, dropped at the end with every process it started.
 */
import os from 'node:os';
import pg from 'pg';
import { generateLeadRows, leadRowsToCsv } from '#lx/market-generator';
import { startExchange, type AppInstance, type RunningExchange } from '#lx/testing';
import { cleanEyewearRows, confirmDeposit, openMarket, register } from '../tests/support/scenarios.js';
import {
  formatNumber,
  formatTable,
  machineInfo,
  now,
  printJsonLine,
  round,
  sleep,
  summarize,
  type Summary,
  processCpuSeconds,
} from './bench-support.js';

const ONLY = process.env.LX_SCALING_ONLY ?? 'all';
const BATCHES = Number(process.env.LX_SCALING_BATCHES ?? 4);
const ROWS = Number(process.env.LX_SCALING_ROWS ?? 4000);
const ROUNDS = Number(process.env.LX_SCALING_ROUNDS ?? 2);
const RATE = Number(process.env.LX_SCALING_LEADS_PER_SECOND ?? 10);
const FLOW_SECONDS = Number(process.env.LX_SCALING_FLOW_SECONDS ?? 40);
const KILL_AFTER_SECONDS = Number(process.env.LX_SCALING_KILL_AFTER_SECONDS ?? 10);
/** The kill waits until this share of the leads is allocated, so that it strikes an engine at work. */
const KILL_AT_SHARE = Number(process.env.LX_SCALING_KILL_AT_SHARE ?? 0.3);
const FLOW_BATCH_ROWS = 10;
const IDLE_SECONDS = 5;
const PRICE = 60_000;

const ENV = { LX_RATE_LIMIT_PER_MINUTE: '1000000', LX_CHECK_RESPONSES: 'false', LX_LOG_LEVEL: 'warn' };

/** What to stop if the run is interrupted (Ctrl-C, a timeout's SIGTERM): the running exchange. */
const cleanups = new Set<() => Promise<void>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    log(`${signal}: stopping the exchange`);
    void Promise.allSettled([...cleanups].map((cleanup) => cleanup())).then(() => process.exit(1));
  });

// Four or five app processes starting on a loaded 2-core machine can take longer than a test's minute.
process.env.LX_TEST_APP_START_SECONDS ??= '240';

const log = (message: string) => process.stderr.write(`[scaling] ${message}\n`);
const load1 = () => round(os.loadavg()[0]!, 2);

/** CPU time (user + system) a process has used so far, in ms; null once it is gone. */
function processCpuMs(pid: number): number | null {
  const seconds = processCpuSeconds(pid);
  return seconds === null ? null : seconds * 1000;
}

type CpuTotals = Record<string, number>;

/**
 * CPU time of named processes and of the PostgreSQL backends connected to one database, sampled
 * every 200 ms (a backend that ends between two samples loses at most its last 200 ms). A backend
 * born after the tracker started counts from zero; anything seen first later counts from then.
 */
class CpuTracker {
  private readonly first = new Map<string, number>();
  private readonly last = new Map<string, number>();
  private readonly startedAt = new Date();
  private timer: NodeJS.Timeout | null = null;
  private sampling: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: pg.Client,
    private readonly database: string,
    private readonly processes: () => Record<string, number | undefined>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), 200);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Samples now and returns the CPU ms of each name since the tracker first saw it. */
  async totals(): Promise<CpuTotals> {
    await this.sample();
    const totals: CpuTotals = { bench: cpuOfThisProcess() };
    for (const [key, value] of this.last) {
      const name = key.slice(0, key.lastIndexOf('#'));
      totals[name] = (totals[name] ?? 0) + value - this.first.get(key)!;
    }
    return totals;
  }

  private sample(): Promise<void> {
    this.sampling = this.sampling.then(async () => {
      for (const [name, pid] of Object.entries(this.processes())) {
        if (pid === undefined) continue;
        const cpu = processCpuMs(pid);
        if (cpu !== null) this.see(`${name}#${pid}`, cpu, cpu);
      }
      const { rows } = await this.sql.query<{ pid: number; fresh: boolean }>(
        `SELECT pid, backend_start >= $2 AS fresh FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [this.database, this.startedAt],
      );
      for (const row of rows) {
        const cpu = processCpuMs(row.pid);
        if (cpu !== null) this.see(`postgres#${row.pid}`, cpu, row.fresh ? 0 : cpu);
      }
    });
    return this.sampling.catch(() => undefined);
  }

  private see(key: string, cpu: number, firstValue: number): void {
    if (!this.first.has(key)) this.first.set(key, firstValue);
    this.last.set(key, cpu);
  }
}

function cpuOfThisProcess(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function difference(after: CpuTotals, before: CpuTotals): CpuTotals {
  const result: CpuTotals = {};
  for (const [name, value] of Object.entries(after)) result[name] = round(value - (before[name] ?? 0), 1);
  return result;
}

/** µs of CPU per unit, per process, with `apps` (every app process) and `total` (apps + PostgreSQL). */
function perUnit(cpuMs: CpuTotals, units: number): Record<string, number> {
  const result: Record<string, number> = {};
  let apps = 0;
  for (const [name, ms] of Object.entries(cpuMs)) {
    result[name] = round((ms * 1000) / units, 1);
    if (name !== 'postgres' && name !== 'bench') apps += ms;
  }
  result.apps = round((apps * 1000) / units, 1);
  result.total = round(((apps + (cpuMs.postgres ?? 0)) * 1000) / units, 1);
  return result;
}

/**
 * Uploads a CSV batch as a careful client does: with an Idempotency-Key, retried with the same key
 * on 503 (the shared PostgreSQL server out of connections), 429 or a refused connection, for up to
 * two minutes. Resolves with the batch id; counts the retries.
 */
async function uploadBatch(
  url: string,
  apiKey: string,
  csv: string,
  idempotencyKey: string,
  retries: { count: number },
): Promise<string> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const response = await fetch(
        `${url}/v1/batches?vertical=eyewear&floor=${PRICE}&exclusivity=exclusive`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${apiKey}`,
            'content-type': 'text/csv',
            'idempotency-key': idempotencyKey,
          },
          body: csv,
        },
      );
      const text = await response.text();
      if (response.status === 202 || response.status === 200)
        return (JSON.parse(text) as { batchId: string }).batchId;
      // 409: the first attempt is still being received; 503/429: try again shortly.
      if (![409, 429, 502, 503].includes(response.status) || Date.now() > deadline)
        throw new Error(`upload: HTTP ${response.status} ${text.slice(0, 300)}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('upload:')) throw error;
      if (Date.now() > deadline) throw error;
    }
    retries.count++;
    await sleep(250);
  }
}

/** The largest `lx_subscription_lag_events` of an app instance (projections, engines, subscriptions); null if it does not answer. */
async function largestLag(url: string): Promise<number | null> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    let largest = 0;
    for (const match of text.matchAll(/^lx_subscription_lag_events\{[^}]*\} (\d+)/gm))
      largest = Math.max(largest, Number(match[1]));
    return largest;
  } catch {
    return null;
  }
}

/** Waits until every instance's subscriptions and projections have caught up with the log (twice in a row). */
async function settled(urls: () => string[], timeoutMs = 600_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let quietSamples = 0;
  while (Date.now() < deadline) {
    const lags = await Promise.all(urls().map((url) => largestLag(url)));
    quietSamples = lags.every((lag) => lag === 0) ? quietSamples + 1 : 0;
    if (quietSamples >= 2) return true;
    await sleep(250);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// (a) two sellers apps sharing the verification queue

type Mode = 'one' | 'two';

interface SellersRound {
  mode: Mode;
  batches: number;
  rows: number;
  accepted: number;
  uploadMs: number;
  /** Until every row is verified and listed (the sellers' verification done). */
  wallMs: number;
  rowsPerSecond: number;
  /** Until every app's projections and subscriptions have caught up too (the CPU figures run to here). */
  settledMs: number;
  cpuMs: CpuTotals;
  cpuUsPerRow: Record<string, number>;
  load1: number;
  load1End: number;
}

async function sellersPart() {
  const exchange = await startExchange('bench_scaling_sellers', ENV);
  cleanups.add(exchange.stop);
  let second: AppInstance | null = null;
  const sql = new pg.Client({ connectionString: exchange.database.url });
  sql.on('error', () => undefined); // the database is dropped under it when interrupted
  await sql.connect();
  const tracker = new CpuTracker(sql, exchange.database.name, () => ({
    'sellers A': exchange.pid('sellers'),
    'sellers B': second?.pid,
    settlement: exchange.pid('settlement'),
    buyers: exchange.pid('buyers'),
  }));
  tracker.start();
  try {
    const seller = await register(exchange, 'seller', 'Scaling Leads');
    const plan: Mode[] = [];
    for (let r = 0; r < ROUNDS; r++)
      plan.push(...((r % 2 === 0 ? ['one', 'two'] : ['two', 'one']) as Mode[]));
    const rounds: SellersRound[] = [];
    const batchIds: string[] = [];
    const retries = { count: 0 };
    for (const [index, mode] of plan.entries()) {
      if (mode === 'two' && !second) {
        second = await exchange.startInstance('sellers');
        await sleep(2000); // its projections and queue reconciliation settle before the round
      }
      if (mode === 'one' && second) {
        await second.stop();
        second = null;
      }
      const files = Array.from({ length: BATCHES }, (_, i) =>
        leadRowsToCsv(
          generateLeadRows({
            seed: `scaling-${index}-${i}`,
            count: ROWS,
            vertical: 'eyewear',
            capturedAround: new Date(),
            country: 'mixed',
          }).rows,
        ),
      );
      const targets = files.map((_, i) =>
        mode === 'two' && i % 2 === 1 ? second!.url : exchange.url('sellers'),
      );
      await settled(() => [exchange.url('sellers'), exchange.url('settlement'), exchange.url('buyers')]);
      log(`round ${index + 1}/${plan.length}: ${mode} instance(s), ${BATCHES} × ${ROWS} rows`);
      const loadStart = load1();
      const before = await tracker.totals();
      const start = now();
      const ids = await Promise.all(
        files.map((csv, i) => uploadBatch(targets[i]!, seller.apiKey, csv, `scaling-${index}-${i}`, retries)),
      );
      const uploadMs = now() - start;
      let accepted = 0;
      for (;;) {
        const { rows } = await sql.query<{ status: string; accepted: number }>(
          'SELECT status, accepted FROM lx_batch_verification WHERE batch_id = ANY($1)',
          [ids],
        );
        if (rows.length === ids.length && rows.every((row) => row.status === 'verified')) {
          accepted = rows.reduce((sum, row) => sum + row.accepted, 0);
          break;
        }
        await sleep(100);
      }
      const wallMs = now() - start;
      const instanceUrls = () => [
        exchange.url('sellers'),
        exchange.url('settlement'),
        exchange.url('buyers'),
        ...(second ? [second.url] : []),
      ];
      if (!(await settled(instanceUrls))) log('the read models did not catch up within 10 minutes');
      const settledMs = now() - start;
      const cpuMs = difference(await tracker.totals(), before);
      batchIds.push(...ids);
      const rowsTotal = BATCHES * ROWS;
      rounds.push({
        mode,
        batches: BATCHES,
        rows: rowsTotal,
        accepted,
        uploadMs: round(uploadMs),
        wallMs: round(wallMs),
        rowsPerSecond: round((rowsTotal / wallMs) * 1000),
        settledMs: round(settledMs),
        cpuMs,
        cpuUsPerRow: perUnit(cpuMs, rowsTotal),
        load1: loadStart,
        load1End: load1(),
      });
    }
    const check = await verifiedExactlyOnce(sql, batchIds, ROWS);
    return { rounds, check, uploadRetries: retries.count };
  } finally {
    tracker.stop();
    await sql.end();
    cleanups.delete(exchange.stop);
    await exchange.stop();
  }
}

/** From the log: every row of every batch verified once — listed once or rejected once — and each batch verified once. */
async function verifiedExactlyOnce(sql: pg.Client, batchIds: string[], rowsPerBatch: number) {
  const { rows: state } = await sql.query<{
    batch_id: string;
    processed: number;
    accepted: number;
    rejected: number;
  }>('SELECT batch_id, processed, accepted, rejected FROM lx_batch_verification WHERE batch_id = ANY($1)', [
    batchIds,
  ]);
  const { rows: listed } = await sql.query<{ batch: string; n: number; distinct_leads: number }>(
    `SELECT data->>'batchId' AS batch, count(*)::int AS n, count(DISTINCT data->>'leadId')::int AS distinct_leads
       FROM lx_events WHERE event_type = 'LeadListed' GROUP BY 1`,
  );
  const { rows: rejected } = await sql.query<{ stream: string; n: number; distinct_lines: number }>(
    `SELECT stream_name AS stream, count(*)::int AS n, count(DISTINCT (r->>'line'))::int AS distinct_lines
       FROM lx_events, jsonb_array_elements(data->'rows') AS r
      WHERE event_type = 'LeadBatchRowsRejected' GROUP BY 1`,
  );
  const { rows: verified } = await sql.query<{ stream: string; n: number }>(
    `SELECT stream_name AS stream, count(*)::int AS n FROM lx_events WHERE event_type = 'LeadBatchVerified' GROUP BY 1`,
  );
  const problems: string[] = [];
  let rowsChecked = 0;
  for (const batchId of batchIds) {
    const s = state.find((row) => row.batch_id === batchId);
    const l = listed.find((row) => row.batch === batchId);
    const r = rejected.find((row) => row.stream === `batch-${batchId}`);
    const v = verified.find((row) => row.stream === `batch-${batchId}`);
    const listedCount = l?.n ?? 0;
    const rejectedCount = r?.n ?? 0;
    if (!s || s.processed !== rowsPerBatch) problems.push(`${batchId}: processed ${s?.processed}`);
    if (listedCount !== (s?.accepted ?? -1) || (l?.distinct_leads ?? 0) !== listedCount)
      problems.push(
        `${batchId}: ${listedCount} LeadListed (${l?.distinct_leads} leads) for ${s?.accepted} accepted`,
      );
    if (rejectedCount !== (s?.rejected ?? -1) || (r?.distinct_lines ?? 0) !== rejectedCount)
      problems.push(`${batchId}: ${rejectedCount} rejected rows reported for ${s?.rejected}`);
    if (listedCount + rejectedCount !== rowsPerBatch)
      problems.push(`${batchId}: ${listedCount} listed + ${rejectedCount} rejected ≠ ${rowsPerBatch}`);
    if ((v?.n ?? 0) !== 1) problems.push(`${batchId}: LeadBatchVerified ×${v?.n ?? 0}`);
    rowsChecked += listedCount + rejectedCount;
  }
  return { batches: batchIds.length, rowsChecked, exactlyOnce: problems.length === 0, problems };
}

// ---------------------------------------------------------------------------------------------
// (b) two settlement instances: the standby engine takes over under load

async function engineAppends(url: string): Promise<{ written: number; alreadyWritten: number } | null> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const value = (outcome: string) =>
      Number(
        new RegExp(`^lx_engine_appends\\{[^}]*outcome="${outcome}"[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ??
          NaN,
      );
    return { written: value('written'), alreadyWritten: value('already_written') };
  } catch {
    return null;
  }
}

async function failoverPart() {
  const exchange: RunningExchange = await startExchange('bench_scaling_failover', ENV);
  cleanups.add(exchange.stop);
  const sql = new pg.Client({ connectionString: exchange.database.url });
  sql.on('error', () => undefined); // the database is dropped under it when interrupted
  await sql.connect();
  let standby: AppInstance | null = null;
  let killedPid: number | undefined;
  const tracker = new CpuTracker(sql, exchange.database.name, () => ({
    'settlement A': exchange.pid('settlement'),
    'settlement B': standby?.pid,
    sellers: exchange.pid('sellers'),
    buyers: exchange.pid('buyers'),
  }));
  tracker.start();
  try {
    standby = await exchange.startInstance('settlement');
    await openMarket(exchange, 'eyewear', {
      currency: 'RUB',
      commissionBps: 1500,
      returnWindowHours: 72,
      dedupeWindowDays: 30,
    });
    const seller = await register(exchange, 'seller', 'Failover Leads');
    const buyer = await register(exchange, 'buyer', 'Failover Buyer');
    const leads = RATE * FLOW_SECONDS;
    await confirmDeposit(exchange, buyer, leads * 2 * PRICE, 'scaling-deposit');
    const placed = await exchange.call('buyers', 'POST', '/v1/orders', {
      key: buyer.apiKey,
      body: {
        vertical: 'eyewear',
        filters: {},
        bid: PRICE,
        modifiers: [],
        quantity: leads * 2,
        budget: leads * 2 * PRICE,
        exclusivity: 'any',
        delivery: 'pull',
      },
    });
    if (placed.status !== 201) throw new Error(`order: ${placed.status} ${JSON.stringify(placed.body)}`);
    await sleep(1500); // both engines fold the order before the first lead
    // What the five processes and their backends burn with nothing to do (subscriptions polling,
    // health, clocks): the floor under the per-lead figures of a slow flow.
    const idleBefore = await tracker.totals();
    const idleStart = now();
    await sleep(IDLE_SECONDS * 1000);
    const idleCpuMs = difference(await tracker.totals(), idleBefore);
    const idleSeconds = (now() - idleStart) / 1000;
    const idleCpuMsPerSecond = Object.fromEntries(
      Object.entries(idleCpuMs).map(([name, ms]) => [name, round(ms / idleSeconds, 1)]),
    );

    const urls = { A: exchange.url('settlement'), B: standby.url };
    const rows = cleanEyewearRows('scaling-failover', leads, 60);
    const uploads: Promise<unknown>[] = [];
    const retries = { count: 0 };
    const interval = (FLOW_BATCH_ROWS / RATE) * 1000;
    const before = await tracker.totals();
    const loadStart = load1();
    const flowStart = now();
    let killAt = 0;
    let killed: 'A' | 'B' | null = null;
    let allocatedAtKill = 0;
    let appendsAtKill: Record<'A' | 'B', { written: number; alreadyWritten: number } | null> = {
      A: null,
      B: null,
    };
    const allocatedSoFar = async () =>
      (
        await sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM lx_events WHERE event_type = 'LeadAllocated'`,
        )
      ).rows[0]!.n;
    const killAfterAllocations = Math.ceil(leads * KILL_AT_SHARE);
    log(
      `${leads} leads at ${RATE}/s in batches of ${FLOW_BATCH_ROWS}; the writing engine is killed ` +
        `after ${KILL_AFTER_SECONDS} s once ${killAfterAllocations} leads are allocated`,
    );
    // The kill, beside the flow: once the engines have been writing for a while, whatever the load.
    const killer = (async () => {
      await sleep(KILL_AFTER_SECONDS * 1000);
      while ((await allocatedSoFar()) < killAfterAllocations) await sleep(100);
      appendsAtKill = { A: await engineAppends(urls.A), B: await engineAppends(urls.B) };
      killed = (appendsAtKill.B?.written ?? 0) > (appendsAtKill.A?.written ?? 0) ? 'B' : 'A';
      killedPid = killed === 'A' ? exchange.pid('settlement') : standby!.pid;
      await tracker.totals(); // its CPU up to the kill
      killAt = Date.now();
      if (killed === 'A') await exchange.crashApp('settlement');
      else await standby!.crash();
      allocatedAtKill = await allocatedSoFar();
      log(`killed settlement ${killed} (pid ${killedPid}) with SIGKILL at ${allocatedAtKill} allocations`);
    })().then(
      () => undefined,
      (error: unknown) => error,
    );
    for (let offset = 0, i = 0; offset < leads; offset += FLOW_BATCH_ROWS, i++) {
      await sleep(Math.max(0, flowStart + i * interval - now()));
      const csv = leadRowsToCsv(rows.slice(offset, offset + FLOW_BATCH_ROWS));
      // A failed upload is kept as its error (no unhandled rejection ends the run before the cleanup).
      uploads.push(
        uploadBatch(exchange.url('sellers'), seller.apiKey, csv, `failover-${i}`, retries).then(
          () => undefined,
          (error: unknown) => error,
        ),
      );
    }
    const failures = [...(await Promise.all(uploads)), await killer].filter((error) => error !== undefined);
    if (failures.length > 0) throw failures[0];
    // Every listed lead allocated (or the time is up).
    const deadline = Date.now() + 180_000;
    for (;;) {
      const { rows: counts } = await sql.query<{ listed: number; allocated: number }>(
        `SELECT (SELECT count(*)::int FROM lx_events WHERE event_type = 'LeadListed') AS listed,
                (SELECT count(DISTINCT data->>'leadId')::int FROM lx_events WHERE event_type = 'LeadAllocated') AS allocated`,
      );
      const { listed, allocated } = counts[0]!;
      if (listed >= leads && allocated >= listed) break;
      if (Date.now() > deadline) {
        log(`timed out: ${allocated} of ${listed} listed leads allocated`);
        break;
      }
      await sleep(200);
    }
    const wallMs = now() - flowStart;
    const cpuMs = difference(await tracker.totals(), before);
    const survivor = killed === 'A' ? urls.B : urls.A;
    const survivorAppends = await engineAppends(survivor);

    const { rows: events } = await sql.query<{
      event_type: string;
      lead: string;
      allocation: string | null;
      at: Date;
    }>(
      `SELECT event_type, data->>'leadId' AS lead, data->>'allocationId' AS allocation, recorded_at AS at
         FROM lx_events WHERE event_type IN ('LeadListed', 'LeadAllocated') ORDER BY recorded_at`,
    );
    const { rows: market } = await sql.query<{ n: number; max: number }>(
      `SELECT count(*)::int AS n, max(stream_version)::int AS max FROM lx_events WHERE stream_name = 'market-eyewear'`,
    );
    const listedAt = new Map<string, number>();
    const allocations = new Map<string, number[]>();
    const allocationIds = new Set<string>();
    let duplicateAllocationIds = 0;
    for (const event of events) {
      const at = event.at.getTime();
      if (event.event_type === 'LeadListed') listedAt.set(event.lead, at);
      else {
        allocations.set(event.lead, [...(allocations.get(event.lead) ?? []), at]);
        if (event.allocation && allocationIds.has(event.allocation)) duplicateAllocationIds++;
        if (event.allocation) allocationIds.add(event.allocation);
      }
    }
    const allocatedTimes = [...allocations.values()].map((times) => times[0]!).sort((a, b) => a - b);
    const lastBefore = allocatedTimes.filter((at) => at < killAt).pop() ?? NaN;
    const firstAfter = allocatedTimes.find((at) => at >= killAt) ?? NaN;
    // The usual pause between two allocations before the kill, to read the gap across it against.
    const gapsBefore = allocatedTimes
      .filter((at) => at < killAt)
      .slice(1)
      .map((at, i) => at - allocatedTimes[i]!);
    const latency = { before: [] as number[], around: [] as number[], after: [] as number[] };
    for (const [lead, listed] of listedAt) {
      const allocated = allocations.get(lead)?.[0];
      if (allocated === undefined) continue;
      const ms = allocated - listed;
      // "around": listed in the second before the kill or within 5 s after it.
      if (listed < killAt - 1000) latency.before.push(ms);
      else if (listed < killAt + 5000) latency.around.push(ms);
      else latency.after.push(ms);
    }
    const lost = [...listedAt.keys()].filter((lead) => !allocations.has(lead)).length;
    const doubled = [...allocations.values()].filter((times) => times.length > 1).length;
    return {
      leads,
      listed: listedAt.size,
      allocated: allocations.size,
      lost,
      doubled,
      duplicateAllocationIds,
      marketStreamContiguous: market[0]!.n === market[0]!.max + 1,
      killed,
      allocatedAtKill,
      appendsAtKill,
      survivorAppends,
      resumeMs: round(firstAfter - killAt),
      gapMs: round(firstAfter - lastBefore),
      gapsBeforeKillMs: {
        p50: round(summarize(gapsBefore).p50),
        p99: round(summarize(gapsBefore).p99),
        max: round(summarize(gapsBefore).max),
      },
      listedToAllocatedMs: {
        before: summarize(latency.before),
        around: summarize(latency.around),
        after: summarize(latency.after),
      },
      wallMs: round(wallMs),
      uploadRetries: retries.count,
      idleCpuMsPerSecond,
      cpuMs,
      cpuUsPerLead: perUnit(cpuMs, Math.max(1, allocations.size)),
      load1: loadStart,
      load1End: load1(),
    };
  } finally {
    tracker.stop();
    await sql.end();
    cleanups.delete(exchange.stop);
    await exchange.stop();
  }
}

// ---------------------------------------------------------------------------------------------

function mean(values: number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

async function main(): Promise<void> {
  const started = now();
  const machine = machineInfo();
  let sellers: Awaited<ReturnType<typeof sellersPart>> | null = null;
  let failover: Awaited<ReturnType<typeof failoverPart>> | null = null;
  if (ONLY === 'all' || ONLY === 'sellers') sellers = await sellersPart();
  if (ONLY === 'all' || ONLY === 'failover') failover = await failoverPart();

  let sellersSummary: Record<string, unknown> | null = null;
  if (sellers) {
    const names = [...new Set(sellers.rounds.flatMap((r) => Object.keys(r.cpuUsPerRow)))];
    const order = ['sellers A', 'sellers B', 'settlement', 'buyers', 'apps', 'postgres', 'total', 'bench'];
    const columns = order.filter((name) => names.includes(name));
    console.log(
      `\n(a) sellers apps sharing the verification queue: ${BATCHES} batches × ${ROWS} rows per round\n`,
    );
    console.log(
      formatTable(
        [
          'round',
          'instances',
          'rows/s',
          'verified s',
          'settled s',
          'load',
          ...columns.map((c) => `${c} µs/row`),
        ],
        sellers.rounds.map((r, i) => [
          String(i + 1),
          r.mode === 'one' ? '1' : '2',
          formatNumber(r.rowsPerSecond),
          formatNumber(r.wallMs / 1000, 1),
          formatNumber(r.settledMs / 1000, 1),
          `${r.load1}→${r.load1End}`,
          ...columns.map((c) => formatNumber(r.cpuUsPerRow[c] ?? 0)),
        ]),
      ),
    );
    const of = (mode: Mode) => sellers!.rounds.filter((r) => r.mode === mode);
    const summary = (mode: Mode) => ({
      rowsPerSecond: round(mean(of(mode).map((r) => r.rowsPerSecond))),
      appsCpuUsPerRow: round(mean(of(mode).map((r) => r.cpuUsPerRow.apps!))),
      postgresCpuUsPerRow: round(mean(of(mode).map((r) => r.cpuUsPerRow.postgres ?? 0))),
      totalCpuUsPerRow: round(mean(of(mode).map((r) => r.cpuUsPerRow.total!))),
    });
    const one = summary('one');
    const two = summary('two');
    sellersSummary = {
      one,
      two,
      throughputRatio: round(two.rowsPerSecond / one.rowsPerSecond),
      cpuPerRowRatio: round(two.totalCpuUsPerRow / one.totalCpuUsPerRow),
    };
    console.log(
      `\ntwo instances / one: throughput ${sellersSummary.throughputRatio}×, CPU per row (apps + PostgreSQL) ` +
        `${sellersSummary.cpuPerRowRatio}×; every row verified exactly once: ${sellers.check.exactlyOnce ? 'yes' : 'NO'} ` +
        `(${formatNumber(sellers.check.rowsChecked)} rows in ${sellers.check.batches} batches)`,
    );
    for (const problem of sellers.check.problems.slice(0, 10)) console.log(`  ${problem}`);
  }
  if (failover) {
    const f = failover;
    const row = (name: string, s: Summary) => [
      name,
      String(s.count),
      formatNumber(s.p50),
      formatNumber(s.p99),
      formatNumber(s.max),
    ];
    console.log(
      `\n(b) two settlement instances, ${f.leads} leads at ${RATE}/s; settlement ${f.killed} (the writer) killed with SIGKILL at ${f.allocatedAtKill} allocations\n`,
    );
    console.log(
      formatTable(
        ['listing → LeadAllocated, ms', 'leads', 'p50', 'p99', 'max'],
        [
          row('listed before the kill', f.listedToAllocatedMs.before),
          row('listed from 1 s before to 5 s after', f.listedToAllocatedMs.around),
          row('listed later', f.listedToAllocatedMs.after),
        ],
      ),
    );
    console.log(
      `\nfirst allocation after the kill: +${formatNumber(f.resumeMs)} ms (gap between allocations across it ` +
        `${formatNumber(f.gapMs)} ms; before the kill p50 ${formatNumber(f.gapsBeforeKillMs.p50)}, p99 ${formatNumber(f.gapsBeforeKillMs.p99)}, max ${formatNumber(f.gapsBeforeKillMs.max)} ms); listed ${f.listed}, allocated ${f.allocated}, lost ${f.lost}, allocated twice ` +
        `${f.doubled}, market stream contiguous: ${f.marketStreamContiguous ? 'yes' : 'NO'}`,
    );
    console.log(
      `engine appends at the kill: A ${JSON.stringify(f.appendsAtKill.A)}, B ${JSON.stringify(f.appendsAtKill.B)}; ` +
        `survivor at the end ${JSON.stringify(f.survivorAppends)}`,
    );
    console.log(
      `CPU µs per lead: ${Object.entries(f.cpuUsPerLead)
        .map(([name, us]) => `${name} ${formatNumber(us)}`)
        .join(', ')} (load ${f.load1}→${f.load1End})`,
    );
    console.log(
      `idle, CPU ms per second: ${Object.entries(f.idleCpuMsPerSecond)
        .map(([name, ms]) => `${name} ${formatNumber(ms)}`)
        .join(', ')}\n`,
    );
  }
  const compact = (s: Summary) => ({
    count: s.count,
    p50: round(s.p50, 1),
    p99: round(s.p99, 1),
    max: round(s.max, 1),
  });
  printJsonLine({
    bench: 'scaling',
    sellers: sellers && {
      summary: sellersSummary,
      verifiedExactlyOnce: sellers.check,
      rounds: sellers.rounds,
    },
    failover: failover && {
      ...failover,
      listedToAllocatedMs: {
        before: compact(failover.listedToAllocatedMs.before),
        around: compact(failover.listedToAllocatedMs.around),
        after: compact(failover.listedToAllocatedMs.after),
      },
    },
    pass:
      (!sellers || sellers.check.exactlyOnce) &&
      (!failover ||
        (failover.lost === 0 &&
          failover.doubled === 0 &&
          failover.duplicateAllocationIds === 0 &&
          failover.marketStreamContiguous &&
          Number.isFinite(failover.resumeMs))),
    config: {
      batches: BATCHES,
      rowsPerBatch: ROWS,
      rounds: ROUNDS,
      leadsPerSecond: RATE,
      flowSeconds: FLOW_SECONDS,
      killAfterSeconds: KILL_AFTER_SECONDS,
      killAtShare: KILL_AT_SHARE,
      flowBatchRows: FLOW_BATCH_ROWS,
    },
    machine: { ...machine, load1End: load1() },
    seconds: round((now() - started) / 1000, 1),
  });
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
