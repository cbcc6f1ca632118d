import { DelayedError, type Queue } from 'bullmq';
import { bullPrefixOf, openQueue, startQueueWorker, type OpenedQueue, type QueueConnection } from '#lx/http';
import type { ReturnWindowScheduler } from '../application/return-decisions.js';
import type { DerivedSchedulesMarker } from '../application/schedules-from-the-log.js';
import type { ReturnWindow } from '../application/return-window.js';

export const RETURN_WINDOW_QUEUE = 'settlement-return-window';
/** The job that escalates a return the seller did not answer in time (same queue and worker). */
const SELLER_RESPONSE_DUE = 'seller-response-due';

/**
 * Schedules one delayed job per allocation and cause; the job id makes a re-schedule a no-op.
 * Also keeps the mark that its jobs were derived from the log: a key lost with the rest of Redis.
 */
export class ReturnWindowQueue implements ReturnWindowScheduler, DerivedSchedulesMarker {
  private readonly opened: OpenedQueue;
  private readonly derivedKey: string;
  readonly queue: Queue;

  constructor(options: QueueConnection) {
    this.derivedKey = `${bullPrefixOf(options.prefix)}:${RETURN_WINDOW_QUEUE}:derived-from-log`;
    // Redis restarting: the queue reconnects by itself; its errors are ignored.
    this.opened = openQueue(options, RETURN_WINDOW_QUEUE);
    this.queue = this.opened.queue;
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
    return (await this.opened.connection.exists(this.derivedKey)) === 1;
  }

  async markDerived(): Promise<void> {
    await this.opened.connection.set(this.derivedKey, new Date().toISOString());
  }

  async close(): Promise<void> {
    await this.opened.close();
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
  const lockDuration = options.lockDurationMs ?? 30_000;
  const started = startQueueWorker(
    options,
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
      concurrency: 4,
      lockDuration,
      stalledInterval: Math.max(500, Math.floor(lockDuration / 2)),
      maxStalledCount: 100,
      onError: (error) => options.log?.('return-window worker error', error),
    },
  );
  started.worker.on('failed', (job, error) =>
    options.log?.(`closing the return window of ${job?.id} failed`, error),
  );
  return { close: () => started.close() };
}
