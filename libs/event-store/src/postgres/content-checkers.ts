import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { checkContents, type ContentRow } from './content-check.js';

const WORKER_URL = new URL('./content-check.worker.js', import.meta.url);

function workerCount(): number {
  const configured = Number(process.env.LX_VERIFY_WORKERS);
  return process.env.LX_VERIFY_WORKERS !== undefined && Number.isSafeInteger(configured) && configured >= 0
    ? configured
    : Math.max(1, availableParallelism());
}

/**
 * Hashing is most of verification's CPU time, and whether a row's content matches its hash does
 * not depend on any other row: so batches are hashed on worker threads while the verifying thread
 * reads the next batch and links chains. Without the compiled worker script (running from the
 * TypeScript sources, as the tests do) the same `checkContents` runs in this thread instead.
 */
export class ContentCheckers {
  private readonly waiting = new Map<
    number,
    { resolve: (flags: Uint8Array) => void; reject: (e: unknown) => void }
  >();
  private nextId = 0;

  private constructor(private readonly workers: Worker[]) {
    for (const worker of workers) {
      worker.on('message', ({ id, flags }: { id: number; flags: Uint8Array }) => {
        this.waiting.get(id)?.resolve(flags);
        this.waiting.delete(id);
      });
      worker.on('error', (error) => this.failAll(error));
      worker.on('exit', (code) => this.failAll(new Error(`verification worker exited (${code})`)));
    }
  }

  /**
   * One worker per core (the verifying thread mostly waits for PostgreSQL and the workers), or
   * LX_VERIFY_WORKERS of them (0: hash in this thread). `script` is for tests that run from sources.
   */
  static start(script: URL = WORKER_URL): ContentCheckers {
    const usable = existsSync(fileURLToPath(script));
    const count = usable ? workerCount() : 0;
    return new ContentCheckers(Array.from({ length: count }, () => new Worker(script)));
  }

  /** How many batches may be out being hashed at once (bounds memory; keeps every worker busy). */
  get parallelism(): number {
    return Math.max(1, this.workers.length * 2);
  }

  check(rows: readonly ContentRow[]): Promise<Uint8Array> {
    if (this.workers.length === 0) return Promise.resolve(checkContents(rows));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Only the hashed columns cross to the worker; it clones what it is sent.
      this.workers[id % this.workers.length]!.postMessage({ id, rows: rows.map((row) => row.slice(0, 8)) });
    });
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const worker of workers) worker.removeAllListeners('exit');
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private failAll(error: unknown): void {
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
  }
}
