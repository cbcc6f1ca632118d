import type {
  BudgetReleased,
  EventData,
  FundsDeposited,
  OrderAmended,
  OrderCancelled,
  OrderPaused,
  OrderPlaced,
  OrderResumed,
  RefundCredited,
  WebhookConfigured,
  CatalogueEvent,
} from '#lx/contracts';

/*
 * The buyer account (`buyer-<buyerId>`): the only owner of a buyer's money. Money is kept per
 * currency in minor units: `available` can be reserved by orders, `reserved` is held for them
 * until the engine closes the order and the unspent part is released.
 */

export type BuyerAccountEvent = CatalogueEvent<
  | typeof FundsDeposited
  | typeof OrderPlaced
  | typeof OrderAmended
  | typeof OrderPaused
  | typeof OrderResumed
  | typeof OrderCancelled
  | typeof BudgetReleased
  | typeof RefundCredited
  | typeof WebhookConfigured
>;

export type OrderTerms = Omit<EventData<typeof OrderAmended>, 'orderId' | 'buyerId'>;

/**
 * `open` and `paused` are live: the engine may still spend. `cancelled` waits for the engine's
 * OrderClosed; `closed` means the unspent budget came back.
 */
export type OrderStatus = 'open' | 'paused' | 'cancelled' | 'closed';

export interface OrderState {
  orderId: string;
  vertical: string;
  currency: string;
  terms: OrderTerms;
  status: OrderStatus;
  /** Money held for the order: the budget, plus refunds credited back to it. */
  reserved: number;
  /** Given back to the available balance (when the order closed). */
  released: number;
  /** The buyer cancelled it: it wants no more leads, not even replacements. */
  cancelled: boolean;
  /** The returned lead this order replaces, when the exchange placed it (see credit-refund). */
  replacementFor?: { orderId: string; allocationId: string };
}

export interface Balance {
  available: number;
  reserved: number;
  deposited: number;
}

export interface BuyerAccountState {
  buyerId: string | null;
  balances: Readonly<Record<string, Balance>>;
  orders: Readonly<Record<string, OrderState>>;
  /** Each deposit counts once: a repeated deposit id is recognised by its amount and currency. */
  deposits: Readonly<Record<string, { amount: number; currency: string }>>;
  /** Allocations refunded already (each accepted return is credited once). */
  refunds: Readonly<Record<string, true>>;
  /** `previous`: the secret a rotation replaced, still signed with until `validUntil` (ISO time). */
  webhook: { url: string; secretRef: string; previous?: { secretRef: string; validUntil: string } } | null;
}

export const initialBuyerAccountState: BuyerAccountState = {
  buyerId: null,
  balances: {},
  orders: {},
  deposits: {},
  refunds: {},
  webhook: null,
};

const EMPTY_BALANCE: Balance = { available: 0, reserved: 0, deposited: 0 };

export function balanceIn(state: BuyerAccountState, currency: string): Balance {
  return state.balances[currency] ?? EMPTY_BALANCE;
}

function withBalance(
  state: BuyerAccountState,
  currency: string,
  change: Partial<Balance>,
): BuyerAccountState {
  const current = balanceIn(state, currency);
  const next: Balance = {
    available: current.available + (change.available ?? 0),
    reserved: current.reserved + (change.reserved ?? 0),
    deposited: current.deposited + (change.deposited ?? 0),
  };
  return { ...state, balances: { ...state.balances, [currency]: next } };
}

function withOrder(
  state: BuyerAccountState,
  orderId: string,
  change: Partial<OrderState>,
): BuyerAccountState {
  const order = state.orders[orderId];
  if (!order) return state;
  return { ...state, orders: { ...state.orders, [orderId]: { ...order, ...change } } };
}

export function evolveBuyerAccount(state: BuyerAccountState, event: BuyerAccountEvent): BuyerAccountState {
  switch (event.type) {
    case 'FundsDeposited': {
      const { buyerId, depositId, amount, currency } = event.data;
      const next = withBalance(state, currency, { available: amount, deposited: amount });
      return { ...next, buyerId, deposits: { ...next.deposits, [depositId]: { amount, currency } } };
    }
    case 'OrderPlaced': {
      const { orderId, buyerId, vertical, currency, replacementFor, ...terms } = event.data;
      const next = withBalance(state, currency, { available: -terms.budget, reserved: terms.budget });
      const order: OrderState = {
        orderId,
        vertical,
        currency,
        terms,
        status: 'open',
        reserved: terms.budget,
        released: 0,
        cancelled: false,
        ...(replacementFor ? { replacementFor } : {}),
      };
      return { ...next, buyerId, orders: { ...next.orders, [orderId]: order } };
    }
    case 'OrderAmended': {
      const { orderId, buyerId: _buyer, ...terms } = event.data;
      const order = state.orders[orderId];
      if (!order) return state;
      const increase = terms.budget - order.terms.budget;
      const next = withBalance(state, order.currency, { available: -increase, reserved: increase });
      return withOrder(next, orderId, { terms, reserved: order.reserved + increase });
    }
    case 'OrderPaused':
      return withOrder(state, event.data.orderId, { status: 'paused' });
    case 'OrderResumed':
      return withOrder(state, event.data.orderId, { status: 'open' });
    case 'OrderCancelled':
      return withOrder(state, event.data.orderId, { status: 'cancelled', cancelled: true });
    case 'BudgetReleased': {
      const { orderId, amount, currency, reason } = event.data;
      const order = state.orders[orderId];
      // A closed order holds nothing more: the unspent part comes back to available, the spent
      // part (order.reserved - amount) left with the engine's sales.
      const unheld = reason === 'order_closed' && order ? order.reserved : amount;
      const next = withBalance(state, currency, { available: amount, reserved: -unheld });
      if (!order) return next;
      return withOrder(next, orderId, {
        released: order.released + amount,
        reserved: order.reserved - unheld,
        ...(reason === 'order_closed' ? { status: 'closed' as const } : {}),
      });
    }
    case 'RefundCredited': {
      const { orderId, allocationId, amount, currency, creditedTo } = event.data;
      const refunded = { ...state, refunds: { ...state.refunds, [allocationId]: true as const } };
      if (creditedTo === 'available') return withBalance(refunded, currency, { available: amount });
      const order = state.orders[orderId];
      const next = withBalance(refunded, currency, { reserved: amount });
      return order ? withOrder(next, orderId, { reserved: order.reserved + amount }) : next;
    }
    case 'WebhookConfigured':
      return {
        ...state,
        buyerId: event.data.buyerId,
        webhook: {
          url: event.data.url,
          secretRef: event.data.secretRef,
          ...(event.data.previousSecretRef && event.data.previousSecretValidUntil
            ? {
                previous: {
                  secretRef: event.data.previousSecretRef,
                  validUntil: event.data.previousSecretValidUntil,
                },
              }
            : {}),
        },
      };
  }
}

export const isLive = (order: OrderState): boolean => order.status === 'open' || order.status === 'paused';
