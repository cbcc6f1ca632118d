import type { CatalogueEvents } from '#lx/contracts';
import { liveSchemaOf, projectionWithHandlers, type Projection } from '#lx/projections';

/*
 * The seller's source and sub-source of every sale of a tagged lead (docs/architecture.md §6 "statements
 * by source"): the ledger knows allocations, not listings, so this small read model remembers the tags
 * of the leads listed with a source and gives them to the allocations of those leads. The seller's
 * statement reads it beside the ledger's transfers; a sale missing here is from an untagged lead.
 */
export const saleSourcesProjection: Projection = projectionWithHandlers<CatalogueEvents>({
  name: 'ledger_sale_sources',
  version: 1,
  entities: [],
  createTables: (schema) => [
    `CREATE TABLE ${schema}.sourced_lead (lead_id text PRIMARY KEY, source text NOT NULL, sub_source text)`,
    `CREATE TABLE ${schema}.sale_source (
       allocation_id text PRIMARY KEY, seller_id text NOT NULL, source text NOT NULL, sub_source text)`,
  ],
  handlers: {
    async LeadListed(event, manager) {
      const { leadId, attributes } = event.data;
      if (attributes.source === undefined) return;
      await manager.query(
        `INSERT INTO sourced_lead (lead_id, source, sub_source) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [leadId, attributes.source, attributes.subSource ?? null],
      );
    },
    async LeadAllocated(event, manager) {
      const { allocationId, leadId, sellerId } = event.data;
      await manager.query(
        `INSERT INTO sale_source (allocation_id, seller_id, source, sub_source)
         SELECT $1, $2, source, sub_source FROM sourced_lead WHERE lead_id = $3 ON CONFLICT DO NOTHING`,
        [allocationId, sellerId, leadId],
      );
    },
  },
});

/** The live schema of the read model, for the statement's queries to name. */
export const SALE_SOURCES_SCHEMA = liveSchemaOf(saleSourcesProjection);
