import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AggregateRepository, EventSourcingModule } from '#lx/event-sourcing';
import { EVENT_STORE, runPeriodically, type EventStore, type PeriodicWork } from '#lx/event-store';
import { disputeCommandHandlers } from './application/dispute-commands.js';
import { disputeQueryHandlers } from './application/dispute-queries.js';
import { DisputeReads } from './application/dispute-reads.port.js';
import { ReturnDecisions } from './application/return-decisions.js';
import { ReturnWindow } from './application/return-window.js';
import { RETURNS_OPTIONS, type ReturnsOptions } from './application/returns-options.js';
import { SettlementFinalizer } from './application/settlement-finalizer.js';
import { SchedulesFromTheLog } from './application/schedules-from-the-log.js';
import { PostgresDisputeReads } from './infrastructure/postgres-dispute-reads.js';
import { PendingSettlementsReadModels } from './infrastructure/pending-settlements.projection.js';
import { ReturnFactsQueries } from './infrastructure/return-facts.queries.js';
import { ReturnWindowQueue, startReturnWindowWorker } from './infrastructure/return-window.queue.js';
import { startSettlementReactions, type SettlementReactions } from './infrastructure/settlement-reactions.js';
import { DisputesController, SellerHistoryController } from './api/disputes.controller.js';

export interface ReturnsModuleOptions extends ReturnsOptions {
  redisUrl: string;
  redisPrefix: string;
  /** Runs the subscriptions and the return-window worker in this process. */
  runWorkers: boolean;
  /** How often the scheduled jobs are checked against the log (LX_SCHEDULE_RECONCILE_SECONDS). */
  reconcileSchedulesEverySeconds: number;
}

/**
 * Starts settlement's reactions (automatic return decisions, window scheduling) and the
 * return-window worker once the app's projections run; stops them on shutdown.
 */
@Injectable()
class SettlementReactionsHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('settlement');
  private reactions: SettlementReactions | null = null;
  private worker: { close(): Promise<void> } | null = null;
  private reconciliation: PeriodicWork | null = null;

  constructor(
    @Inject(RETURNS_OPTIONS) private readonly options: ReturnsModuleOptions,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly repository: AggregateRepository,
    private readonly dataSource: DataSource,
    @Inject(ReturnWindowQueue) private readonly queue: ReturnWindowQueue,
    @Inject(ReturnWindow) private readonly window: ReturnWindow,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.runWorkers) return;
    const log = (message: string, error?: unknown) =>
      this.logger.warn(error ? `${message}: ${String(error)}` : message);
    this.reactions = startSettlementReactions({
      store: this.store,
      repository: this.repository,
      dataSource: this.dataSource,
      scheduler: this.queue,
      options: this.options,
      log,
    });
    this.worker = startReturnWindowWorker({
      redisUrl: this.options.redisUrl,
      prefix: this.options.redisPrefix,
      window: this.window,
      unanswered: this.reactions.decisions,
      log,
    });
    // Redis keeps nothing on disk: the jobs are derived again from the log at start, and whenever
    // the reconciliation finds them lost.
    const schedules = new SchedulesFromTheLog(
      new PendingSettlementsReadModels(this.store, this.dataSource),
      this.window,
      this.queue,
      this.options,
    );
    this.reconciliation = runPeriodically(
      'deriving the return-window and seller-deadline jobs from the log',
      this.options.reconcileSchedulesEverySeconds * 1000,
      async () => {
        const passed = await schedules.reconcile();
        if (passed) this.logger.log(`scheduled jobs derived from the log: ${JSON.stringify(passed)}`);
      },
      log,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reconciliation?.stop();
    await this.worker?.close();
    await this.reactions?.stop();
    await this.queue.close();
  }
}

/** Returns and disputes: automatic rules, seller answers, auditors' decisions, the return window. */
@Module({})
export class ReturnsModule {
  static forRoot(options: ReturnsModuleOptions): DynamicModule {
    return {
      module: ReturnsModule,
      imports: [EventSourcingModule],
      controllers: [DisputesController, SellerHistoryController],
      providers: [
        { provide: RETURNS_OPTIONS, useValue: options },
        {
          provide: SettlementFinalizer,
          useFactory: (store: EventStore) => new SettlementFinalizer(store),
          inject: [EVENT_STORE],
        },
        {
          provide: ReturnWindowQueue,
          useFactory: () =>
            new ReturnWindowQueue({ redisUrl: options.redisUrl, prefix: options.redisPrefix }),
        },
        {
          provide: ReturnDecisions,
          useFactory: (
            repository: AggregateRepository,
            dataSource: DataSource,
            finalizer: SettlementFinalizer,
            queue: ReturnWindowQueue,
          ) =>
            new ReturnDecisions(
              repository,
              dataSource,
              new ReturnFactsQueries(dataSource, options),
              finalizer,
              queue,
              options,
            ),
          inject: [AggregateRepository, DataSource, SettlementFinalizer, ReturnWindowQueue],
        },
        {
          provide: ReturnWindow,
          useFactory: (
            repository: AggregateRepository,
            dataSource: DataSource,
            finalizer: SettlementFinalizer,
          ) => new ReturnWindow(repository, new ReturnFactsQueries(dataSource, options), finalizer, options),
          inject: [AggregateRepository, DataSource, SettlementFinalizer],
        },
        SettlementReactionsHost,
        { provide: DisputeReads, useClass: PostgresDisputeReads },
        ...disputeCommandHandlers,
        ...disputeQueryHandlers,
      ],
    };
  }
}
