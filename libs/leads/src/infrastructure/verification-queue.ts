import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { observeQueue } from '#lx/http';
import type { VerifyBatch } from '../application/verification/verify-batch.js';

export const VERIFICATION_QUEUE = 'lead-verification';

export interface QueueConnection {
  redisUrl: string;
  /** LX_REDIS_PREFIX: every BullMQ key of this deployment lives under it. */
  prefix: string;
}

const bullPrefix = (prefix: string) => `${prefix}:bull`;

/** The producer side: one job per batch, its id the batch id, so a batch is queued at most once. */
export class VerificationQueue {
  private readonly queue: Queue;
  private readonly connection: Redis;
  private readonly unobserve: () => void;

  constructor(options: QueueConnection) {
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue(VERIFICATION_QUEUE, {
      connection: this.connection,
      prefix: bullPrefix(options.prefix),
    });
    this.unobserve = observeQueue(this.queue);
    // Redis restarting: the queue reconnects by itself; unlistened, the error would end the process.
    this.queue.on('error', () => undefined);
  }

  async enqueue(batchId: string): Promise<void> {
    await this.queue.add(
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
    this.unobserve();
    await this.queue.close();
    await this.connection.quit().catch(() => undefined);
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
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker(
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
      connection,
      prefix: bullPrefix(options.prefix),
      concurrency: options.concurrency ?? 2,
      lockDuration: options.lockDurationMs,
      stalledInterval: Math.max(1000, Math.floor(options.lockDurationMs / 2)),
      // A batch may be interrupted many times (deploys, crashes); each resume is cheap and safe.
      maxStalledCount: 100,
    },
  );
  worker.on('failed', (job, error) => options.log?.(`verification of batch ${job?.id} failed`, error));
  worker.on('error', (error) => options.log?.('verification worker error', error));
  return {
    close: async () => {
      await worker.close();
      await connection.quit().catch(() => undefined);
    },
  };
}
