import type { EntityManager } from 'typeorm';
import type { CatalogueEvents } from '#lx/contracts';
import { projectionWithHandlers, type Projection } from '#lx/projections';
import { ageBand, contactsSegment } from '../domain/lead-filters.js';

/*
 * The resting inventory: leads listed and still for sale, with non-personal attributes only (no
 * envelope, no fingerprints, no consent). Serves order previews and anonymised market depth.
 */
export const marketDepthProjection: Projection = projectionWithHandlers<CatalogueEvents>({
  name: 'buyer_market_depth',
  version: 2,
  entities: [],
  createTables: (schema) => [
    `CREATE TABLE ${schema}.resting_lead (
       lead_id text PRIMARY KEY, vertical text NOT NULL, seller_id text NOT NULL, attributes jsonb NOT NULL,
       quality int NOT NULL, seller_quality int NOT NULL, floor bigint NOT NULL, currency text NOT NULL, exclusive boolean NOT NULL,
       max_sales int NOT NULL, sales_made int NOT NULL DEFAULT 0, expires_at timestamptz NOT NULL,
       region text, age_band text NOT NULL, contacts text NOT NULL)`,
    `CREATE INDEX resting_lead_by_vertical ON ${schema}.resting_lead (vertical, region)`,
  ],
  handlers: {
    async LeadListed(event, manager) {
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
    },
    async LeadAllocated(event, manager) {
      await manager.query(`UPDATE resting_lead SET sales_made = sales_made + 1 WHERE lead_id = $1`, [
        event.data.leadId,
      ]);
      await manager.query(`DELETE FROM resting_lead WHERE lead_id = $1 AND sales_made >= max_sales`, [
        event.data.leadId,
      ]);
    },
    // Each of these takes the lead off the shelf.
    ListingExpired: (event, manager) => removeRestingLead(event.data.leadId, manager),
    LeadWithdrawn: (event, manager) => removeRestingLead(event.data.leadId, manager),
    LeadErased: (event, manager) => removeRestingLead(event.data.leadId, manager),
  },
});

async function removeRestingLead(leadId: string, manager: EntityManager): Promise<void> {
  await manager.query(`DELETE FROM resting_lead WHERE lead_id = $1`, [leadId]);
}
