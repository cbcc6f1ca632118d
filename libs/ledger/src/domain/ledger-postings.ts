import type {
  BudgetReleased,
  FundsDeposited,
  LeadAllocated,
  OrderAmended,
  OrderPlaced,
  PayoutIssued,
  RefundCredited,
  SettlementFinalized,
  CatalogueEvent,
} from '#lx/contracts';

/*
 * The chart of accounts and the posting rules of the double-entry ledger (docs/architecture.md §6). Balances are
 * signed: money held for a participant or earned by the exchange is positive, money that came in
 * from outside is a negative external cash balance, so the accounts of a currency sum to zero.
 */

export type AccountKind =
  | 'buyer_available'
  | 'buyer_reserved'
  | 'seller_pending'
  | 'seller_available'
  | 'exchange_commission_pending'
  | 'exchange_revenue'
  /** Voided transfers wait here until the refund is credited on the buyer's stream. */
  | 'exchange_refunds_payable'
  | 'external_cash';

export const EXCHANGE = 'exchange';
export const EXTERNAL = 'external';

export interface AccountRef {
  readonly kind: AccountKind;
  /** A buyer or seller id, `exchange` or `external`. */
  readonly ownerId: string;
}

export const accountId = (account: AccountRef): string => `${account.kind}:${account.ownerId}`;

export interface Leg {
  readonly account: AccountRef;
  /** Signed minor units; the legs of one posting sum to zero. */
  readonly amount: number;
}

export type PostingKind =
  | 'deposit'
  | 'order_reserved'
  | 'budget_released'
  | 'allocation'
  | 'settlement_posted'
  | 'settlement_voided'
  | 'refund'
  | 'payout';

export interface Posting {
  readonly kind: PostingKind;
  readonly currency: string;
  /** What the posting is about: a deposit, order, allocation or payout id. */
  readonly reference: string;
  readonly legs: readonly Leg[];
}

/** What an allocation's transfer becomes: pending on allocation, then posted or voided once. */
export interface TransferChange {
  readonly allocationId: string;
  readonly status: 'pending' | 'posted' | 'voided';
}

export interface LedgerEffect {
  readonly posting: Posting | null;
  readonly transfer?: TransferChange;
  /** The order's budget after the event, for the next amendment's difference. */
  readonly orderBudget?: { orderId: string; buyerId: string; currency: string; budget: number };
}

export type LedgerEvent = CatalogueEvent<
  | typeof FundsDeposited
  | typeof OrderPlaced
  | typeof OrderAmended
  | typeof BudgetReleased
  | typeof LeadAllocated
  | typeof SettlementFinalized
  | typeof RefundCredited
  | typeof PayoutIssued
>;

export const LEDGER_EVENT_TYPES: readonly LedgerEvent['type'][] = [
  'FundsDeposited',
  'OrderPlaced',
  'OrderAmended',
  'BudgetReleased',
  'LeadAllocated',
  'SettlementFinalized',
  'RefundCredited',
  'PayoutIssued',
];

const buyer = (kind: 'buyer_available' | 'buyer_reserved', ownerId: string): AccountRef => ({
  kind,
  ownerId,
});
const seller = (kind: 'seller_pending' | 'seller_available', ownerId: string): AccountRef => ({
  kind,
  ownerId,
});
const exchange = (kind: 'exchange_commission_pending' | 'exchange_revenue' | 'exchange_refunds_payable') => ({
  kind,
  ownerId: EXCHANGE,
});
const externalCash: AccountRef = { kind: 'external_cash', ownerId: EXTERNAL };

/** Moves `amount` from one account to another: the smallest balanced posting. */
function transfer(from: AccountRef, to: AccountRef, amount: number): Leg[] {
  return [
    { account: from, amount: -amount },
    { account: to, amount },
  ];
}

/** An order as the ledger remembers it: an amendment reserves only the budget's increase. */
export interface KnownOrder {
  readonly budget: number;
  readonly currency: string;
}

/** The posting an event causes; `priorOrder` is needed for an `OrderAmended`. */
export function ledgerEffectOf(event: LedgerEvent, priorOrder?: KnownOrder): LedgerEffect {
  switch (event.type) {
    case 'FundsDeposited': {
      const { buyerId, depositId, amount, currency } = event.data;
      const legs = transfer(externalCash, buyer('buyer_available', buyerId), amount);
      return { posting: { kind: 'deposit', currency, reference: depositId, legs } };
    }
    case 'OrderPlaced': {
      const { orderId, buyerId, currency, budget } = event.data;
      const legs = transfer(buyer('buyer_available', buyerId), buyer('buyer_reserved', buyerId), budget);
      return {
        posting: { kind: 'order_reserved', currency, reference: orderId, legs },
        orderBudget: { orderId, buyerId, currency, budget },
      };
    }
    case 'OrderAmended': {
      const { orderId, buyerId, budget } = event.data;
      if (priorOrder === undefined) throw new UnknownOrderError(orderId);
      const { currency } = priorOrder;
      const increase = budget - priorOrder.budget;
      const orderBudget = { orderId, buyerId, currency, budget };
      if (increase === 0) return { posting: null, orderBudget };
      // The buyer stream lets a live budget only grow; a decrease would release, and is booked so.
      const legs = transfer(buyer('buyer_available', buyerId), buyer('buyer_reserved', buyerId), increase);
      return { posting: { kind: 'order_reserved', currency, reference: orderId, legs }, orderBudget };
    }
    case 'BudgetReleased': {
      const { orderId, buyerId, amount, currency } = event.data;
      if (amount === 0) return { posting: null };
      const legs = transfer(buyer('buyer_reserved', buyerId), buyer('buyer_available', buyerId), amount);
      return { posting: { kind: 'budget_released', currency, reference: orderId, legs } };
    }
    case 'LeadAllocated': {
      const { allocationId, buyerId, sellerId, currency, price, proceeds, commission } = event.data;
      const legs: Leg[] = [
        { account: buyer('buyer_reserved', buyerId), amount: -price },
        { account: seller('seller_pending', sellerId), amount: proceeds },
        { account: exchange('exchange_commission_pending'), amount: commission },
      ];
      return {
        posting: { kind: 'allocation', currency, reference: allocationId, legs },
        transfer: { allocationId, status: 'pending' },
      };
    }
    case 'SettlementFinalized': {
      const { allocationId, sellerId, outcome, currency, proceeds, commission } = event.data;
      const pending = seller('seller_pending', sellerId);
      const commissionPending = exchange('exchange_commission_pending');
      const legs: Leg[] =
        outcome === 'posted'
          ? [
              ...transfer(pending, seller('seller_available', sellerId), proceeds),
              ...transfer(commissionPending, exchange('exchange_revenue'), commission),
            ]
          : [
              // The seller is debited its proceeds and the commission is reversed: the whole price
              // is owed back to the buyer until the refund reaches its stream.
              { account: pending, amount: -proceeds },
              { account: commissionPending, amount: -commission },
              { account: exchange('exchange_refunds_payable'), amount: proceeds + commission },
            ];
      const kind = outcome === 'posted' ? 'settlement_posted' : 'settlement_voided';
      return {
        posting: { kind, currency, reference: allocationId, legs: legs.filter((leg) => leg.amount !== 0) },
        transfer: { allocationId, status: outcome },
      };
    }
    case 'RefundCredited': {
      const { allocationId, buyerId, amount, currency, creditedTo } = event.data;
      const to = buyer(creditedTo === 'available' ? 'buyer_available' : 'buyer_reserved', buyerId);
      const legs = transfer(exchange('exchange_refunds_payable'), to, amount);
      return { posting: { kind: 'refund', currency, reference: allocationId, legs } };
    }
    case 'PayoutIssued': {
      const { payoutId, sellerId, amount, currency } = event.data;
      const legs = transfer(seller('seller_available', sellerId), externalCash, amount);
      return { posting: { kind: 'payout', currency, reference: payoutId, legs } };
    }
  }
}

export class UnknownOrderError extends Error {
  readonly code = 'ledger-order-not-found';
  constructor(readonly orderId: string) {
    super(`OrderAmended for order ${orderId}, which the ledger never saw placed`);
    this.name = 'UnknownOrderError';
  }
}
