import type { operations as SellersOperations } from './generated/sellers';
import type { operations as BuyersOperations } from './generated/buyers';
import type { operations as SettlementOperations } from './generated/settlement';

type Success<R> = R extends { 200: infer A }
  ? A
  : R extends { 201: infer A }
    ? A
    : R extends { 202: infer A }
      ? A
      : never;
type JsonOf<R> = Success<R> extends { content: { 'application/json': infer J } } ? J : never;

/** The JSON a sellers-app operation answers on success, by its operationId. */
export type SellersAnswer<K extends keyof SellersOperations> = JsonOf<SellersOperations[K]['responses']>;
export type BuyersAnswer<K extends keyof BuyersOperations> = JsonOf<BuyersOperations[K]['responses']>;
export type SettlementAnswer<K extends keyof SettlementOperations> = JsonOf<
  SettlementOperations[K]['responses']
>;
