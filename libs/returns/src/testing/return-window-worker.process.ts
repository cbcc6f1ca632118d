import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { eventCatalogue } from '#lx/contracts';
import { AggregateRepository } from '#lx/event-sourcing';
import { PostgresEventStore } from '#lx/event-store';
import { ReturnWindow } from '../application/return-window.js';
import { SettlementFinalizer } from '../application/settlement-finalizer.js';
import { ReturnFactsQueries } from '../infrastructure/return-facts.queries.js';
import { startReturnWindowWorker } from '../infrastructure/return-window.queue.js';

/*
 * A return-window worker as its own process, for the test that kills one mid-job. Env:
 * DATABASE_URL, REDIS_PREFIX, WINDOW_MS, PAUSE_BEFORE_FINALIZE_MS (the moment to be killed in).
 */
const env = process.env as Record<string, string>;
const store = await PostgresEventStore.connect({
  connectionString: env.DATABASE_URL!,
  registry: eventCatalogue,
});
const dataSource = new DataSource({
  type: 'postgres',
  url: env.DATABASE_URL,
  extra: { options: '-c search_path=rm_return_facts,public' },
});
await dataSource.initialize();
const pause = Number(env.PAUSE_BEFORE_FINALIZE_MS ?? 0);
const options = {
  defaultDedupeWindowDays: 30,
  returnCapWindowDays: 30,
  returnWindowMsOverride: Number(env.WINDOW_MS),
};
const window = new ReturnWindow(
  new AggregateRepository(store),
  new ReturnFactsQueries(dataSource, options),
  new SettlementFinalizer(store),
  options,
  async () => {
    process.stdout.write('finalizing\n');
    await sleep(pause);
  },
);
startReturnWindowWorker({
  redisUrl: 'redis://127.0.0.1:6379',
  prefix: env.REDIS_PREFIX!,
  window,
  lockDurationMs: 1_000,
});
process.stdout.write('ready\n');
