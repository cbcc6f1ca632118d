import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { scanChains, VERIFY_BATCH, type ScanFindings } from './verify-scan.js';

const WORKER_URL = new URL('./verify-scan.worker.js', import.meta.url);

/** One worker per core, or LX_VERIFY_WORKERS of them (0: scan in this thread). */
function workerCount(): number {
  const configured = Number(process.env.LX_VERIFY_WORKERS);
  return process.env.LX_VERIFY_WORKERS !== undefined && Number.isSafeInteger(configured) && configured >= 0
    ? configured
    : Math.max(1, availableParallelism());
}

const SNAPSHOT_ID = /^[0-9A-F]+(?:-[0-9A-F]+)+$/i;

export interface FirstPassOptions {
  /** The verifying transaction: REPEATABLE READ, begun, nothing read yet but allowed. */
  client: pg.ClientBase;
  /** How workers connect (each on a connection of its own, in the snapshot `client` exports). */
  connectionString: string;
  only: readonly string[] | null;
  onProgress?: ((eventsChecked: number) => void) | undefined;
  /** The compiled worker script; for tests. */
  script?: URL;
  /** How many parts (workers); default LX_VERIFY_WORKERS or one per core. */
  workers?: number;
}

/**
 * The first pass of verification (`scanChains`) over the whole scope, in `client`'s snapshot.
 *
 * Reading rows, hashing them and linking chains are all CPU work, so a log of more than one batch
 * is split by stream (the hash of its name) into one part per worker thread; each worker scans its
 * part on its own connection, importing the verifying transaction's snapshot
 * (`pg_export_snapshot`), so every part sees exactly the log `client` sees. A stream lies in one
 * part only and what the scan finds about it depends only on its own events and head: the findings
 * add up to the same whatever the number of parts. Without the compiled worker script (running
 * from the TypeScript sources, as the tests do), or with LX_VERIFY_WORKERS=0, the scan runs here.
 */
export async function firstPass(options: FirstPassOptions): Promise<ScanFindings> {
  const { client, only, onProgress } = options;
  const script = options.script ?? WORKER_URL;
  const parts = existsSync(fileURLToPath(script)) ? (options.workers ?? workerCount()) : 0;
  if (parts === 0 || !(await moreThanOneBatch(client, only)))
    return scanChains(client, { only, part: 0, parts: 1 }, onProgress);
  const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
  const snapshot = rows[0]!.id;
  if (!SNAPSHOT_ID.test(snapshot)) throw new Error(`unexpected snapshot id ${snapshot}`);
  const progress = new Array<number>(parts).fill(0);
  const workers: Worker[] = [];
  try {
    const findings = await Promise.all(
      Array.from({ length: parts }, (_, part) => {
        const worker = new Worker(script, {
          workerData: { connectionString: options.connectionString, snapshot, scope: { only, part, parts } },
        });
        workers.push(worker);
        return new Promise<ScanFindings>((resolve, reject) => {
          worker.on('message', (message: { progress?: number; findings?: ScanFindings }) => {
            if (message.findings) resolve(message.findings);
            else if (message.progress !== undefined) {
              progress[part] = message.progress;
              onProgress?.(progress.reduce((sum, n) => sum + n, 0));
            }
          });
          worker.on('error', reject);
          worker.on('exit', (code) => reject(new Error(`verification worker exited (${code})`)));
        });
      }),
    );
    return {
      suspects: findings.flatMap((part) => part.suspects),
      eventsChecked: findings.reduce((sum, part) => sum + part.eventsChecked, 0),
      streamsChecked: findings.reduce((sum, part) => sum + part.streamsChecked, 0),
    };
  } finally {
    for (const worker of workers) worker.removeAllListeners('exit');
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** Whether the scope holds more than one batch of events (else workers are not worth starting). */
async function moreThanOneBatch(client: pg.ClientBase, only: readonly string[] | null): Promise<boolean> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM lx_events ${only ? 'WHERE stream_name = ANY($1::text[])' : ''}
     LIMIT ${VERIFY_BATCH + 1}) s`,
    only ? [only] : [],
  );
  return rows[0]!.n > VERIFY_BATCH;
}
