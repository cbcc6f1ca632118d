import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { eventCatalogue } from '#lx/contracts';
import { PostgresEventStore } from '#lx/event-store';
import { ProjectionRunner } from '#lx/projections';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '#lx/testing';
import { appendAt, leadAllocated } from '../../../ledger/src/testing/settlement-fixtures.js';
import { returnFactsProjection } from './return-facts.projection.js';
import { ReturnWindowQueue } from './return-window.queue.js';
import { runProjection } from '../../../projections/src/testing/run-projection.js';

jest.setTimeout(120_000);

/*
 * The return window's closing job runs at least once; the log makes it count once. The job is
 * queued twice, its first worker (a separate process) is killed with SIGKILL in the middle of it,
 * and a second worker takes the stalled jobs over: exactly one SettlementFinalized.
 */

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

describe('return-window closing job', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let runner: ProjectionRunner;
  let queue: ReturnWindowQueue;
  const prefix = testRedisPrefix('return_window');
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('return_window');
    store = await PostgresEventStore.connect({ connectionString: database.url, registry: eventCatalogue });
    dataSource = new DataSource({ type: 'postgres', url: database.url });
    await dataSource.initialize();
    runner = await runProjection(returnFactsProjection, store, dataSource);
    queue = new ReturnWindowQueue({ redisUrl: 'redis://127.0.0.1:6379', prefix });
  });

  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await queue?.queue.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await runner?.stop();
    await dataSource?.destroy();
    await store?.close();
    await database?.drop();
  });

  /** A worker process; resolves once it printed `until`. */
  function startWorker(pauseMs: number, until: 'ready' | 'finalizing') {
    const child = spawn(
      process.execPath,
      [
        '--no-warnings',
        '--import',
        here('../testing/register-ts.mjs'),
        here('../testing/return-window-worker.process.ts'),
      ],
      {
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          REDIS_PREFIX: prefix,
          WINDOW_MS: '1500',
          PAUSE_BEFORE_FINALIZE_MS: String(pauseMs),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let output = '';
    child.stderr!.on('data', (chunk) => (output += String(chunk)));
    const reached = new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk) => {
        output += String(chunk);
        if (output.includes(until)) resolve();
      });
      child.on('exit', (code, signal) =>
        reject(new Error(`worker exited (${code ?? signal}) before "${until}": ${output}`)),
      );
    });
    return { child, reached };
  }

  it('finalizes once though the job is queued twice and its worker is killed mid-job', async () => {
    const allocationId = 'alloc-window-1';
    const at = new Date().toISOString();
    const allocated = leadAllocated({
      allocationId,
      leadId: 'lead-window-1',
      orderId: 'order-window-1',
      buyerId: 'buyer-window-1',
      sellerId: 'seller-window-1',
      price: 60_000,
      at,
    });
    const { position } = await appendAt(store, 'market-eyewear', allocated, at, 'engine:eyewear');
    await runner.waitForPosition(position);

    const ends = new Date(Date.parse(at) + 1500);
    await queue.scheduleClose(allocationId, ends, 'allocated');
    await queue.scheduleClose(allocationId, ends, 'return-rejected'); // the same closing, fired a second time

    const doomed = startWorker(60_000, 'finalizing');
    await doomed.reached; // mid-job: the window is closed on the return stream, nothing finalized yet
    doomed.child.kill('SIGKILL');
    await new Promise((resolve) => doomed.child.once('exit', resolve));
    expect(await store.readStream(`settlement-${allocationId}`)).toEqual([]);

    const survivor = startWorker(0, 'ready');
    await survivor.reached;
    const deadline = Date.now() + 60_000;
    while ((await queue.queue.getJobCounts('completed')).completed < 2) {
      if (Date.now() > deadline)
        throw new Error(`jobs not completed: ${JSON.stringify(await queue.queue.getJobCounts())}`);
      await sleep(200);
    }

    const finalized = await store.readStream(`settlement-${allocationId}`);
    expect(finalized.map((event) => [event.type, (event.data as { outcome: string }).outcome])).toEqual([
      ['SettlementFinalized', 'posted'],
    ]);
    const returnStream = await store.readStream(`return-${allocationId}`);
    expect(returnStream.map((event) => event.type)).toEqual(['ReturnWindowClosed']);
    const outcomes = (await queue.queue.getJobs(['completed'])).map((job) => job.returnvalue.outcome).sort();
    expect(outcomes).toEqual(['already-finalized', 'posted']);
  });
});
