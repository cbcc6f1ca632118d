import { openQueue, startQueueWorker, type OpenedQueue, type QueueConnection } from '#lx/http';
import type { VerifyBatch } from '../application/verification/verify-batch.js';

export const VERIFICATION_QUEUE = 'lead-verification';

/** The producer side: one job per batch, its id the batch id, so a batch is queued at most once. */
export class VerificationQueue {
  private readonly opened: OpenedQueue;

  constructor(options: QueueConnection) {
    // Redis restarting: the queue reconnects by itself; its errors are ignored.
    this.opened = openQueue(options, VERIFICATION_QUEUE);
  }

  async enqueue(batchId: string): Promise<void> {
    await this.opened.queue.add(
      'verify-batch',
      { batchId },
      {
        jobId: batchId,
        attempts: 20,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: 1000,
        removeOnFail: 1000,
      },
    );
  }

  async close(): Promise<void> {
    await this.opened.close();
  }
}

export interface VerificationWorkerOptions extends QueueConnection {
  verify: VerifyBatch;
  /** Lock lifetime: a killed worker's job is taken over once its lock has expired. */
  lockDurationMs: number;
  concurrency?: number;
  log?: (message: string, error?: unknown) => void;
}

/** The consumer side: verifies batches; a stalled job (its worker died) moves back to the queue. */
export function startVerificationWorker(options: VerificationWorkerOptions): { close(): Promise<void> } {
  const started = startQueueWorker(
    options,
    VERIFICATION_QUEUE,
    async (job) => {
      const { batchId } = job.data as { batchId: string };
      await options.verify.run(batchId, async (progress) => {
        await job.updateProgress({
          processed: progress.processed,
          total: progress.totalRows,
          accepted: progress.accepted,
          rejected: progress.rejected,
        });
      });
    },
    {
      concurrency: options.concurrency ?? 2,
      lockDuration: options.lockDurationMs,
      stalledInterval: Math.max(1000, Math.floor(options.lockDurationMs / 2)),
      // A batch may be interrupted many times (deploys, crashes); each resume is cheap and safe.
      maxStalledCount: 100,
      onError: (error) => options.log?.('verification worker error', error),
    },
  );
  started.worker.on('failed', (job, error) =>
    options.log?.(`verification of batch ${job?.id} failed`, error),
  );
  return { close: () => started.close() };
}
