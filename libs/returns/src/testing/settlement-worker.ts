import type { DataSource } from 'typeorm';
import { AggregateRepository } from '#lx/event-sourcing';
import type { EventStore } from '#lx/event-store';
import type { ReturnsOptions } from '../application/returns-options.js';
import { ReturnWindowQueue, startReturnWindowWorker } from '../infrastructure/return-window.queue.js';
import {
  startSettlementReactions,
  type SettlementReactions,
} from '../infrastructure/settlement-reactions.js';

/*
 * Settlement as the app runs it, for the int specs: the reactions to the log, the BullMQ queue of
 * return-window and seller-deadline jobs under a test prefix, and the worker that runs those jobs —
 * closing windows and escalating the returns no seller answered in time.
 */

export interface SettlementWorker {
  readonly queue: ReturnWindowQueue;
  readonly reactions: SettlementReactions;
  /** Stops the worker and the reactions, then drops the test prefix's jobs. */
  stop(): Promise<void>;
}

export function startSettlementWorker(deps: {
  store: EventStore;
  /** Reads `rm_return_facts`: the return-facts projection must be running. */
  dataSource: DataSource;
  redisPrefix: string;
  options: ReturnsOptions;
}): SettlementWorker {
  const connection = { redisUrl: 'redis://127.0.0.1:6379', prefix: deps.redisPrefix };
  const queue = new ReturnWindowQueue(connection);
  const reactions = startSettlementReactions({
    store: deps.store,
    repository: new AggregateRepository(deps.store),
    dataSource: deps.dataSource,
    scheduler: queue,
    options: deps.options,
  });
  const worker = startReturnWindowWorker({
    ...connection,
    window: reactions.window,
    unanswered: reactions.decisions,
    lockDurationMs: 5_000,
  });
  return {
    queue,
    reactions,
    async stop() {
      await worker.close();
      await reactions.stop();
      await queue.queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    },
  };
}
