import { ReturnRequested, newEvent } from '#lx/contracts';
import type { EventStore } from '#lx/event-store';
import { appendAt, leadAllocated, leadListed } from '../../../ledger/src/testing/settlement-fixtures.js';

/*
 * The log a return is judged on: the lead listed by its seller, sold by the engine, and (for the
 * returned ones) a return requested by its buyer — appended at one domain time, as the apps would.
 */

/** Who sold which lead to whom: the identity every return event about that sale carries. */
export interface Sale {
  allocationId: string;
  leadId: string;
  orderId: string;
  buyerId: string;
  sellerId: string;
}

/** Lists `lead-<allocationId>` for the seller and sells it at 600 RUB to the run's one buyer. */
export async function appendSale(
  store: EventStore,
  sold: { allocationId: string; sellerId: string; run: string },
  at: string,
): Promise<Sale> {
  const leadId = `lead-${sold.allocationId}`;
  const sale: Sale = {
    allocationId: sold.allocationId,
    leadId,
    orderId: `order-${sold.run}`,
    buyerId: `buyer-${sold.run}`,
    sellerId: sold.sellerId,
  };
  await appendAt(store, leadId, leadListed({ leadId, sellerId: sale.sellerId }), at);
  await appendAt(store, 'market-eyewear', leadAllocated({ ...sale, price: 60_000, at }), at);
  return sale;
}

/** The buyer returns the sale: the phone number is not in service, as its call log shows. */
export async function appendReturnRequest(store: EventStore, sale: Sale, at: string): Promise<void> {
  const request = newEvent(ReturnRequested, {
    ...sale,
    reason: 'invalid_phone',
    evidence: [{ kind: 'call_log', description: 'Number not in service' }],
  });
  await appendAt(store, `return-${sale.allocationId}`, request, at, sale.buyerId);
}
