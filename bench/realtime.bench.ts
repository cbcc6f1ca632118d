/**
 * `npm run bench:realtime` — issue 16's real-time selling: sellers post single leads at a steady
 * 100 leads/s (LX_BENCH_RATE) for 30 s (LX_BENCH_SECONDS) against 1 000 open orders (LX_BENCH_ORDERS);
 * every other lead is pinged first (POST /v1/pings) and then posted with its ping id. Measured at the
 * client: the time to the answer of each post (`POST /v1/leads`, outcome in the response) and of
 * each ping. CPU time per lead: the three apps' process CPU (processCpuSeconds) over the run,
 * divided by the leads posted. The load average over the run is reported (the machine is shared).
 *
 * Where a post's time goes, from the log (`recorded_at` of the events, the same machine clock):
 * request → LeadListed committed (the sellers app: verification, vault, dedupe, append), LeadListed
 * → LeadPostOutcome committed (the engine's wake-up, fold and append), LeadPostOutcome → answer
 * (the sellers app's wake-up on its subscription and the response).
 *
 * Baseline, in the same run: the same number of leads as a batch upload (NDJSON), from the
 * upload's request to each lead's LeadAllocated — what a seller waited for before this issue.
 *
 * Goals: post p99 ≤ 150 ms, ping p99 ≤ 50 ms. The last line is one JSON object with the figures.
 */
import os from 'node:os';
import pg from 'pg';
import { postedLeadId } from '#lx/leads';
import { generateLeadRows, pingFieldsOf, type LeadRow } from '#lx/market-generator';
import { startExchange, type RunningExchange } from '#lx/testing';
import { confirmDeposit, openMarket, register, type Registered } from '../tests/support/scenarios.js';
import {
  atMost,
  formatNumber,
  formatTable,
  machineInfo,
  now,
  passMiss,
  percentile,
  printJsonLine,
  processCpuSeconds,
  round,
  runAtSteadyRate,
  sleep,
  summarize,
  type Summary,
} from './bench-support.js';

const RATE = Number(process.env.LX_BENCH_RATE ?? 100);
const SECONDS = Number(process.env.LX_BENCH_SECONDS ?? 30);
const ORDERS = Number(process.env.LX_BENCH_ORDERS ?? 1000);
const BASELINE_LEADS = Number(process.env.LX_BENCH_BASELINE_LEADS ?? 500);
const BUYERS = 100;
const FLOOR = 30_000;
const log = (message: string) => process.stderr.write(`[realtime] ${message}\n`);

interface Figures extends Summary {
  p95: number;
}
function figures(samples: readonly number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  return { ...summarize(sorted), p95: percentile(sorted, 95) };
}
const rounded = (f: Figures) => ({
  count: f.count,
  p50: round(f.p50, 1),
  p95: round(f.p95, 1),
  p99: round(f.p99, 1),
  max: round(f.max, 1),
});

/** 1 000 open orders from 100 buyers: bids between 30 000 and 80 000, a tenth with an age filter. */
async function placeOrders(exchange: RunningExchange, buyers: Registered[]): Promise<void> {
  let next = 0;
  const place = async () => {
    for (let i = next++; i < ORDERS; i = next++) {
      const bid = 30_000 + ((i * 7919) % 50) * 1000;
      const response = await exchange.call('buyers', 'POST', '/v1/orders', {
        key: buyers[i % buyers.length]!.apiKey,
        body: {
          vertical: 'eyewear',
          filters: i % 10 === 0 ? { ageMin: 30 + (i % 20) } : {},
          bid,
          modifiers: [],
          quantity: 50,
          budget: 50 * bid,
          exclusivity: 'any',
          delivery: 'pull',
        },
      });
      if (response.status !== 201)
        throw new Error(`order ${i}: ${response.status} ${JSON.stringify(response.body)}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, place));
}

function cpuOf(exchange: RunningExchange): Record<string, number> {
  const cpu: Record<string, number> = {};
  for (const app of ['sellers', 'buyers', 'settlement'] as const)
    cpu[app] = processCpuSeconds(exchange.pid(app) ?? -1) ?? Number.NaN;
  return cpu;
}

async function main(): Promise<void> {
  const started = now();
  const machine = machineInfo();
  const exchange = await startExchange('bench_realtime', {
    LX_RATE_LIMIT_PER_MINUTE: '10000000',
    LX_LOG_LEVEL: 'warn',
  });
  try {
    await openMarket(exchange, 'eyewear', { currency: 'RUB', commissionBps: 1500 });
    const seller = await register(exchange, 'seller', 'Landing Pages SL');
    const batchSeller = await register(exchange, 'seller', 'Batch Uploads SL');
    const buyers: Registered[] = [];
    for (let b = 0; b < BUYERS; b++) {
      const buyer = await register(exchange, 'buyer', `Buyer ${b}`);
      await confirmDeposit(exchange, buyer, 50 * 80_000 * Math.ceil(ORDERS / BUYERS), `bench-${b}`);
      buyers.push(buyer);
    }
    log(`placing ${ORDERS} orders`);
    await placeOrders(exchange, buyers);

    const total = RATE * SECONDS;
    const rows: LeadRow[] = generateLeadRows({
      seed: 'bench-realtime',
      count: total + BASELINE_LEADS,
      vertical: 'eyewear',
      country: 'RU',
      capturedAround: new Date(),
      captureWindowMinutes: 60,
      duplicateShare: 0,
    }).rows;
    const terms = { vertical: 'eyewear', floor: FLOOR, exclusivity: 'exclusive' };
    const call = (path: string, body: unknown) =>
      exchange.call('sellers', 'POST', path, { key: seller.apiKey, body });

    // Warm-up: a few posts and pings, so that the first requests do not pay for connections and JIT.
    for (let i = 0; i < 20; i++) {
      const row = { ...rows[i]!, external_id: `warm-${i}` };
      await call('/v1/pings', { ...terms, lead: pingFieldsOf(row) });
      await call('/v1/leads', { ...terms, externalId: row.external_id, lead: row });
    }

    log(`posting ${total} leads at ${RATE}/s, every other one pinged first`);
    const postMs: number[] = [];
    const pingMs: number[] = [];
    const outcomes: Record<string, number> = {};
    const pings: Record<string, number> = {};
    const sentAt = new Map<string, number>(); // externalId → ms epoch of the post request
    const answeredAt = new Map<string, number>();
    const cpuBefore = cpuOf(exchange);
    const loadStart = os.loadavg()[0]!;
    const runStart = now();
    const { failed } = await runAtSteadyRate({
      ratePerSecond: RATE,
      durationMs: SECONDS * 1000,
      fire: async (i) => {
        const row = rows[20 + i]!;
        let pingId: string | undefined;
        if (i % 2 === 0) {
          const t0 = now();
          const pinged = await call('/v1/pings', { ...terms, lead: pingFieldsOf(row) });
          pingMs.push(now() - t0);
          const status = pinged.status === 200 ? String(pinged.body.status) : `http_${pinged.status}`;
          pings[status] = (pings[status] ?? 0) + 1;
          if (pinged.body?.status === 'bid') pingId = pinged.body.pingId as string;
        }
        sentAt.set(row.external_id, Date.now());
        const t0 = now();
        const posted = await call('/v1/leads', {
          ...terms,
          externalId: row.external_id,
          lead: row,
          ...(pingId ? { pingId } : {}),
        });
        postMs.push(now() - t0);
        answeredAt.set(row.external_id, Date.now());
        const status = posted.status < 300 ? String(posted.body.status) : `http_${posted.status}`;
        outcomes[status] = (outcomes[status] ?? 0) + 1;
        if (posted.body?.ping?.refusal) {
          const key = `ping_${posted.body.ping.refusal as string}`;
          outcomes[key] = (outcomes[key] ?? 0) + 1;
        }
      },
    });
    const runSeconds = (now() - runStart) / 1000;
    const loadEnd = os.loadavg()[0]!;
    const cpuAfter = cpuOf(exchange);
    const cpuSeconds = Object.fromEntries(
      Object.keys(cpuBefore).map((app) => [app, round(cpuAfter[app]! - cpuBefore[app]!, 2)]),
    );
    const appsCpu = Object.values(cpuSeconds).reduce((sum, s) => sum + s, 0);

    // Where a post's time goes, from the log's commit times.
    const sql = new pg.Client({ connectionString: exchange.database.url });
    await sql.connect();
    const { rows: events } = await sql.query<{
      event_type: string;
      lead: string;
      at: Date;
      ext: string | null;
    }>(
      `SELECT event_type, data->>'leadId' AS lead, recorded_at AS at, NULL AS ext
         FROM lx_events WHERE event_type IN ('LeadListed', 'LeadPostOutcome') AND data ? 'leadId'`,
    );
    const listed = new Map<string, number>();
    const outcome = new Map<string, number>();
    for (const e of events) (e.event_type === 'LeadListed' ? listed : outcome).set(e.lead, e.at.getTime());

    // The baseline: the same kind of leads as one batch; upload request → each LeadAllocated.
    log(`baseline: ${BASELINE_LEADS} leads as a batch upload`);
    const batchRows = rows.slice(20 + total, 20 + total + BASELINE_LEADS);
    const uploadAt = Date.now();
    const uploaded = await fetch(
      `${exchange.url('sellers')}/v1/batches?vertical=eyewear&floor=${FLOOR}&exclusivity=exclusive`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${batchSeller.apiKey}`, 'content-type': 'application/x-ndjson' },
        body: batchRows.map((row) => JSON.stringify(row)).join('\n'),
      },
    );
    const { batchId } = (await uploaded.json()) as { batchId: string };
    const allocatedOfBatch = async () =>
      (
        await sql.query<{ at: Date }>(
          `SELECT a.recorded_at AS at FROM lx_events a JOIN lx_events l
             ON l.event_type = 'LeadListed' AND l.data->>'leadId' = a.data->>'leadId'
            WHERE a.event_type = 'LeadAllocated' AND l.data->>'batchId' = $1`,
          [batchId],
        )
      ).rows;
    let batchAllocated: { at: Date }[] = [];
    const expected = Math.round(BASELINE_LEADS * 0.9);
    for (let tries = 0; tries < 120; tries++) {
      batchAllocated = await allocatedOfBatch();
      if (batchAllocated.length >= expected) break;
      await sleep(500);
    }
    await sleep(1000);
    batchAllocated = await allocatedOfBatch();
    await sql.end();

    const split = { sellers: [] as number[], engine: [] as number[], answer: [] as number[] };
    for (const [externalId, sent] of sentAt) {
      const leadId = postedLeadId(seller.participantId, externalId);
      const l = listed.get(leadId);
      const o = outcome.get(leadId);
      const a = answeredAt.get(externalId);
      if (l === undefined || o === undefined || a === undefined) continue;
      split.sellers.push(l - sent);
      split.engine.push(o - l);
      split.answer.push(a - o);
    }
    const stats = {
      post: figures(postMs),
      ping: figures(pingMs),
      requestToListed: figures(split.sellers),
      listedToOutcome: figures(split.engine),
      outcomeToAnswer: figures(split.answer),
      baselineUploadToAllocated: figures(batchAllocated.map((r) => r.at.getTime() - uploadAt)),
    };
    const postGoal = atMost('post p99 ≤ 150 ms', round(stats.post.p99, 1), 150);
    const pingGoal = atMost('ping p99 ≤ 50 ms', round(stats.ping.p99, 1), 50);
    const row = (name: string, s: Figures) => [
      name,
      String(s.count),
      formatNumber(s.p50, 1),
      formatNumber(s.p95, 1),
      formatNumber(s.p99, 1),
      formatNumber(s.max, 1),
    ];
    process.stdout.write(
      `\nReal-time selling: ${total} leads posted at ${RATE}/s (${round(runSeconds, 1)} s) against ${ORDERS} orders, every other pinged first; ms\n\n` +
        formatTable(
          ['measure', 'count', 'p50', 'p95', 'p99', 'max'],
          [
            row('post → answer (client)', stats.post),
            row('ping → answer (client)', stats.ping),
            row('  request → LeadListed committed', stats.requestToListed),
            row('  LeadListed → LeadPostOutcome committed', stats.listedToOutcome),
            row('  LeadPostOutcome → answer received', stats.outcomeToAnswer),
            row('baseline: batch upload → LeadAllocated', stats.baselineUploadToAllocated),
          ],
        ) +
        `\n\noutcomes ${JSON.stringify(outcomes)}; pings ${JSON.stringify(pings)}; failed requests ${failed}\n` +
        `CPU s over the run ${JSON.stringify(cpuSeconds)}: ${formatNumber((appsCpu * 1000) / Math.max(1, postMs.length), 2)} ms of app CPU per lead (its ping included for half)\n` +
        `load average (1 min) ${loadStart.toFixed(2)} → ${loadEnd.toFixed(2)} on ${os.cpus().length} CPUs\n` +
        `goal ${postGoal.goal}: ${passMiss(postGoal.pass)} (${postGoal.actual}); goal ${pingGoal.goal}: ${passMiss(pingGoal.pass)} (${pingGoal.actual})\n`,
    );
    printJsonLine({
      bench: 'realtime',
      rate: RATE,
      seconds: SECONDS,
      orders: ORDERS,
      leadsPosted: postMs.length,
      pingsSent: pingMs.length,
      failedRequests: failed,
      post: rounded(stats.post),
      ping: rounded(stats.ping),
      postSplit: {
        requestToListed: rounded(stats.requestToListed),
        listedToOutcome: rounded(stats.listedToOutcome),
        outcomeToAnswer: rounded(stats.outcomeToAnswer),
      },
      baselineBatchUploadToAllocated: rounded(stats.baselineUploadToAllocated),
      outcomes,
      pings,
      cpuSecondsByApp: cpuSeconds,
      appCpuMsPerLead: round((appsCpu * 1000) / Math.max(1, postMs.length), 2),
      loadAverage: { start: round(loadStart, 2), end: round(loadEnd, 2), cpus: os.cpus().length },
      goals: { postP99: postGoal, pingP99: pingGoal },
      machine,
      wallSeconds: round((now() - started) / 1000, 1),
    });
  } finally {
    await exchange.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
