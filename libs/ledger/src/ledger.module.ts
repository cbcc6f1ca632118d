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
import { EVENT_STORE, runPeriodically, type EventStore, type PeriodicWork } from '#lx/event-store';
import { ledgerCommandHandlers } from './application/payout-commands.js';
import { Payouts } from './application/payouts.js';
import { ledgerQueryHandlers } from './infrastructure/ledger-read-handlers.js';
import { ledgerPayoutBalances } from './infrastructure/ledger.queries.js';
import { startPayoutSchedule, type PayoutSchedule } from './infrastructure/payout-schedule.js';
import { LedgerMetrics } from './infrastructure/ledger-metrics.js';
import { LedgerController } from './api/ledger.controller.js';
import { StatementsController } from './api/statements.controller.js';

export interface LedgerModuleOptions {
  redisUrl: string;
  redisPrefix: string;
  /** Cron pattern of the scheduled payout run; empty: payouts on request only. */
  payoutCron: string;
  runWorkers: boolean;
  /** How often the payout schedule is checked and put back if Redis lost it. */
  reconcileSchedulesEverySeconds: number;
}

const LEDGER_OPTIONS = Symbol('LEDGER_OPTIONS');

@Injectable()
class PayoutScheduleHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('payouts');
  private schedule: PayoutSchedule | null = null;
  private reconciliation: PeriodicWork | null = null;
  constructor(
    @Inject(LEDGER_OPTIONS) private readonly options: LedgerModuleOptions,
    @Inject(Payouts) private readonly payouts: Payouts,
  ) {}
  async onApplicationBootstrap(): Promise<void> {
    this.schedule = await startPayoutSchedule({
      redisUrl: this.options.redisUrl,
      prefix: this.options.redisPrefix,
      cron: this.options.payoutCron,
      payouts: this.payouts,
      runWorker: this.options.runWorkers,
      log: (message, error) => this.logger.warn(`${message}: ${String(error)}`),
    });
    const schedule = this.schedule;
    this.reconciliation = runPeriodically(
      'checking the payout schedule',
      this.options.reconcileSchedulesEverySeconds * 1000,
      async () => {
        if (await schedule.ensureScheduled()) this.logger.warn('payout schedule restored');
      },
      (message, error) => this.logger.warn(`${message}: ${String(error)}`),
    );
  }
  async onApplicationShutdown(): Promise<void> {
    await this.reconciliation?.stop();
    await this.schedule?.close();
  }
}

/**
 * The ledger's API (balances, transfers, statements, payouts), the payout schedule and its metrics. The ledger
 * projection itself is hosted by the app: `PlatformModule.forRoot({ projections: [ledgerProjection] })`.
 */
@Module({})
export class LedgerModule {
  static forRoot(options: LedgerModuleOptions): DynamicModule {
    return {
      module: LedgerModule,
      controllers: [LedgerController, StatementsController],
      providers: [
        { provide: LEDGER_OPTIONS, useValue: options },
        {
          provide: Payouts,
          useFactory: (store: EventStore, dataSource: DataSource) =>
            new Payouts(store, ledgerPayoutBalances(dataSource)),
          inject: [EVENT_STORE, DataSource],
        },
        PayoutScheduleHost,
        LedgerMetrics,
        ...ledgerCommandHandlers,
        ...ledgerQueryHandlers,
      ],
    };
  }
}
