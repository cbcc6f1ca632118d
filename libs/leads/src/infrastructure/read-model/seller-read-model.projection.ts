import type { EntityManager } from 'typeorm';
import type { CatalogueEvents, EventData, ReturnAccepted, ReturnRejected } from '#lx/contracts';
import type { RecordedEvent } from '#lx/event-store';
import { projectionWithHandlers, type Projection } from '#lx/projections';

/** The live schema of this read model (`rm_<name>`): read-side queries name it explicitly. */
export const SELLER_READ_MODEL = 'rm_seller_leads';

/**
 * What a seller sees of its batches, leads, sales, returns and conversions: a projection over
 * batch-*, lead-*, market-*, return-* and conversion-* events. It also holds the seller's record
 * (sold, returned, converted) that scores the seller's next listings. Personal data stays sealed here (the envelope, never clear text).
 */
const byHandlers: Projection = projectionWithHandlers<CatalogueEvents>({
  name: 'seller_leads',
  // 4: the authenticity checks of the seller's leads (docs/architecture.md §4.1).
  version: 4,
  streamCategories: ['batch', 'lead', 'market', 'return', 'conversion', 'authenticity'],
  entities: [],
  createTables: () => [
    `CREATE TABLE seller_batches (
      batch_id text PRIMARY KEY, seller_id text NOT NULL, vertical text NOT NULL, floor bigint NOT NULL,
      currency text NOT NULL, exclusivity jsonb NOT NULL, listing_lifetime_hours int NOT NULL,
      format text NOT NULL, row_count int NOT NULL, content_hash text NOT NULL, status text NOT NULL,
      accepted int, rejected int, reasons jsonb, submitted_at timestamptz NOT NULL,
      verified_at timestamptz, withdrawn_at timestamptz)`,
    'CREATE INDEX seller_batches_by_seller ON seller_batches (seller_id, submitted_at DESC, batch_id)',
    `CREATE TABLE seller_batch_rejections (
      batch_id text NOT NULL, line int NOT NULL, reasons text[] NOT NULL, PRIMARY KEY (batch_id, line))`,
    `CREATE TABLE seller_leads (
      lead_id text PRIMARY KEY, seller_id text NOT NULL, batch_id text NOT NULL, vertical text NOT NULL,
      attributes jsonb NOT NULL, floor bigint NOT NULL, currency text NOT NULL, exclusivity jsonb NOT NULL,
      expires_at timestamptz NOT NULL, quality jsonb NOT NULL, quality_score int NOT NULL,
      phone_fingerprint text, email_fingerprint text, envelope jsonb,
      status text NOT NULL, sales int NOT NULL DEFAULT 0, proceeds bigint NOT NULL DEFAULT 0,
      returned int NOT NULL DEFAULT 0, listed_at timestamptz NOT NULL, position_commit numeric(20,0) NOT NULL,
      position_prepare bigint NOT NULL)`,
    'CREATE INDEX seller_leads_by_seller ON seller_leads (seller_id, position_commit, position_prepare)',
    'CREATE INDEX seller_leads_by_batch ON seller_leads (batch_id)',
    'CREATE INDEX seller_leads_by_phone ON seller_leads (phone_fingerprint)',
    'CREATE INDEX seller_leads_by_email ON seller_leads (email_fingerprint)',
    `CREATE TABLE seller_allocations (
      allocation_id text PRIMARY KEY, lead_id text NOT NULL, seller_id text NOT NULL, buyer_id text NOT NULL,
      price bigint NOT NULL, proceeds bigint NOT NULL, at timestamptz NOT NULL,
      converted boolean NOT NULL DEFAULT false)`,
    'CREATE INDEX seller_allocations_by_seller ON seller_allocations (seller_id) WHERE converted',
    `CREATE TABLE seller_returns (
      allocation_id text PRIMARY KEY, lead_id text NOT NULL, seller_id text NOT NULL, buyer_id text NOT NULL,
      reason text NOT NULL, text text, evidence jsonb NOT NULL, status text NOT NULL, response jsonb,
      decision jsonb, requested_at timestamptz NOT NULL)`,
    'CREATE INDEX seller_returns_by_seller ON seller_returns (seller_id, requested_at DESC)',
    `CREATE TABLE seller_checks (
      lead_id text PRIMARY KEY, seller_id text NOT NULL, batch_id text NOT NULL, outcome text NOT NULL)`,
    'CREATE INDEX seller_checks_by_seller ON seller_checks (seller_id)',
  ],
  handlers: {
    // An authenticity check of one of the seller's leads: part of its record (§4.1).
    async AuthenticityCheckAnswered(event, manager) {
      const d = event.data;
      await manager.query(
        `INSERT INTO seller_checks (lead_id, seller_id, batch_id, outcome) VALUES ($1, $2, $3, $4)
         ON CONFLICT (lead_id) DO NOTHING`,
        [d.leadId, d.sellerId, d.batchId, d.outcome],
      );
    },
    // An operator withdrew a batch its authenticity sample held: its unsold leads never sell.
    async AuthenticityHoldDecided(event, manager) {
      if (event.data.decision !== 'withdrawn') return;
      await manager.query(
        `UPDATE seller_leads SET status = 'withdrawn' WHERE batch_id = $1 AND status = 'listed'`,
        [event.data.batchId],
      );
    },
    async LeadBatchSubmitted(event, manager) {
      const d = event.data;
      await manager.query(
        `INSERT INTO seller_batches (batch_id, seller_id, vertical, floor, currency, exclusivity, listing_lifetime_hours,
           format, row_count, content_hash, status, submitted_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'verifying',$11) ON CONFLICT DO NOTHING`,
        [
          d.batchId,
          d.sellerId,
          d.terms.vertical,
          d.terms.floor,
          d.terms.currency,
          d.terms.exclusivity,
          d.terms.listingLifetimeHours,
          d.format,
          d.rowCount,
          d.contentHash,
          event.metadata.occurredAt,
        ],
      );
    },
    async LeadBatchRowsRejected(event, manager) {
      const d = event.data;
      await manager.query(
        `INSERT INTO seller_batch_rejections (batch_id, line, reasons)
         SELECT $1, line, string_to_array(reasons, ',') FROM unnest($2::int[], $3::text[]) AS r(line, reasons)
         ON CONFLICT DO NOTHING`,
        [d.batchId, d.rows.map((row) => row.line), d.rows.map((row) => row.reasons.join(','))],
      );
    },
    async LeadBatchVerified(event, manager) {
      const d = event.data;
      await manager.query(
        `UPDATE seller_batches SET status = CASE WHEN status = 'withdrawn' THEN status ELSE 'verified' END,
           accepted = $2, rejected = $3, reasons = $4, verified_at = $5 WHERE batch_id = $1`,
        [d.batchId, d.accepted, d.rejected, d.reasons, event.metadata.occurredAt],
      );
    },
    async LeadBatchWithdrawn(event, manager) {
      await manager.query(
        `UPDATE seller_batches SET status = 'withdrawn', withdrawn_at = $2 WHERE batch_id = $1`,
        [event.data.batchId, event.metadata.occurredAt],
      );
    },
    // Gathered and written a statement per many listings: see `handle` below.
    async LeadListed(event, manager) {
      const d = event.data;
      let pending = pendingListings.get(manager);
      if (!pending) pendingListings.set(manager, (pending = []));
      pending.push({
        lead_id: d.leadId,
        seller_id: d.sellerId,
        batch_id: d.batchId,
        vertical: d.attributes.vertical,
        attributes: d.attributes,
        floor: d.floor,
        currency: d.currency,
        exclusivity: d.exclusivity,
        expires_at: d.expiresAt,
        quality: d.quality,
        quality_score: d.quality.score,
        phone_fingerprint: d.fingerprints.phone ?? null,
        email_fingerprint: d.fingerprints.email ?? null,
        envelope: d.personalData,
        listed_at: event.metadata.occurredAt,
        position_commit: event.position.commit.toString(),
        position_prepare: event.position.prepare.toString(),
      });
      if (pending.length >= LISTINGS_PER_STATEMENT) await writeListings(manager);
    },
    async LeadWithdrawn(event, manager) {
      await manager.query(
        `UPDATE seller_leads SET status = 'withdrawn' WHERE lead_id = $1 AND status NOT IN ('erased')`,
        [event.data.leadId],
      );
    },
    async LeadErased(event, manager) {
      // The envelope is unreadable without its key; dropping it too leaves nothing to try. The
      // fingerprints go too: suppression keeps its own, and nothing should tie a person to the lead.
      await manager.query(
        `UPDATE seller_leads SET status = 'erased', envelope = NULL, phone_fingerprint = NULL, email_fingerprint = NULL
          WHERE lead_id = $1`,
        [event.data.leadId],
      );
    },
    async ListingExpired(event, manager) {
      await manager.query(
        `UPDATE seller_leads SET status = 'expired' WHERE lead_id = $1 AND status = 'listed'`,
        [event.data.leadId],
      );
    },
    async LeadAllocated(event, manager) {
      const d = event.data;
      await manager.query(
        `INSERT INTO seller_allocations (allocation_id, lead_id, seller_id, buyer_id, price, proceeds, at)
         VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`,
        [d.allocationId, d.leadId, d.sellerId, d.buyerId, d.price, d.proceeds, d.at],
      );
      await manager.query(
        'UPDATE seller_leads SET sales = sales + 1, proceeds = proceeds + $2 WHERE lead_id = $1',
        [d.leadId, d.proceeds],
      );
    },
    async ReturnRequested(event, manager) {
      const d = event.data;
      await manager.query(
        `INSERT INTO seller_returns (allocation_id, lead_id, seller_id, buyer_id, reason, text, evidence, status, requested_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,'requested',$8) ON CONFLICT DO NOTHING`,
        [
          d.allocationId,
          d.leadId,
          d.sellerId,
          d.buyerId,
          d.reason,
          d.text ?? null,
          JSON.stringify(d.evidence),
          event.metadata.occurredAt,
        ],
      );
    },
    async SellerResponded(event, manager) {
      const d = event.data;
      const at = event.metadata.occurredAt;
      await manager.query(
        `UPDATE seller_returns SET status = CASE WHEN status = 'requested' THEN 'responded' ELSE status END,
           response = $2 WHERE allocation_id = $1`,
        [d.allocationId, { position: d.position, statement: d.statement, evidence: d.evidence, at }],
      );
    },
    async ReturnEscalated(event, manager) {
      await manager.query(
        `UPDATE seller_returns SET status = 'escalated' WHERE allocation_id = $1 AND decision IS NULL`,
        [event.data.allocationId],
      );
    },
    async ConversionReported(event, manager) {
      await manager.query(`UPDATE seller_allocations SET converted = true WHERE allocation_id = $1`, [
        event.data.allocationId,
      ]);
    },
    ReturnAccepted: (event, manager) => recordDecision('accepted', event, manager),
    ReturnRejected: (event, manager) => recordDecision('rejected', event, manager),
  },
});

async function recordDecision(
  outcome: 'accepted' | 'rejected',
  event: RecordedEvent<string, EventData<typeof ReturnAccepted> | EventData<typeof ReturnRejected>>,
  manager: EntityManager,
): Promise<void> {
  const d = event.data;
  const at = event.metadata.occurredAt;
  await manager.query(`UPDATE seller_returns SET status = $2, decision = $3 WHERE allocation_id = $1`, [
    d.allocationId,
    outcome,
    { decidedBy: d.decidedBy, rule: d.rule, rationale: d.rationale, at },
  ]);
  // An accepted return takes the sale back from the lead's record.
  if (outcome === 'accepted')
    await manager.query(
      `UPDATE seller_leads SET returned = seller_leads.returned + 1, proceeds = seller_leads.proceeds - a.proceeds
         FROM seller_allocations a WHERE a.allocation_id = $1 AND seller_leads.lead_id = a.lead_id`,
      [d.allocationId],
    );
}

/**
 * The rows of `LeadListed` events handled in a transaction and not written yet, by the
 * transaction's manager. A batch of listings (a verified chunk) is a run of consecutive
 * `LeadListed` events: written as one statement, not one per lead.
 */
const pendingListings = new WeakMap<EntityManager, Record<string, unknown>[]>();
const LISTINGS_PER_STATEMENT = 1000;

async function writeListings(manager: EntityManager): Promise<void> {
  const pending = pendingListings.get(manager);
  if (!pending || pending.length === 0) return;
  pendingListings.delete(manager);
  await manager.query(
    `INSERT INTO seller_leads (lead_id, seller_id, batch_id, vertical, attributes, floor, currency, exclusivity,
       expires_at, quality, quality_score, phone_fingerprint, email_fingerprint, envelope, status, listed_at,
       position_commit, position_prepare)
     SELECT lead_id, seller_id, batch_id, vertical, attributes, floor, currency, exclusivity, expires_at, quality,
       quality_score, phone_fingerprint, email_fingerprint, envelope, 'listed', listed_at, position_commit,
       position_prepare
     FROM jsonb_to_recordset($1::jsonb) AS r(lead_id text, seller_id text, batch_id text, vertical text,
       attributes jsonb, floor bigint, currency text, exclusivity jsonb, expires_at timestamptz, quality jsonb,
       quality_score int, phone_fingerprint text, email_fingerprint text, envelope jsonb, listed_at timestamptz,
       position_commit numeric(20,0), position_prepare bigint)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(pending)],
  );
}

/**
 * The handlers above, with the listings of a transaction written before any other event is
 * applied (which may update them) and before the transaction commits (`afterBatch`), so the
 * tables read as if every event had been applied on its own.
 */
export const sellerReadModel: Projection = {
  ...byHandlers,
  async handle(event, manager) {
    if (event.type !== 'LeadListed') await writeListings(manager);
    await byHandlers.handle(event, manager);
  },
  async afterBatch(events, manager) {
    await writeListings(manager);
    await byHandlers.afterBatch?.(events, manager);
  },
};
