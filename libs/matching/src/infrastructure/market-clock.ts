import type { Queue } from 'bullmq';
import { MarketClockTicked, newEvent } from '#lx/contracts';
import { openQueue, startQueueWorker, type OpenedQueue, type StartedWorker } from '#lx/http';
import type { EventStore } from '#lx/event-store';
import { marketClockStream } from '../application/market-inputs.js';

export const MARKET_CLOCK_QUEUE = 'market-clock';

export interface MarketClockOptions {
  store: EventStore;
  redisUrl: string;
  /** LX_REDIS_PREFIX: every BullMQ key of this deployment lives under it. */
  prefix: string;
  markets: readonly string[];
  everySeconds: number;
  log?: (message: string, error?: unknown) => void;
}

/**
 * Appends `MarketClockTicked` to `marketClock-<vertical>` on a BullMQ job schedule, so that
 * expiries happen in an idle market too. The wall clock is read here, at the edge, and enters
 * the engine only as the tick's recorded time. Every settlement instance upserts the same
 * schedulers, so the ticks do not multiply with the instances.
 */
export class MarketClock {
  private readonly opened: OpenedQueue;
  private readonly worker: StartedWorker;

  constructor(private readonly options: MarketClockOptions) {
    // Redis restarting: both reconnect by themselves; their errors are only logged.
    this.opened = openQueue(options, MARKET_CLOCK_QUEUE, {
      onError: (error) => options.log?.('market clock queue error', error),
    });
    this.worker = startQueueWorker(
      options,
      MARKET_CLOCK_QUEUE,
      (job) => this.tick((job.data as { vertical: string }).vertical),
      { onError: (error) => options.log?.('market clock worker error', error) },
    );
  }

  private get queue(): Queue {
    return this.opened.queue;
  }

  async start(): Promise<void> {
    for (const vertical of this.options.markets) await this.schedule(vertical);
  }

  /**
   * Puts back the schedule of every market that lost it (Redis flushed or restarted without its
   * data); returns those markets. Upserting only the missing ones leaves running schedules alone.
   */
  async ensureScheduled(): Promise<string[]> {
    const restored: string[] = [];
    for (const vertical of this.options.markets)
      if (!(await this.queue.getJobScheduler(`tick-${vertical}`))) {
        await this.schedule(vertical);
        restored.push(vertical);
      }
    return restored;
  }

  private async schedule(vertical: string): Promise<void> {
    await this.queue.upsertJobScheduler(
      `tick-${vertical}`,
      { every: this.options.everySeconds * 1000 },
      { name: 'tick', data: { vertical }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  /** One tick now; also what each scheduled job does. */
  async tick(vertical: string): Promise<void> {
    const at = new Date().toISOString();
    await this.options.store.appendToStream(
      marketClockStream(vertical),
      [newEvent(MarketClockTicked, { at }, { occurredAt: at, actor: 'system:market-clock' })],
      { expectedRevision: 'any' },
    );
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.opened.close();
  }
}
