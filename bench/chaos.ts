/**
 * `npm run chaos` — the faults of issue 18 against a real exchange (the three built apps as
 * processes, libs/testing startExchange) under a mixed market (tests/support/market-load: uploads,
 * orders, returns, the engine trading, webhooks). Each fault gets a fresh exchange; the load runs
 * before, during and after it; then the log is read and every acknowledged write counted: lost
 * (acknowledged, not in the log) and doubled (in the log more than once, or written again by a
 * retry). Time to recover: from the end of each fault to the next acknowledged write.
 *
 *  - postgres-restart: the machine's PostgreSQL is shared, so it is not restarted. What a restart
 *    does to clients is done to the exchange's own database instead: every backend terminated,
 *    new connections refused (ALLOW_CONNECTIONS false) for LX_CHAOS_REFUSE_MS, backends that got in
 *    terminated again, then connections allowed; several times during the load.
 *  - redis-flush: Redis keeps nothing on disk; a flush or a restart loses every key. The Redis is
 *    shared, so only the exchange's own prefix is deleted (SCAN MATCH prefix* + DEL), twice.
 *
 * Prints a table and ends with one JSON line. Environment: LX_CHAOS_SECONDS (load per fault,
 * default 30), LX_CHAOS_LEADS_PER_SECOND (default 20), LX_CHAOS_REFUSE_MS (default 2000).
 */
import { flushRedisPrefix, interruptDatabase, startExchange, type RunningExchange } from '#lx/testing';
import { MarketLoad, type LoadVerdict } from '../tests/support/market-load.js';
import { formatNumber, formatTable, machineInfo, printJsonLine, sleep } from './bench-support.js';

const SECONDS = Number(process.env.LX_CHAOS_SECONDS ?? 30);
const LEADS_PER_SECOND = Number(process.env.LX_CHAOS_LEADS_PER_SECOND ?? 20);
const REFUSE_MS = Number(process.env.LX_CHAOS_REFUSE_MS ?? 2_000);

const log = (message: string) => process.stderr.write(`[chaos] ${message}\n`);

interface Fault {
  name: string;
  description: string;
  /** Strikes once; resolves when the fault is over. */
  strike(exchange: RunningExchange): Promise<string>;
  strikes: number;
}

const faults: Fault[] = [
  {
    name: 'postgres-restart',
    description: `all backends of the exchange's database terminated, connections refused ${REFUSE_MS} ms (3 rounds)`,
    strikes: 3,
    strike: async (exchange) => {
      const { terminated, refusedMs } = await interruptDatabase(exchange.database, {
        refuseForMs: REFUSE_MS,
        rounds: 3,
      });
      return `${terminated} backends terminated, refused ${refusedMs} ms`;
    },
  },
  {
    name: 'redis-flush',
    description: "every key of the exchange's Redis prefix deleted",
    strikes: 2,
    strike: async (exchange) => `${await flushRedisPrefix(`${exchange.redisPrefix}:`)} keys deleted`,
  },
];

interface FaultResult {
  fault: string;
  acknowledged: number;
  lost: number;
  doubled: number;
  unacknowledged: number;
  retries: number;
  /** Status → failed attempts answered with it (503 while the database is away; network errors are not counted). */
  failedStatuses: Record<string, number>;
  recoverMs: number[];
  subscriptionRestarts: number;
  verdict: LoadVerdict;
}

async function subscriptionRestarts(exchange: RunningExchange): Promise<number> {
  let total = 0;
  for (const app of ['sellers', 'buyers', 'settlement'] as const) {
    const metrics = await fetch(`${exchange.url(app)}/metrics`).then((response) => response.text());
    for (const line of metrics.split('\n'))
      if (line.startsWith('lx_subscription_restarts{')) total += Number(line.split(' ').at(-1));
  }
  return total;
}

async function runFault(fault: Fault): Promise<FaultResult> {
  const exchange = await startExchange(`chaos_${fault.name.replace(/-/g, '_')}`, {
    LX_RATE_LIMIT_PER_MINUTE: '1000000',
    LX_RETURN_WINDOW_MS: '10000',
    LX_SCHEDULE_RECONCILE_SECONDS: '2',
    LX_LOG_LEVEL: 'error',
  });
  const load = await MarketLoad.prepare(exchange, {
    leadsPerSecond: LEADS_PER_SECOND,
    batchRows: 10,
    orderEveryMs: 1_000,
    orderQuantity: 10,
    returnEveryMs: 2_000,
    log,
  });
  try {
    log(`${fault.name}: load for ${SECONDS} s, ${fault.strikes} strikes`);
    load.start();
    const recoverMs: number[] = [];
    const gap = (SECONDS * 1000) / (fault.strikes + 1);
    for (let strike = 0; strike < fault.strikes; strike++) {
      await sleep(gap);
      log(`${fault.name} #${strike + 1}: ${await fault.strike(exchange)}`);
      const ended = Date.now();
      const deadline = ended + 60_000;
      while (load.firstAcknowledgedAfter(ended) === null && Date.now() < deadline) await sleep(50);
      const first = load.firstAcknowledgedAfter(ended);
      if (first === null)
        for (const app of ['sellers', 'buyers', 'settlement'] as const)
          log(`no write acknowledged 60 s after the fault; ${app} says:\n${exchange.logs(app).slice(-4000)}`);
      recoverMs.push(first === null ? Number.POSITIVE_INFINITY : first - ended);
    }
    await sleep(gap);
    await load.stop();
    // An app that died (an unhandled error) would show here: its last words are in its output.
    for (const app of ['sellers', 'buyers', 'settlement'] as const) {
      const output = exchange.logs(app);
      const died = output.indexOf('Node.js v');
      if (died >= 0) log(`${app} DIED:\n${output.slice(Math.max(0, died - 6000), died)}`);
    }
    log(`${fault.name}: load stopped; settling and reading the log`);
    const verdict = await load.verify({ settleTimeoutMs: 120_000 });
    return {
      fault: fault.name,
      ...verdict.total,
      retries: load.retries,
      failedStatuses: Object.fromEntries(load.failedStatuses),
      recoverMs,
      subscriptionRestarts: await subscriptionRestarts(exchange),
      verdict,
    };
  } catch (error) {
    log(`${fault.name} failed: ${String(error)}\n${exchange.logs('settlement').slice(-3000)}`);
    throw error;
  } finally {
    await load.close();
    await exchange.stop();
  }
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const results: FaultResult[] = [];
  for (const fault of faults) results.push(await runFault(fault));
  const ms = (values: number[]) => values.map((value) => formatNumber(value)).join(' / ');
  process.stdout.write(
    `\nFaults under a mixed market (${LEADS_PER_SECOND} leads/s listed, an order a second, a return every 2 s, ${SECONDS} s each)\n\n` +
      formatTable(
        [
          'fault',
          'writes acknowledged',
          'lost',
          'doubled',
          'never acknowledged',
          'retries (statuses)',
          'time to recover, ms (each strike)',
          'subscription restarts',
          'webhooks missing',
        ],
        results.map((result) => [
          result.fault,
          String(result.acknowledged),
          String(result.lost),
          String(result.doubled),
          String(result.unacknowledged),
          `${result.retries} (${
            Object.entries(result.failedStatuses)
              .map(([status, n]) => `${status}: ${n}`)
              .join(', ') || '-'
          })`,
          ms(result.recoverMs),
          String(result.subscriptionRestarts),
          `${result.verdict.webhooksMissing} of ${result.verdict.webhooksMissing + result.verdict.webhooksDelivered}`,
        ]),
      ) +
      '\n\n' +
      faults.map((fault) => `${fault.name}: ${fault.description}`).join('\n') +
      '\n',
  );
  const pass = results.every(
    (result) => result.lost === 0 && result.doubled === 0 && !result.failedStatuses['500'],
  );
  printJsonLine({
    benchmark: 'chaos',
    machine,
    seconds: SECONDS,
    leadsPerSecond: LEADS_PER_SECOND,
    faults: results.map(({ verdict, ...result }) => ({
      ...result,
      byKind: verdict.byKind,
      leadsListed: verdict.leadsListed,
      allocations: verdict.allocations,
      leadsSoldTwice: verdict.leadsSoldTwice,
      purchasesInReadModel: verdict.purchasesInReadModel,
      webhooksMissing: verdict.webhooksMissing,
      webhooksDelivered: verdict.webhooksDelivered,
    })),
    pass,
  });
  if (!pass) process.exitCode = 1;
}

await main();
