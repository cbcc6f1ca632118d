import type { EntityManager } from 'typeorm';
import { AUTHENTICITY_DEFAULTS, type CatalogueEvents } from '#lx/contracts';
import type { RecordedEvent } from '#lx/event-store';
import { projectionWithHandlers, type Projection } from '#lx/projections';
import { checkedLeadQuality } from '../domain/checked-quality.js';
import { sourceSampleId } from '../domain/source-sampling.js';

/** The schema of the authenticity read model (settlement). */
export const AUTHENTICITY_SCHEMA = 'rm_authenticity';

const position = (event: RecordedEvent) => [
  event.position.commit.toString(),
  event.position.prepare.toString(),
];

const SOURCE_STREAM_PREFIX = 'authenticity-source-';

/**
 * The authenticity checks (docs/architecture.md §4.1), schema `rm_authenticity`: each market's
 * sampling settings, the leads listed while their market samples (what samples are drawn from:
 * by batch, and by source with each lead's place among its source's leads, counted here in log
 * order), each batch's sample, each source's record, each drawn lead's task and answer, and per
 * seller the checks answered (its quality record).
 */
export const authenticityProjection: Projection = projectionWithHandlers<CatalogueEvents>({
  name: 'authenticity',
  version: 2,
  entities: [],
  createTables: () => [
    `CREATE TABLE au_settings (
       vertical text PRIMARY KEY, sample_percent int NOT NULL, sample_min int NOT NULL, hold_percent int NOT NULL,
       source_percent int NOT NULL)`,
    // source_*: set when the market sampled sources at the listing (the lead's place and the settings then).
    `CREATE TABLE au_lead (
       lead_id text PRIMARY KEY, batch_id text NOT NULL, seller_id text NOT NULL, vertical text NOT NULL,
       quality int NOT NULL, source text, batch_sampled boolean NOT NULL, source_id text, source_ordinal int,
       source_percent int, sample_min int, hold_percent int)`,
    `CREATE INDEX au_lead_batch ON au_lead (batch_id)`,
    `CREATE TABLE au_sample (
       batch_id text PRIMARY KEY, seller_id text NOT NULL, vertical text NOT NULL, status text NOT NULL,
       population int NOT NULL, sampled int NOT NULL, answered int NOT NULL DEFAULT 0,
       confirmed int NOT NULL DEFAULT 0, failed int NOT NULL DEFAULT 0, hold_threshold_percent int NOT NULL,
       drawn_at timestamptz NOT NULL, decided_by text, decision_note text,
       pos_commit numeric(20, 0) NOT NULL, pos_prepare bigint NOT NULL)`,
    // status null: leads listed, none drawn yet.
    `CREATE TABLE au_source (
       source_id text PRIMARY KEY, vertical text NOT NULL, seller_id text NOT NULL, source text,
       listed int NOT NULL, drawn int NOT NULL DEFAULT 0, status text,
       answered int NOT NULL DEFAULT 0, confirmed int NOT NULL DEFAULT 0, failed int NOT NULL DEFAULT 0,
       hold_threshold_percent int, hold_min_answered int, first_drawn_at timestamptz,
       decided_by text, decision_note text, pos_commit numeric(20, 0), pos_prepare bigint)`,
    `CREATE TABLE au_task (
       lead_id text PRIMARY KEY, batch_id text NOT NULL, seller_id text NOT NULL, vertical text NOT NULL,
       rank int NOT NULL, by_batch boolean NOT NULL DEFAULT false, by_source boolean NOT NULL DEFAULT false,
       source text, source_id text, quality_listed int, outcome text, quality_checked int,
       answered_by_kind text, answered_by text, answered_at timestamptz,
       pos_commit numeric(20, 0) NOT NULL, pos_prepare bigint NOT NULL)`,
    `CREATE INDEX au_task_open ON au_task (pos_commit, pos_prepare, rank) WHERE outcome IS NULL`,
    `CREATE INDEX au_task_source ON au_task (source_id) WHERE by_source`,
    `CREATE TABLE au_seller (
       seller_id text PRIMARY KEY, confirmed int NOT NULL DEFAULT 0, failed int NOT NULL DEFAULT 0)`,
  ],
  handlers: {
    async MarketSettingsChanged(event, manager) {
      const d = event.data;
      await manager.query(
        `INSERT INTO au_settings (vertical, sample_percent, sample_min, hold_percent, source_percent)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (vertical) DO UPDATE SET sample_percent = $2, sample_min = $3, hold_percent = $4,
           source_percent = $5`,
        [
          d.vertical,
          d.authenticitySamplePercent ?? AUTHENTICITY_DEFAULTS.authenticitySamplePercent,
          d.authenticitySampleMin ?? AUTHENTICITY_DEFAULTS.authenticitySampleMin,
          d.authenticityHoldPercent ?? AUTHENTICITY_DEFAULTS.authenticityHoldPercent,
          d.authenticitySourceSamplePercent ?? AUTHENTICITY_DEFAULTS.authenticitySourceSamplePercent,
        ],
      );
    },
    // Only leads of markets that sample are kept: what samples are drawn from. A lead listed while
    // its market samples sources takes the next place among its source's leads (log order).
    async LeadListed(event, manager) {
      const d = event.data;
      const source = d.attributes.source ?? null;
      await manager.query(
        `WITH s AS (
           SELECT sample_percent, sample_min, hold_percent, source_percent FROM au_settings
            WHERE vertical = $4 AND (sample_percent > 0 OR source_percent > 0)),
         counted AS (
           INSERT INTO au_source (source_id, vertical, seller_id, source, listed)
           SELECT $7, $4, $3, $6, 1 FROM s
            WHERE s.source_percent > 0 AND NOT EXISTS (SELECT 1 FROM au_lead WHERE lead_id = $1)
           ON CONFLICT (source_id) DO UPDATE SET listed = au_source.listed + 1
           RETURNING listed)
         INSERT INTO au_lead (lead_id, batch_id, seller_id, vertical, quality, source, batch_sampled,
           source_id, source_ordinal, source_percent, sample_min, hold_percent)
         SELECT $1, $2, $3, $4, $5, $6, s.sample_percent > 0,
           CASE WHEN s.source_percent > 0 THEN $7 END, (SELECT listed FROM counted),
           s.source_percent, s.sample_min, s.hold_percent
           FROM s
         ON CONFLICT (lead_id) DO NOTHING`,
        [
          d.leadId,
          d.batchId,
          d.sellerId,
          d.attributes.vertical,
          d.quality.score,
          source,
          sourceSampleId(d.attributes.vertical, d.sellerId, source),
        ],
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
        `INSERT INTO au_task (lead_id, batch_id, seller_id, vertical, rank, by_batch, source, source_id,
           quality_listed, pos_commit, pos_prepare)
         SELECT drawn.lead_id, $2, $3, $4, drawn.rank, true, l.source, l.source_id, l.quality, $5, $6
           FROM unnest($1::text[]) WITH ORDINALITY AS drawn (lead_id, rank)
           LEFT JOIN au_lead l ON l.lead_id = drawn.lead_id
         ON CONFLICT (lead_id) DO UPDATE SET by_batch = true`,
        [d.leadIds, d.batchId, d.sellerId, d.vertical, commit, prepare],
      );
    },
    async AuthenticitySourceLeadsDrawn(event, manager) {
      const d = event.data;
      const [commit, prepare] = position(event);
      await manager.query(
        `UPDATE au_source SET drawn = drawn + $2, status = coalesce(status, 'sampling'),
           hold_threshold_percent = $3, hold_min_answered = $4,
           first_drawn_at = coalesce(first_drawn_at, $5), pos_commit = coalesce(pos_commit, $6),
           pos_prepare = coalesce(pos_prepare, $7)
         WHERE source_id = $1`,
        [
          d.sourceId,
          d.leads.length,
          d.holdThresholdPercent,
          d.holdMinAnswered,
          event.metadata.occurredAt,
          commit,
          prepare,
        ],
      );
      await manager.query(
        `INSERT INTO au_task (lead_id, batch_id, seller_id, vertical, rank, by_source, source, source_id,
           quality_listed, pos_commit, pos_prepare)
         SELECT drawn.lead_id, drawn.batch_id, $2, $3, drawn.rank, true, $4, $5, l.quality, $6, $7
           FROM unnest($1::text[], $8::text[]) WITH ORDINALITY AS drawn (lead_id, batch_id, rank)
           LEFT JOIN au_lead l ON l.lead_id = drawn.lead_id
         ON CONFLICT (lead_id) DO UPDATE SET by_source = true, source = $4, source_id = $5`,
        [
          d.leads.map((lead) => lead.leadId),
          d.sellerId,
          d.vertical,
          d.source,
          d.sourceId,
          commit,
          prepare,
          d.leads.map((lead) => lead.batchId),
        ],
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
      // Answered on its source's stream: the lead was drawn by its source only (§4.1).
      if (event.streamName.startsWith(SOURCE_STREAM_PREFIX))
        await countSourceCheck(manager, event.streamName.slice(SOURCE_STREAM_PREFIX.length), failed);
      else
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
    AuthenticitySourceCheckCounted: (event, manager) =>
      countSourceCheck(manager, event.data.sourceId, event.data.outcome === 'confirmed' ? 0 : 1),
    AuthenticitySampleHeld: (event, manager) => setStatus(manager, event.data.batchId, 'held'),
    AuthenticitySamplePassed: (event, manager) => setStatus(manager, event.data.batchId, 'passed'),
    async AuthenticityHoldDecided(event, manager) {
      const d = event.data;
      await manager.query(
        `UPDATE au_sample SET status = $2, decided_by = $3, decision_note = $4 WHERE batch_id = $1`,
        [d.batchId, d.decision, d.operatorId, d.note],
      );
    },
    AuthenticitySourceHeld: (event, manager) => setSourceStatus(manager, event.data.sourceId, 'held'),
    AuthenticitySourceVerified: (event, manager) => setSourceStatus(manager, event.data.sourceId, 'verified'),
    async AuthenticitySourceHoldDecided(event, manager) {
      const d = event.data;
      // Released: the source's record starts again (§4.1).
      await manager.query(
        `UPDATE au_source SET status = $2, decided_by = $3, decision_note = $4,
           answered = CASE WHEN $2 = 'released' THEN 0 ELSE answered END,
           confirmed = CASE WHEN $2 = 'released' THEN 0 ELSE confirmed END,
           failed = CASE WHEN $2 = 'released' THEN 0 ELSE failed END
         WHERE source_id = $1`,
        [d.sourceId, d.decision, d.operatorId, d.note],
      );
    },
  },
});

async function setStatus(manager: EntityManager, batchId: string, status: string): Promise<void> {
  await manager.query(`UPDATE au_sample SET status = $2 WHERE batch_id = $1`, [batchId, status]);
}

async function setSourceStatus(manager: EntityManager, sourceId: string, status: string): Promise<void> {
  await manager.query(`UPDATE au_source SET status = $2 WHERE source_id = $1`, [sourceId, status]);
}

async function countSourceCheck(manager: EntityManager, sourceId: string, failed: number): Promise<void> {
  await manager.query(
    `UPDATE au_source SET answered = answered + 1, confirmed = confirmed + $2, failed = failed + $3
     WHERE source_id = $1`,
    [sourceId, 1 - failed, failed],
  );
}
