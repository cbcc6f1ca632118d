import { createHash } from 'node:crypto';
import {
  LeadListed,
  OrderAmended,
  OrderPlaced,
  PingReceived,
  RefundCredited,
  type EventData,
  type EventInput,
  type AnyEventDefinition,
} from '#lx/contracts';
import type { EventStore, LogPosition } from '#lx/event-store';
import type { LeadAttributes, MarketInput, MarketInputEvent, OrderTerms } from '../domain/market-model.js';

/*
 * Schema-valid inputs for engine tests: a lead, an order, settings and ticks, each checked
 * against the catalogue so a test can never feed the engine an event the store would refuse.
 */

export const T0 = '2030-01-01T10:00:00.000Z';
const hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** The data checked against its event's schema, as the store would: a fixture the store refuses throws. */
function parsed<D extends AnyEventDefinition>(definition: D, data: unknown): EventData<D> {
  const checked = definition.validate(data);
  if (!checked.ok) throw new Error(`${definition.type} fixture is invalid: ${checked.issues.join('; ')}`);
  return checked.value as EventData<D>;
}

/** A verified, employed woman of 40 in Moscow who wants premium glasses: what a default order buys. */
export const LEAD_ATTRIBUTES: LeadAttributes = {
  vertical: 'eyewear',
  age: 40,
  gender: 'female',
  country: 'RU',
  region: 'RU-MOW',
  postalPrefix: '101',
  contacts: { phone: { present: true, verified: true }, email: { present: true, verified: true } },
  employment: 'employed',
  maritalStatus: 'married',
  interests: ['premium_glasses'],
  stage: 'MQL',
  sourceChannel: 'search',
  capturedAt: '2030-01-01T09:55:00.000Z',
};

/** An order's terms when a test names none: any lead, 10 units at 50 000 within a 1 000 000 budget. */
export const ORDER_TERMS: OrderTerms = {
  filters: {},
  bid: 50000,
  modifiers: [],
  quantity: 10,
  budget: 1_000_000,
  exclusivity: 'any',
  delivery: 'pull',
};

type LeadOverrides = Partial<Omit<EventData<typeof LeadListed>, 'attributes'>> & {
  attributes?: Partial<EventData<typeof LeadListed>['attributes']>;
  person?: string;
};

export function leadListed(leadId: string, overrides: LeadOverrides = {}): MarketInputEvent {
  const { attributes, person, ...rest } = overrides;
  const who = person ?? leadId;
  const data = {
    leadId,
    sellerId: 'seller-1',
    batchId: 'batch-1',
    attributes: { ...LEAD_ATTRIBUTES, ...attributes },
    floor: 30000,
    currency: 'RUB',
    exclusivity: { kind: 'exclusive' },
    expiresAt: '2030-01-04T10:00:00.000Z',
    quality: { score: 80, parts: { completeness: 80, verification: 80, freshness: 80, sellerHistory: 80 } },
    fingerprints: { phone: hex(`phone:${who}`), email: hex(`email:${who}`) },
    consent: {
      textVersion: 'v1',
      textHash: hex('consent'),
      pageUrl: 'https://example.test/form',
      capturedAt: '2030-01-01T09:55:00.000Z',
      sellersNamed: ['Seller One'],
    },
    personalData: {
      algorithm: 'AES-256-GCM',
      keyId: `key-${leadId}`,
      iv: 'AAAAAAAAAAAAAAAA',
      ciphertext: 'AAAA',
      tag: 'AAAAAAAAAAAAAAAAAAAAAA==',
    },
    ...rest,
  };
  if (!data.attributes.contacts.phone.present) delete (data.fingerprints as { phone?: string }).phone;
  if (!data.attributes.contacts.email.present) delete (data.fingerprints as { email?: string }).email;
  return { type: 'LeadListed', data: parsed(LeadListed, data) };
}

export function orderPlaced(
  orderId: string,
  overrides: Partial<EventInput<typeof OrderPlaced>> = {},
): MarketInputEvent {
  const data = {
    orderId,
    buyerId: `buyer-of-${orderId}`,
    vertical: 'eyewear',
    currency: 'RUB',
    ...ORDER_TERMS,
    ...overrides,
  };
  return { type: 'OrderPlaced', data: parsed(OrderPlaced, data) };
}

/** The order's whole terms replaced (defaults: bid 50 000, quantity 10, budget 1 000 000). */
export function orderAmended(
  orderId: string,
  change: Partial<EventInput<typeof OrderAmended>> = {},
): MarketInputEvent {
  const data = { orderId, buyerId: `buyer-of-${orderId}`, ...ORDER_TERMS, ...change };
  return { type: 'OrderAmended', data: parsed(OrderAmended, data) } as MarketInputEvent;
}

/** An accepted return's price credited back on the buyer stream (`order_budget`: a replacement). */
export function refundCredited(
  orderId: string,
  allocationId: string,
  amount: number,
  creditedTo: 'available' | 'order_budget' = 'order_budget',
): MarketInputEvent {
  const data = { orderId, buyerId: `buyer-of-${orderId}`, allocationId, amount, currency: 'RUB', creditedTo };
  return { type: 'RefundCredited', data: parsed(RefundCredited, data) };
}

/** A seller's ping for a lead with the default attributes (or `attributes`), as `ping-<pingId>` holds it. */
export function pingReceived(
  pingId: string,
  overrides: Partial<Omit<EventInput<typeof PingReceived>, 'attributes'>> & {
    attributes?: Partial<EventData<typeof LeadListed>['attributes']>;
  } = {},
): MarketInputEvent {
  const { attributes, ...rest } = overrides;
  const data = {
    pingId,
    sellerId: 'seller-1',
    attributes: { ...LEAD_ATTRIBUTES, ...attributes },
    floor: 30000,
    currency: 'RUB',
    exclusivity: { kind: 'exclusive' },
    quality: { score: 80, parts: { completeness: 80, verification: 80, freshness: 80, sellerHistory: 80 } },
    ...rest,
  };
  return { type: 'PingReceived', data: parsed(PingReceived, data) };
}

export const tick = (at: string): MarketInputEvent => ({ type: 'MarketClockTicked', data: { at } });

export const settings = (
  overrides: Partial<Extract<MarketInputEvent, { type: 'MarketSettingsChanged' }>['data']> = {},
) =>
  ({
    type: 'MarketSettingsChanged',
    data: {
      vertical: 'eyewear',
      currency: 'RUB',
      commissionBps: 1500,
      returnWindowHours: 72,
      dedupeWindowDays: 30,
      listingLifetimeHours: 72,
      ...overrides,
    },
  }) as MarketInputEvent;

/** Wraps events as log inputs at consecutive positions `1/1, 1/2, …`, each at `at` (default T0). */
export class InputLog {
  private next = 0;
  constructor(private readonly defaultAt = T0) {}

  input(event: MarketInputEvent, at = this.defaultAt): MarketInput {
    this.next++;
    return { position: `1/${this.next}`, at, event };
  }

  inputs(events: readonly MarketInputEvent[], at = this.defaultAt): MarketInput[] {
    return events.map((event) => this.input(event, at));
  }
}

/**
 * Appends an eyewear market input to the stream its writer appends it to (the lead's, the buyer's,
 * the market's settings or clock), at the domain time `at`; returns its log position.
 */
export async function appendMarketInput(
  store: EventStore,
  event: MarketInputEvent,
  at: string,
): Promise<LogPosition> {
  const data = event.data as { leadId?: string; buyerId?: string; batchId?: string; sourceId?: string };
  const stream = event.type.startsWith('AuthenticitySource')
    ? `authenticity-source-${data.sourceId}`
    : event.type.startsWith('Authenticity')
      ? `authenticity-${data.batchId}`
      : event.type === 'MarketSettingsChanged'
        ? 'marketSettings-eyewear'
        : event.type === 'MarketClockTicked'
          ? 'marketClock-eyewear'
          : event.type === 'PingReceived'
            ? `ping-${(event.data as { pingId: string }).pingId}`
            : event.type.startsWith('Lead')
              ? `lead-${data.leadId}`
              : `buyer-${data.buyerId}`;
  const metadata = { occurredAt: at, actor: 'test' };
  const { position } = await store.appendToStream(
    stream,
    [{ type: event.type, data: event.data, metadata }],
    {
      expectedRevision: 'any',
    },
  );
  return position;
}
