import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { observeQueue } from '#lx/http';
import type { Payouts } from '../application/payouts.js';

export const PAYOUT_QUEUE = 'settlement-payouts';

export interface PayoutSchedule {
  /** Puts the schedule back if Redis lost it (flushed, restarted); true when it did. */
  ensureScheduled(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The scheduled payout run as a BullMQ repeatable job (one schedule however many instances run),
 * and the worker that runs it.
 */
export async function startPayoutSchedule(options: {
  redisUrl: string;
  prefix: string;
  cron: string;
  payouts: Payouts;
  runWorker: boolean;
  log?: (message: string, error?: unknown) => void;
}): Promise<PayoutSchedule> {
  const prefix = `${options.prefix}:bull`;
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(PAYOUT_QUEUE, { connection, prefix });
  const unobserve = observeQueue(queue);
  const schedule = () =>
    queue.upsertJobScheduler('scheduled-payouts', { pattern: options.cron }, { name: 'pay-out-everyone' });
  if (options.cron) await schedule();
  const worker = options.runWorker
    ? new Worker(
        PAYOUT_QUEUE,
        async () => ({ issued: (await options.payouts.payOutEveryone('system', new Date())).length }),
        { connection: new Redis(options.redisUrl, { maxRetriesPerRequest: null }), prefix },
      )
    : null;
  worker?.on('failed', (job, error) => options.log?.(`payout run ${job?.id} failed`, error));
  // Redis restarting: both reconnect by themselves; unlistened, the error would end the process.
  worker?.on('error', (error) => options.log?.('payout worker error', error));
  queue.on('error', (error) => options.log?.('payout queue error', error));
  return {
    ensureScheduled: async () => {
      if (!options.cron || (await queue.getJobScheduler('scheduled-payouts'))) return false;
      await schedule();
      return true;
    },
    close: async () => {
      unobserve();
      await worker?.close();
      await queue.close();
      await connection.quit().catch(() => undefined);
    },
  };
}
