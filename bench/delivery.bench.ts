/**
 * `npm run bench:delivery` — scenario 4, "five minutes": a buyer's order for leads no older than
 * 5 minutes, delivered to its webhook. A seller uploads N fresh leads in small batches (the way a
 * landing page forwards them); for every lead we measure the time from its LeadListed being
 * appended by the sellers app's verification worker to the buyer's webhook receiving it.
 *
 * Baseline, in the same run and on the same allocations: the buyer's pull API
 * (`GET /v1/deliveries?after=<cursor>`) polled every 100 ms — the time to first sight there.
 *
 * Start instant: `recorded_at` of the LeadListed event (PostgreSQL `now()` of the appending
 * transaction, so the figure includes that commit). Also reported: from the batch's
 * LeadBatchVerified (the seller sees "verified"), and the split listed → allocated (engine) →
 * webhook (buyers app). All instants come from the same machine clock.
 */
import os from 'node:os';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { leadRowsToCsv } from '#lx/market-generator';
import { startExchange, type RunningExchange } from '#lx/testing';
import {
  cleanEyewearRows,
  confirmDeposit,
  openMarket,
  register,
  startWebhookReceiver,
  webhookSignatureValid,
} from '../tests/support/scenarios.js';
import {
  atMost,
  formatNumber,
  formatTable,
  machineInfo,
  now,
  passMiss,
  printJsonLine,
  round,
  sleep,
  summarize,
  waitFor,
  type Summary,
  processCpuSeconds,
} from './bench-support.js';

const LEADS = Number(process.env.LX_BENCH_LEADS ?? 200);
const BATCH = Number(process.env.LX_BENCH_BATCH ?? 5);
const INTERVAL_MS = Number(process.env.LX_BENCH_INTERVAL_MS ?? 500);
const POLL_MS = 100;
const PRICE = 60_000;

const log = (message: string) => process.stderr.write(`[delivery] ${message}\n`);

/** CPU time (user + system) of a process so far, ms, from /proc/<pid>/stat (clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  return (processCpuSeconds(pid) ?? Number.NaN) * 1000; // NaN: the process is gone
}

/** CPU time so far of each PostgreSQL backend serving the bench's database, by backend pid. */
async function backendsCpuMs(sql: pg.Client, database: string): Promise<Map<number, number>> {
  const { rows } = await sql.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [database],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    const ms = processCpuMs(pid);
    if (Number.isFinite(ms)) cpu.set(pid, ms);
  }
  return cpu;
}

/** CPU used between two samples of the backends (a backend that started in between counts from 0). */
function backendsCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/**
 * Who holds the xmin horizon now (subscriptions read only below it, and it is the whole server's):
 * the age of the oldest open transaction with a transaction id, and whether it is in this
 * benchmark's database or another one (on a shared server, someone else's test).
 */
const HORIZON_HOLDER_SQL = `SELECT datname = current_database() AS ours,
    extract(epoch FROM clock_timestamp() - xact_start) * 1000 AS age_ms
  FROM pg_stat_activity WHERE backend_xid IS NOT NULL
  ORDER BY age(backend_xid) DESC LIMIT 1`;

/** The hops of one webhook delivery, from the BullMQ job the buyers app queued (ms epoch). */
interface JobTimes {
  enqueuedAt: number;
  processedAt: number;
  finishedAt: number;
}

async function main(): Promise<void> {
  const started = now();
  const machine = machineInfo();
  const exchange: RunningExchange = await startExchange('bench_delivery', {
    LX_RATE_LIMIT_PER_MINUTE: '1000000',
    LX_LOG_LEVEL: 'warn',
  });
  const receiver = await startWebhookReceiver();
  const webhookAt = new Map<string, number>(); // leadId → ms epoch
  receiver.onDelivery = (delivery) => {
    const leadId = delivery.body?.allocation?.leadId;
    if (leadId && !webhookAt.has(leadId)) webhookAt.set(leadId, delivery.receivedAt);
  };
  let stopPolling = false;
  try {
    await openMarket(exchange, 'eyewear', { currency: 'RUB', commissionBps: 1500 });
    const seller = await register(exchange, 'seller', 'Landing Pages SL');
    const buyer = await register(exchange, 'buyer', 'Fast Callback Center');
    await confirmDeposit(exchange, buyer, LEADS * 2 * PRICE, 'bench-deposit');
    const webhook = await exchange.call('buyers', 'PUT', '/v1/webhook', {
      key: buyer.apiKey,
      body: { url: receiver.url },
    });
    const secret: string = webhook.body.secret;
    const placed = await exchange.call('buyers', 'POST', '/v1/orders', {
      key: buyer.apiKey,
      body: {
        vertical: 'eyewear',
        filters: { maxLeadAgeMinutes: 5 },
        bid: PRICE,
        modifiers: [],
        quantity: LEADS * 2,
        budget: LEADS * 2 * PRICE,
        exclusivity: 'any',
        delivery: 'webhook',
      },
    });
    if (placed.status !== 201) throw new Error(`order: ${placed.status} ${JSON.stringify(placed.body)}`);

    // The baseline: the same buyer's pull API, polled every 100 ms from the start.
    const pullAt = new Map<string, number>();
    const poller = (async () => {
      let cursor: string | null = null;
      while (!stopPolling) {
        const tick = Date.now();
        const page = await exchange.call(
          'buyers',
          'GET',
          `/v1/deliveries?limit=200${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`,
          { key: buyer.apiKey },
        );
        const seenAt = Date.now();
        if (page.status === 200) {
          for (const item of page.body.items) if (!pullAt.has(item.leadId)) pullAt.set(item.leadId, seenAt);
          cursor = page.body.nextCursor ?? cursor;
        }
        await sleep(Math.max(0, POLL_MS - (Date.now() - tick)));
      }
    })();

    // Fresh leads (captured within the last minute), all listable, in batches of BATCH rows.
    const rows = cleanEyewearRows('bench-delivery', LEADS, 1);
    log(`uploading ${LEADS} leads in batches of ${BATCH}, one batch every ${INTERVAL_MS} ms`);
    const monitor = new pg.Client({ connectionString: exchange.database.url });
    await monitor.connect();
    const databaseName = (await monitor.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db;
    const buyersPid = exchange.pid('buyers')!;
    const cpuBefore = {
      buyers: processCpuMs(buyersPid),
      backends: await backendsCpuMs(monitor, databaseName),
    };
    // Backends may end during the run (idle pools): sample them every second, keep each one's last figure.
    const backendsSeen = new Map(cpuBefore.backends);
    const sampler = setInterval(
      () =>
        void backendsCpuMs(monitor, databaseName)
          .then((cpu) => cpu.forEach((ms, pid) => backendsSeen.set(pid, ms)))
          .catch(() => undefined),
      1000,
    );
    // The horizon's holder every 50 ms, on a connection of its own.
    const horizonWatch = new pg.Client({ connectionString: exchange.database.url });
    await horizonWatch.connect();
    const horizonSamples: { ours: boolean; ageMs: number }[] = [];
    let watchingHorizon = true;
    const horizonSampling = (async () => {
      while (watchingHorizon) {
        const { rows } = await horizonWatch.query<{ ours: boolean; age_ms: number }>(HORIZON_HOLDER_SQL);
        horizonSamples.push(
          rows[0] ? { ours: rows[0].ours, ageMs: Number(rows[0].age_ms) } : { ours: true, ageMs: 0 },
        );
        await sleep(50);
      }
    })();
    const loadStart = os.loadavg()[0]!;
    const uploadStart = now();
    const uploads: Promise<void>[] = [];
    for (let offset = 0, i = 0; offset < LEADS; offset += BATCH, i++) {
      const at = uploadStart + i * INTERVAL_MS;
      await sleep(Math.max(0, at - now()));
      const csv = leadRowsToCsv(rows.slice(offset, offset + BATCH));
      uploads.push(
        fetch(`${exchange.url('sellers')}/v1/batches?vertical=eyewear&floor=${PRICE}&exclusivity=exclusive`, {
          method: 'POST',
          headers: { authorization: `Bearer ${seller.apiKey}`, 'content-type': 'text/csv' },
          body: csv,
        }).then(async (response) => {
          await response.text();
          if (response.status !== 202) throw new Error(`upload: HTTP ${response.status}`);
        }),
      );
    }
    await Promise.all(uploads);
    const delivered = await waitFor(() => webhookAt.size >= LEADS && pullAt.size >= LEADS, 180_000, 50);
    stopPolling = true;
    await poller;
    clearInterval(sampler);
    watchingHorizon = false;
    await horizonSampling;
    await horizonWatch.end();
    const heldLong = horizonSamples.filter((sample) => sample.ageMs > 100);
    const horizon = {
      samples: horizonSamples.length,
      heldOver100msShare: round(heldLong.length / Math.max(1, horizonSamples.length), 3),
      heldOver100msByOtherDatabasesShare: round(
        heldLong.filter((sample) => !sample.ours).length / Math.max(1, horizonSamples.length),
        3,
      ),
      holderAgeMs: summarize(horizonSamples.map((sample) => sample.ageMs)),
    };
    (await backendsCpuMs(monitor, databaseName)).forEach((ms, pid) => backendsSeen.set(pid, ms));
    const cpuUsed = {
      buyersMs: processCpuMs(buyersPid) - cpuBefore.buyers,
      backendsMs: backendsCpuBetween(cpuBefore.backends, backendsSeen),
    };
    await monitor.end();
    const loadEnd = os.loadavg()[0]!;
    const runSeconds = (now() - uploadStart) / 1000;

    // The buyers app's hops, from its BullMQ jobs (completed jobs are kept a day).
    const redis = new Redis(process.env.LX_REDIS_URL ?? 'redis://127.0.0.1:6379', {
      maxRetriesPerRequest: null,
    });
    const queue = new Queue('buyers-webhooks', { connection: redis, prefix: `${exchange.redisPrefix}:bull` });
    const jobTimes = new Map<string, JobTimes>(); // leadId → hops
    for (const job of await queue.getJobs(['completed'], 0, -1)) {
      const leadId = (job.data as { leadId?: string }).leadId;
      if (leadId && job.processedOn && job.finishedOn)
        jobTimes.set(leadId, {
          enqueuedAt: job.timestamp,
          processedAt: job.processedOn,
          finishedAt: job.finishedOn,
        });
    }
    await queue.close();
    redis.disconnect();
    if (!delivered) log(`timed out: webhook ${webhookAt.size}/${LEADS}, pull ${pullAt.size}/${LEADS}`);
    const badSignatures = receiver.received.filter((d) => !webhookSignatureValid(secret, d)).length;

    // The start instants, read from the log (reading the event store for verification only).
    const sql = new pg.Client({ connectionString: exchange.database.url });
    await sql.connect();
    const { rows: events } = await sql.query<{ event_type: string; key: string; batch: string; at: Date }>(
      `SELECT event_type, COALESCE(data->>'leadId', data->>'batchId') AS key, data->>'batchId' AS batch, recorded_at AS at
         FROM lx_events WHERE event_type IN ('LeadListed', 'LeadBatchVerified', 'LeadAllocated')`,
    );
    await sql.end();
    const listedAt = new Map<string, number>();
    const batchOf = new Map<string, string>();
    const verifiedAt = new Map<string, number>();
    const allocatedAt = new Map<string, number>();
    for (const event of events) {
      const at = event.at.getTime();
      if (event.event_type === 'LeadListed') {
        listedAt.set(event.key, at);
        batchOf.set(event.key, event.batch);
      } else if (event.event_type === 'LeadBatchVerified') verifiedAt.set(event.key, at);
      else allocatedAt.set(event.key, at);
    }

    const samples = { webhook: [] as number[], pull: [] as number[], fromVerified: [] as number[] };
    const split = { engine: [] as number[], delivery: [] as number[] };
    const hops = {
      dispatch: [] as number[],
      pickup: [] as number[],
      send: [] as number[],
      record: [] as number[],
    };
    let webhookFirst = 0;
    for (const [leadId, listed] of listedAt) {
      const hook = webhookAt.get(leadId);
      const pulled = pullAt.get(leadId);
      const allocated = allocatedAt.get(leadId);
      const verified = verifiedAt.get(batchOf.get(leadId)!);
      if (hook !== undefined) samples.webhook.push(hook - listed);
      if (pulled !== undefined) samples.pull.push(pulled - listed);
      if (hook !== undefined && verified !== undefined) samples.fromVerified.push(hook - verified);
      if (allocated !== undefined) split.engine.push(allocated - listed);
      if (allocated !== undefined && hook !== undefined) split.delivery.push(hook - allocated);
      if (hook !== undefined && pulled !== undefined && hook <= pulled) webhookFirst++;
      const job = jobTimes.get(leadId);
      if (job && allocated !== undefined && hook !== undefined) {
        hops.dispatch.push(job.enqueuedAt - allocated);
        hops.pickup.push(job.processedAt - job.enqueuedAt);
        hops.send.push(hook - job.processedAt);
        hops.record.push(job.finishedAt - hook);
      }
    }
    const stats = {
      webhook: summarize(samples.webhook),
      pull100ms: summarize(samples.pull),
      webhookFromBatchVerified: summarize(samples.fromVerified),
      listedToAllocated: summarize(split.engine),
      allocatedToWebhook: summarize(split.delivery),
      hopDispatch: summarize(hops.dispatch),
      hopPickup: summarize(hops.pickup),
      hopSend: summarize(hops.send),
      hopRecord: summarize(hops.record),
    };
    const row = (name: string, s: Summary) => [
      name,
      String(s.count),
      formatNumber(s.p50, 0),
      formatNumber(s.p90, 0),
      formatNumber(s.p99, 0),
      formatNumber(s.max, 0),
    ];
    process.stdout.write(
      `\nScenario 4 — lead listed → buyer's webhook (${LEADS} leads, batches of ${BATCH} every ${INTERVAL_MS} ms), ms\n\n` +
        formatTable(
          ['path', 'leads', 'p50', 'p90', 'p99', 'max'],
          [
            row('webhook (from LeadListed)', stats.webhook),
            row('baseline: pull API every 100 ms', stats.pull100ms),
            row('webhook (from LeadBatchVerified)', stats.webhookFromBatchVerified),
            row('  of which listed → allocated', stats.listedToAllocated),
            row('  of which allocated → webhook', stats.allocatedToWebhook),
            row('    allocated → job queued', stats.hopDispatch),
            row('    job queued → worker took it', stats.hopPickup),
            row('    worker took it → POST received', stats.hopSend),
            row('    (after: POST received → job done)', stats.hopRecord),
          ],
        ) +
        '\n',
    );
    const goal = atMost('webhook p99 ≤ 5 minutes (ms)', stats.webhook.p99, 300_000);
    const allocationGoal = atMost('allocated → webhook p99 ≤ 100 ms', stats.allocatedToWebhook.p99, 100);
    const aheadAt = (['p50', 'p90', 'p99', 'max'] as const).filter(
      (p) => stats.webhook[p] < stats.pull100ms[p],
    );
    const aheadGoal = {
      goal: 'webhook ahead of the 100 ms pull at p50, p90, p99 and max (from LeadListed)',
      actual: aheadAt.join(',') || 'none',
      target: 'p50,p90,p99,max',
      pass: aheadAt.length === 4 && stats.webhook.count === LEADS && stats.pull100ms.count === LEADS,
    };
    const ratioP50 = stats.pull100ms.p50 / stats.webhook.p50;
    const perLead = (ms: number) => (stats.webhook.count ? ms / stats.webhook.count : Number.NaN);
    const cpu = {
      buyersMsPerLead: round(perLead(cpuUsed.buyersMs), 2),
      buyersCoreShare: round(cpuUsed.buyersMs / 1000 / runSeconds, 3),
      postgresMsPerLead: round(perLead(cpuUsed.backendsMs), 2),
      note: 'buyers: the buyers app process; postgres: every backend of the bench database (all three apps), from the first upload to the last delivery',
    };
    const load = { start: round(loadStart, 2), end: round(loadEnd, 2) };
    process.stdout.write(
      `\nwebhook first on ${webhookFirst}/${listedAt.size} leads; pull/webhook p50 ratio ${round(ratioP50, 2)} ` +
        `(> 1: the webhook is faster); invalid signatures ${badSignatures}; ` +
        `goal ${goal.goal}: ${passMiss(goal.pass)}; goal ${allocationGoal.goal}: ${passMiss(allocationGoal.pass)}; ` +
        `goal ${aheadGoal.goal}: ${passMiss(aheadGoal.pass)}\n` +
        `CPU per delivered lead: buyers app ${cpu.buyersMsPerLead} ms (${round(cpu.buyersCoreShare * 100, 1)} % of a core), ` +
        `PostgreSQL backends ${cpu.postgresMsPerLead} ms; load average ${load.start} → ${load.end}\n` +
        `xmin horizon held > 100 ms in ${round(horizon.heldOver100msShare * 100, 1)} % of ${horizon.samples} samples ` +
        `(${round(horizon.heldOver100msByOtherDatabasesShare * 100, 1)} % by another database's transaction); ` +
        `holder's age p50 ${round(horizon.holderAgeMs.p50, 0)} / p90 ${round(horizon.holderAgeMs.p90, 0)} / max ${round(horizon.holderAgeMs.max, 0)} ms\n\n`,
    );
    const compact = (s: Summary) => ({
      count: s.count,
      p50: round(s.p50, 1),
      p90: round(s.p90, 1),
      p99: round(s.p99, 1),
      max: round(s.max, 1),
      mean: round(s.mean, 1),
    });
    printJsonLine({
      bench: 'delivery',
      startInstant: 'LeadListed recorded_at',
      webhookMs: compact(stats.webhook),
      baselinePull100msMs: compact(stats.pull100ms),
      webhookFromBatchVerifiedMs: compact(stats.webhookFromBatchVerified),
      split: {
        listedToAllocatedMs: compact(stats.listedToAllocated),
        allocatedToWebhookMs: compact(stats.allocatedToWebhook),
        hops: {
          allocatedToJobQueuedMs: compact(stats.hopDispatch),
          jobQueuedToWorkerMs: compact(stats.hopPickup),
          workerToReceivedMs: compact(stats.hopSend),
          receivedToJobDoneMs: compact(stats.hopRecord),
        },
      },
      ratioPullOverWebhookP50: round(ratioP50, 2),
      webhookFirst,
      leads: LEADS,
      delivered: { webhook: webhookAt.size, pull: pullAt.size },
      invalidSignatures: badSignatures,
      goals: {
        webhookP99Under5Min: goal,
        allocatedToWebhookP99: allocationGoal,
        webhookAheadOfPull: aheadGoal,
      },
      cpu,
      load,
      horizon: {
        samples: horizon.samples,
        heldOver100msShare: horizon.heldOver100msShare,
        heldOver100msByOtherDatabasesShare: horizon.heldOver100msByOtherDatabasesShare,
        holderAgeMs: compact(horizon.holderAgeMs),
      },
      config: { leads: LEADS, batchRows: BATCH, batchIntervalMs: INTERVAL_MS, pollMs: POLL_MS },
      machine,
      seconds: round((now() - started) / 1000, 1),
    });
  } finally {
    stopPolling = true;
    await receiver.close();
    await exchange.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
