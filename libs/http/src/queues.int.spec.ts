import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { flushRedisPrefix, testRedisPrefix } from '#lx/testing';
import { observedQueues } from './queue-metrics.js';
import { bullPrefixOf, openQueue, startQueueWorker } from './queues.js';

/** Resolves once `connection` has let go of Redis for good (ioredis' 'end' follows the socket's close). */
const ended = (connection: Redis) =>
  new Promise<void>((resolve) =>
    connection.status === 'end' ? resolve() : connection.once('end', () => resolve()),
  );

/*
 * The one way the exchange opens a BullMQ queue and starts a worker: under the deployment's
 * prefix, shown on /metrics while open, and each on a connection of its own that closing lets go.
 */
describe('openQueue and startQueueWorker', () => {
  const prefix = testRedisPrefix('queues').replace(/:$/, '');
  const where = { redisUrl: 'redis://127.0.0.1:6379', prefix };
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(where.redisUrl);
  });

  afterAll(async () => {
    await flushRedisPrefix(`${prefix}:`);
    await redis.quit();
  });

  it('keeps every key under <prefix>:bull, runs the job with its options, and lets go of its connection on close', async () => {
    const opened = openQueue<{ n: number }>(where, 'factory-test');
    const done: number[] = [];
    const started = startQueueWorker<{ n: number }>(
      where,
      'factory-test',
      async (job) => void done.push(job.data.n),
      { concurrency: 3 },
    );
    expect(opened.queue.opts.prefix).toBe(`${prefix}:bull`);
    expect(bullPrefixOf(prefix)).toBe(`${prefix}:bull`);
    expect(started.worker.opts).toMatchObject({ prefix: `${prefix}:bull`, concurrency: 3 });
    expect(observedQueues()).toContain(opened.queue);

    const finished = new Promise((resolve) => started.worker.once('completed', resolve));
    await opened.queue.add('one', { n: 7 }, { jobId: 'job-7', removeOnComplete: 5 });
    await finished;
    expect(done).toEqual([7]);
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith(`${prefix}:bull:factory-test:`))).toBe(true);

    const queueConnectionEnded = ended(opened.connection);
    await started.close();
    await opened.close();
    await queueConnectionEnded;
    expect(observedQueues()).not.toContain(opened.queue);
  });

  it('drops its connections at once when asked to disconnect', async () => {
    const opened = openQueue(where, 'factory-drop', { release: 'disconnect' });
    await opened.queue.waitUntilReady();
    const connectionEnded = ended(opened.connection);
    await opened.close();
    await connectionEnded;
    expect(opened.connection.status).toBe('end');
  });
});
