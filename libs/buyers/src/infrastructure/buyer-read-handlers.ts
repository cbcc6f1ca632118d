import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import {
  DiscloseLead,
  FindPurchase,
  GetDailyPurchases,
  GetMarketDepth,
  GetPullCursor,
  GetPurchaseReport,
  GetSourceReport,
  ListPurchases,
  ListWebhookDeliveries,
  PreviewOrder,
} from '../application/buyer-reads.js';
import type {
  CurrencyReport,
  DailyPurchases,
  DeliveryStatus,
  LeadDisclosure,
  MarketDepth,
  OrderPreview,
  PurchaseView,
} from '../application/buyer-views.js';
import { PERSONAL_DATA_READER, type PersonalDataReader } from '../application/personal-data-reader.js';
import type { BuyerSourceReport } from '../domain/source-report.js';
import { DeliveryRecords } from './delivery-records.js';
import { discloseLeadToItsBuyer } from './lead-personal-data.js';
import { MarketDepthQueries } from './market-depth.queries.js';
import { PurchasesQueries } from './purchases.queries.js';
import { WebhookDelivery } from './webhook-delivery.js';

/*
 * The handlers of the buyers' queries that only read one read model, the delivery records or a
 * lead's stream: adapters, here next to what they read (docs/architecture.md §1). The messages are
 * the application's (buyer-reads.ts).
 */

@QueryHandler(PreviewOrder)
export class PreviewOrderHandler implements IQueryHandler<PreviewOrder> {
  constructor(private readonly depth: MarketDepthQueries) {}

  execute({ vertical, filters, options }: PreviewOrder): Promise<OrderPreview> {
    return this.depth.preview(vertical, filters, options);
  }
}

@QueryHandler(GetMarketDepth)
export class GetMarketDepthHandler implements IQueryHandler<GetMarketDepth> {
  constructor(private readonly depth: MarketDepthQueries) {}

  execute({ vertical, now }: GetMarketDepth): Promise<MarketDepth> {
    return this.depth.depth(vertical, now);
  }
}

@QueryHandler(ListPurchases)
export class ListPurchasesHandler implements IQueryHandler<ListPurchases> {
  constructor(private readonly purchases: PurchasesQueries) {}

  execute({ buyerId, filter, rows }: ListPurchases): Promise<PurchaseView[]> {
    return this.purchases.list(buyerId, filter, rows);
  }
}

@QueryHandler(FindPurchase)
export class FindPurchaseHandler implements IQueryHandler<FindPurchase> {
  constructor(private readonly purchases: PurchasesQueries) {}

  execute({ buyerId, allocationId }: FindPurchase): Promise<PurchaseView | null> {
    return this.purchases.findOwn(buyerId, allocationId);
  }
}

@QueryHandler(DiscloseLead)
export class DiscloseLeadHandler implements IQueryHandler<DiscloseLead> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA_READER) private readonly personalData: PersonalDataReader,
  ) {}

  execute({ leadId }: DiscloseLead): Promise<LeadDisclosure> {
    return discloseLeadToItsBuyer(this.store, this.personalData, leadId);
  }
}

@QueryHandler(GetPullCursor)
export class GetPullCursorHandler implements IQueryHandler<GetPullCursor> {
  constructor(private readonly records: DeliveryRecords) {}

  execute({ buyerId }: GetPullCursor): Promise<string | null> {
    return this.records.pullCursor(buyerId);
  }
}

@QueryHandler(ListWebhookDeliveries)
export class ListWebhookDeliveriesHandler implements IQueryHandler<ListWebhookDeliveries> {
  constructor(private readonly webhooks: WebhookDelivery) {}

  execute({ buyerId }: ListWebhookDeliveries): Promise<DeliveryStatus[]> {
    return this.webhooks.statuses(buyerId);
  }
}

@QueryHandler(GetPurchaseReport)
export class GetPurchaseReportHandler implements IQueryHandler<GetPurchaseReport> {
  constructor(private readonly purchases: PurchasesQueries) {}

  execute({ buyerId, orderId }: GetPurchaseReport): Promise<CurrencyReport[]> {
    return this.purchases.report(buyerId, orderId);
  }
}

@QueryHandler(GetSourceReport)
export class GetSourceReportHandler implements IQueryHandler<GetSourceReport> {
  constructor(private readonly purchases: PurchasesQueries) {}

  execute({ buyerId }: GetSourceReport): Promise<BuyerSourceReport[]> {
    return this.purchases.sourceReport(buyerId);
  }
}

@QueryHandler(GetDailyPurchases)
export class GetDailyPurchasesHandler implements IQueryHandler<GetDailyPurchases> {
  constructor(private readonly purchases: PurchasesQueries) {}

  execute({ buyerId, days, now }: GetDailyPurchases): Promise<DailyPurchases[]> {
    return this.purchases.daily(buyerId, days, now);
  }
}

/** The adapters' query handlers, for the module to register with buyer-reads.ts's. */
export const buyerReadAdapterHandlers = [
  PreviewOrderHandler,
  GetMarketDepthHandler,
  ListPurchasesHandler,
  FindPurchaseHandler,
  DiscloseLeadHandler,
  GetPullCursorHandler,
  ListWebhookDeliveriesHandler,
  GetPurchaseReportHandler,
  GetSourceReportHandler,
  GetDailyPurchasesHandler,
];
