import { describe, expect, it } from '@jest/globals';
import { deciderSpec, fixedDecisionContext } from '#lx/spec-helpers';
import { foldEvents } from '#lx/event-sourcing';
import { buyerAccountDecider, isHttpUrl, type BuyerAccountCommand } from './buyer-account-decider.js';
import { BuyerAccountError } from './buyer-account-errors.js';
import type { BuyerAccountEvent, OrderTerms } from './buyer-account.js';

const spec = deciderSpec(buyerAccountDecider);
const buyerId = 'buyer-1';
const orderId = 'order-1';

const terms = (change: Partial<OrderTerms> = {}): OrderTerms => ({
  filters: { ageMin: 30, regions: ['RU-MOW', 'RU-SPE'], requiredContacts: ['phone', 'email'] },
  bid: 60000,
  maxBid: 60000,
  modifiers: [],
  quantity: 50,
  budget: 3_000_000,
  exclusivity: 'any',
  delivery: 'webhook',
  ...change,
});

/** The refusal naming both the roubles available and the roubles the command asked for. */
const insufficientFunds = (message: string, available: number, requested: number) =>
  new BuyerAccountError('insufficient-funds', message, { currency: 'RUB', available, requested });

/** An accepted return's 600 RUB (or 600 of `currency`) credited back, where the decider put it. */
const credited = (
  creditedTo: 'available' | 'order_budget',
  allocationId = 'alloc-1',
  currency = 'RUB',
): BuyerAccountEvent => ({
  type: 'RefundCredited',
  data: { buyerId, orderId, allocationId, amount: 60_000, currency, creditedTo },
});

/** The engine closed the order having spent `spent` of its budget: the rest is released. */
const release = (spent: number): BuyerAccountCommand => ({
  kind: 'release-closed-order',
  buyerId,
  orderId,
  spent,
});

/** The engine closed the order before it could buy the replacement for alloc-1's refund. */
const declined: BuyerAccountCommand = {
  kind: 'replace-declined',
  buyerId,
  orderId,
  allocationId: 'alloc-1',
  amount: 60_000,
};

const deposited = (amount: number, depositId = 'd-1', currency = 'RUB'): BuyerAccountEvent => ({
  type: 'FundsDeposited',
  data: { buyerId, depositId, amount, currency, reference: `ref-${depositId}` },
});
const placed = (budget = 3_000_000, id = orderId): BuyerAccountEvent => ({
  type: 'OrderPlaced',
  data: { orderId: id, buyerId, vertical: 'eyewear', currency: 'RUB', ...terms({ budget }) },
});
const place = (budget = 3_000_000, id = orderId): BuyerAccountCommand => ({
  kind: 'place-order',
  buyerId,
  orderId: id,
  vertical: 'eyewear',
  currency: 'RUB',
  terms: terms({ budget }),
  marketOpen: true,
});
const order = (kind: 'pause-order' | 'resume-order' | 'cancel-order'): BuyerAccountCommand =>
  kind === 'cancel-order' ? { kind, buyerId, orderId, engineTakesOrder: true } : { kind, buyerId, orderId };
const released = (amount: number): BuyerAccountEvent => ({
  type: 'BudgetReleased',
  data: { orderId, buyerId, amount, currency: 'RUB', reason: 'order_closed' },
});

describe('buyer account: funds', () => {
  it('a confirmed deposit becomes available', () => {
    spec
      .given([])
      .when({
        kind: 'deposit',
        buyerId,
        depositId: 'd-1',
        amount: 5_000_000,
        currency: 'RUB',
        reference: 'ref-d-1',
      })
      .then([deposited(5_000_000)]);
  });

  it('the same deposit confirmed twice counts once; another amount under its id is refused', () => {
    const again = {
      kind: 'deposit',
      buyerId,
      depositId: 'd-1',
      currency: 'RUB',
      reference: 'ref-d-1',
    } as const;
    spec
      .given([deposited(5_000_000)])
      .when({ ...again, amount: 5_000_000 })
      .then([]);
    spec
      .given([deposited(5_000_000)])
      .when({ ...again, amount: 7 })
      .then(
        new BuyerAccountError('deposit-exists', 'Deposit d-1 was confirmed with another amount', {
          depositId: 'd-1',
        }),
      );
  });

  it('balances are kept per currency', () => {
    const state = foldEvents(buyerAccountDecider, [deposited(100, 'a', 'RUB'), deposited(7, 'b', 'EUR')]);
    expect(state.balances).toEqual({
      RUB: { available: 100, reserved: 0, deposited: 100 },
      EUR: { available: 7, reserved: 0, deposited: 7 },
    });
  });
});

describe('buyer account: placing an order reserves its budget', () => {
  it('places an order whose budget the available balance covers, and reserves it', () => {
    spec
      .given([deposited(3_000_000)])
      .when(place())
      .then([placed()]);
    const state = foldEvents(buyerAccountDecider, [deposited(5_000_000), placed()]);
    expect(state.balances.RUB).toEqual({ available: 2_000_000, reserved: 3_000_000, deposited: 5_000_000 });
    expect(state.orders[orderId]).toMatchObject({ status: 'open', reserved: 3_000_000 });
  });

  it('refuses a budget above the available balance, naming both', () => {
    spec
      .given([deposited(3_000_000), placed(2_000_000, 'other')])
      .when(place(1_000_001))
      .then(
        insufficientFunds(
          'The budget 1000001 is above the available balance 1000000 RUB',
          1_000_000,
          1_000_001,
        ),
      );
  });

  it('refuses an order in a market no engine runs: it could never buy and would only hold its budget', () => {
    spec
      .given([deposited(3_000_000)])
      .when({ ...place(), marketOpen: false } as BuyerAccountCommand)
      .then(expect.objectContaining({ code: 'market-not-open', details: { vertical: 'eyewear' } }) as never);
  });

  it('money in another currency does not fund the order', () => {
    spec
      .given([deposited(10_000_000, 'd-eur', 'EUR')])
      .when(place())
      .then(BuyerAccountError);
  });

  it('refuses an expiry that has passed already, and a second order under the same id', () => {
    const context = fixedDecisionContext();
    const past: BuyerAccountCommand = {
      ...place(),
      terms: terms({ expiresAt: '2029-12-31T23:59:59.000Z' }),
    } as never;
    expect(() =>
      buyerAccountDecider.decide(past, foldEvents(buyerAccountDecider, [deposited(9e6)]), context),
    ).toThrow(expect.objectContaining({ code: 'order-expiry-in-past' }));
    spec
      .given([deposited(9_000_000), placed()])
      .when(place())
      .then(expect.objectContaining({ code: 'order-exists' }) as never);
  });
});

describe('buyer account: amending a live order', () => {
  const amend = (change: Partial<OrderTerms>): BuyerAccountCommand => ({
    kind: 'amend-order',
    buyerId,
    orderId,
    terms: terms(change),
  });

  it('changes the bid and filters, and reserves a budget increase', () => {
    spec
      .given([deposited(4_000_000), placed()])
      .when(amend({ bid: 55000, budget: 4_000_000 }))
      .then([
        { type: 'OrderAmended', data: { orderId, buyerId, ...terms({ bid: 55000, budget: 4_000_000 }) } },
      ]);
    const state = foldEvents(buyerAccountDecider, [
      deposited(4_000_000),
      placed(),
      { type: 'OrderAmended', data: { orderId, buyerId, ...terms({ budget: 4_000_000 }) } },
    ]);
    expect(state.balances.RUB).toEqual({ available: 0, reserved: 4_000_000, deposited: 4_000_000 });
  });

  it('refuses a budget increase the balance cannot cover, and any budget reduction', () => {
    spec
      .given([deposited(3_500_000), placed()])
      .when(amend({ budget: 4_000_000 }))
      .then(BuyerAccountError);
    spec
      .given([deposited(3_000_000), placed()])
      .when(amend({ budget: 1_000_000 }))
      .then(expect.objectContaining({ code: 'budget-reduction-refused' }) as never);
  });

  it('a cancelled or closed order cannot be amended', () => {
    const cancelled: BuyerAccountEvent = { type: 'OrderCancelled', data: { orderId, buyerId } };
    spec
      .given([deposited(3_000_000), placed(), cancelled])
      .when(amend({ bid: 1 }))
      .then(BuyerAccountError);
    spec
      .given([deposited(3_000_000), placed(), released(0)])
      .when(amend({ bid: 1 }))
      .then(BuyerAccountError);
  });
});

describe('buyer account: pause, resume, cancel', () => {
  const paused: BuyerAccountEvent = { type: 'OrderPaused', data: { orderId, buyerId } };
  it('pauses an open order, resumes a paused one, and repeating either changes nothing', () => {
    spec
      .given([deposited(3_000_000), placed()])
      .when(order('pause-order'))
      .then([paused]);
    spec
      .given([deposited(3_000_000), placed(), paused])
      .when(order('pause-order'))
      .then([]);
    spec
      .given([deposited(3_000_000), placed(), paused])
      .when(order('resume-order'))
      .then([{ type: 'OrderResumed', data: { orderId, buyerId } }]);
    spec
      .given([deposited(3_000_000), placed()])
      .when(order('resume-order'))
      .then([]);
  });

  it('cancels a live order without releasing the budget: the engine reports what it spent first', () => {
    spec
      .given([deposited(3_000_000), placed()])
      .when(order('cancel-order'))
      .then([{ type: 'OrderCancelled', data: { orderId, buyerId } }]);
    const state = foldEvents(buyerAccountDecider, [
      deposited(3_000_000),
      placed(),
      { type: 'OrderCancelled', data: { orderId, buyerId } },
    ]);
    expect(state.balances.RUB!.reserved).toBe(3_000_000);
  });

  it('cancelling an order in a market no engine runs releases its whole budget at once, once', () => {
    const cancelled: BuyerAccountEvent = { type: 'OrderCancelled', data: { orderId, buyerId } };
    const unanswered: BuyerAccountCommand = {
      kind: 'cancel-order',
      buyerId,
      orderId,
      engineTakesOrder: false,
    };
    spec
      .given([deposited(3_000_000), placed()])
      .when(unanswered)
      .then([cancelled, released(3_000_000)]);
    // Cancelled earlier, its money still held waiting for an engine: a second cancel releases it.
    spec
      .given([deposited(3_000_000), placed(), cancelled])
      .when(unanswered)
      .then([released(3_000_000)]);
    const state = foldEvents(buyerAccountDecider, [
      deposited(3_000_000),
      placed(),
      cancelled,
      released(3_000_000),
    ]);
    expect(state.balances.RUB).toEqual({ available: 3_000_000, reserved: 0, deposited: 3_000_000 });
    expect(state.orders[orderId]).toMatchObject({ status: 'closed', reserved: 0 });
    // Released once: cancelling again is a conflict, and an engine answering after all changes nothing.
    spec
      .given([deposited(3_000_000), placed(), cancelled, released(3_000_000)])
      .when(unanswered)
      .then(expect.objectContaining({ code: 'order-state-conflict' }) as never);
    spec
      .given([deposited(3_000_000), placed(), cancelled, released(3_000_000)])
      .when(release(0))
      .then([]);
  });

  it('an unknown order is not found', () => {
    spec
      .given([])
      .when(order('pause-order'))
      .then(expect.objectContaining({ code: 'order-not-found' }) as never);
  });
});

describe('buyer account: releasing the unspent budget when the engine closes the order', () => {
  it('gives back what the order holds beyond what the engine spent, once', () => {
    spec
      .given([deposited(5_000_000), placed()])
      .when(release(1_800_000))
      .then([released(1_200_000)]);
    spec
      .given([deposited(5_000_000), placed(), released(1_200_000)])
      .when(release(1_800_000))
      .then([]);
    const state = foldEvents(buyerAccountDecider, [deposited(5_000_000), placed(), released(1_200_000)]);
    // 1 800 000 was spent by the engine: it left the reserved balance and stays out of available.
    expect(state.balances.RUB).toEqual({ available: 3_200_000, reserved: 0, deposited: 5_000_000 });
    expect(state.orders[orderId]!.reserved).toBe(0);
    expect(state.orders[orderId]).toMatchObject({ status: 'closed', released: 1_200_000 });
  });

  it('money that reached the order after the engine closed it comes back with the rest', () => {
    // The budget was raised while the engine was closing the order: the engine spent 1 800 000 of
    // the first 3 000 000 and never saw the increase, which the account still holds.
    const amended: BuyerAccountEvent = {
      type: 'OrderAmended',
      data: { orderId, buyerId, ...terms({ budget: 3_500_000 }) },
    };
    spec
      .given([deposited(5_000_000), placed(), amended])
      .when(release(1_800_000))
      .then([released(1_700_000)]);
  });

  it('refuses a close that spent more than the order holds', () => {
    spec
      .given([deposited(5_000_000), placed()])
      .when(release(3_000_001))
      .then(BuyerAccountError);
  });
});

describe('buyer account: refunds of accepted returns', () => {
  const refund = (replace: boolean, allocationId = 'alloc-1'): BuyerAccountCommand => ({
    kind: 'credit-refund',
    buyerId,
    orderId,
    allocationId,
    amount: 60_000,
    currency: 'RUB',
    replace,
  });

  it('without a replacement the price becomes available', () => {
    spec
      .given([deposited(5_000_000), placed()])
      .when(refund(false))
      .then([credited('available')]);
  });

  it('with a replacement on a live order the price returns to the order, and stays held there', () => {
    spec
      .given([deposited(5_000_000), placed()])
      .when(refund(true))
      .then([credited('order_budget')]);
    // A paused order is live: the replacement comes when it resumes.
    spec
      .given([deposited(5_000_000), placed(), { type: 'OrderPaused', data: { orderId, buyerId } }])
      .when(refund(true))
      .then([credited('order_budget')]);
    const state = foldEvents(buyerAccountDecider, [deposited(5_000_000), placed(), credited('order_budget')]);
    expect(state.balances.RUB).toEqual({ available: 2_000_000, reserved: 3_060_000, deposited: 5_000_000 });
    expect(state.orders[orderId]!.reserved).toBe(3_060_000);
    // When the order closes, the refund leaves with what it did not spend.
    spec
      .given([deposited(5_000_000), placed(), credited('order_budget')])
      .when(release(3_000_000))
      .then([released(60_000)]);
  });

  it('a cancelled order, or one whose expiry passed, gets no replacement: the price becomes available', () => {
    const cancelled: BuyerAccountEvent = { type: 'OrderCancelled', data: { orderId, buyerId } };
    spec
      .given([deposited(5_000_000), placed(), cancelled])
      .when(refund(true))
      .then([credited('available')]);
    spec
      .given([deposited(5_000_000), placed(), cancelled, released(0)])
      .when(refund(true))
      .then([credited('available')]);
    const expiring: BuyerAccountEvent = {
      type: 'OrderPlaced',
      data: {
        orderId,
        buyerId,
        vertical: 'eyewear',
        currency: 'RUB',
        ...terms({ expiresAt: '2029-12-31T00:00:00.000Z' }),
      },
    };
    spec
      .given([deposited(5_000_000), expiring, released(0)])
      .when(refund(true))
      .then([credited('available')]);
  });

  it('an order the engine closed (filled) is replaced by a one-lead order funded by the refund', () => {
    spec
      .given([deposited(5_000_000), placed(), released(0)])
      .when(refund(true))
      .then([
        credited('available'),
        {
          type: 'OrderPlaced',
          data: {
            orderId: '00000000-0000-4000-8000-000000000001',
            buyerId,
            vertical: 'eyewear',
            currency: 'RUB',
            ...terms({ bid: 60_000, maxBid: 60_000, quantity: 1, budget: 60_000 }),
            replacementFor: { orderId, allocationId: 'alloc-1' },
          },
        },
      ]);
    // The replacement costs at most what the returned lead cost: bid and max bid are capped by it.
    const cheap: BuyerAccountCommand = { ...(refund(true) as object), amount: 40_000 } as BuyerAccountCommand;
    const [, replacement] = buyerAccountDecider.decide(
      cheap,
      foldEvents(buyerAccountDecider, [deposited(5_000_000), placed(), released(0)]),
      fixedDecisionContext(),
    );
    expect(replacement!.data).toMatchObject({ bid: 40_000, maxBid: 40_000, budget: 40_000, quantity: 1 });
  });

  it('a replacement the engine declined (it closed the order first) is bought by a one-lead order', () => {
    const replacement = {
      type: 'OrderPlaced',
      data: {
        orderId: '00000000-0000-4000-8000-000000000001',
        buyerId,
        vertical: 'eyewear',
        currency: 'RUB',
        ...terms({ quantity: 1, budget: 60_000 }),
        replacementFor: { orderId, allocationId: 'alloc-1' },
      },
    } as const;
    // The close released the refund with the rest: 60 000 back among the available money.
    spec
      .given([deposited(5_000_000), placed(), credited('order_budget'), released(60_000)])
      .when(declined)
      .then([replacement]);
    // Once, and only for a closed order not cancelled, with the money still there.
    spec
      .given([deposited(5_000_000), placed(), credited('order_budget'), released(60_000), replacement])
      .when(declined)
      .then([]);
    spec
      .given([deposited(5_000_000), placed()])
      .when(declined)
      .then([]);
    spec
      .given([deposited(3_000_000), placed(), credited('order_budget'), released(0)])
      .when(declined)
      .then([]);
  });

  it('credits each allocation once', () => {
    spec
      .given([deposited(5_000_000), placed(), credited('available')])
      .when(refund(false))
      .then([]);
    spec
      .given([deposited(5_000_000), placed(), credited('available')])
      .when(refund(true, 'alloc-2'))
      .then([credited('order_budget', 'alloc-2')]);
  });
});

describe('buyer account: webhook', () => {
  it('accepts http(s) and refuses any other scheme', () => {
    const configure = (url: string): BuyerAccountCommand => ({
      kind: 'configure-webhook',
      buyerId,
      url,
      secretRef: 'derived:v1:ab',
    });
    spec
      .given([])
      .when(configure('https://crm.example.com/hook'))
      .then([
        {
          type: 'WebhookConfigured',
          data: { buyerId, url: 'https://crm.example.com/hook', secretRef: 'derived:v1:ab' },
        },
      ]);
    for (const url of ['ftp://example.com/x', 'javascript:alert(1)', 'file:///etc/passwd', 'not a url'])
      spec.given([]).when(configure(url)).then(BuyerAccountError);
  });
});

describe('buyer account: webhook secret rotation', () => {
  const configured = {
    type: 'WebhookConfigured' as const,
    data: { buyerId, url: 'https://crm.example.com/hook', secretRef: 'derived:v1:old' },
  };
  const rotate: BuyerAccountCommand = {
    kind: 'rotate-webhook-secret',
    buyerId,
    secretRef: 'derived:v1:new',
    previousValidUntil: '2030-01-01T00:00:00.000Z',
  };

  it('keeps the URL and names the previous secret with the end of its overlap', () => {
    spec
      .given([configured])
      .when(rotate)
      .then([
        {
          type: 'WebhookConfigured',
          data: {
            buyerId,
            url: 'https://crm.example.com/hook',
            secretRef: 'derived:v1:new',
            previousSecretRef: 'derived:v1:old',
            previousSecretValidUntil: '2030-01-01T00:00:00.000Z',
          },
        },
      ]);
  });

  it('is refused when no webhook is configured', () => {
    spec.given([]).when(rotate).then(BuyerAccountError);
  });
});

describe('buyer account: money at the boundaries', () => {
  // fixedDecisionContext's clock: 2030-01-01T00:00:00.000Z.
  const NOW = '2030-01-01T00:00:00.000Z';
  const JUST_AFTER = '2030-01-01T00:00:00.001Z';
  const placeExpiring = (expiresAt: string): BuyerAccountCommand =>
    ({
      ...place(),
      terms: terms({ expiresAt }),
    }) as BuyerAccountCommand;
  const amend = (change: Partial<OrderTerms>): BuyerAccountCommand => ({
    kind: 'amend-order',
    buyerId,
    orderId,
    terms: terms(change),
  });
  const placedExpiring = (expiresAt: string): BuyerAccountEvent => ({
    type: 'OrderPlaced',
    data: { orderId, buyerId, vertical: 'eyewear', currency: 'RUB', ...terms({ expiresAt }) },
  });
  const refundWithReplacement = (currency = 'RUB'): BuyerAccountCommand => ({
    kind: 'credit-refund',
    buyerId,
    orderId,
    allocationId: 'alloc-1',
    amount: 60_000,
    currency,
    replace: true,
  });

  it('an order expiring at this very instant is refused; one a millisecond later is placed', () => {
    spec
      .given([deposited(3_000_000)])
      .when(placeExpiring(NOW))
      .then(
        new BuyerAccountError('order-expiry-in-past', 'The order would expire before it is placed', {
          expiresAt: NOW,
          now: NOW,
        }),
      );
    spec
      .given([deposited(3_000_000)])
      .when(placeExpiring(JUST_AFTER))
      .then([placedExpiring(JUST_AFTER)]);
  });

  it('an amendment re-checks the expiry only when it changes it', () => {
    // The order's expiry passed while the engine had not closed it yet: a bid change still goes through.
    spec
      .given([deposited(3_000_000), placedExpiring(NOW)])
      .when(amend({ bid: 50_000, expiresAt: NOW }))
      .then([
        { type: 'OrderAmended', data: { orderId, buyerId, ...terms({ bid: 50_000, expiresAt: NOW }) } },
      ]);
    spec
      .given([deposited(3_000_000), placedExpiring(JUST_AFTER)])
      .when(amend({ expiresAt: NOW }))
      .then(expect.objectContaining({ code: 'order-expiry-in-past' }) as never);
  });

  it('a budget increase above the available balance is refused, naming both', () => {
    spec
      .given([deposited(3_500_000), placed()])
      .when(amend({ budget: 3_500_001 }))
      .then(
        insufficientFunds(
          'Raising the budget by 500001 needs more than the available 500000 RUB',
          500_000,
          500_001,
        ),
      );
  });

  it('a budget reduction is refused with the way to get money back', () => {
    spec
      .given([deposited(3_000_000), placed()])
      .when(amend({ budget: 2_999_999 }))
      .then(
        new BuyerAccountError(
          'budget-reduction-refused',
          'A live order’s budget can only grow; cancel the order to stop spending and get the unspent part back',
          { budget: 3_000_000, requested: 2_999_999 },
        ),
      );
  });

  it('a closed or cancelled order refuses changes, naming its state', () => {
    spec
      .given([deposited(3_000_000), placed(), released(0)])
      .when(amend({ bid: 1 }))
      .then(
        new BuyerAccountError('order-state-conflict', 'A closed order cannot amend', { status: 'closed' }),
      );
    spec
      .given([deposited(3_000_000), placed(), released(0)])
      .when(order('cancel-order'))
      .then(
        new BuyerAccountError('order-state-conflict', 'Order order-1 is already closed', {
          status: 'closed',
        }),
      );
    spec
      .given([deposited(3_000_000), placed(), { type: 'OrderCancelled', data: { orderId, buyerId } }])
      .when(order('cancel-order'))
      .then([]);
  });

  it('an order the engine spent entirely releases nothing; one unit more than it holds is refused', () => {
    spec
      .given([deposited(5_000_000), placed()])
      .when(release(3_000_000))
      .then([released(0)]);
    spec
      .given([deposited(5_000_000), placed()])
      .when(release(3_000_001))
      .then(
        new BuyerAccountError(
          'release-exceeds-reservation',
          'Order order-1 holds 3000000, the engine spent 3000001',
          {
            reserved: 3_000_000,
            spent: 3_000_001,
          },
        ),
      );
  });

  it('a closed order whose expiry is this very instant gets no replacement; a millisecond later it does', () => {
    spec
      .given([deposited(5_000_000), placedExpiring(NOW), released(0)])
      .when(refundWithReplacement())
      .then([credited('available')]);
    const [, replacement] = buyerAccountDecider.decide(
      refundWithReplacement(),
      foldEvents(buyerAccountDecider, [deposited(5_000_000), placedExpiring(JUST_AFTER), released(0)]),
      fixedDecisionContext(),
    );
    expect(replacement).toMatchObject({ type: 'OrderPlaced', data: { budget: 60_000, quantity: 1 } });
  });

  it('a refund in another currency than the order’s is credited to the available balance, never replaced', () => {
    spec
      .given([deposited(5_000_000), placed(), released(0)])
      .when(refundWithReplacement('EUR'))
      .then([credited('available', 'alloc-1', 'EUR')]);
  });

  it('a replacement without a max bid stays without one', () => {
    const { maxBid: _maxBid, ...uncappedTerms } = terms();
    const uncapped: BuyerAccountEvent = {
      type: 'OrderPlaced',
      data: { orderId, buyerId, vertical: 'eyewear', currency: 'RUB', ...uncappedTerms },
    };
    const [, replacement] = buyerAccountDecider.decide(
      refundWithReplacement(),
      foldEvents(buyerAccountDecider, [deposited(5_000_000), uncapped, released(0)]),
      fixedDecisionContext(),
    );
    expect(replacement!.data).toMatchObject({ bid: 60_000, budget: 60_000 });
    expect((replacement!.data as { maxBid?: number }).maxBid).toBeUndefined();
  });

  it('a declined replacement is bought when the available balance covers it exactly, not a unit short', () => {
    // Available after the close: deposit − spent = 60 000 exactly, then one unit short.
    const given = (deposit: number) => [deposited(deposit), placed(), released(0)];
    expect(
      buyerAccountDecider.decide(
        declined,
        foldEvents(buyerAccountDecider, given(3_060_000)),
        fixedDecisionContext(),
      ),
    ).toHaveLength(1);
    spec.given(given(3_059_999)).when(declined).then([]);
  });

  it('the same deposit id with another currency is refused', () => {
    spec
      .given([deposited(1_000, 'd-1', 'RUB')])
      .when({
        kind: 'deposit',
        buyerId,
        depositId: 'd-1',
        amount: 1_000,
        currency: 'EUR',
        reference: 'ref-d-1',
      })
      .then(
        new BuyerAccountError('deposit-exists', 'Deposit d-1 was confirmed with another amount', {
          depositId: 'd-1',
        }),
      );
  });
});

describe('buyer account: loading', () => {
  // Its stream holds every order the buyer ever placed and is loaded for each order, release and
  // webhook delivery; folded whole each time, the soak's buyers app fell behind and its heap churned
  // (bench/README.md, Soak). The repository keeps the folded state and folds only what is new.
  it('asks the repository to keep its folded state between loads', () => {
    expect(buyerAccountDecider.keepFoldedStreams).toBeGreaterThanOrEqual(100);
  });
});

describe('buyer account: what each refusal tells the buyer', () => {
  const cancelled: BuyerAccountEvent = { type: 'OrderCancelled', data: { orderId, buyerId } };

  it('a cancelled order cannot be paused or resumed, and the refusal names the action and the state', () => {
    spec
      .given([deposited(3_000_000), placed(), cancelled])
      .when(order('pause-order'))
      .then(
        new BuyerAccountError('order-state-conflict', 'A cancelled order cannot pause', {
          status: 'cancelled',
        }),
      );
    spec
      .given([deposited(3_000_000), placed(), cancelled])
      .when(order('resume-order'))
      .then(
        new BuyerAccountError('order-state-conflict', 'A cancelled order cannot resume', {
          status: 'cancelled',
        }),
      );
  });

  it('an unknown order is not found, by its id', () => {
    spec
      .given([])
      .when(order('cancel-order'))
      .then(new BuyerAccountError('order-not-found', 'Order order-1 was not found'));
  });

  it('a second order under an existing id is refused, naming the id', () => {
    spec
      .given([deposited(9_000_000), placed()])
      .when(place(1_000))
      .then(new BuyerAccountError('order-exists', 'Order order-1 exists already'));
  });

  it('an order in a market no engine runs is refused with why: it could never buy', () => {
    spec
      .given([deposited(3_000_000)])
      .when({ ...place(), marketOpen: false } as BuyerAccountCommand)
      .then(
        new BuyerAccountError(
          'market-not-open',
          'No engine runs the eyewear market: an order there could never buy and would only hold its budget',
          { vertical: 'eyewear' },
        ),
      );
  });

  it('a webhook URL that is not http(s) is refused, naming the URL; no webhook to rotate is refused', () => {
    spec
      .given([])
      .when({ kind: 'configure-webhook', buyerId, url: 'ftp://example.com/x', secretRef: 'derived:v1:ab' })
      .then(
        new BuyerAccountError('invalid-webhook-url', 'A webhook URL must be http or https', {
          url: 'ftp://example.com/x',
        }),
      );
    spec
      .given([])
      .when({
        kind: 'rotate-webhook-secret',
        buyerId,
        secretRef: 'derived:v1:new',
        previousValidUntil: '2030-01-01T00:00:00.000Z',
      })
      .then(new BuyerAccountError('webhook-not-found', 'No webhook is configured'));
  });
});

describe('buyer account: webhook URLs and cancel reasons', () => {
  it('a plain http URL is accepted as well as https; a text that is no URL is not', () => {
    expect(isHttpUrl('http://crm.example.com/hook')).toBe(true);
    expect(isHttpUrl('https://crm.example.com/hook')).toBe(true);
    expect(isHttpUrl('not a url')).toBe(false);
    expect(isHttpUrl('mailto:crm@example.com')).toBe(false);
  });

  it('a cancel carries the buyer’s reason when one is given', () => {
    spec
      .given([deposited(3_000_000), placed()])
      .when({ kind: 'cancel-order', buyerId, orderId, reason: 'campaign over', engineTakesOrder: true })
      .then([{ type: 'OrderCancelled', data: { orderId, buyerId, reason: 'campaign over' } }]);
  });
});

describe('buyer account: a declined replacement buys only for a closed, uncancelled order', () => {
  it('an unknown order, a cancelled one, or one the account still sees live buys no replacement', () => {
    spec
      .given([deposited(5_000_000)])
      .when(declined)
      .then([]);
    spec
      .given([
        deposited(5_000_000),
        placed(),
        { type: 'OrderCancelled', data: { orderId, buyerId } },
        released(3_000_000),
      ])
      .when(declined)
      .then([]);
    spec
      .given([deposited(5_000_000), placed(), { type: 'OrderPaused', data: { orderId, buyerId } }])
      .when(declined)
      .then([]);
  });

  it('an order whose expiry passed buys no replacement; one without an expiry does', () => {
    const closed = (expiresAt?: string): BuyerAccountEvent[] => [
      deposited(5_000_000),
      {
        type: 'OrderPlaced',
        data: {
          orderId,
          buyerId,
          vertical: 'eyewear',
          currency: 'RUB',
          ...terms(expiresAt ? { expiresAt } : {}),
        },
      },
      released(3_000_000),
    ];
    spec.given(closed('2030-01-01T00:00:00.000Z')).when(declined).then([]);
    const [replacement] = buyerAccountDecider.decide(
      declined,
      foldEvents(buyerAccountDecider, closed()),
      fixedDecisionContext(),
    );
    expect(replacement).toMatchObject({ type: 'OrderPlaced', data: { quantity: 1, budget: 60_000 } });
  });
});
