import type { BuyerAccountState, OrderState } from '../domain/buyer-account.js';
import type { AccountView } from './account.dtos.js';

export function toAccountView(buyerId: string, state: BuyerAccountState): AccountView {
  return {
    buyerId,
    balances: Object.entries(state.balances)
      .map(([currency, balance]) => ({ currency, ...balance }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
    webhook: state.webhook ? { url: state.webhook.url } : null,
  };
}

export interface OrderView {
  orderId: string;
  vertical: string;
  currency: string;
  status: OrderState['status'];
  /** Held for the order now (budget and refunds, less what was released). */
  reserved: number;
  released: number;
  terms: OrderState['terms'];
  /** What the order bought so far, as the purchases read model has it. */
  progress: { leadsBought: number; spend: number };
  /** Set on an order the exchange placed to replace a returned lead of a closed order. */
  replacementFor?: { orderId: string; allocationId: string };
}

export function toOrderView(
  order: OrderState,
  progress: { leadsBought: number; spend: number } = { leadsBought: 0, spend: 0 },
): OrderView {
  const { orderId, vertical, currency, status, reserved, released, terms, replacementFor } = order;
  return {
    orderId,
    vertical,
    currency,
    status,
    reserved,
    released,
    terms,
    progress,
    ...(replacementFor ? { replacementFor } : {}),
  };
}
