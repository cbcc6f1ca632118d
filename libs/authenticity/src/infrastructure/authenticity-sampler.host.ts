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

/** Runs the sampler on a durable subscription to the batches' verifications. */
@Injectable()
export class AuthenticitySamplerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('authenticity');
  private subscription: SupervisedSubscription | null = null;

  constructor(
    @Inject(AUTHENTICITY_OPTIONS) private readonly options: AuthenticityOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly repository: AggregateRepository,
    @Inject(AuthenticityReads) private readonly reads: AuthenticityReads,
    @Inject(AuthenticityVerifier) private readonly verifier: AuthenticityVerifier,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.runWorkers) return;
    const sampler = new AuthenticitySampler(this.repository, this.reads, this.verifier);
    this.subscription = new SupervisedSubscription(
      this.store,
      'settlement-authenticity-sampler',
      (event) => sampler.handle(event),
      {
        filter: { streamCategories: ['batch'], eventTypes: ['LeadBatchVerified'] },
        log: (message, error) => this.logger.warn(error ? `${message}: ${String(error)}` : message),
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }
}
