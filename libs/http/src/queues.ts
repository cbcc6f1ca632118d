import { Queue, Worker, type Processor, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { observeQueue } from './queue-metrics.js';

/** Where the BullMQ queues of a deployment live: LX_REDIS_URL and LX_REDIS_PREFIX. */
export interface QueueConnection {
  redisUrl: string;
  /** LX_REDIS_PREFIX: every BullMQ key of this deployment lives under it. */
  prefix: string;
}

/** The BullMQ key prefix under a deployment's prefix: `<LX_REDIS_PREFIX>:bull`. */
export function bullPrefixOf(prefix: string): string {
  return `${prefix}:bull`;
}

/**
 * How a closed queue or worker lets go of its own Redis connection: `quit` waits for Redis to
 * acknowledge, `disconnect` drops the socket at once.
 */
export type ConnectionRelease = 'quit' | 'disconnect';

type ErrorListener = (error: Error) => void;

export interface OpenQueueOptions {
  /**
   * Connection errors (Redis restarting: BullMQ reconnects by itself). Always listened to, since an
   * unlistened 'error' would end the process; without a listener here they are ignored.
   */
  onError?: ErrorListener;
  release?: ConnectionRelease;
}

export interface OpenedQueue<Data = unknown> {
  readonly queue: Queue<Data>;
  /** The queue's own connection, for the odd key kept beside the queue's. */
  readonly connection: Redis;
  /** Takes the queue off /metrics, closes it, then lets go of its connection. */
  close(): Promise<void>;
}

export type QueueWorkerOptions = Omit<WorkerOptions, 'connection' | 'prefix'> & {
  onError?: ErrorListener;
  release?: ConnectionRelease;
};

export interface StartedWorker<Data = unknown> {
  readonly worker: Worker<Data>;
  /** Closes the worker (it finishes its active jobs), then lets go of its connection. */
  close(): Promise<void>;
}

/** A connection of its own for each queue and worker: BullMQ's blocking reads must not share one. */
function bullConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null });
}

async function release(connection: Redis, how: ConnectionRelease = 'quit'): Promise<void> {
  if (how === 'disconnect') connection.disconnect();
  else await connection.quit().catch(() => undefined);
}

/**
 * The producer side of a queue, the one way the exchange opens one: its own connection, the
 * deployment's prefix, errors listened to, and the queue shown on /metrics and the dashboard.
 */
export function openQueue<Data = unknown>(
  where: QueueConnection,
  name: string,
  options: OpenQueueOptions = {},
): OpenedQueue<Data> {
  const connection = bullConnection(where.redisUrl);
  const queue = new Queue<Data>(name, { connection, prefix: bullPrefixOf(where.prefix) });
  const unobserve = observeQueue(queue as Queue);
  queue.on('error', options.onError ?? (() => undefined));
  return {
    queue,
    connection,
    close: async () => {
      unobserve();
      await queue.close();
      await release(connection, options.release);
    },
  };
}

/**
 * The consumer side of a queue, the one way the exchange starts one: its own connection, the
 * deployment's prefix and errors listened to; every other worker option is the caller's.
 */
export function startQueueWorker<Data = unknown>(
  where: QueueConnection,
  name: string,
  processor: Processor<Data>,
  options: QueueWorkerOptions = {},
): StartedWorker<Data> {
  const { onError, release: how, ...workerOptions } = options;
  const connection = bullConnection(where.redisUrl);
  const worker = new Worker<Data>(name, processor, {
    ...workerOptions,
    connection,
    prefix: bullPrefixOf(where.prefix),
  });
  worker.on('error', onError ?? (() => undefined));
  return {
    worker,
    close: async () => {
      await worker.close();
      await release(connection, how);
    },
  };
}
