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

/*
 * Folding without copying. An account's `orders` (and `deposits`, `refunds`) grow with the stream:
 * copying the record for every event made a fold cost the square of the orders (3 s at 1 000).
 * So the states `evolve` makes hold these records as versions of an append-only line of changes
 * shared along the fold: the next state appends its change to the line (one push, one Map update)
 * when the state it evolves is the line's latest, and copies only when an older state is evolved
 * again (a branch; rare). A state still looks and reads as before: `state.orders` is an own,
 * enumerable property (an accessor) whose plain record is built the first time it is read and then
 * kept, so a fold builds none and a command builds one (what `decide` reads). Nothing a reader was
 * given ever changes: a version's record is built once from its own prefix of the line.
 */

/** Changes to one record, in order, shared by the versions of one line of states. */
class RecordLine<V> {
  readonly changes: (readonly [string, V])[] = [];
  /** The record after every change of the line. */
  readonly latest = new Map<string, V>();
  append(key: string, value: V): void {
    this.changes.push([key, value]);
    this.latest.set(key, value);
  }
}

/** A record as of the first `length` changes of its line. */
class RecordVersion<V> {
  private record: Readonly<Record<string, V>> | undefined;
  constructor(
    private readonly line: RecordLine<V>,
    private readonly length: number,
  ) {}

  static of<V>(record: Readonly<Record<string, V>>): RecordVersion<V> {
    const line = new RecordLine<V>();
    for (const [key, value] of Object.entries(record)) line.append(key, value);
    const version = new RecordVersion(line, line.changes.length);
    version.record = record;
    return version;
  }

  private get isLatest(): boolean {
    return this.length === this.line.changes.length;
  }

  get(key: string): V | undefined {
    return this.isLatest ? this.line.latest.get(key) : this.asRecord()[key];
  }

  /** This record with `key` set: O(1) on the latest version of a line, a copy otherwise. */
  with(key: string, value: V): RecordVersion<V> {
    if (this.isLatest) {
      this.line.append(key, value);
      return new RecordVersion(this.line, this.length + 1);
    }
    return RecordVersion.of(this.asRecord()).with(key, value);
  }

  /** The plain record, built once: keys in the order they were first set, as the spread copies kept them. */
  asRecord(): Readonly<Record<string, V>> {
    if (!this.record) {
      const record: Record<string, V> = {};
      if (this.isLatest) for (const [key, value] of this.line.latest) record[key] = value;
      else for (let i = 0; i < this.length; i++) record[this.line.changes[i]![0]] = this.line.changes[i]![1];
      this.record = record;
    }
    return this.record;
  }
}

interface GrowingRecords {
  orders: RecordVersion<OrderState>;
  deposits: RecordVersion<{ amount: number; currency: string }>;
  refunds: RecordVersion<true>;
}

/** The versions behind the states `evolve` made. */
const recordsOfState = new WeakMap<BuyerAccountState, GrowingRecords>();

function recordsOf(state: BuyerAccountState): GrowingRecords {
  let records = recordsOfState.get(state);
  if (!records) {
    // A state made elsewhere (the initial one, a test's): its plain records start a line each.
    records = {
      orders: RecordVersion.of(state.orders),
      deposits: RecordVersion.of(state.deposits),
      refunds: RecordVersion.of(state.refunds),
    };
    recordsOfState.set(state, records);
  }
  return records;
}

type PlainFields = Pick<BuyerAccountState, 'buyerId' | 'balances' | 'webhook'>;

/** A state whose growing records are read from their versions, in the property order of the plain state. */
function makeState(fields: PlainFields, records: GrowingRecords): BuyerAccountState {
  const state = {} as BuyerAccountState;
  Object.defineProperties(state, {
    buyerId: { value: fields.buyerId, enumerable: true },
    balances: { value: fields.balances, enumerable: true },
    orders: { get: () => records.orders.asRecord(), enumerable: true },
    deposits: { get: () => records.deposits.asRecord(), enumerable: true },
    refunds: { get: () => records.refunds.asRecord(), enumerable: true },
    webhook: { value: fields.webhook, enumerable: true },
  });
  recordsOfState.set(state, records);
  return state;
}

function change(
  state: BuyerAccountState,
  fields: Partial<PlainFields>,
  records: Partial<GrowingRecords> = {},
): BuyerAccountState {
  return makeState(
    {
      buyerId: fields.buyerId !== undefined ? fields.buyerId : state.buyerId,
      balances: fields.balances ?? state.balances,
      webhook: fields.webhook !== undefined ? fields.webhook : state.webhook,
    },
    { ...recordsOf(state), ...records },
  );
}

function withBalance(
  state: BuyerAccountState,
  currency: string,
  change: Partial<Balance>,
): Readonly<Record<string, Balance>> {
  const current = balanceIn(state, currency);
  const next: Balance = {
    available: current.available + (change.available ?? 0),
    reserved: current.reserved + (change.reserved ?? 0),
    deposited: current.deposited + (change.deposited ?? 0),
  };
  return { ...state.balances, [currency]: next };
}

function orderOf(state: BuyerAccountState, orderId: string): OrderState | undefined {
  return recordsOf(state).orders.get(orderId);
}

function withOrder(
  state: BuyerAccountState,
  orderId: string,
  orderChange: Partial<OrderState>,
  balances: Readonly<Record<string, Balance>> = state.balances,
): BuyerAccountState {
  const order = orderOf(state, orderId);
  if (!order) return balances === state.balances ? state : change(state, { balances });
  return change(
    state,
    { balances },
    { orders: recordsOf(state).orders.with(orderId, { ...order, ...orderChange }) },
  );
}

export function evolveBuyerAccount(state: BuyerAccountState, event: BuyerAccountEvent): BuyerAccountState {
  switch (event.type) {
    case 'FundsDeposited': {
      const { buyerId, depositId, amount, currency } = event.data;
      const balances = withBalance(state, currency, { available: amount, deposited: amount });
      return change(
        state,
        { buyerId, balances },
        { deposits: recordsOf(state).deposits.with(depositId, { amount, currency }) },
      );
    }
    case 'OrderPlaced': {
      const { orderId, buyerId, vertical, currency, replacementFor, ...terms } = event.data;
      const balances = withBalance(state, currency, { available: -terms.budget, reserved: terms.budget });
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
      return change(state, { buyerId, balances }, { orders: recordsOf(state).orders.with(orderId, order) });
    }
    case 'OrderAmended': {
      const { orderId, buyerId: _buyer, ...terms } = event.data;
      const order = orderOf(state, orderId);
      if (!order) return state;
      const increase = terms.budget - order.terms.budget;
      const balances = withBalance(state, order.currency, { available: -increase, reserved: increase });
      return withOrder(state, orderId, { terms, reserved: order.reserved + increase }, balances);
    }
    case 'OrderPaused':
      return withOrder(state, event.data.orderId, { status: 'paused' });
    case 'OrderResumed':
      return withOrder(state, event.data.orderId, { status: 'open' });
    case 'OrderCancelled':
      return withOrder(state, event.data.orderId, { status: 'cancelled', cancelled: true });
    case 'BudgetReleased': {
      const { orderId, amount, currency, reason } = event.data;
      const order = orderOf(state, orderId);
      // A closed order holds nothing more: the unspent part comes back to available, the spent
      // part (order.reserved - amount) left with the engine's sales.
      const unheld = reason === 'order_closed' && order ? order.reserved : amount;
      const balances = withBalance(state, currency, { available: amount, reserved: -unheld });
      if (!order) return change(state, { balances });
      return withOrder(
        state,
        orderId,
        {
          released: order.released + amount,
          reserved: order.reserved - unheld,
          ...(reason === 'order_closed' ? { status: 'closed' as const } : {}),
        },
        balances,
      );
    }
    case 'RefundCredited': {
      const { orderId, allocationId, amount, currency, creditedTo } = event.data;
      const refunds = recordsOf(state).refunds.with(allocationId, true as const);
      if (creditedTo === 'available')
        return change(state, { balances: withBalance(state, currency, { available: amount }) }, { refunds });
      const order = orderOf(state, orderId);
      const balances = withBalance(state, currency, { reserved: amount });
      if (!order) return change(state, { balances }, { refunds });
      return change(
        state,
        { balances },
        {
          refunds,
          orders: recordsOf(state).orders.with(orderId, { ...order, reserved: order.reserved + amount }),
        },
      );
    }
    case 'WebhookConfigured':
      return change(state, {
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
      });
  }
}

export const isLive = (order: OrderState): boolean => order.status === 'open' || order.status === 'paused';
