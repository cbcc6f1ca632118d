import type { OrderProgress, ReturnView } from './buyer-views.js';

/*
 * What the buyers' account and return queries read of the `buyer_purchases` read model. A port:
 * infrastructure/purchases.queries.ts implements it; the module binds it.
 */
export abstract class PurchaseReads {
  /** What each of the buyer's orders bought so far (`orderId`: only that order's), by order id. */
  abstract progressByOrder(buyerId: string, orderId?: string): Promise<Map<string, OrderProgress>>;

  /** The buyer's returns, newest first, after a position; texts still sealed. */
  abstract listReturns(
    buyerId: string,
    after: { requestedAt: string; allocationId: string } | null,
    limit: number,
  ): Promise<ReturnView[]>;

  /** One of the buyer's returns, or null when it is not the buyer's; texts still sealed. */
  abstract findReturn(buyerId: string, allocationId: string): Promise<ReturnView | null>;
}
