import type { EntityManager } from 'typeorm';
import type { CatalogueEvents, EventData, OrderAmended, OrderPlaced } from '#lx/contracts';
import type { RecordedEvent } from '#lx/event-store';
import { projectionWithHandlers, type Projection } from '#lx/projections';

/*
 * What the automatic return rules and the return window read from the log (schema
 * `rm_return_facts`): allocations, the leads' fingerprints and attributes, every version of each
 * order's terms and of each market's settings (by log position, so they can be read "as of" an
 * allocation), and the returns requested with their outcome.
 */

const position = (event: RecordedEvent) => [
  event.position.commit.toString(),
  event.position.prepare.toString(),
];

export const returnFactsProjection: Projection = projectionWithHandlers<CatalogueEvents>({
  name: 'return_facts',
  // 3: escalations (status `escalated`, when and where) and the return's reason, for the auditors' queue.
  // 4: each version of an order's terms keeps its delivery schedule, for the filter-mismatch rule.
  version: 4,
  entities: [],
  createTables: () => [
    `CREATE TABLE rf_allocation (
       allocation_id text PRIMARY KEY, lead_id text NOT NULL, order_id text NOT NULL, buyer_id text NOT NULL,
       seller_id text NOT NULL, vertical text NOT NULL, currency text NOT NULL,
       price bigint NOT NULL, proceeds bigint NOT NULL, commission bigint NOT NULL, at timestamptz NOT NULL,
       pos_commit numeric(20, 0) NOT NULL, pos_prepare bigint NOT NULL)`,
    `CREATE INDEX rf_allocation_buyer ON rf_allocation (buyer_id, at)`,
    `CREATE TABLE rf_lead (
       lead_id text PRIMARY KEY, seller_id text NOT NULL, phone_fp text, email_fp text,
       attributes jsonb NOT NULL, quality int NOT NULL, seller_quality int NOT NULL)`,
    `CREATE TABLE rf_order_terms (
       order_id text NOT NULL, pos_commit numeric(20, 0) NOT NULL, pos_prepare bigint NOT NULL,
       buyer_id text NOT NULL, filters jsonb NOT NULL, schedule jsonb, PRIMARY KEY (order_id, pos_commit, pos_prepare))`,
    `CREATE TABLE rf_market_settings (
       vertical text NOT NULL, pos_commit numeric(20, 0) NOT NULL, pos_prepare bigint NOT NULL,
       return_window_hours int NOT NULL, dedupe_window_days int NOT NULL, return_cap_percent int,
       PRIMARY KEY (vertical, pos_commit, pos_prepare))`,
    `CREATE TABLE rf_return (
       allocation_id text PRIMARY KEY, buyer_id text NOT NULL, requested_at timestamptz NOT NULL,
       status text NOT NULL, reason text, escalated_at timestamptz,
       esc_commit numeric(20, 0), esc_prepare bigint)`,
    `CREATE INDEX rf_return_escalated ON rf_return (esc_commit, esc_prepare) WHERE status = 'escalated'`,
    `CREATE INDEX rf_return_buyer ON rf_return (buyer_id, requested_at)`,
  ],
  handlers: {
    async LeadListed(event, manager) {
      const lead = event.data;
      await manager.query(
        `INSERT INTO rf_lead (lead_id, seller_id, phone_fp, email_fp, attributes, quality, seller_quality)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (lead_id) DO NOTHING`,
        [
          lead.leadId,
          lead.sellerId,
          lead.fingerprints.phone ?? null,
          lead.fingerprints.email ?? null,
          JSON.stringify(lead.attributes),
          lead.quality.score,
          lead.quality.parts.sellerHistory,
        ],
      );
    },
    OrderPlaced: recordOrderTerms,
    OrderAmended: recordOrderTerms,
    async LeadAllocated(event, manager) {
      const a = event.data;
      await manager.query(
        `INSERT INTO rf_allocation (allocation_id, lead_id, order_id, buyer_id, seller_id, vertical, currency, price,
           proceeds, commission, at, pos_commit, pos_prepare)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          a.allocationId,
          a.leadId,
          a.orderId,
          a.buyerId,
          a.sellerId,
          a.vertical,
          a.currency,
          a.price,
          a.proceeds,
          a.commission,
          a.at,
          ...position(event),
        ],
      );
    },
    async MarketSettingsChanged(event, manager) {
      const s = event.data;
      await manager.query(
        `INSERT INTO rf_market_settings (vertical, pos_commit, pos_prepare, return_window_hours, dedupe_window_days,
           return_cap_percent) VALUES ($1, $2, $3, $4, $5, $6)`,
        [s.vertical, ...position(event), s.returnWindowHours, s.dedupeWindowDays, s.returnCapPercent ?? null],
      );
    },
    async ReturnRequested(event, manager) {
      const { allocationId, buyerId, reason } = event.data;
      await manager.query(
        `INSERT INTO rf_return (allocation_id, buyer_id, requested_at, status, reason) VALUES ($1, $2, $3, 'requested', $4)
         ON CONFLICT (allocation_id) DO NOTHING`,
        [allocationId, buyerId, event.metadata.occurredAt, reason],
      );
    },
    // Not stored: handled (as nothing) so that it is in the filter, and a reaction to it can wait
    // until the facts before it are read.
    SellerResponded: async () => undefined,
    async ReturnEscalated(event, manager) {
      // Still an open return (as `requested`), now waiting for an auditor.
      await manager.query(
        `UPDATE rf_return SET status = 'escalated', escalated_at = $2, esc_commit = $3, esc_prepare = $4
         WHERE allocation_id = $1 AND status = 'requested'`,
        [event.data.allocationId, event.metadata.occurredAt, ...position(event)],
      );
    },
    ReturnAccepted: (event, manager) => recordOutcome(event.data.allocationId, 'accepted', manager),
    ReturnRejected: (event, manager) => recordOutcome(event.data.allocationId, 'rejected', manager),
  },
});

async function recordOrderTerms(
  event: RecordedEvent<string, EventData<typeof OrderPlaced> | EventData<typeof OrderAmended>>,
  manager: EntityManager,
): Promise<void> {
  const { orderId, buyerId, filters, schedule } = event.data;
  await manager.query(
    `INSERT INTO rf_order_terms (order_id, pos_commit, pos_prepare, buyer_id, filters, schedule)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      orderId,
      ...position(event),
      buyerId,
      JSON.stringify(filters),
      schedule ? JSON.stringify(schedule) : null,
    ],
  );
}

async function recordOutcome(
  allocationId: string,
  status: 'accepted' | 'rejected',
  manager: EntityManager,
): Promise<void> {
  await manager.query(`UPDATE rf_return SET status = $2 WHERE allocation_id = $1`, [allocationId, status]);
}
