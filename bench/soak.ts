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
 * (default 100). Prints a table and ends with one JSON line.
 */
import { Redis } from 'ioredis';
import { startExchange, type AppName, type RunningExchange } from '#lx/testing';
import { MarketLoad } from '../tests/support/market-load.js';
import { formatNumber, formatTable, machineInfo, printJsonLine, round, sleep } from './bench-support.js';

const MINUTES = Number(process.env.LX_SOAK_MINUTES ?? 10);
const LEADS_PER_SECOND = Number(process.env.LX_SOAK_LEADS_PER_SECOND ?? 100);
const SAMPLE_MS = 10_000;
const APPS: AppName[] = ['sellers', 'buyers', 'settlement'];
/** RSS may grow this much from the early to the late part of the run and still count as flat. */
const RSS_GROWTH_ALLOWED = 1.25;

const log = (message: string) => process.stderr.write(`[soak] ${message}\n`);

interface Sample {
  atSeconds: number;
  rssMb: Record<AppName, number>;
  /** The largest lag (events) of any subscription or projection of the app. */
  maxLag: Record<AppName, number>;
  /** Which subscription or projection that was. */
  mostBehind: Record<AppName, string>;
  deadLetters: Record<string, number>;
  acknowledged: number;
}

async function metricsOf(
  exchange: RunningExchange,
  app: AppName,
): Promise<{ rssMb: number; maxLag: number; mostBehind: string }> {
  const text = await fetch(`${exchange.url(app)}/metrics`).then((response) => response.text());
  let rssMb = 0;
  let maxLag = 0;
  let mostBehind = '';
  for (const line of text.split('\n')) {
    const value = Number(line.split(' ').at(-1));
    if (line.startsWith('process_resident_memory_bytes ')) rssMb = value / 1_048_576;
    if (line.startsWith('lx_subscription_lag_events{') && value > maxLag) {
      maxLag = value;
      mostBehind = /name="([^"]*)"/.exec(line)?.[1] ?? '';
    }
  }
  return { rssMb, maxLag, mostBehind };
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

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);

async function main(): Promise<void> {
  const machine = machineInfo();
  const exchange = await startExchange('soak', {
    LX_RATE_LIMIT_PER_MINUTE: '1000000',
    // Windows close during the run, so settlement's delayed jobs and the ledger work too.
    LX_RETURN_WINDOW_MS: '60000',
    LX_LOG_LEVEL: 'error',
  });
  const redis = new Redis('redis://127.0.0.1:6379');
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
    while (Date.now() - started < MINUTES * 60_000) {
      await sleep(SAMPLE_MS);
      const sample: Sample = {
        atSeconds: Math.round((Date.now() - started) / 1000),
        rssMb: {} as Record<AppName, number>,
        maxLag: {} as Record<AppName, number>,
        mostBehind: {} as Record<AppName, string>,
        deadLetters: await deadLetters(redis, exchange.redisPrefix),
        acknowledged: load.acknowledged.length,
      };
      for (const app of APPS) {
        const { rssMb, maxLag, mostBehind } = await metricsOf(exchange, app);
        sample.rssMb[app] = round(rssMb, 1);
        sample.maxLag[app] = maxLag;
        sample.mostBehind[app] = mostBehind;
      }
      samples.push(sample);
      log(
        `${sample.atSeconds} s: RSS ${JSON.stringify(sample.rssMb)} MB, lag ${JSON.stringify(sample.maxLag)} ${JSON.stringify(sample.mostBehind)}, acknowledged ${sample.acknowledged}`,
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
      const lagEarly = Math.max(...early.map((s) => s.maxLag[app]));
      const lagLate = Math.max(...late.map((s) => s.maxLag[app]));
      return {
        app,
        rssEarly: round(rssEarly, 1),
        rssLate: round(rssLate, 1),
        rssMax: Math.max(...samples.map((s) => s.rssMb[app])),
        lagEarly,
        lagLate,
        lagMax: Math.max(...samples.map((s) => s.maxLag[app])),
        rssFlat: rssLate <= rssEarly * RSS_GROWTH_ALLOWED,
        // Flat: the lag at the end is no worse than early on, or small (a second of load).
        lagFlat: lagLate <= Math.max(lagEarly, LEADS_PER_SECOND),
      };
    });
    const finalDeadLetters = samples.at(-1)?.deadLetters ?? {};
    process.stdout.write(
      `\nSoak: ${MINUTES} min, ${LEADS_PER_SECOND} leads/s listed (${verdict.leadsListed} listed, ${verdict.allocations} sold), ` +
        `${verdict.total.acknowledged} writes acknowledged, ${verdict.total.lost} lost, ${verdict.total.doubled} doubled\n\n` +
        formatTable(
          ['app', 'RSS MB early', 'RSS MB late', 'RSS MB max', 'lag early', 'lag late', 'lag max', 'flat'],
          rows.map((row) => [
            row.app,
            formatNumber(row.rssEarly, 1),
            formatNumber(row.rssLate, 1),
            formatNumber(row.rssMax, 1),
            String(row.lagEarly),
            String(row.lagLate),
            String(row.lagMax),
            row.rssFlat && row.lagFlat
              ? 'yes'
              : `no (${row.rssFlat ? '' : 'RSS '}${row.lagFlat ? '' : 'lag'})`,
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
      rows.every((row) => row.rssFlat && row.lagFlat);
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
      samples,
      pass,
    });
    if (!pass) process.exitCode = 1;
  } finally {
    await load.close();
    redis.disconnect();
    await exchange.stop();
  }
}

await main();
