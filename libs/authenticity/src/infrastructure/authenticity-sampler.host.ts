import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AggregateRepository } from '#lx/event-sourcing';
import { EVENT_STORE, SupervisedSubscription, type EventStore } from '#lx/event-store';
import { AuthenticityReads } from '../application/authenticity-reads.port.js';
import { AuthenticitySampler } from '../application/authenticity-sampler.js';
import { AuthenticityVerifier } from '../application/authenticity-verifier.port.js';

export const AUTHENTICITY_OPTIONS = Symbol('AUTHENTICITY_OPTIONS');

export interface AuthenticityOptions {
  /** Runs the sampler's subscription in this process (LX_SETTLEMENT_WORKERS). */
  runWorkers: boolean;
}

/**
 * Runs the sampler on two durable subscriptions: the batches' verifications (a batch's sample and
 * its leads' source draws), and the listings, a page at a time, for the posted leads' source draws.
 */
@Injectable()
export class AuthenticitySamplerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('authenticity');
  private subscriptions: SupervisedSubscription[] = [];

  constructor(
    @Inject(AUTHENTICITY_OPTIONS) private readonly options: AuthenticityOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly repository: AggregateRepository,
    @Inject(AuthenticityReads) private readonly reads: AuthenticityReads,
    @Inject(AuthenticityVerifier) private readonly verifier: AuthenticityVerifier,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.runWorkers) return;
    const sampler = new AuthenticitySampler(this.repository, this.store, this.reads, this.verifier);
    const log = (message: string, error?: unknown) =>
      this.logger.warn(error ? `${message}: ${String(error)}` : message);
    this.subscriptions = [
      new SupervisedSubscription(
        this.store,
        'settlement-authenticity-sampler',
        (event) => sampler.handle(event),
        {
          filter: { streamCategories: ['batch'], eventTypes: ['LeadBatchVerified'] },
          log,
        },
      ),
      new SupervisedSubscription(
        this.store,
        'settlement-authenticity-posted-sampler',
        { pages: (events) => sampler.handlePostedLeads(events) },
        { filter: { streamCategories: ['lead'], eventTypes: ['LeadListed'] }, log },
      ),
    ];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.stop()));
  }
}
