import type { EntityManager } from 'typeorm';
import { AUTHENTICITY_DEFAULTS, type CatalogueEvents } from '#lx/contracts';
import type { RecordedEvent } from '#lx/event-store';
import { projectionWithHandlers, type Projection } from '#lx/projections';
import { checkedLeadQuality } from '../domain/checked-quality.js';

/** The schema of the authenticity read model (settlement). */
export const AUTHENTICITY_SCHEMA = 'rm_authenticity';

const position = (event: RecordedEvent) => [
  event.position.commit.toString(),
  event.position.prepare.toString(),
];

/**
 * The authenticity checks (docs/architecture.md §4.1), schema `rm_authenticity`: each market's
 * sampling settings, the leads of batches listed while their market samples (what a sample is drawn
 * from), each batch's sample and each drawn lead's task and answer, and per seller the checks
 * answered (its quality record).
 */
export const authenticityProjection: Projection = projectionWithHandlers<CatalogueEvents>({
  name: 'authenticity',
  version: 1,
  entities: [],
  createTables: () => [
    `CREATE TABLE au_settings (
       vertical text PRIMARY KEY, sample_percent int NOT NULL, sample_min int NOT NULL, hold_percent int NOT NULL)`,
    `CREATE TABLE au_lead (
       lead_id text PRIMARY KEY, batch_id text NOT NULL, seller_id text NOT NULL, vertical text NOT NULL,
       quality int NOT NULL)`,
    `CREATE INDEX au_lead_batch ON au_lead (batch_id)`,
    `CREATE TABLE au_sample (
       batch_id text PRIMARY KEY, seller_id text NOT NULL, vertical text NOT NULL, status text NOT NULL,
       population int NOT NULL, sampled int NOT NULL, answered int NOT NULL DEFAULT 0,
       confirmed int NOT NULL DEFAULT 0, failed int NOT NULL DEFAULT 0, hold_threshold_percent int NOT NULL,
       drawn_at timestamptz NOT NULL, decided_by text, decision_note text,
       pos_commit numeric(20, 0) NOT NULL, pos_prepare bigint NOT NULL)`,
    `CREATE TABLE au_task (
       lead_id text PRIMARY KEY, batch_id text NOT NULL, seller_id text NOT NULL, vertical text NOT NULL,
       rank int NOT NULL, quality_listed int, outcome text, quality_checked int, answered_by_kind text,
       answered_by text, answered_at timestamptz,
       pos_commit numeric(20, 0) NOT NULL, pos_prepare bigint NOT NULL)`,
    `CREATE INDEX au_task_open ON au_task (pos_commit, pos_prepare, rank) WHERE outcome IS NULL`,
    `CREATE TABLE au_seller (
       seller_id text PRIMARY KEY, confirmed int NOT NULL DEFAULT 0, failed int NOT NULL DEFAULT 0)`,
  ],
  handlers: {
    async MarketSettingsChanged(event, manager) {
      const d = event.data;
      await manager.query(
        `INSERT INTO au_settings (vertical, sample_percent, sample_min, hold_percent) VALUES ($1, $2, $3, $4)
         ON CONFLICT (vertical) DO UPDATE SET sample_percent = $2, sample_min = $3, hold_percent = $4`,
        [
          d.vertical,
          d.authenticitySamplePercent ?? AUTHENTICITY_DEFAULTS.authenticitySamplePercent,
          d.authenticitySampleMin ?? AUTHENTICITY_DEFAULTS.authenticitySampleMin,
          d.authenticityHoldPercent ?? AUTHENTICITY_DEFAULTS.authenticityHoldPercent,
        ],
      );
    },
    // Only leads of markets that sample are kept: what a sample is drawn from.
    async LeadListed(event, manager) {
      const d = event.data;
      await manager.query(
        `INSERT INTO au_lead (lead_id, batch_id, seller_id, vertical, quality)
         SELECT $1, $2, $3, $4, $5 WHERE EXISTS (
           SELECT 1 FROM au_settings WHERE vertical = $4 AND sample_percent > 0)
         ON CONFLICT (lead_id) DO NOTHING`,
        [d.leadId, d.batchId, d.sellerId, d.attributes.vertical, d.quality.score],
      );
    },
    // Nothing stored: the sampler waits for this read model to have seen the batch's verification.
    LeadBatchVerified: async () => {},
    async AuthenticitySampleDrawn(event, manager) {
      const d = event.data;
      const [commit, prepare] = position(event);
      await manager.query(
        `INSERT INTO au_sample (batch_id, seller_id, vertical, status, population, sampled,
           hold_threshold_percent, drawn_at, pos_commit, pos_prepare)
         VALUES ($1, $2, $3, 'sampling', $4, $5, $6, $7, $8, $9) ON CONFLICT (batch_id) DO NOTHING`,
        [
          d.batchId,
          d.sellerId,
          d.vertical,
          d.population,
          d.leadIds.length,
          d.holdThresholdPercent,
          event.metadata.occurredAt,
          commit,
          prepare,
        ],
      );
      await manager.query(
        `INSERT INTO au_task (lead_id, batch_id, seller_id, vertical, rank, quality_listed, pos_commit, pos_prepare)
         SELECT drawn.lead_id, $2, $3, $4, drawn.rank, l.quality, $5, $6
           FROM unnest($1::text[]) WITH ORDINALITY AS drawn (lead_id, rank)
           LEFT JOIN au_lead l ON l.lead_id = drawn.lead_id
         ON CONFLICT (lead_id) DO NOTHING`,
        [d.leadIds, d.batchId, d.sellerId, d.vertical, commit, prepare],
      );
    },
    async AuthenticityCheckAnswered(event, manager) {
      const d = event.data;
      const [rows] = await manager.query(
        `UPDATE au_task SET outcome = $2, answered_by_kind = $3, answered_by = $4, answered_at = $5
         WHERE lead_id = $1 AND outcome IS NULL RETURNING quality_listed`,
        [d.leadId, d.outcome, d.answeredBy.kind, d.answeredBy.id, event.metadata.occurredAt],
      );
      const task = (rows as { quality_listed: number | null }[])[0];
      if (!task) return;
      if (task.quality_listed !== null)
        await manager.query(`UPDATE au_task SET quality_checked = $2 WHERE lead_id = $1`, [
          d.leadId,
          checkedLeadQuality(task.quality_listed, d.outcome),
        ]);
      const failed = d.outcome === 'confirmed' ? 0 : 1;
      await manager.query(
        `UPDATE au_sample SET answered = answered + 1, confirmed = confirmed + $2, failed = failed + $3
         WHERE batch_id = $1`,
        [d.batchId, 1 - failed, failed],
      );
      await manager.query(
        `INSERT INTO au_seller (seller_id, confirmed, failed) VALUES ($1, $2, $3)
         ON CONFLICT (seller_id) DO UPDATE SET confirmed = au_seller.confirmed + $2, failed = au_seller.failed + $3`,
        [d.sellerId, 1 - failed, failed],
      );
    },
    AuthenticitySampleHeld: (event, manager) => setStatus(manager, event.data.batchId, 'held'),
    AuthenticitySamplePassed: (event, manager) => setStatus(manager, event.data.batchId, 'passed'),
    async AuthenticityHoldDecided(event, manager) {
      const d = event.data;
      await manager.query(
        `UPDATE au_sample SET status = $2, decided_by = $3, decision_note = $4 WHERE batch_id = $1`,
        [d.batchId, d.decision, d.operatorId, d.note],
      );
    },
  },
});

async function setStatus(manager: EntityManager, batchId: string, status: string): Promise<void> {
  await manager.query(`UPDATE au_sample SET status = $2 WHERE batch_id = $1`, [batchId, status]);
}
