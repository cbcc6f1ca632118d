import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { loadParticipant } from '#lx/access';
import { FundsDeposited, isEvent, revealLeadTexts } from '#lx/contracts';
import { AggregateRepository } from '#lx/event-sourcing';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import type { BuyerAccountState, OrderState } from '../domain/buyer-account.js';
import type { OrderFiltersData } from '../domain/lead-filters.js';
import type { BuyerSourceReport } from '../domain/source-report.js';
import { buyerStream, loadBuyerAccount } from './buyer-account-stream.js';
import type {
  CurrencyReport,
  DailyPurchases,
  DeliveryStatus,
  LeadDisclosure,
  MarketDepth,
  OrderPreview,
  OrderPreviewOptions,
  OrderProgress,
  PurchaseListFilter,
  PurchaseView,
  ReturnView,
} from './buyer-views.js';
import { PERSONAL_DATA_READER, type PersonalDataReader } from './personal-data-reader.js';
import { PurchaseReads } from './purchase-reads.port.js';

/*
 * The reads of the buyers' API, one query each. What is a buyer's own is looked up scoped to the
 * buyer: another buyer's order or purchase reads as absent. Pages are asked for with one row over
 * the limit, so that the caller can tell whether another page follows.
 */

/** Whether the participant is registered, as a buyer. */
export class IsRegisteredBuyer extends Query<boolean> {
  constructor(readonly participantId: string) {
    super();
  }
}

export class GetBuyerAccount extends Query<BuyerAccountState> {
  constructor(readonly buyerId: string) {
    super();
  }
}

export interface DepositView {
  depositId: string;
  amount: number;
  currency: string;
  reference: string;
  status: 'confirmed';
  confirmedAt: string;
}

/** The buyer's confirmed deposits, newest first. */
export class ListDeposits extends Query<DepositView[]> {
  constructor(readonly buyerId: string) {
    super();
  }
}

export interface OrderWithProgress {
  order: OrderState;
  /** What the order bought so far; none when it bought nothing yet. */
  progress: OrderProgress | undefined;
}

/** The buyer's orders in the order they were placed (`orderId`: only that one). */
export class ListOrders extends Query<OrderWithProgress[]> {
  constructor(
    readonly buyerId: string,
    readonly orderId?: string,
  ) {
    super();
  }
}

/** One of the buyer's orders, or null when the buyer placed no such order. */
export class GetOrder extends Query<OrderState | null> {
  constructor(
    readonly buyerId: string,
    readonly orderId: string,
  ) {
    super();
  }
}

/** How many resting leads an order with these filters would meet now, and at what floors. */
export class PreviewOrder extends Query<OrderPreview> {
  constructor(
    readonly vertical: string,
    readonly filters: OrderFiltersData,
    readonly options: OrderPreviewOptions,
  ) {
    super();
  }
}

export class GetMarketDepth extends Query<MarketDepth> {
  constructor(
    readonly vertical: string,
    readonly now: Date,
  ) {
    super();
  }
}

export class ListPurchases extends Query<PurchaseView[]> {
  constructor(
    readonly buyerId: string,
    readonly filter: PurchaseListFilter,
    readonly rows: number,
  ) {
    super();
  }
}

/** One of the buyer's purchases, or null when it is not the buyer's. */
export class FindPurchase extends Query<PurchaseView | null> {
  constructor(
    readonly buyerId: string,
    readonly allocationId: string,
  ) {
    super();
  }
}

/** A purchased lead's personal data, opened for its buyer (the caller checked the purchase is theirs). */
export class DiscloseLead extends Query<LeadDisclosure> {
  constructor(readonly leadId: string) {
    super();
  }
}

/** The buyer's returns, newest first, their evidence and statements opened for the buyer. */
export class ListReturns extends Query<ReturnView[]> {
  constructor(
    readonly buyerId: string,
    readonly after: { requestedAt: string; allocationId: string } | null,
    readonly rows: number,
  ) {
    super();
  }
}

export class FindReturn extends Query<ReturnView | null> {
  constructor(
    readonly buyerId: string,
    readonly allocationId: string,
  ) {
    super();
  }
}

/** The cursor the buyer last acknowledged on the pull API, if any. */
export class GetPullCursor extends Query<string | null> {
  constructor(readonly buyerId: string) {
    super();
  }
}

export class ListWebhookDeliveries extends Query<DeliveryStatus[]> {
  constructor(readonly buyerId: string) {
    super();
  }
}

/** What the buyer's purchases cost and brought, per currency (`orderId`: one order's). */
export class GetPurchaseReport extends Query<CurrencyReport[]> {
  constructor(
    readonly buyerId: string,
    readonly orderId?: string,
  ) {
    super();
  }
}

/** What the leads of each seller's source and sub-source cost, came back and converted. */
export class GetSourceReport extends Query<BuyerSourceReport[]> {
  constructor(readonly buyerId: string) {
    super();
  }
}

export class GetDailyPurchases extends Query<DailyPurchases[]> {
  constructor(
    readonly buyerId: string,
    readonly days: number,
    readonly now: Date,
  ) {
    super();
  }
}

@QueryHandler(IsRegisteredBuyer)
export class IsRegisteredBuyerHandler implements IQueryHandler<IsRegisteredBuyer> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ participantId }: IsRegisteredBuyer): Promise<boolean> {
    const { state } = await loadParticipant(this.store, participantId);
    return state.exists && state.role === 'buyer';
  }
}

@QueryHandler(GetBuyerAccount)
export class GetBuyerAccountHandler implements IQueryHandler<GetBuyerAccount> {
  constructor(private readonly repository: AggregateRepository) {}

  execute({ buyerId }: GetBuyerAccount): Promise<BuyerAccountState> {
    return loadBuyerAccount(this.repository, buyerId);
  }
}

@QueryHandler(ListDeposits)
export class ListDepositsHandler implements IQueryHandler<ListDeposits> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ buyerId }: ListDeposits): Promise<DepositView[]> {
    const events = await this.store.readStream(buyerStream(buyerId));
    const items = events.flatMap((event) =>
      isEvent(FundsDeposited, event)
        ? [
            {
              depositId: event.data.depositId,
              amount: event.data.amount,
              currency: event.data.currency,
              reference: event.data.reference,
              status: 'confirmed' as const,
              confirmedAt: event.metadata.occurredAt,
            },
          ]
        : [],
    );
    return items.reverse();
  }
}

@QueryHandler(ListOrders)
export class ListOrdersHandler implements IQueryHandler<ListOrders> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly purchases: PurchaseReads,
  ) {}

  async execute({ buyerId, orderId }: ListOrders): Promise<OrderWithProgress[]> {
    const account = await loadBuyerAccount(this.repository, buyerId);
    const orders = orderId === undefined ? Object.values(account.orders) : [account.orders[orderId]];
    const placed = orders.filter((order): order is OrderState => order !== undefined);
    if (placed.length === 0) return [];
    const progress = await this.purchases.progressByOrder(buyerId, orderId);
    return placed.map((order) => ({ order, progress: progress.get(order.orderId) }));
  }
}

@QueryHandler(GetOrder)
export class GetOrderHandler implements IQueryHandler<GetOrder> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({ buyerId, orderId }: GetOrder): Promise<OrderState | null> {
    const account = await loadBuyerAccount(this.repository, buyerId);
    return account.orders[orderId] ?? null;
  }
}

@QueryHandler(ListReturns)
export class ListReturnsHandler implements IQueryHandler<ListReturns> {
  constructor(
    private readonly purchases: PurchaseReads,
    @Inject(PERSONAL_DATA_READER) private readonly personalData: PersonalDataReader,
  ) {}

  async execute({ buyerId, after, rows }: ListReturns): Promise<ReturnView[]> {
    const returns = await this.purchases.listReturns(buyerId, after, rows);
    return revealLeadTexts(returns, (envelopes) => this.personalData.openTexts(envelopes));
  }
}

@QueryHandler(FindReturn)
export class FindReturnHandler implements IQueryHandler<FindReturn> {
  constructor(
    private readonly purchases: PurchaseReads,
    @Inject(PERSONAL_DATA_READER) private readonly personalData: PersonalDataReader,
  ) {}

  async execute({ buyerId, allocationId }: FindReturn): Promise<ReturnView | null> {
    const found = await this.purchases.findReturn(buyerId, allocationId);
    // Evidence and statements, opened for the buyer whose return it is; erased with the lead.
    return found ? revealLeadTexts(found, (envelopes) => this.personalData.openTexts(envelopes)) : null;
  }
}

/** The handlers declared here; the adapters' are infrastructure/buyer-read-handlers.ts's. */
export const buyerQueryHandlers = [
  IsRegisteredBuyerHandler,
  GetBuyerAccountHandler,
  ListDepositsHandler,
  ListOrdersHandler,
  GetOrderHandler,
  ListReturnsHandler,
  FindReturnHandler,
];
