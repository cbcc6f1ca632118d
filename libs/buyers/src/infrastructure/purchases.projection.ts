import type { EntityManager } from 'typeorm';
import type { CatalogueEvents, EventData, ReturnAccepted, ReturnRejected } from '#lx/contracts';
import type { RecordedEvent } from '#lx/event-store';
import { projectionWithHandlers, type Projection } from '#lx/projections';

/*
 * The buyer's purchases: every allocation with the lead's non-personal attributes, its return and
 * its conversion. Personal data is never copied here: it is decrypted on request from the lead's
 * envelope, for the owning buyer only. Serves the purchased-leads list, pull deliveries, returns
 * and the reports.
 */
export const purchasesProjection: Projection = projectionWithHandlers<CatalogueEvents>({
  name: 'buyer_purchases',
  version: 2,
  entities: [],
  createTables: (schema) => [
    `CREATE TABLE ${schema}.purchase_listing (
       lead_id text PRIMARY KEY, seller_id text NOT NULL, attributes jsonb NOT NULL, quality int NOT NULL,
       erased boolean NOT NULL DEFAULT false)`,
    `CREATE TABLE ${schema}.purchase (
       allocation_id text PRIMARY KEY, buyer_id text NOT NULL, order_id text NOT NULL, lead_id text NOT NULL,
       seller_id text NOT NULL, vertical text NOT NULL, currency text NOT NULL, price bigint NOT NULL,
       rule text NOT NULL, allocated_at timestamptz NOT NULL, attributes jsonb, quality int,
       log_commit numeric(20, 0) NOT NULL, log_prepare bigint NOT NULL)`,
    `CREATE INDEX purchase_by_buyer ON ${schema}.purchase (buyer_id, log_commit, log_prepare)`,
    `CREATE INDEX purchase_by_order ON ${schema}.purchase (order_id)`,
    `CREATE INDEX purchase_by_lead ON ${schema}.purchase (lead_id)`,
    `CREATE TABLE ${schema}.purchase_return (
       allocation_id text PRIMARY KEY, buyer_id text NOT NULL, order_id text NOT NULL, status text NOT NULL,
       reason text NOT NULL, text text, evidence jsonb NOT NULL, replace boolean NOT NULL,
       replacement text, replacement_order_id text, requested_at timestamptz NOT NULL, seller_response jsonb, escalation jsonb, decision jsonb,
       updated_at timestamptz NOT NULL)`,
    `CREATE INDEX purchase_return_by_buyer ON ${schema}.purchase_return (buyer_id, requested_at)`,
    `CREATE TABLE ${schema}.purchase_conversion (
       allocation_id text PRIMARY KEY, buyer_id text NOT NULL, converted_at timestamptz NOT NULL,
       value_amount bigint, value_currency text)`,
  ],
  handlers: {
    async LeadListed(event, manager) {
      const { leadId, sellerId, attributes, quality } = event.data;
      await manager.query(
        `INSERT INTO purchase_listing (lead_id, seller_id, attributes, quality) VALUES ($1, $2, $3, $4)
         ON CONFLICT (lead_id) DO NOTHING`,
        [leadId, sellerId, JSON.stringify(attributes), quality.score],
      );
    },
    async LeadErased(event, manager) {
      await manager.query(`UPDATE purchase_listing SET erased = true WHERE lead_id = $1`, [
        event.data.leadId,
      ]);
    },
    async LeadAllocated(event, manager) {
      const d = event.data;
      await manager.query(
        `INSERT INTO purchase (allocation_id, buyer_id, order_id, lead_id, seller_id, vertical, currency, price, rule,
                               allocated_at, attributes, quality, log_commit, log_prepare)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, l.attributes, l.quality, $11, $12
           FROM (SELECT 1) AS one LEFT JOIN purchase_listing l ON l.lead_id = $4
         ON CONFLICT (allocation_id) DO NOTHING`,
        [
          d.allocationId,
          d.buyerId,
          d.orderId,
          d.leadId,
          d.sellerId,
          d.vertical,
          d.currency,
          d.price,
          d.rule,
          d.at,
          event.position.commit.toString(),
          event.position.prepare.toString(),
        ],
      );
    },
    async ReturnRequested(event, manager) {
      const d = event.data;
      await manager.query(
        `INSERT INTO purchase_return (allocation_id, buyer_id, order_id, status, reason, text, evidence, replace,
                                      requested_at, updated_at)
         VALUES ($1, $2, $3, 'requested', $4, $5, $6, $7, $8, $8) ON CONFLICT (allocation_id) DO NOTHING`,
        [
          d.allocationId,
          d.buyerId,
          d.orderId,
          d.reason,
          d.text ?? null,
          JSON.stringify(d.evidence),
          d.replace ?? false,
          event.metadata.occurredAt,
        ],
      );
    },
    async SellerResponded(event, manager) {
      const { allocationId, position, statement, evidence } = event.data;
      const at = event.metadata.occurredAt;
      await updateReturn(
        manager,
        allocationId,
        at,
        `status = CASE WHEN status = 'requested' THEN 'seller_responded' ELSE status END,
      seller_response = $3`,
        [JSON.stringify({ position, statement, evidence, at })],
      );
    },
    async ReturnEscalated(event, manager) {
      const { allocationId, escalatedBy, reason } = event.data;
      const at = event.metadata.occurredAt;
      await updateReturn(manager, allocationId, at, `status = 'escalated', escalation = $3`, [
        JSON.stringify({ escalatedBy, reason, at }),
      ]);
    },
    ReturnAccepted: (event, manager) => recordDecision('accepted', event, manager),
    ReturnRejected: (event, manager) => recordDecision('rejected', event, manager),
    async RefundCredited(event, manager) {
      // A replacement asked for, refunded to the available balance: the order was no longer live.
      const { allocationId, creditedTo } = event.data;
      const replacement = creditedTo === 'order_budget' ? 'pending' : 'unavailable';
      await updateReturn(
        manager,
        allocationId,
        event.metadata.occurredAt,
        `replacement = CASE WHEN replace THEN $3 END`,
        [replacement],
      );
    },
    async OrderPlaced(event, manager) {
      // Only the orders the exchange placed to replace a returned lead of a closed order.
      const replacing = event.data.replacementFor;
      if (replacing)
        await updateReturn(
          manager,
          replacing.allocationId,
          event.metadata.occurredAt,
          `replacement = 'ordered', replacement_order_id = $3`,
          [event.data.orderId],
        );
    },
    async ReplacementDecided(event, manager) {
      const { allocationId, outcome } = event.data;
      await updateReturn(manager, allocationId, event.metadata.occurredAt, `replacement = $3`, [
        outcome === 'granted' ? 'granted' : 'unavailable',
      ]);
    },
    async ConversionReported(event, manager) {
      const { allocationId, buyerId, at: convertedAt, value } = event.data;
      await manager.query(
        `INSERT INTO purchase_conversion (allocation_id, buyer_id, converted_at, value_amount, value_currency)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (allocation_id) DO NOTHING`,
        [allocationId, buyerId, convertedAt, value?.amount ?? null, value?.currency ?? null],
      );
    },
  },
});

async function recordDecision(
  outcome: 'accepted' | 'rejected',
  event: RecordedEvent<string, EventData<typeof ReturnAccepted> | EventData<typeof ReturnRejected>>,
  manager: EntityManager,
): Promise<void> {
  const { allocationId, decidedBy, rule, rationale } = event.data;
  const at = event.metadata.occurredAt;
  await updateReturn(manager, allocationId, at, `status = $3, decision = $4`, [
    outcome,
    JSON.stringify({ outcome, decidedBy, rule, rationale, at }),
  ]);
}

function updateReturn(
  manager: EntityManager,
  allocationId: string,
  at: string,
  set: string,
  values: unknown[],
): Promise<unknown> {
  return manager.query(`UPDATE purchase_return SET ${set}, updated_at = $2 WHERE allocation_id = $1`, [
    allocationId,
    at,
    ...values,
  ]);
}
