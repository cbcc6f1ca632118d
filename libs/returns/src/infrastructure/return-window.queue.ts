import { DelayedError, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { observeQueue } from '#lx/http';
import type { ReturnWindowScheduler } from '../application/return-decisions.js';
import type { DerivedSchedulesMarker } from '../application/schedules-from-the-log.js';
import type { ReturnWindow } from '../application/return-window.js';

export const RETURN_WINDOW_QUEUE = 'settlement-return-window';
/** The job that escalates a return the seller did not answer in time (same queue and worker). */
const SELLER_RESPONSE_DUE = 'seller-response-due';

export interface QueueConnection {
  redisUrl: string;
  /** LX_REDIS_PREFIX: every BullMQ key of this deployment lives under it. */
  prefix: string;
}

const bullPrefix = (prefix: string) => `${prefix}:bull`;

/**
 * Schedules one delayed job per allocation and cause; the job id makes a re-schedule a no-op.
 * Also keeps the mark that its jobs were derived from the log: a key lost with the rest of Redis.
 */
export class ReturnWindowQueue implements ReturnWindowScheduler, DerivedSchedulesMarker {
  private readonly connection: Redis;
  private readonly derivedKey: string;
  readonly queue: Queue;
  private readonly unobserve: () => void;

  constructor(options: QueueConnection) {
    this.derivedKey = `${bullPrefix(options.prefix)}:${RETURN_WINDOW_QUEUE}:derived-from-log`;
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue(RETURN_WINDOW_QUEUE, {
      connection: this.connection,
      prefix: bullPrefix(options.prefix),
    });
    this.unobserve = observeQueue(this.queue);
    // Redis restarting: the queue reconnects by itself; unlistened, the error would end the process.
    this.queue.on('error', () => undefined);
  }

  async scheduleClose(
    allocationId: string,
    at: Date,
    reason: 'allocated' | 'return-rejected',
  ): Promise<void> {
    await this.queue.add(
      'close-return-window',
      { allocationId },
      {
        jobId: `${reason}.${allocationId}`,
        delay: Math.max(0, at.getTime() - Date.now()),
        attempts: 25,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: 10_000,
        removeOnFail: 10_000,
      },
    );
  }

  async scheduleSellerResponseDue(allocationId: string, at: Date): Promise<void> {
    await this.queue.add(
      SELLER_RESPONSE_DUE,
      { allocationId },
      {
        jobId: `seller-response.${allocationId}`,
        delay: Math.max(0, at.getTime() - Date.now()),
        attempts: 25,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: 10_000,
        removeOnFail: 10_000,
      },
    );
  }

  async stillDerived(): Promise<boolean> {
    return (await this.connection.exists(this.derivedKey)) === 1;
  }

  async markDerived(): Promise<void> {
    await this.connection.set(this.derivedKey, new Date().toISOString());
  }

  async close(): Promise<void> {
    this.unobserve();
    await this.queue.close();
    await this.connection.quit().catch(() => undefined);
  }
}

export interface ReturnWindowWorkerOptions extends QueueConnection {
  window: ReturnWindow;
  /** Escalates unanswered returns; without it those jobs fail and are retried by another worker. */
  unanswered?: { escalateUnanswered(allocationId: string, now: Date): Promise<boolean> };
  /** A killed worker's job is taken over by another once its lock has expired. */
  lockDurationMs?: number;
  log?: (message: string, error?: unknown) => void;
}

/** Runs the closing jobs; a job whose worker died (stalled) goes back to the queue and runs again. */
export function startReturnWindowWorker(options: ReturnWindowWorkerOptions): { close(): Promise<void> } {
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const lockDuration = options.lockDurationMs ?? 30_000;
  const worker = new Worker(
    RETURN_WINDOW_QUEUE,
    async (job, token) => {
      const { allocationId } = job.data as { allocationId: string };
      if (job.name === SELLER_RESPONSE_DUE) {
        if (!options.unanswered) throw new Error('this worker does not escalate unanswered returns');
        return { escalated: await options.unanswered.escalateUnanswered(allocationId, new Date()) };
      }
      const outcome = await options.window.close(allocationId, new Date());
      if (outcome === 'window-not-ended') {
        // Fired early (clocks of producer and worker differ): wait for the window's end.
        const ends = await options.window.endsAt(allocationId);
        await job.moveToDelayed(Math.max(Date.now() + 100, ends?.getTime() ?? 0), token);
        throw new DelayedError();
      }
      return { outcome };
    },
    {
      connection,
      prefix: bullPrefix(options.prefix),
      concurrency: 4,
      lockDuration,
      stalledInterval: Math.max(500, Math.floor(lockDuration / 2)),
      maxStalledCount: 100,
    },
  );
  worker.on('failed', (job, error) => options.log?.(`closing the return window of ${job?.id} failed`, error));
  worker.on('error', (error) => options.log?.('return-window worker error', error));
  return {
    close: async () => {
      await worker.close();
      await connection.quit().catch(() => undefined);
    },
  };
}
