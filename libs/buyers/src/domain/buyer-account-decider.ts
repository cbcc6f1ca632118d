import type { DecisionContext, Decider } from '#lx/event-sourcing';
import {
  balanceIn,
  evolveBuyerAccount,
  initialBuyerAccountState,
  isLive,
  type BuyerAccountEvent,
  type BuyerAccountState,
  type OrderState,
  type OrderTerms,
} from './buyer-account.js';
import { BuyerAccountError } from './buyer-account-errors.js';

export type BuyerAccountCommand =
  | {
      kind: 'deposit';
      buyerId: string;
      depositId: string;
      amount: number;
      currency: string;
      reference: string;
    }
  | {
      kind: 'place-order';
      buyerId: string;
      orderId: string;
      vertical: string;
      currency: string;
      terms: OrderTerms;
      /** Whether an engine runs the vertical's market (its clock has ticked): no engine, no order. */
      marketOpen: boolean;
    }
  | { kind: 'amend-order'; buyerId: string; orderId: string; terms: OrderTerms }
  | { kind: 'pause-order'; buyerId: string; orderId: string }
  | { kind: 'resume-order'; buyerId: string; orderId: string }
  | {
      kind: 'cancel-order';
      buyerId: string;
      orderId: string;
      reason?: string;
      /**
       * Whether an engine will answer with OrderClosed (which releases the unspent money): one
       * runs the order's market. When none ever did, the cancel itself releases the money.
       */
      engineTakesOrder: boolean;
    }
  /** The engine closed the order (OrderClosed): give back what it holds beyond what was spent. */
  | { kind: 'release-closed-order'; buyerId: string; orderId: string; spent: number }
  /** An accepted return's price comes back: to the order (replacement) or the available balance. */
  | {
      kind: 'credit-refund';
      buyerId: string;
      orderId: string;
      allocationId: string;
      amount: number;
      currency: string;
      replace: boolean;
    }
  /** The engine declined a replacement because it had closed the order (ReplacementDecided). */
  | { kind: 'replace-declined'; buyerId: string; orderId: string; allocationId: string; amount: number }
  | { kind: 'configure-webhook'; buyerId: string; url: string; secretRef: string }
  /** A new signing secret; deliveries carry both signatures until `previousValidUntil`. */
  | { kind: 'rotate-webhook-secret'; buyerId: string; secretRef: string; previousValidUntil: string };

/*
 * What may change while an order is live (open or paused):
 *  - filters, bid, max bid, modifiers, quantity, daily caps, exclusivity, expiry, delivery: any time;
 *  - budget: it may only grow (the increase is reserved from the available balance). Only the
 *    engine knows what has been spent, so lowering a budget could give back money already spent:
 *    to spend less, cancel — the unspent part comes back exactly when the engine closes the order;
 *  - vertical and currency never change (place a new order for another market).
 * A cancelled or closed order changes no more.
 */

function decide(
  command: BuyerAccountCommand,
  state: BuyerAccountState,
  context: DecisionContext,
): BuyerAccountEvent[] {
  switch (command.kind) {
    case 'deposit':
      return deposit(command, state);
    case 'place-order':
      return placePurchaseOrder(command, state, context);
    case 'amend-order':
      return amendPurchaseOrder(command, state, context);
    case 'pause-order': {
      const order = liveOrder(state, command.orderId, 'pause');
      if (order.status === 'paused') return [];
      return [{ type: 'OrderPaused', data: { orderId: order.orderId, buyerId: command.buyerId } }];
    }
    case 'resume-order': {
      const order = liveOrder(state, command.orderId, 'resume');
      if (order.status === 'open') return [];
      return [{ type: 'OrderResumed', data: { orderId: order.orderId, buyerId: command.buyerId } }];
    }
    case 'cancel-order':
      return cancelPurchaseOrder(command, state);
    case 'release-closed-order':
      return releaseUnspentBudget(command, state);
    case 'credit-refund':
      return creditRefund(command, state, context);
    case 'replace-declined':
      return replaceDeclined(command, state, context);
    case 'configure-webhook':
      return configureWebhook(command);
    case 'rotate-webhook-secret':
      return rotateWebhookSecret(command, state);
  }
}

/**
 * Cancelling asks the engine to close the order; its OrderClosed then releases what was not spent.
 * An order no engine takes would wait for that answer for ever: it is closed and released at once
 * (also when it was cancelled already, before this rule, with its money still held). Once: a
 * released order is closed, and a later OrderClosed for it changes nothing.
 */
function cancelPurchaseOrder(
  command: Extract<BuyerAccountCommand, { kind: 'cancel-order' }>,
  state: BuyerAccountState,
): BuyerAccountEvent[] {
  const order = existingOrder(state, command.orderId);
  if (order.status === 'closed')
    throw new BuyerAccountError('order-state-conflict', `Order ${order.orderId} is already closed`, {
      status: order.status,
    });
  const cancelled: BuyerAccountEvent[] =
    order.status === 'cancelled'
      ? []
      : [
          {
            type: 'OrderCancelled',
            data: {
              orderId: order.orderId,
              buyerId: command.buyerId,
              ...(command.reason ? { reason: command.reason } : {}),
            },
          },
        ];
  if (command.engineTakesOrder) return cancelled;
  return [
    ...cancelled,
    {
      type: 'BudgetReleased',
      data: {
        orderId: order.orderId,
        buyerId: command.buyerId,
        amount: order.reserved,
        currency: order.currency,
        reason: 'order_closed',
      },
    },
  ];
}

function deposit(command: Extract<BuyerAccountCommand, { kind: 'deposit' }>, state: BuyerAccountState) {
  const earlier = state.deposits[command.depositId];
  if (earlier) {
    // A retried confirmation of the same deposit counts once; another deposit under its id is refused.
    if (earlier.amount === command.amount && earlier.currency === command.currency) return [];
    throw new BuyerAccountError(
      'deposit-exists',
      `Deposit ${command.depositId} was confirmed with another amount`,
      {
        depositId: command.depositId,
      },
    );
  }
  const { kind: _kind, ...data } = command;
  return [{ type: 'FundsDeposited', data } as const];
}

export function placePurchaseOrder(
  command: Extract<BuyerAccountCommand, { kind: 'place-order' }>,
  state: BuyerAccountState,
  context: DecisionContext,
): BuyerAccountEvent[] {
  if (state.orders[command.orderId])
    throw new BuyerAccountError('order-exists', `Order ${command.orderId} exists already`);
  if (!command.marketOpen)
    throw new BuyerAccountError(
      'market-not-open',
      `No engine runs the ${command.vertical} market: an order there could never buy and would only hold its budget`,
      { vertical: command.vertical },
    );
  checkExpiry(command.terms, context);
  const balance = balanceIn(state, command.currency);
  if (command.terms.budget > balance.available)
    throw new BuyerAccountError(
      'insufficient-funds',
      `The budget ${command.terms.budget} is above the available balance ${balance.available} ${command.currency}`,
      { currency: command.currency, available: balance.available, requested: command.terms.budget },
    );
  const { buyerId, orderId, vertical, currency, terms } = command;
  return [{ type: 'OrderPlaced', data: { orderId, buyerId, vertical, currency, ...terms } }];
}

export function amendPurchaseOrder(
  command: Extract<BuyerAccountCommand, { kind: 'amend-order' }>,
  state: BuyerAccountState,
  context: DecisionContext,
): BuyerAccountEvent[] {
  const order = liveOrder(state, command.orderId, 'amend');
  const increase = command.terms.budget - order.terms.budget;
  if (increase < 0)
    throw new BuyerAccountError(
      'budget-reduction-refused',
      'A live order’s budget can only grow; cancel the order to stop spending and get the unspent part back',
      { budget: order.terms.budget, requested: command.terms.budget },
    );
  if (command.terms.expiresAt !== order.terms.expiresAt) checkExpiry(command.terms, context);
  const available = balanceIn(state, order.currency).available;
  if (increase > available)
    throw new BuyerAccountError(
      'insufficient-funds',
      `Raising the budget by ${increase} needs more than the available ${available} ${order.currency}`,
      { currency: order.currency, available, requested: increase },
    );
  return [
    { type: 'OrderAmended', data: { orderId: order.orderId, buyerId: command.buyerId, ...command.terms } },
  ];
}

/*
 * What an order holds on the account is its budget, every increase, and the refunds credited to it;
 * what left is every sale's price (OrderClosed.spent). The difference comes back when the order
 * closes — computed here, not taken from the engine, because money can reach the order after the
 * engine closed it (an amendment or a refund racing the close): the engine never saw that money,
 * the account did.
 */
function releaseUnspentBudget(
  command: Extract<BuyerAccountCommand, { kind: 'release-closed-order' }>,
  state: BuyerAccountState,
): BuyerAccountEvent[] {
  const order = existingOrder(state, command.orderId);
  if (order.status === 'closed') return []; // released once already: a redelivered OrderClosed changes nothing
  if (command.spent > order.reserved)
    throw new BuyerAccountError(
      'release-exceeds-reservation',
      `Order ${order.orderId} holds ${order.reserved}, the engine spent ${command.spent}`,
      { reserved: order.reserved, spent: command.spent },
    );
  return [
    {
      type: 'BudgetReleased',
      data: {
        orderId: order.orderId,
        buyerId: command.buyerId,
        amount: order.reserved - command.spent,
        currency: order.currency,
        reason: 'order_closed',
      },
    },
  ];
}

/**
 * Where an accepted return's price goes. Without a replacement: the available balance. With one:
 *  - the order is live: back on the order — the engine gives it one unit and the price back and
 *    buys the replacement (ReplacementDecided);
 *  - the order closed without the buyer cancelling it (filled, budget spent): to the available
 *    balance and at once into a new one-lead order on the closed order's terms, funded by the
 *    refund (a replacement costs at most what the returned lead cost);
 *  - the buyer cancelled it, or its expiry passed: the available balance, no replacement.
 * The engine may close a live order just before the refund reaches it: it then declines the
 * replacement, the refund is released with the order's other money, and `replace-declined` buys
 * the replacement as a one-lead order.
 */
function creditRefund(
  command: Extract<BuyerAccountCommand, { kind: 'credit-refund' }>,
  state: BuyerAccountState,
  context: DecisionContext,
): BuyerAccountEvent[] {
  if (state.refunds[command.allocationId]) return [];
  const { buyerId, orderId, allocationId, amount, currency } = command;
  const order = state.orders[orderId];
  const refund = (creditedTo: 'available' | 'order_budget'): BuyerAccountEvent => ({
    type: 'RefundCredited',
    data: { buyerId, orderId, allocationId, amount, currency, creditedTo },
  });
  if (!command.replace || !order || order.currency !== currency) return [refund('available')];
  if (isLive(order)) return [refund('order_budget')];
  if (!replaceable(order, context)) return [refund('available')];
  return [refund('available'), replacementOrder(order, allocationId, amount, buyerId, context)];
}

/**
 * The engine declined a replacement (it had closed the order just before the refund reached it):
 * the refund came back with the order's other money when the close was released, and buys the
 * replacement as a one-lead order now, as it would have had the order been seen closed. Once: the
 * new order's id is derived from the engine's answer.
 */
function replaceDeclined(
  command: Extract<BuyerAccountCommand, { kind: 'replace-declined' }>,
  state: BuyerAccountState,
  context: DecisionContext,
): BuyerAccountEvent[] {
  const order = state.orders[command.orderId];
  if (!order || !replaceable(order, context)) return [];
  const replacement = replacementOrder(order, command.allocationId, command.amount, command.buyerId, context);
  const placed = replacement.data as { orderId: string };
  if (state.orders[placed.orderId]) return [];
  // The buyer may have spent the released money meanwhile: then there is nothing to buy it with.
  if (balanceIn(state, order.currency).available < command.amount) return [];
  return [replacement];
}

/** A closed order the buyer did not cancel and whose expiry has not passed can be replaced. */
function replaceable(order: OrderState, context: DecisionContext): boolean {
  return order.status === 'closed' && !order.cancelled && expiresAfter(order.terms, context.now);
}

/** One lead on the closed order's terms, at most the returned lead's price, funded by the refund. */
function replacementOrder(
  order: OrderState,
  allocationId: string,
  amount: number,
  buyerId: string,
  context: DecisionContext,
): BuyerAccountEvent {
  const { terms } = order;
  return {
    type: 'OrderPlaced',
    data: {
      orderId: context.newId(),
      buyerId,
      vertical: order.vertical,
      currency: order.currency,
      ...terms,
      bid: Math.min(terms.bid, amount),
      ...(terms.maxBid !== undefined ? { maxBid: Math.min(terms.maxBid, amount) } : {}),
      quantity: 1,
      budget: amount,
      replacementFor: { orderId: order.orderId, allocationId },
    },
  };
}

function configureWebhook(
  command: Extract<BuyerAccountCommand, { kind: 'configure-webhook' }>,
): BuyerAccountEvent[] {
  if (!isHttpUrl(command.url))
    throw new BuyerAccountError('invalid-webhook-url', 'A webhook URL must be http or https', {
      url: command.url,
    });
  return [
    {
      type: 'WebhookConfigured',
      data: { buyerId: command.buyerId, url: command.url, secretRef: command.secretRef },
    },
  ];
}

function rotateWebhookSecret(
  command: Extract<BuyerAccountCommand, { kind: 'rotate-webhook-secret' }>,
  state: BuyerAccountState,
): BuyerAccountEvent[] {
  if (!state.webhook) throw new BuyerAccountError('webhook-not-found', 'No webhook is configured');
  return [
    {
      type: 'WebhookConfigured',
      data: {
        buyerId: command.buyerId,
        url: state.webhook.url,
        secretRef: command.secretRef,
        previousSecretRef: state.webhook.secretRef,
        previousSecretValidUntil: command.previousValidUntil,
      },
    },
  ];
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    // An http(s) URL always has a host: the parser refuses one without.
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Whether terms without an expiry, or with one after `now`, still hold at `now`. */
function expiresAfter(terms: OrderTerms, now: Date): boolean {
  return terms.expiresAt === undefined || now.getTime() < Date.parse(terms.expiresAt);
}

function checkExpiry(terms: OrderTerms, { now }: DecisionContext): void {
  if (!expiresAfter(terms, now))
    throw new BuyerAccountError('order-expiry-in-past', 'The order would expire before it is placed', {
      expiresAt: terms.expiresAt,
      now: now.toISOString(),
    });
}

function existingOrder(state: BuyerAccountState, orderId: string): OrderState {
  const order = state.orders[orderId];
  if (!order) throw new BuyerAccountError('order-not-found', `Order ${orderId} was not found`);
  return order;
}

function liveOrder(state: BuyerAccountState, orderId: string, action: string): OrderState {
  const order = existingOrder(state, orderId);
  if (!isLive(order))
    throw new BuyerAccountError('order-state-conflict', `A ${order.status} order cannot ${action}`, {
      status: order.status,
    });
  return order;
}

export const buyerAccountDecider: Decider<BuyerAccountState, BuyerAccountCommand, BuyerAccountEvent> = {
  initialState: initialBuyerAccountState,
  evolve: evolveBuyerAccount,
  decide,
  // An account's stream holds every order the buyer ever placed, and it is loaded for each order,
  // release and webhook delivery: folding it whole each time grew quadratically (bench/README.md, Soak).
  keepFoldedStreams: 500,
};
