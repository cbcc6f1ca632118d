import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flushRedisPrefix, startConsole, startExchange, type RunningExchange } from '#lx/testing';
import { createDemoDatabase, type DemoDatabase } from './demo/demo-database.js';
import { DemoClient, DemoError } from './demo/exchange-client.js';
import { playMarket } from './demo/market.js';
import { heading, line } from './demo/print.js';

/**
 * `npm run demo`: a whole market, played over HTTP against the three built apps, from an empty
 * store to the auditor's proof, then the console on that market with each participant's key.
 * Options: --clean drops the database at the end; --window-seconds <n> sets the return window
 * (default 30); --exit stops at once instead of serving the console until Ctrl-C (the default
 * on a terminal; elsewhere the demo always exits).
 */
const args = process.argv.slice(2);
const clean = args.includes('--clean');
const serveConsole = !args.includes('--exit') && process.stdout.isTTY === true;
const windowArg = args.indexOf('--window-seconds');
const windowSeconds = windowArg >= 0 ? Number(args[windowArg + 1]) : 30;
if (!Number.isInteger(windowSeconds) || windowSeconds < 5) {
  console.error('--window-seconds must be a whole number of seconds, at least 5');
  process.exit(64);
}

async function main(): Promise<number> {
  const run = randomBytes(4).toString('hex');
  const redisPrefix = `lxdemo:${run}`;
  const outputDir = join(tmpdir(), `lead-exchange-demo-${run}`);
  mkdirSync(outputDir, { recursive: true });

  console.log('Lead Exchange — the demo market');
  console.log(
    'A Russian and a Spanish seller, an eyewear retailer, a newsletter builder and an auditor trade',
  );
  console.log('on the eyewear market, over the public HTTP APIs of the three apps. Amounts in roubles.');

  heading('Starting from an empty store');
  let database: DemoDatabase | undefined;
  let exchange: RunningExchange | undefined;
  let failed = false;
  try {
    database = await createDemoDatabase(run);
    line(`database ${database.name} created (PostgreSQL event store, read models beside it)`);
    exchange = await startExchange(
      'demo',
      {
        LX_RETURN_WINDOW_MS: String(windowSeconds * 1000),
        LX_REDIS_PREFIX: redisPrefix,
        LX_LOG_LEVEL: 'warn',
      },
      database,
    );
    line(
      `sellers ${exchange.url('sellers')}, buyers ${exchange.url('buyers')}, settlement ${exchange.url('settlement')}`,
    );
    line(`return window shortened to ${windowSeconds} s (LX_RETURN_WINDOW_MS) so settlement happens now`);

    const client = new DemoClient(exchange);
    const participants = await playMarket(client, { outputDir, windowSeconds });

    heading('The console');
    const consoleApp = await startConsole(exchange);
    line(`${consoleApp.url}  — sign in with one of these keys:`);
    for (const actor of participants) line(`  ${actor.role.padEnd(8)} ${actor.name.padEnd(30)} ${actor.key}`);
    line(`  operator ${'(bootstrap key)'.padEnd(30)} ${exchange.operatorKey}`);
    if (serveConsole) {
      line('Serving the console on this market; Ctrl-C stops it (and the apps).');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    } else line('(run the demo in a terminal, without --exit, to keep the console serving this market)');
    await consoleApp.stop();
  } catch (error) {
    failed = true;
    console.error(`\nDEMO FAILED: ${error instanceof Error ? error.message : String(error)}`);
    if (String(error).includes('ECONNREFUSED'))
      console.error(
        'Is PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379? (docker compose up -d postgres redis)',
      );
    else if (!(error instanceof DemoError) && error instanceof Error && error.stack)
      console.error(error.stack);
    if (exchange)
      for (const app of ['sellers', 'buyers', 'settlement'] as const) {
        const logs = exchange.logs(app).trim();
        if (logs) console.error(`\n--- last lines of the ${app} app ---\n${logs.slice(-2500)}`);
      }
  } finally {
    if (exchange) await exchange.stopApps();
    // Queue state is the apps' working memory, not the market: it goes with them either way.
    await flushRedisPrefix(redisPrefix, process.env.LX_REDIS_URL).catch(() => undefined);
    if (database) {
      if (clean) {
        await database.drop();
        console.log(`\nApps stopped; database ${database.name} dropped (--clean).`);
      } else {
        console.log(
          `\nApps stopped. The market is kept in database ${database.name}; explore it with the audit CLI:`,
        );
        console.log(`  export LX_DATABASE_URL=${database.url}`);
        console.log('  npm run audit -- verify');
        console.log(
          '  npm run audit -- timeline allocation <allocationId>     (lead|order|participant|batch|payout too)',
        );
        console.log('  npm run audit -- report <allocationId> --format html --out report.html');
        console.log('  npm run audit -- replay');
        console.log(
          `Drop it with: psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE ${database.name} WITH (FORCE)' -c 'DROP DATABASE ${database.name}_vault WITH (FORCE)'`,
        );
      }
    }
    console.log(`Files written by the demo: ${outputDir}`);
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
