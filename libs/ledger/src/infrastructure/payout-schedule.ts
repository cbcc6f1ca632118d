import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { observeQueue } from '#lx/http';
import type { Payouts } from '../application/payouts.js';

export const PAYOUT_QUEUE = 'settlement-payouts';

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
}): Promise<{ close(): Promise<void> }> {
  const prefix = `${options.prefix}:bull`;
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(PAYOUT_QUEUE, { connection, prefix });
  const unobserve = observeQueue(queue);
  if (options.cron)
    await queue.upsertJobScheduler(
      'scheduled-payouts',
      { pattern: options.cron },
      { name: 'pay-out-everyone' },
    );
  const worker = options.runWorker
    ? new Worker(
        PAYOUT_QUEUE,
        async () => ({ issued: (await options.payouts.payOutEveryone('system', new Date())).length }),
        { connection: new Redis(options.redisUrl, { maxRetriesPerRequest: null }), prefix },
      )
    : null;
  worker?.on('failed', (job, error) => options.log?.(`payout run ${job?.id} failed`, error));
  return {
    close: async () => {
      unobserve();
      await worker?.close();
      await queue.close();
      await connection.quit().catch(() => undefined);
    },
  };
}
