import 'reflect-metadata';
import { ensureDatabase, loadConfig } from '#lx/config';
import { eventCatalogue } from '#lx/contracts';
import { connectEventStore, createPostgresPool } from '#lx/event-store';
import { createLeadsRuntime } from '#lx/leads';

/**
 * The verification worker as a process of its own (scale it on Redis beside the sellers app,
 * which then runs with LX_SELLERS_VERIFICATION_WORKER=false).
 */
const config = loadConfig();
await ensureDatabase(config.LX_DATABASE_URL);
const log = (message: string, error?: unknown) =>
  console.error(
    JSON.stringify({ level: 'error', name: 'verification-worker', message, error: String(error ?? '') }),
  );
// The process's one pool: the event store's 10 connections and the sellers' write side's 10, as
// each had of its own before they shared it.
const pool = createPostgresPool({
  connectionString: config.LX_DATABASE_URL,
  max: 20,
  purpose: 'verification-worker',
  log,
});
const store = await connectEventStore({
  kind: config.LX_EVENT_STORE,
  postgresUrl: config.LX_DATABASE_URL,
  eventStoreDbUrl: config.LX_EVENTSTOREDB_URL,
  registry: eventCatalogue,
  postgresPool: pool,
});
const runtime = await createLeadsRuntime(config, store, pool, log);
const worker = await runtime.startWorker();
console.log(
  JSON.stringify({ level: 'info', name: 'verification-worker', message: 'started', pid: process.pid }),
);

const shutdown = async () => {
  await worker.close();
  await runtime.close();
  await store.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
