import {
  Inject,
  Injectable,
  Logger,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { text } from 'express';
import type pg from 'pg';
import type { ExchangeConfig } from '#lx/config';
import { EVENT_STORE, POSTGRES_POOL, type EventStore } from '#lx/event-store';
import { registerScrapedGauge } from '#lx/http';
import { doNotContactCommandHandlers } from '../application/do-not-contact/do-not-contact-commands.js';
import { sellerCommandHandlers } from '../application/seller-commands.js';
import { sellerQueryHandlers } from '../application/seller-reads.js';
import {
  doNotContactQueryAdapterHandlers,
  sellerCommandAdapterHandlers,
  sellerQueryAdapterHandlers,
} from '../infrastructure/seller-handlers.js';
import { createLeadsRuntime, type LeadsRuntime } from '../infrastructure/leads-runtime.js';
import { SellerQueries } from '../infrastructure/read-model/seller-queries.js';
import { BatchesController } from './batches.controller.js';
import { LeadsController, SellerActivityController, SellerRecordController } from './leads.controller.js';
import { SellerSourceReportController } from './source-report.controller.js';
import { LEADS_RUNTIME, SELLER_QUERIES, LEADS_CONFIG } from './leads-runtime.token.js';
import { DoNotContactController } from './do-not-contact.controller.js';
import { DO_NOT_CONTACT_FILE_TYPES } from '../application/do-not-contact/do-not-contact-file.js';
import { PrivacyController } from './privacy.controller.js';
import { ReturnsController } from './returns.controller.js';
import { PingsController, PostedLeadsController } from './realtime.controller.js';
import { realtimeHandlers } from '../infrastructure/realtime-handlers.js';
import { UploadFormatController } from './upload-format.controller.js';

const CONFIG = LEADS_CONFIG;

/**
 * Runs the verification worker, unless workers run as their own processes, and puts the volumes
 * listed and rejected on /metrics. (The seller read model is hosted by PlatformModule.)
 */
@Injectable()
class LeadsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private worker: { close(): Promise<void> } | null = null;
  private doNotContact: { stop(): Promise<void> } | null = null;
  private readonly unregister: (() => void)[] = [];

  constructor(
    @Inject(CONFIG) private readonly config: ExchangeConfig,
    @Inject(LEADS_RUNTIME) private readonly runtime: LeadsRuntime,
    @Inject(SELLER_QUERIES) private readonly queries: SellerQueries,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unregister.push(
      registerScrapedGauge({
        name: 'lx_leads_listed',
        help: 'Leads ever listed, per market (from the sellers read model)',
        labelNames: ['vertical'],
        read: async () =>
          (await this.queries.volumes()).map(({ vertical, listed }) => ({
            labels: { vertical },
            value: listed,
          })),
      }),
      registerScrapedGauge({
        name: 'lx_leads_rejected',
        help: 'Uploaded rows ever rejected by verification, per market (from the sellers read model)',
        labelNames: ['vertical'],
        read: async () =>
          (await this.queries.volumes()).map(({ vertical, rejected }) => ({
            labels: { vertical },
            value: rejected,
          })),
      }),
    );
    this.doNotContact = this.runtime.startDoNotContactProcess();
    await this.runtime.startRealtime();
    if (this.config.LX_SELLERS_VERIFICATION_WORKER) this.worker = await this.runtime.startWorker();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const unregister of this.unregister.splice(0)) unregister();
    await this.worker?.close();
    await this.doNotContact?.stop();
    await this.runtime.close();
  }
}

/** The sellers' context over HTTP: uploads, verification, listings, returns, privacy. */
@Module({})
export class SellersLeadsModule implements NestModule {
  constructor(@Inject(CONFIG) private readonly config: ExchangeConfig) {}

  /**
   * A do-not-contact list may come as a file (docs/architecture.md §4.3): its routes read a CSV or
   * plain-text body whole, under the JSON bodies' limit, before the idempotency check fingerprints it.
   * (A batch upload streams its file instead, and reads it itself.)
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(
        text({
          type: Object.keys(DO_NOT_CONTACT_FILE_TYPES),
          limit: this.config.LX_MAX_BODY_BYTES,
          defaultCharset: 'utf-8',
        }),
      )
      .forRoutes(
        { path: 'v1/do-not-contact-lists', method: RequestMethod.POST },
        { path: 'v1/do-not-contact-lists/:listId/entries', method: RequestMethod.POST },
      );
  }

  static forRoot(config: ExchangeConfig): DynamicModule {
    return {
      module: SellersLeadsModule,
      controllers: [
        UploadFormatController,
        BatchesController,
        PostedLeadsController,
        PingsController,
        LeadsController,
        SellerRecordController,
        SellerActivityController,
        SellerSourceReportController,
        ReturnsController,
        PrivacyController,
        DoNotContactController,
      ],
      providers: [
        { provide: CONFIG, useValue: config },
        {
          provide: LEADS_RUNTIME,
          inject: [EVENT_STORE, POSTGRES_POOL],
          useFactory: (store: EventStore, pool: pg.Pool) =>
            createLeadsRuntime(config, store, pool, (message, error) =>
              new Logger('verification').error(`${message}${error ? `: ${String(error)}` : ''}`),
            ),
        },
        {
          provide: SELLER_QUERIES,
          inject: [LEADS_RUNTIME],
          useFactory: (runtime: LeadsRuntime) => new SellerQueries(runtime.pool),
        },
        LeadsLifecycle,
        ...sellerCommandHandlers,
        ...doNotContactCommandHandlers,
        ...sellerQueryHandlers,
        ...sellerCommandAdapterHandlers,
        ...sellerQueryAdapterHandlers,
        ...doNotContactQueryAdapterHandlers,
        ...realtimeHandlers,
      ],
    };
  }
}
