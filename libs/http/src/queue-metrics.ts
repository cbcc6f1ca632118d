import type { Queue } from 'bullmq';
import { registerScrapedGauge } from './metrics.js';

/** The BullMQ queues this process uses, by prefix and name: what /metrics and the queue dashboard show. */
const observed = new Map<string, Queue>();

/** Shows `queue` on /metrics (and on the dashboard of an app that mounts one); returns the undo. */
export function observeQueue(queue: Queue): () => void {
  const key = `${queue.opts.prefix ?? 'bull'}:${queue.name}`;
  observed.set(key, queue);
  return () => {
    if (observed.get(key) === queue) observed.delete(key);
  };
}

export function observedQueues(): Queue[] {
  return [...observed.values()];
}

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

// Counted in Redis, so every instance reports the queue's real depth, not its own share.
registerScrapedGauge({
  name: 'lx_queue_jobs',
  help: 'BullMQ jobs per queue and state (waiting, active, delayed, failed), read from Redis on scrape',
  labelNames: ['queue', 'state'],
  read: async () => {
    const perQueue = await Promise.all(
      observedQueues().map(async (queue) => {
        const counts = await queue.getJobCounts(...STATES).catch(() => null);
        return counts
          ? STATES.map((state) => ({ labels: { queue: queue.name, state }, value: counts[state] ?? 0 }))
          : [];
      }),
    );
    return perQueue.flat();
  },
});
