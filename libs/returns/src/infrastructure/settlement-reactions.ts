import type { DataSource } from 'typeorm';
import type { AggregateRepository } from '#lx/event-sourcing';
import { SupervisedSubscription, type EventStore } from '#lx/event-store';
import {
  ReturnDecisions,
  RETURN_FACTS_SCHEMA,
  type ReturnWindowScheduler,
} from '../application/return-decisions.js';
import { ReturnWindow } from '../application/return-window.js';
import type { ReturnsOptions } from '../application/returns-options.js';
import { waitForReadModel } from '../application/read-model-wait.js';
import { SettlementFinalizer } from '../application/settlement-finalizer.js';
import { ReturnFactsQueries } from './return-facts.queries.js';

export interface SettlementReactionsDeps {
  store: EventStore;
  repository: AggregateRepository;
  /** Reads `rm_return_facts` (the return-facts projection must be running somewhere). */
  dataSource: DataSource;
  scheduler: ReturnWindowScheduler;
  options: ReturnsOptions;
  log?: (message: string, error?: unknown) => void;
}

export interface SettlementReactions {
  decisions: ReturnDecisions;
  window: ReturnWindow;
  subscriptions: SupervisedSubscription[];
  stop(): Promise<void>;
}

/**
 * Settlement's reactions to other apps' events: the automatic return decisions and their
 * consequences, and the scheduling of every allocation's return-window closing.
 */
export function startSettlementReactions(deps: SettlementReactionsDeps): SettlementReactions {
  const finalizer = new SettlementFinalizer(deps.store);
  const facts = new ReturnFactsQueries(deps.dataSource, deps.options);
  const decisions = new ReturnDecisions(
    deps.repository,
    deps.dataSource,
    facts,
    finalizer,
    deps.scheduler,
    deps.options,
  );
  const window = new ReturnWindow(deps.repository, facts, finalizer, deps.options);
  const subscriptions = [
    new SupervisedSubscription(
      deps.store,
      'settlement-return-decisions',
      (event) => decisions.handle(event),
      {
        filter: {
          streamCategories: ['return'],
          eventTypes: ['ReturnRequested', 'SellerResponded', 'ReturnAccepted', 'ReturnRejected'],
        },
        log: deps.log,
      },
    ),
    new SupervisedSubscription(
      deps.store,
      'settlement-return-window-scheduler',
      async (event) => {
        await waitForReadModel(deps.dataSource, RETURN_FACTS_SCHEMA, event.position);
        const allocationId = (event.data as { allocationId: string }).allocationId;
        const ends = await window.endsAt(allocationId);
        if (ends) await deps.scheduler.scheduleClose(allocationId, ends, 'allocated');
      },
      { filter: { eventTypes: ['LeadAllocated'] }, log: deps.log },
    ),
  ];
  return {
    decisions,
    window,
    subscriptions,
    stop: async () => {
      await Promise.all(subscriptions.map((subscription) => subscription.stop()));
    },
  };
}
