import type { AggregateRepository } from '#lx/event-sourcing';
import { buyerAccountDecider } from '../domain/buyer-account-decider.js';
import type { BuyerAccountState } from '../domain/buyer-account.js';

export const buyerStream = (buyerId: string) => `buyer-${buyerId}`;
export const returnStream = (allocationId: string) => `return-${allocationId}`;
export const conversionStream = (allocationId: string) => `conversion-${allocationId}`;

export async function loadBuyerAccount(
  repository: AggregateRepository,
  buyerId: string,
): Promise<BuyerAccountState> {
  return (await repository.load(buyerStream(buyerId), buyerAccountDecider)).state;
}
