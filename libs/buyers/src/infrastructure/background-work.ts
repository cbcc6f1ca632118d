import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { OrderClosed, ReplacementDecided } from '#lx/contracts';
import { EVENT_STORE, type EventStore, type Subscription } from '#lx/event-store';
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
  private releases: Subscription | null = null;

  constructor(
    @Inject(BUYERS_OPTIONS) private readonly options: BuyersOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly repository: AggregateRepository,
    private readonly webhooks: WebhookDelivery,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.runBackgroundWork) return;
    const answers = new EngineAnswersToOrders(this.store, this.repository);
    // The subscription keeps its first name: its stored checkpoint is under it.
    this.releases = this.store.subscribe('buyers:budget-release', (event) => answers.handle(event), {
      filter: { streamCategories: ['market'], eventTypes: [OrderClosed.type, ReplacementDecided.type] },
      checkpoint: { kind: 'store' },
      pollIntervalMs: 500,
      onError: (error) => this.logger.error(`engine answers to orders stopped: ${String(error)}`),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.releases?.stop();
    await this.webhooks.stop();
  }
}
