import type { EntityManager } from 'typeorm';
import { isEvent, LeadAllocated, LeadErased, LeadListed, LeadWithdrawn, ListingExpired } from '#lx/contracts';
import type { RecordedEvent } from '#lx/event-store';
import type { Projection } from '#lx/projections';
import { ageBand, contactsSegment } from '../domain/lead-filters.js';

/*
 * The resting inventory: leads listed and still for sale, with non-personal attributes only (no
 * envelope, no fingerprints, no consent). Serves order previews and anonymised market depth.
 */
export const marketDepthProjection: Projection = {
  name: 'buyer_market_depth',
  version: 2,
  filter: {
    eventTypes: [
      LeadListed.type,
      LeadAllocated.type,
      ListingExpired.type,
      LeadWithdrawn.type,
      LeadErased.type,
    ],
  },
  entities: [],
  createTables: (schema) => [
    `CREATE TABLE ${schema}.resting_lead (
       lead_id text PRIMARY KEY, vertical text NOT NULL, seller_id text NOT NULL, attributes jsonb NOT NULL,
       quality int NOT NULL, seller_quality int NOT NULL, floor bigint NOT NULL, currency text NOT NULL, exclusive boolean NOT NULL,
       max_sales int NOT NULL, sales_made int NOT NULL DEFAULT 0, expires_at timestamptz NOT NULL,
       region text, age_band text NOT NULL, contacts text NOT NULL)`,
    `CREATE INDEX resting_lead_by_vertical ON ${schema}.resting_lead (vertical, region)`,
  ],
  handle: applyInventoryEvent,
};

async function applyInventoryEvent(event: RecordedEvent, manager: EntityManager): Promise<void> {
  if (isEvent(LeadListed, event)) {
    const { leadId, sellerId, attributes, floor, currency, exclusivity, expiresAt, quality } = event.data;
    await manager.query(
      `INSERT INTO resting_lead (lead_id, vertical, seller_id, attributes, quality, seller_quality, floor, currency,
                                 exclusive, max_sales, expires_at, region, age_band, contacts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (lead_id) DO NOTHING`,
      [
        leadId,
        attributes.vertical,
        sellerId,
        JSON.stringify(attributes),
        quality.score,
        quality.parts.sellerHistory,
        floor,
        currency,
        exclusivity.kind === 'exclusive',
        exclusivity.kind === 'exclusive' ? 1 : exclusivity.maxSales,
        expiresAt,
        attributes.region ?? null,
        ageBand(attributes.age),
        contactsSegment(attributes.contacts),
      ],
    );
  } else if (isEvent(LeadAllocated, event)) {
    await manager.query(`UPDATE resting_lead SET sales_made = sales_made + 1 WHERE lead_id = $1`, [
      event.data.leadId,
    ]);
    await manager.query(`DELETE FROM resting_lead WHERE lead_id = $1 AND sales_made >= max_sales`, [
      event.data.leadId,
    ]);
  } else if (isEvent(ListingExpired, event) || isEvent(LeadWithdrawn, event) || isEvent(LeadErased, event)) {
    await manager.query(`DELETE FROM resting_lead WHERE lead_id = $1`, [
      (event.data as { leadId: string }).leadId,
    ]);
  }
}
