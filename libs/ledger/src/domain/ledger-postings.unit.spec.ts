import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  EXCHANGE,
  EXTERNAL,
  LEDGER_EVENT_TYPES,
  UnknownOrderError,
  accountId,
  ledgerEffectOf,
  type KnownOrder,
  type LedgerEvent,
  type Posting,
} from './ledger-postings.js';

/*
 * The posting rules without a database: every event that moves money books a balanced posting on
 * the right accounts, in the event's currency, and the same event always books the same posting.
 */

type DataOf<T extends LedgerEvent['type']> = Extract<LedgerEvent, { type: T }>['data'];

const event = <T extends LedgerEvent['type']>(type: T, data: Partial<DataOf<T>>): LedgerEvent =>
  ({ type, data }) as unknown as LedgerEvent;

const deposit = (currency: string, amount = 10_000) =>
  event('FundsDeposited', { buyerId: 'b-1', depositId: 'd-1', amount, currency, reference: 'bank-1' });
const orderPlaced = (currency: string, budget = 6_000) =>
  event('OrderPlaced', { orderId: 'o-1', buyerId: 'b-1', currency, budget });
const orderAmended = (budget: number) => event('OrderAmended', { orderId: 'o-1', buyerId: 'b-1', budget });
const budgetReleased = (currency: string, amount = 2_500) =>
  event('BudgetReleased', { orderId: 'o-1', buyerId: 'b-1', amount, currency, reason: 'order_closed' });
const allocated = (currency: string, price = 2_000, commission = 300) =>
  event('LeadAllocated', {
    allocationId: 'a-1',
    orderId: 'o-1',
    buyerId: 'b-1',
    sellerId: 's-1',
    currency,
    price,
    commission,
    proceeds: price - commission,
  });
const settled = (currency: string, outcome: 'posted' | 'voided', commission = 300, proceeds = 1_700) =>
  event('SettlementFinalized', {
    allocationId: 'a-1',
    sellerId: 's-1',
    buyerId: 'b-1',
    outcome,
    currency,
    proceeds,
    commission,
  });
const refund = (currency: string, creditedTo: 'available' | 'order_budget', amount = 2_000) =>
  event('RefundCredited', {
    orderId: 'o-1',
    buyerId: 'b-1',
    allocationId: 'a-1',
    amount,
    currency,
    creditedTo,
  });
const payout = (currency: string, amount = 1_700) =>
  event('PayoutIssued', { payoutId: 'p-1', sellerId: 's-1', amount, currency, reference: 'bank-2' });

/** Each leg as `account → signed amount`, the way a statement line reads. */
const legsOf = (posting: Posting | null): Record<string, number> =>
  Object.fromEntries((posting?.legs ?? []).map((leg) => [accountId(leg.account), leg.amount]));

const debits = (posting: Posting) =>
  posting.legs.filter((l) => l.amount < 0).reduce((s, l) => s - l.amount, 0);
const credits = (posting: Posting) =>
  posting.legs.filter((l) => l.amount > 0).reduce((s, l) => s + l.amount, 0);

const currencies = ['EUR', 'USD', 'GBP'];

describe.each(currencies)('ledger postings in %s', (currency) => {
  const eurOrder: KnownOrder = { budget: 6_000, currency };

  const moneyMoves: [
    string,
    LedgerEvent,
    KnownOrder | undefined,
    Posting['kind'],
    string,
    Record<string, number>,
  ][] = [
    [
      'a deposit moves money from outside onto the buyer’s available balance',
      deposit(currency),
      undefined,
      'deposit',
      'd-1',
      { 'external_cash:external': -10_000, 'buyer_available:b-1': 10_000 },
    ],
    [
      'placing an order reserves its whole budget',
      orderPlaced(currency),
      undefined,
      'order_reserved',
      'o-1',
      { 'buyer_available:b-1': -6_000, 'buyer_reserved:b-1': 6_000 },
    ],
    [
      'raising an order’s budget reserves only the increase',
      orderAmended(9_500),
      eurOrder,
      'order_reserved',
      'o-1',
      { 'buyer_available:b-1': -3_500, 'buyer_reserved:b-1': 3_500 },
    ],
    [
      'a budget released on expiry or close returns to the available balance',
      budgetReleased(currency),
      undefined,
      'budget_released',
      'o-1',
      { 'buyer_reserved:b-1': -2_500, 'buyer_available:b-1': 2_500 },
    ],
    [
      'an allocation spends the reserved price: the seller’s net and the commission wait pending',
      allocated(currency),
      undefined,
      'allocation',
      'a-1',
      {
        'buyer_reserved:b-1': -2_000,
        'seller_pending:s-1': 1_700,
        'exchange_commission_pending:exchange': 300,
      },
    ],
    [
      'a posted settlement makes the seller’s net available and the commission revenue',
      settled(currency, 'posted'),
      undefined,
      'settlement_posted',
      'a-1',
      {
        'seller_pending:s-1': -1_700,
        'seller_available:s-1': 1_700,
        'exchange_commission_pending:exchange': -300,
        'exchange_revenue:exchange': 300,
      },
    ],
    [
      'a voided settlement (a returned lead) owes the whole price back to the buyer',
      settled(currency, 'voided'),
      undefined,
      'settlement_voided',
      'a-1',
      {
        'seller_pending:s-1': -1_700,
        'exchange_commission_pending:exchange': -300,
        'exchange_refunds_payable:exchange': 2_000,
      },
    ],
    [
      'a refund without replacement is credited to the available balance',
      refund(currency, 'available'),
      undefined,
      'refund',
      'a-1',
      { 'exchange_refunds_payable:exchange': -2_000, 'buyer_available:b-1': 2_000 },
    ],
    [
      'a refund that funds a replacement goes back to the order’s reserved budget',
      refund(currency, 'order_budget'),
      undefined,
      'refund',
      'a-1',
      { 'exchange_refunds_payable:exchange': -2_000, 'buyer_reserved:b-1': 2_000 },
    ],
    [
      'a payout (the seller’s withdrawal) moves its available balance outside',
      payout(currency),
      undefined,
      'payout',
      'p-1',
      { 'seller_available:s-1': -1_700, 'external_cash:external': 1_700 },
    ],
  ];

  it.each(moneyMoves)(
    '%s, and debits equal credits',
    (_rule, moving, prior, kind, reference, expectedLegs) => {
      const { posting } = ledgerEffectOf(moving, prior);
      expect(posting).not.toBeNull();
      expect({ kind: posting!.kind, currency: posting!.currency, reference: posting!.reference }).toEqual({
        kind,
        currency,
        reference,
      });
      expect(legsOf(posting)).toEqual(expectedLegs);
      expect(debits(posting!)).toBe(credits(posting!));
      expect(posting!.legs.reduce((sum, leg) => sum + leg.amount, 0)).toBe(0);
    },
  );

  it.each(moneyMoves)('%s, the same posting when the event is replayed', (_rule, moving, prior) => {
    expect(ledgerEffectOf(moving, prior)).toEqual(ledgerEffectOf(moving, prior));
  });
});

describe('order budgets the ledger remembers for amendments', () => {
  it('an order placed records its budget, buyer and currency for the next amendment', () => {
    expect(ledgerEffectOf(orderPlaced('USD', 4_000)).orderBudget).toEqual({
      orderId: 'o-1',
      buyerId: 'b-1',
      currency: 'USD',
      budget: 4_000,
    });
  });

  it('an amendment books in the currency the order was placed in and records the new budget', () => {
    const effect = ledgerEffectOf(orderAmended(7_000), { budget: 6_000, currency: 'GBP' });
    expect(effect.posting?.currency).toBe('GBP');
    expect(effect.orderBudget).toEqual({ orderId: 'o-1', buyerId: 'b-1', currency: 'GBP', budget: 7_000 });
  });

  it('an amendment that keeps the budget books nothing but still records the terms', () => {
    const effect = ledgerEffectOf(orderAmended(6_000), { budget: 6_000, currency: 'EUR' });
    expect(effect.posting).toBeNull();
    expect(effect.orderBudget).toEqual({ orderId: 'o-1', buyerId: 'b-1', currency: 'EUR', budget: 6_000 });
  });

  it('an amendment that lowers the budget is booked as a release of the difference', () => {
    const { posting } = ledgerEffectOf(orderAmended(5_000), { budget: 6_000, currency: 'EUR' });
    expect(legsOf(posting)).toEqual({ 'buyer_available:b-1': 1_000, 'buyer_reserved:b-1': -1_000 });
  });

  it('an amendment of an order the ledger never saw placed is refused with the order named', () => {
    const amend = () => ledgerEffectOf(orderAmended(7_000));
    expect(amend).toThrow(UnknownOrderError);
    expect(amend).toThrow('OrderAmended for order o-1, which the ledger never saw placed');
    try {
      amend();
    } catch (error) {
      expect(error).toMatchObject({
        name: 'UnknownOrderError',
        code: 'ledger-order-not-found',
        orderId: 'o-1',
      });
    }
  });
});

describe('postings that move nothing', () => {
  it('a release of nothing books no posting', () => {
    expect(ledgerEffectOf(budgetReleased('EUR', 0))).toEqual({ posting: null });
  });

  it('a settlement without commission books no zero leg on the exchange’s accounts', () => {
    const posted = ledgerEffectOf(settled('EUR', 'posted', 0, 2_000)).posting;
    expect(legsOf(posted)).toEqual({ 'seller_pending:s-1': -2_000, 'seller_available:s-1': 2_000 });
    const voided = ledgerEffectOf(settled('EUR', 'voided', 0, 2_000)).posting;
    expect(legsOf(voided)).toEqual({
      'seller_pending:s-1': -2_000,
      'exchange_refunds_payable:exchange': 2_000,
    });
  });
});

describe('transfers of an allocation', () => {
  it('an allocation opens a pending transfer; its settlement posts or voids it', () => {
    expect(ledgerEffectOf(allocated('EUR')).transfer).toEqual({ allocationId: 'a-1', status: 'pending' });
    expect(ledgerEffectOf(settled('EUR', 'posted')).transfer).toEqual({
      allocationId: 'a-1',
      status: 'posted',
    });
    expect(ledgerEffectOf(settled('EUR', 'voided')).transfer).toEqual({
      allocationId: 'a-1',
      status: 'voided',
    });
  });
});

describe('the chart of accounts', () => {
  it('names an account by its kind and owner', () => {
    expect(accountId({ kind: 'exchange_revenue', ownerId: EXCHANGE })).toBe('exchange_revenue:exchange');
    expect(accountId({ kind: 'external_cash', ownerId: EXTERNAL })).toBe('external_cash:external');
  });

  it('the ledger listens to every event that moves money', () => {
    expect([...LEDGER_EVENT_TYPES].sort()).toEqual(
      [
        'BudgetReleased',
        'FundsDeposited',
        'LeadAllocated',
        'OrderAmended',
        'OrderPlaced',
        'PayoutIssued',
        'RefundCredited',
        'SettlementFinalized',
      ].sort(),
    );
  });
});

describe('a whole life of money, replayed', () => {
  /** A buyer deposits, orders, buys leads that settle or come back, and the seller is paid out. */
  const life = fc
    .record({
      currency: fc.constantFrom(...currencies),
      deposit: fc.integer({ min: 1, max: 1_000_000 }),
      budgetShare: fc.integer({ min: 1, max: 100 }),
      bps: fc.integer({ min: 0, max: 10_000 }),
      sales: fc.array(fc.record({ price: fc.integer({ min: 0, max: 50_000 }), returned: fc.boolean() }), {
        maxLength: 8,
      }),
    })
    .map(({ currency, deposit: depositAmount, budgetShare, bps, sales }) => {
      const budget = Math.max(1, Math.floor((depositAmount * budgetShare) / 100));
      const events: LedgerEvent[] = [deposit(currency, depositAmount), orderPlaced(currency, budget)];
      let reserved = budget;
      let sellerAvailable = 0;
      for (const sale of sales) {
        const price = Math.min(sale.price, reserved);
        const commission = Math.floor((price * bps) / 10_000);
        reserved -= price;
        events.push(allocated(currency, price, commission));
        events.push(settled(currency, sale.returned ? 'voided' : 'posted', commission, price - commission));
        if (sale.returned && price > 0) events.push(refund(currency, 'available', price));
        if (!sale.returned) sellerAvailable += price - commission;
      }
      events.push(budgetReleased(currency, reserved));
      if (sellerAvailable > 0) events.push(payout(currency, sellerAvailable));
      return { currency, depositAmount, events };
    });

  const book = (events: readonly LedgerEvent[]) => {
    const balances = new Map<string, number>();
    let order: KnownOrder | undefined;
    for (const moving of events) {
      const effect = ledgerEffectOf(moving, order);
      if (effect.orderBudget) order = effect.orderBudget;
      for (const leg of effect.posting?.legs ?? []) {
        const id = accountId(leg.account);
        balances.set(id, (balances.get(id) ?? 0) + leg.amount);
      }
    }
    return balances;
  };

  it('every account of a currency sums to zero, and a replay books the same balances', () => {
    fc.assert(
      fc.property(life, ({ events }) => {
        const balances = book(events);
        expect([...balances.values()].reduce((sum, amount) => sum + amount, 0)).toBe(0);
        expect(book(events)).toEqual(balances);
      }),
    );
  });

  it('once every order is closed and every seller paid, all that is left is revenue and unspent deposits', () => {
    fc.assert(
      fc.property(life, ({ depositAmount, events }) => {
        const balances = book(events);
        // `+ 0` reads a negative zero (a zero leg's `-0`) as the zero a statement shows.
        const balance = (id: string) => (balances.get(id) ?? 0) + 0;
        const revenue = balance('exchange_revenue:exchange');
        const available = balance('buyer_available:b-1');
        expect(balance('buyer_reserved:b-1')).toBe(0);
        expect(balance('seller_pending:s-1')).toBe(0);
        expect(balance('exchange_refunds_payable:exchange')).toBe(0);
        expect(balance('exchange_commission_pending:exchange')).toBe(0);
        expect(balance('seller_available:s-1')).toBe(0);
        // What came in and did not leave as a payout is the buyer's or the exchange's, to the cent.
        expect(0 - balance('external_cash:external')).toBe(available + revenue);
        expect(available).toBeLessThanOrEqual(depositAmount);
      }),
    );
  });
});
