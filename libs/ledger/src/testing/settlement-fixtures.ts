import { createHash } from 'node:crypto';
import {
  LeadAllocated,
  LeadListed,
  OrderPlaced,
  newEvent,
  type AnyEventDefinition,
  type EventData,
  type EventInput,
  type NewEventOf,
} from '#lx/contracts';
import type { EventStore } from '#lx/event-store';
import { splitPrice } from '#lx/matching';
import { leadListed as marketLeadListed } from '../../../matching/src/testing/market-fixtures.js';

/*
 * Schema-valid settlement inputs for tests: what the buyers app, the sellers app and the matching
 * engine append in production, checked against the catalogue before they reach the store.
 */

export const hex = (text: string): string => createHash('sha256').update(text).digest('hex');

function checked<D extends AnyEventDefinition>(definition: D, data: EventInput<D>): EventInput<D> {
  const result = definition.validate(data);
  if (!result.ok) throw new Error(`${definition.type} fixture is invalid: ${result.issues.join('; ')}`);
  return data;
}

export type OrderTermsInput = Omit<
  EventInput<typeof OrderPlaced>,
  'orderId' | 'buyerId' | 'vertical' | 'currency'
>;

export function orderPlaced(
  order: {
    orderId: string;
    buyerId: string;
    vertical?: string;
    currency?: string;
    budget: number;
    bid?: number;
  },
  terms: Partial<OrderTermsInput> = {},
): NewEventOf<typeof OrderPlaced> {
  const bid = order.bid ?? Math.max(1, Math.min(order.budget, 60_000));
  return newEvent(
    OrderPlaced,
    checked(OrderPlaced, {
      orderId: order.orderId,
      buyerId: order.buyerId,
      vertical: order.vertical ?? 'eyewear',
      currency: order.currency ?? 'RUB',
      filters: {},
      bid,
      modifiers: [],
      quantity: 1000,
      budget: order.budget,
      exclusivity: 'any',
      delivery: 'pull',
      ...terms,
    }),
  );
}

/** The engine tests' listing (`market-fixtures`), as the sellers app appends it. */
export function leadListed(
  lead: { leadId: string; sellerId: string; person?: string; vertical?: string; currency?: string },
  attributes: Partial<EventInput<typeof LeadListed>['attributes']> = {},
): NewEventOf<typeof LeadListed> {
  const listed = marketLeadListed(lead.leadId, {
    sellerId: lead.sellerId,
    batchId: `batch-${lead.sellerId}`,
    currency: lead.currency ?? 'RUB',
    floor: 10_000,
    expiresAt: '2030-03-01T10:00:00.000Z',
    ...(lead.person ? { person: lead.person } : {}),
    attributes: { vertical: lead.vertical ?? 'eyewear', ...attributes },
  });
  return newEvent(LeadListed, listed.data as EventInput<typeof LeadListed>);
}

export function leadAllocated(allocation: {
  allocationId: string;
  leadId: string;
  orderId: string;
  buyerId: string;
  sellerId: string;
  price: number;
  commissionBps?: number;
  vertical?: string;
  currency?: string;
  at: string;
}): NewEventOf<typeof LeadAllocated> {
  const { commission, proceeds } = splitPrice(allocation.price, allocation.commissionBps ?? 1500);
  return newEvent(
    LeadAllocated,
    checked(LeadAllocated, {
      allocationId: allocation.allocationId,
      leadId: allocation.leadId,
      orderId: allocation.orderId,
      buyerId: allocation.buyerId,
      sellerId: allocation.sellerId,
      vertical: allocation.vertical ?? 'eyewear',
      currency: allocation.currency ?? 'RUB',
      price: allocation.price,
      commission,
      proceeds,
      rule: 'exclusive-floor',
      competingBids: [
        { orderId: allocation.orderId, buyerId: allocation.buyerId, effectiveBid: allocation.price },
      ],
      inputPosition: '1/1',
      at: allocation.at,
    }),
  );
}

export type AllocationData = EventData<typeof LeadAllocated>;

/** Appends with a metadata time, so that time-based rules see the domain time of the scenario. */
export async function appendAt(
  store: EventStore,
  stream: string,
  event: { type: string; data: unknown },
  occurredAt: string,
  actor = 'test',
) {
  return store.appendToStream(stream, [{ ...event, metadata: { occurredAt, actor } }], {
    expectedRevision: 'any',
  });
}
