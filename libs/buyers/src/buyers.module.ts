import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import { AggregateRepository, EventSourcingModule } from '#lx/event-sourcing';
import { afterSaleCommandHandlers } from './application/after-sale-commands.js';
import { buyerAccountCommandHandlers } from './application/buyer-account-commands.js';
import { buyerQueryHandlers } from './application/buyer-reads.js';
import { PurchaseReads } from './application/purchase-reads.port.js';
import { BUYERS_OPTIONS, type BuyersOptions } from './application/buyers-options.js';
import { MarketDirectory } from './application/market-directory.js';
import {
  NoVaultPersonalDataReader,
  PERSONAL_DATA_READER,
  type PersonalDataReader,
} from './application/personal-data-reader.js';
import { BuyersBackgroundWork } from './infrastructure/background-work.js';
import { buyerReadAdapterHandlers } from './infrastructure/buyer-read-handlers.js';
import { deliveryCommandHandlers } from './infrastructure/delivery-command-handlers.js';
import { MarketDepthQueries } from './infrastructure/market-depth.queries.js';
import { PurchasesQueries } from './infrastructure/purchases.queries.js';
import { DeliveryRecords } from './infrastructure/delivery-records.js';
import { WebhookDelivery } from './infrastructure/webhook-delivery.js';
import { WebhookTargets } from './infrastructure/webhook-targets.js';
import { WEBHOOK_TARGET_CHECK } from './application/webhook-target-check.js';
import { AccountsController } from './api/accounts.controller.js';
import { DeliveriesController } from './api/deliveries.controller.js';
import { OrdersController } from './api/orders.controller.js';
import { PurchasedLeadsController } from './api/purchased-leads.controller.js';
import { ReportsController } from './api/reports.controller.js';

export interface BuyersModuleOptions extends BuyersOptions {
  /** The vault's decrypting reader; until libs/vault is wired, personal data reads as unavailable. */
  personalDataReader?: Provider;
}

/** The buyers' bounded context: funds, orders, purchased leads, delivery, returns, conversions, reports. */
@Module({})
export class BuyersModule {
  static forRoot(options: BuyersModuleOptions): DynamicModule {
    const { personalDataReader, ...settings } = options;
    return {
      module: BuyersModule,
      imports: [EventSourcingModule],
      controllers: [
        AccountsController,
        OrdersController,
        PurchasedLeadsController,
        DeliveriesController,
        ReportsController,
      ],
      providers: [
        { provide: BUYERS_OPTIONS, useValue: settings },
        { provide: WebhookTargets, useValue: new WebhookTargets(settings.webhookTargets) },
        { provide: WEBHOOK_TARGET_CHECK, useExisting: WebhookTargets },
        personalDataReader ?? { provide: PERSONAL_DATA_READER, useClass: NoVaultPersonalDataReader },
        {
          provide: DeliveryRecords,
          useFactory: async (database: DataSource) => {
            const records = new DeliveryRecords(database);
            await records.ensureSchema();
            return records;
          },
          inject: [DataSource],
        },
        {
          provide: WebhookDelivery,
          useFactory: async (
            store: EventStore,
            repository: AggregateRepository,
            reader: PersonalDataReader,
            records: DeliveryRecords,
            targets: WebhookTargets,
          ) => {
            const delivery = new WebhookDelivery(settings, store, repository, reader, records, targets);
            await delivery.start(settings.runBackgroundWork);
            return delivery;
          },
          inject: [EVENT_STORE, AggregateRepository, PERSONAL_DATA_READER, DeliveryRecords, WebhookTargets],
        },
        MarketDirectory,
        PurchasesQueries,
        { provide: PurchaseReads, useExisting: PurchasesQueries },
        MarketDepthQueries,
        BuyersBackgroundWork,
        ...buyerAccountCommandHandlers,
        ...afterSaleCommandHandlers,
        ...deliveryCommandHandlers,
        ...buyerQueryHandlers,
        ...buyerReadAdapterHandlers,
      ],
    };
  }
}
