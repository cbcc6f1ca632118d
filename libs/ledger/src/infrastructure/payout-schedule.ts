import { openQueue, startQueueWorker } from '#lx/http';
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
  // Redis restarting: the queue and the worker reconnect by themselves; their errors are only logged.
  const opened = openQueue(options, PAYOUT_QUEUE, {
    onError: (error) => options.log?.('payout queue error', error),
  });
  const { queue } = opened;
  const schedule = () =>
    queue.upsertJobScheduler('scheduled-payouts', { pattern: options.cron }, { name: 'pay-out-everyone' });
  if (options.cron) await schedule();
  const worker = options.runWorker
    ? startQueueWorker(
        options,
        PAYOUT_QUEUE,
        async () => ({ issued: (await options.payouts.payOutEveryone('system', new Date())).length }),
        { onError: (error) => options.log?.('payout worker error', error) },
      )
    : null;
  worker?.worker.on('failed', (job, error) => options.log?.(`payout run ${job?.id} failed`, error));
  return {
    ensureScheduled: async () => {
      if (!options.cron || (await queue.getJobScheduler('scheduled-payouts'))) return false;
      await schedule();
      return true;
    },
    close: async () => {
      await worker?.close();
      await opened.close();
    },
  };
}
