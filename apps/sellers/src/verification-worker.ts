import 'reflect-metadata';
import { ensureDatabase, loadConfig } from '#lx/config';
import { eventCatalogue } from '#lx/contracts';
import { connectEventStore } from '#lx/event-store';
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
const store = await connectEventStore({
  kind: config.LX_EVENT_STORE,
  postgresUrl: config.LX_DATABASE_URL,
  eventStoreDbUrl: config.LX_EVENTSTOREDB_URL,
  registry: eventCatalogue,
});
const runtime = await createLeadsRuntime(config, store, log);
const worker = await runtime.startWorker();
console.log(
  JSON.stringify({ level: 'info', name: 'verification-worker', message: 'started', pid: process.pid }),
);

const shutdown = async () => {
  await worker.close();
  await runtime.close();
  await store.close();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
