import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { OrderClosed, ReplacementDecided } from '#lx/contracts';
import { EVENT_STORE, SupervisedSubscription, type EventStore } from '#lx/event-store';
import { AggregateRepository } from '#lx/event-sourcing';
import { EngineAnswersToOrders } from '../application/engine-answers.js';
import { BUYERS_OPTIONS, type BuyersOptions } from '../application/buyers-options.js';
import { marketDepthProjection } from './market-depth.projection.js';
import { purchasesProjection } from './purchases.projection.js';
import { WebhookDelivery } from './webhook-delivery.js';

/** The buyers' read models: the app hosts them through PlatformModule ({ projections }). */
export const buyersProjections = [purchasesProjection, marketDepthProjection];

/**
 * The buyers' app reacting to the log besides its read models: the engine's answers about orders
 * (the budget released when it closes one, a replacement it declined) and (see WebhookDelivery)
 * webhook delivery. Safe in several instances.
 */
@Injectable()
export class BuyersBackgroundWork implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('buyers');
  private releases: SupervisedSubscription | null = null;

  constructor(
    @Inject(BUYERS_OPTIONS) private readonly options: BuyersOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly repository: AggregateRepository,
    private readonly webhooks: WebhookDelivery,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.runBackgroundWork) return;
    const answers = new EngineAnswersToOrders(this.store, this.repository);
    // The subscription keeps its first name: its stored checkpoint is under it. Supervised: a
    // failed release (a lost connection, a busy stream) is tried again, never left undone.
    this.releases = new SupervisedSubscription(
      this.store,
      'buyers:budget-release',
      (event) => answers.handle(event),
      {
        filter: { streamCategories: ['market'], eventTypes: [OrderClosed.type, ReplacementDecided.type] },
        pollIntervalMs: 500,
        log: (message, error) => this.logger.warn(error ? `${message}: ${String(error)}` : message),
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.releases?.stop();
    await this.webhooks.stop();
  }
}
