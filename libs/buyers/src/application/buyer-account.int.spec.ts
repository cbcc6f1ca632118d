import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { eventCatalogue, newEvent, OrderClosed, ReplacementDecided } from '#lx/contracts';
import { PostgresEventStore } from '#lx/event-store';
import { AggregateRepository } from '#lx/event-sourcing';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { buyerAccountDecider } from '../domain/buyer-account-decider.js';
import type { OrderTerms } from '../domain/buyer-account.js';
import { EngineAnswersToOrders } from './engine-answers.js';
import { buyerStream, loadBuyerAccount } from './buyer-account-stream.js';

jest.setTimeout(120_000);

const terms = (budget: number): OrderTerms => ({
  filters: {},
  bid: 1000,
  modifiers: [],
  quantity: 10,
  budget,
  exclusivity: 'any',
  delivery: 'pull',
});

describe('buyer account on a real event store', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let repository: AggregateRepository;

  beforeAll(async () => {
    database = await createTestDatabase('buyer_account');
    store = await PostgresEventStore.connect({
      connectionString: database.url,
      registry: eventCatalogue,
      poolSize: 20,
    });
    repository = new AggregateRepository(store);
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const deposit = (buyerId: string, amount: number) =>
    repository.handle(buyerStream(buyerId), buyerAccountDecider, {
      kind: 'deposit',
      buyerId,
      depositId: randomUUID(),
      amount,
      currency: 'RUB',
      reference: 'bank transfer',
    });

  /** A deposit, then an eyewear order with `budget` of it. */
  const fundedOrder = async (buyerId: string, orderId: string, deposited: number, budget: number) => {
    await deposit(buyerId, deposited);
    await repository.handle(buyerStream(buyerId), buyerAccountDecider, {
      kind: 'place-order',
      marketOpen: true,
      buyerId,
      orderId,
      vertical: 'eyewear',
      currency: 'RUB',
      terms: terms(budget),
    });
  };

  it('never reserves more than was deposited, whatever the concurrency', async () => {
    const buyerId = randomUUID();
    await deposit(buyerId, 100_000);
    // 40 orders of 7 000 race for 100 000: at most 14 can be funded.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, () =>
        repository.handle(
          buyerStream(buyerId),
          buyerAccountDecider,
          {
            kind: 'place-order',
            marketOpen: true,
            buyerId,
            orderId: randomUUID(),
            vertical: 'eyewear',
            currency: 'RUB',
            terms: terms(7000),
          },
          { retries: 60 },
        ),
      ),
    );
    const placed = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(placed).toBe(14);
    for (const reason of refused) expect(reason).toMatchObject({ code: 'insufficient-funds' });

    const state = await loadBuyerAccount(repository, buyerId);
    expect(state.balances.RUB).toEqual({ available: 2000, reserved: 98_000, deposited: 100_000 });
    // The log itself agrees: every prefix of the stream keeps the available balance non-negative.
    let available = 0;
    for (const event of await store.readStream(buyerStream(buyerId))) {
      const data = event.data as { amount?: number; budget?: number };
      available += event.type === 'FundsDeposited' ? data.amount! : -data.budget!;
      expect(available).toBeGreaterThanOrEqual(0);
    }
  });

  it('releases the unspent budget once per OrderClosed, with an event id derived from it', async () => {
    const buyerId = randomUUID();
    const orderId = randomUUID();
    await fundedOrder(buyerId, orderId, 50_000, 30_000);
    await store.appendToStream(
      'market-eyewear',
      [newEvent(OrderClosed, { orderId, buyerId, reason: 'cancelled', spent: 12_000, released: 18_000 })],
      { expectedRevision: 'any' },
    );
    const [closed] = (await store.readStream('market-eyewear')).filter(
      (event) => event.type === 'OrderClosed',
    );
    const release = new EngineAnswersToOrders(store, repository);
    await Promise.all([release.handle(closed!), release.handle(closed!), release.handle(closed!)]);
    await release.handle(closed!);

    const released = (await store.readStream(buyerStream(buyerId))).filter(
      (event) => event.type === 'BudgetReleased',
    );
    expect(released).toHaveLength(1);
    expect(released[0]!.metadata.causationId).toBe(closed!.id);
    const state = await loadBuyerAccount(repository, buyerId);
    // The 12 000 spent left the account with the allocations; nothing stays reserved for a closed order.
    expect(state.balances.RUB).toEqual({ available: 38_000, reserved: 0, deposited: 50_000 });
    expect(state.orders[orderId]!.status).toBe('closed');
  });

  it('a refund that raced the close comes back with it and still buys its replacement, once', async () => {
    const buyerId = randomUUID();
    const orderId = randomUUID();
    const allocationId = randomUUID();
    await fundedOrder(buyerId, orderId, 50_000, 30_000);
    // The engine fills the order (30 000 spent) while the buyer account, not yet told, credits a
    // returned lead's 3 000 to the order for a replacement; the engine then declines it.
    await store.appendToStream(
      'market-eyewear',
      [newEvent(OrderClosed, { orderId, buyerId, reason: 'filled', spent: 30_000, released: 0 })],
      { expectedRevision: 'any' },
    );
    await repository.handle(buyerStream(buyerId), buyerAccountDecider, {
      kind: 'credit-refund',
      buyerId,
      orderId,
      allocationId,
      amount: 3_000,
      currency: 'RUB',
      replace: true,
    });
    const [, refund] = await store.readStream(buyerStream(buyerId)).then((events) => events.slice(-2));
    expect(refund!.data).toMatchObject({ creditedTo: 'order_budget' });
    await store.appendToStream(
      'market-eyewear',
      [
        newEvent(ReplacementDecided, {
          allocationId,
          orderId,
          buyerId,
          amount: 3_000,
          outcome: 'declined',
          inputPosition: '1/1',
        }),
      ],
      { expectedRevision: 'any' },
    );
    const answers = (await store.readStream('market-eyewear')).filter(
      (event) => (event.data as { orderId?: string }).orderId === orderId,
    );
    const reactions = new EngineAnswersToOrders(store, repository);
    for (let round = 0; round < 2; round++) for (const answer of answers) await reactions.handle(answer);

    const events = await store.readStream(buyerStream(buyerId));
    const released = events.filter((event) => event.type === 'BudgetReleased');
    expect(released.map((event) => event.data)).toMatchObject([{ amount: 3_000, reason: 'order_closed' }]);
    const replacements = events.filter((event) => event.type === 'OrderPlaced').slice(1);
    expect(replacements.map((event) => event.data)).toMatchObject([
      { quantity: 1, budget: 3_000, bid: 1000, replacementFor: { orderId, allocationId } },
    ]);
    const state = await loadBuyerAccount(repository, buyerId);
    // 30 000 spent, 3 000 refunded and now held by the replacement order.
    expect(state.balances.RUB).toEqual({ available: 20_000, reserved: 3_000, deposited: 50_000 });
  });
});
