import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fixedDecisionContext } from '#lx/spec-helpers';
import { buyerAccountDecider, type BuyerAccountCommand } from './buyer-account-decider.js';
import { BuyerAccountError } from './buyer-account-errors.js';
import { balanceIn, type BuyerAccountState, type OrderTerms } from './buyer-account.js';

/*
 * Any sequence of a buyer's commands — deposits (retried too), orders placed, amended, paused,
 * cancelled and closed by the engine, refunds with and without replacement — keeps the account
 * whole: in every currency, available + reserved = deposits − what the engine spent + refunds,
 * and neither balance goes below zero.
 */

const buyerId = 'buyer-1';
const CURRENCIES = ['RUB', 'EUR'] as const;
const ORDERS = ['o-1', 'o-2', 'o-3'] as const;

const terms = (budget: number, expiresAt?: string): OrderTerms => ({
  filters: {},
  bid: 1_000,
  modifiers: [],
  quantity: 5,
  budget,
  exclusivity: 'any',
  delivery: 'webhook',
  ...(expiresAt ? { expiresAt } : {}),
});

const commandArb: fc.Arbitrary<BuyerAccountCommand> = fc.oneof(
  fc.record({
    kind: fc.constant('deposit' as const),
    buyerId: fc.constant(buyerId),
    depositId: fc.constantFrom('d-1', 'd-2', 'd-3', 'd-4'),
    amount: fc.integer({ min: 1, max: 20_000 }),
    currency: fc.constantFrom(...CURRENCIES),
    reference: fc.constant('bank'),
  }),
  fc
    .record({
      orderId: fc.constantFrom(...ORDERS),
      currency: fc.constantFrom(...CURRENCIES),
      budget: fc.integer({ min: 1, max: 15_000 }),
      expiresAt: fc.option(fc.constantFrom('2029-12-31T00:00:00.000Z', '2030-06-01T00:00:00.000Z'), {
        nil: undefined,
      }),
    })
    .map(({ orderId, currency, budget, expiresAt }) => ({
      kind: 'place-order' as const,
      buyerId,
      orderId,
      vertical: 'eyewear',
      currency,
      terms: terms(budget, expiresAt),
      marketOpen: true,
    })),
  fc
    .record({ orderId: fc.constantFrom(...ORDERS), budget: fc.integer({ min: 1, max: 20_000 }) })
    .map(({ orderId, budget }) => ({ kind: 'amend-order' as const, buyerId, orderId, terms: terms(budget) })),
  fc
    .record({
      kind: fc.constantFrom('pause-order' as const, 'resume-order' as const, 'cancel-order' as const),
      orderId: fc.constantFrom(...ORDERS),
      // Both kinds of cancel: the engine will answer (and release), or no engine ever ran the market.
      engineTakesOrder: fc.boolean(),
    })
    .map(({ kind, orderId, engineTakesOrder }): BuyerAccountCommand =>
      kind === 'cancel-order' ? { kind, buyerId, orderId, engineTakesOrder } : { kind, buyerId, orderId },
    ),
  fc
    .record({ orderId: fc.constantFrom(...ORDERS), spent: fc.integer({ min: 0, max: 20_000 }) })
    .map(({ orderId, spent }) => ({ kind: 'release-closed-order' as const, buyerId, orderId, spent })),
  fc
    .record({
      orderId: fc.constantFrom(...ORDERS),
      allocationId: fc.constantFrom('a-1', 'a-2', 'a-3'),
      amount: fc.integer({ min: 1, max: 3_000 }),
      currency: fc.constantFrom(...CURRENCIES),
      replace: fc.boolean(),
    })
    .map((refund) => ({ kind: 'credit-refund' as const, buyerId, ...refund })),
);

describe('buyer account properties over any sequence of commands', () => {
  it('available plus reserved always equals deposits minus what was spent plus refunds, per currency', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 40 }), (commands) => {
        const context = fixedDecisionContext();
        let state: BuyerAccountState = buyerAccountDecider.initialState;
        const deposits = new Map<string, number>();
        const spent = new Map<string, number>();
        const add = (book: Map<string, number>, currency: string, amount: number) =>
          book.set(currency, (book.get(currency) ?? 0) + amount);
        for (const command of commands) {
          const before = state;
          let events;
          try {
            events = buyerAccountDecider.decide(command, state, context);
          } catch (error) {
            expect(error).toBeInstanceOf(BuyerAccountError);
            continue;
          }
          for (const event of events) {
            state = buyerAccountDecider.evolve(state, event);
            if (event.type === 'FundsDeposited') add(deposits, event.data.currency, event.data.amount);
            if (event.type === 'RefundCredited') add(spent, event.data.currency, -event.data.amount);
          }
          if (command.kind === 'release-closed-order' && events.length > 0) {
            add(spent, before.orders[command.orderId]!.currency, command.spent);
          }
          for (const currency of CURRENCIES) {
            const { available, reserved, deposited } = balanceIn(state, currency);
            expect(available + reserved).toBe((deposits.get(currency) ?? 0) - (spent.get(currency) ?? 0));
            expect(deposited).toBe(deposits.get(currency) ?? 0);
            expect(available).toBeGreaterThanOrEqual(0);
            expect(reserved).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('evolve never changes a state it was given or made, whichever state is evolved next, and matches a fold of plain copies', () => {
    fc.assert(
      fc.property(
        fc.array(commandArb, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (commands, branchPoints) => {
          const context = fixedDecisionContext();
          const plain = (state: BuyerAccountState): BuyerAccountState => JSON.parse(JSON.stringify(state));
          const states: { state: BuyerAccountState; snapshot: string }[] = [];
          const events = [];
          let state: BuyerAccountState = buyerAccountDecider.initialState;
          for (const command of commands) {
            let decided;
            try {
              decided = buyerAccountDecider.decide(command, state, context);
            } catch {
              continue;
            }
            for (const event of decided) {
              const next = buyerAccountDecider.evolve(state, event);
              // The same event applied to a plain copy (records copied, as evolve once did) agrees.
              expect(next).toEqual(buyerAccountDecider.evolve(plain(state), event));
              events.push(event);
              states.push({ state: next, snapshot: JSON.stringify(next) });
              state = next;
            }
          }
          // Branches: earlier states evolved again with later events, then read.
          for (const point of branchPoints) {
            if (states.length < 2) break;
            const at = point % (states.length - 1);
            let branch = states[at]!.state;
            for (const event of events.slice(at + 1, at + 4))
              branch = buyerAccountDecider.evolve(branch, event);
            expect(branch).toEqual(plain(states[Math.min(at + 3, states.length - 1)]!.state));
          }
          for (const { state: kept, snapshot } of states) expect(JSON.stringify(kept)).toBe(snapshot);
        },
      ),
      { numRuns: 150 },
    );
  });
});
