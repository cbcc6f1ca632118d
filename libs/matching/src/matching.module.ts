import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ExchangeConfig } from '#lx/config';
import { EVENT_STORE, runPeriodically, type EventStore, type PeriodicWork } from '#lx/event-store';
import { metricsRegistry } from '#lx/http';
import { Gauge } from 'prom-client';
import { MarketEngineHost } from './application/market-engine-host.js';
import { marketSettingsHandlers } from './application/market-settings.handlers.js';
import { MarketSettingsController } from './api/market-settings.controller.js';
import { MarketsController } from './api/markets.controller.js';
import { MarketClock } from './infrastructure/market-clock.js';

const MATCHING_CONFIG = Symbol('MATCHING_CONFIG');

const ENGINE_APPENDS_METRIC = 'lx_engine_appends';

/**
 * What this instance's engines appended to `market-<vertical>` since it started: `written` (this
 * instance wrote the outputs: it leads) or `already_written` (another instance had written the same
 * outputs first: this one is a hot standby). Per process, unlike the scraped gauges.
 */
function registerEngineAppendsGauge(hosts: readonly MarketEngineHost[]): void {
  metricsRegistry.removeSingleMetric(ENGINE_APPENDS_METRIC);
  new Gauge({
    name: ENGINE_APPENDS_METRIC,
    help: "Appends of each market engine's outputs by this instance: written by it, or found already written by another",
    labelNames: ['market', 'outcome'],
    registers: [metricsRegistry],
    collect() {
      this.reset();
      for (const host of hosts) {
        this.set({ market: host.vertical, outcome: 'written' }, host.stats.appends);
        this.set({ market: host.vertical, outcome: 'already_written' }, host.stats.alreadyWritten);
      }
    },
  });
}

/** Starts one engine host per configured market and the clock job; every instance runs hot. */
@Injectable()
export class MatchingEngines implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('matching');
  private readonly hosts: MarketEngineHost[] = [];
  private clock: MarketClock | null = null;
  private clockReconciliation: PeriodicWork | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MATCHING_CONFIG) private readonly config: ExchangeConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.LX_MATCHING_ENGINES) return;
    const markets = this.config.LX_MATCHING_MARKETS.split(',');
    const log = (message: string, error?: unknown) =>
      this.logger.error(message, error instanceof Error ? error.stack : error);
    for (const vertical of markets) {
      const host = new MarketEngineHost({
        store: this.store,
        vertical,
        instance: `${hostname()}-${process.pid}`,
        log,
      });
      await host.start();
      this.hosts.push(host);
    }
    registerEngineAppendsGauge(this.hosts);
    this.clock = new MarketClock({
      store: this.store,
      redisUrl: this.config.LX_REDIS_URL,
      prefix: this.config.LX_REDIS_PREFIX,
      markets,
      everySeconds: this.config.LX_MARKET_CLOCK_SECONDS,
      log,
    });
    await this.clock.start();
    // A market is open for orders from its first tick on: the buyers app refuses orders (and
    // releases cancelled ones itself) in a market no engine has ever run.
    for (const vertical of markets) await this.clock.tick(vertical);
    const clock = this.clock;
    this.clockReconciliation = runPeriodically(
      'checking the market clock schedules',
      this.config.LX_SCHEDULE_RECONCILE_SECONDS * 1000,
      async () => {
        const restored = await clock.ensureScheduled();
        if (restored.length > 0) this.logger.warn(`market clock schedules restored: ${restored.join(', ')}`);
      },
      log,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.clockReconciliation?.stop();
    await Promise.all(this.hosts.map((host) => host.stop()));
    await this.clock?.close();
  }
}

/** Matching (docs/architecture.md §5): the engines, their clock and the operator's market-settings API. */
@Module({})
export class MatchingModule {
  static forRoot(config: ExchangeConfig): DynamicModule {
    return {
      module: MatchingModule,
      controllers: [MarketSettingsController, MarketsController],
      providers: [{ provide: MATCHING_CONFIG, useValue: config }, MatchingEngines, ...marketSettingsHandlers],
    };
  }
}
