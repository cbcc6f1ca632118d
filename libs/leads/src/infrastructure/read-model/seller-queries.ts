import type pg from 'pg';
import type { SellerRecord } from '#lx/contracts';
import type {
  BatchView,
  LeadRow,
  SellerActivityRows,
  SellerReads,
} from '../../application/seller-reads.port.js';
import type { SourceTotals } from '../../domain/source-report.js';
import { SELLER_READ_MODEL as RM } from './seller-read-model.projection.js';

export type { BatchView, LeadRow, SellerActivityRows };

/**
 * The seller's record so far (sold, returned, converted), from the read model; a seller without one
 * gets the neutral prior. It scores the seller's next listings by the exchange's one rule
 * (`sellerHistoryScore`), the same that settlement reports per seller.
 */
export async function readSellerRecord(pool: pg.Pool, sellerId: string): Promise<SellerRecord> {
  try {
    const { rows } = await pool.query<{
      sold: string;
      returned: string;
      conversions: string;
      confirmed: string;
      failed: string;
    }>(
      `SELECT (SELECT coalesce(sum(sales), 0) FROM ${RM}.seller_leads WHERE seller_id = $1) AS sold,
              (SELECT coalesce(sum(returned), 0) FROM ${RM}.seller_leads WHERE seller_id = $1) AS returned,
              (SELECT count(*) FROM ${RM}.seller_allocations WHERE seller_id = $1 AND converted) AS conversions,
              (SELECT count(*) FILTER (WHERE outcome = 'confirmed') FROM ${RM}.seller_checks WHERE seller_id = $1)
                AS confirmed,
              (SELECT count(*) FILTER (WHERE outcome <> 'confirmed') FROM ${RM}.seller_checks WHERE seller_id = $1)
                AS failed`,
      [sellerId],
    );
    const row = rows[0];
    return {
      sold: Number(row?.sold ?? 0),
      returned: Number(row?.returned ?? 0),
      conversions: Number(row?.conversions ?? 0),
      checksConfirmed: Number(row?.confirmed ?? 0),
      checksFailed: Number(row?.failed ?? 0),
    };
  } catch (error) {
    // The read model is created by the projection on first start; before that there is no history.
    if ((error as { code?: string }).code === '42P01') return { sold: 0, returned: 0, conversions: 0 };
    throw error;
  }
}

/**
 * A lead's status as the seller sees it. The read model records listing, withdrawal, erasure and
 * expiry; a lead that made every sale its exclusivity allows is `sold` — not `listed`, and not
 * `withdrawn` even if a withdrawal raced its last sale (the market had already sold it).
 */
const LEAD_STATUS = `CASE WHEN status IN ('listed', 'withdrawn') AND sales >=
    CASE WHEN exclusivity->>'kind' = 'shared' THEN (exclusivity->>'maxSales')::int ELSE 1 END
  THEN 'sold' ELSE status END`;

/**
 * The seller's side of reading: every query is scoped to the seller, so another seller's batch or
 * lead reads as absent (404), never as forbidden.
 */
export class SellerQueries implements SellerReads {
  constructor(private readonly pool: pg.Pool) {}

  /** Leads ever listed and rows ever rejected, per market, across every seller (for /metrics). */
  async volumes(): Promise<{ vertical: string; listed: number; rejected: number }[]> {
    const { rows } = await this.pool.query<{ vertical: string; listed: string; rejected: string }>(
      `SELECT vertical, sum(listed) AS listed, sum(rejected) AS rejected FROM (
         SELECT vertical, count(*) AS listed, 0 AS rejected FROM ${RM}.seller_leads GROUP BY vertical
         UNION ALL
         SELECT vertical, 0, coalesce(sum(rejected), 0) FROM ${RM}.seller_batches GROUP BY vertical
       ) AS volumes GROUP BY vertical`,
    );
    return rows.map((row) => ({
      vertical: row.vertical,
      listed: Number(row.listed),
      rejected: Number(row.rejected),
    }));
  }

  sellerRecord(sellerId: string): Promise<SellerRecord> {
    return readSellerRecord(this.pool, sellerId);
  }

  async batches(
    sellerId: string,
    limit: number,
    before?: { submittedAt: string; batchId: string },
  ): Promise<BatchView[]> {
    const { rows } = await this.pool.query<BatchRow>(
      `${BATCH_SELECT} WHERE v.seller_id = $1 AND v.status <> 'receiving'
         AND ($3::timestamptz IS NULL OR (v.submitted_at, v.batch_id) < ($3::timestamptz, $4::text))
       ORDER BY v.submitted_at DESC, v.batch_id DESC LIMIT $2`,
      [sellerId, limit, before?.submittedAt ?? null, before?.batchId ?? null],
    );
    return rows.map(toBatchView);
  }

  async batch(sellerId: string, batchId: string): Promise<BatchView | null> {
    const { rows } = await this.pool.query<BatchRow>(
      `${BATCH_SELECT} WHERE v.seller_id = $1 AND v.batch_id = $2 AND v.status <> 'receiving'`,
      [sellerId, batchId],
    );
    return rows[0] ? toBatchView(rows[0]) : null;
  }

  async rejections(batchId: string): Promise<{ line: number; reasons: string[] }[]> {
    const { rows } = await this.pool.query<{ line: number; reasons: string[] }>(
      `SELECT line, reasons FROM ${RM}.seller_batch_rejections WHERE batch_id = $1 ORDER BY line`,
      [batchId],
    );
    return rows;
  }

  async leads(
    sellerId: string,
    options: { limit: number; batchId?: string; status?: string; after?: { c: string; p: string } },
  ): Promise<LeadRow[]> {
    const { rows } = await this.pool.query<LeadRow>(
      `SELECT *, ${LEAD_STATUS} AS market_status FROM ${RM}.seller_leads WHERE seller_id = $1
         AND ($2::text IS NULL OR batch_id = $2) AND ($3::text IS NULL OR ${LEAD_STATUS} = $3)
         AND ($4::numeric IS NULL OR (position_commit, position_prepare) > ($4::numeric, $5::bigint))
       ORDER BY position_commit, position_prepare LIMIT $6`,
      [
        sellerId,
        options.batchId ?? null,
        options.status ?? null,
        options.after?.c ?? null,
        options.after?.p ?? null,
        options.limit,
      ],
    );
    return rows;
  }

  async lead(sellerId: string, leadId: string): Promise<LeadRow | null> {
    const { rows } = await this.pool.query<LeadRow>(
      `SELECT *, ${LEAD_STATUS} AS market_status FROM ${RM}.seller_leads WHERE seller_id = $1 AND lead_id = $2`,
      [sellerId, leadId],
    );
    return rows[0] ?? null;
  }

  /** The leads of a batch still on sale: listed, and not sold out. */
  async listedLeadIdsOfBatch(batchId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ lead_id: string }>(
      `SELECT lead_id FROM ${RM}.seller_leads WHERE batch_id = $1 AND ${LEAD_STATUS} = 'listed'`,
      [batchId],
    );
    return rows.map((row) => row.lead_id);
  }

  /** Every lead of the person, whichever seller listed it: consumer revocation erases them all. */
  async leadIdsByFingerprints(fingerprints: string[]): Promise<string[]> {
    const { rows } = await this.pool.query<{ lead_id: string }>(
      `SELECT lead_id FROM ${RM}.seller_leads
        WHERE (phone_fingerprint = ANY($1::text[]) OR email_fingerprint = ANY($1::text[])) AND status <> 'erased'`,
      [fingerprints],
    );
    return rows.map((row) => row.lead_id);
  }

  /**
   * Leads listed, sales made and returns accepted per UTC day since `since`, and the average
   * quality of every lead the seller listed (for the seller's dashboard).
   */
  async activity(sellerId: string, since: Date): Promise<SellerActivityRows> {
    try {
      const [perDay, quality] = await Promise.all([
        this.pool.query<{ day: string; listed: number; sold: number; returned: number }>(
          `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(listed)::int AS listed, sum(sold)::int AS sold,
                  sum(returned)::int AS returned
             FROM (SELECT (listed_at AT TIME ZONE 'UTC')::date AS day, 1 AS listed, 0 AS sold, 0 AS returned
                     FROM ${RM}.seller_leads WHERE seller_id = $1 AND listed_at >= $2
                   UNION ALL
                   SELECT (at AT TIME ZONE 'UTC')::date, 0, 1, 0
                     FROM ${RM}.seller_allocations WHERE seller_id = $1 AND at >= $2
                   UNION ALL
                   SELECT ((decision->>'at')::timestamptz AT TIME ZONE 'UTC')::date, 0, 0, 1
                     FROM ${RM}.seller_returns
                    WHERE seller_id = $1 AND status = 'accepted' AND (decision->>'at')::timestamptz >= $2) AS e
            GROUP BY day ORDER BY day`,
          [sellerId, since],
        ),
        this.pool.query<{
          leads: string;
          score: string | null;
          completeness: string | null;
          verification: string | null;
          freshness: string | null;
          seller_history: string | null;
        }>(
          `SELECT count(*) AS leads, avg(quality_score) AS score,
                  avg((quality->'parts'->>'completeness')::numeric) AS completeness,
                  avg((quality->'parts'->>'verification')::numeric) AS verification,
                  avg((quality->'parts'->>'freshness')::numeric) AS freshness,
                  avg((quality->'parts'->>'sellerHistory')::numeric) AS seller_history
             FROM ${RM}.seller_leads WHERE seller_id = $1`,
          [sellerId],
        ),
      ]);
      const q = quality.rows[0];
      const average = (value: string | null | undefined) => Math.round(Number(value ?? 0) * 10) / 10;
      return {
        days: perDay.rows,
        quality: {
          leads: Number(q?.leads ?? 0),
          score: average(q?.score),
          parts: {
            completeness: average(q?.completeness),
            verification: average(q?.verification),
            freshness: average(q?.freshness),
            sellerHistory: average(q?.seller_history),
          },
        },
      };
    } catch (error) {
      // Before the projection created its tables there is no activity.
      if ((error as { code?: string }).code !== '42P01') throw error;
      const parts = { completeness: 0, verification: 0, freshness: 0, sellerHistory: 0 };
      return { days: [], quality: { leads: 0, score: 0, parts } };
    }
  }

  /** Leads, sales, accepted returns, conversions, quality and proceeds per source, sub-source and currency. */
  async sourceTotals(sellerId: string): Promise<SourceTotals[]> {
    try {
      const { rows } = await this.pool.query<Record<string, string | null>>(
        `WITH leads AS (
           SELECT attributes->>'source' AS source, attributes->>'subSource' AS sub_source, currency,
                  count(*) AS listed, sum(sales) AS sold, sum(returned) AS returned,
                  sum(quality_score) AS quality_sum, sum(proceeds) AS proceeds
             FROM ${RM}.seller_leads WHERE seller_id = $1 GROUP BY 1, 2, 3),
         converted AS (
           SELECT l.attributes->>'source' AS source, l.attributes->>'subSource' AS sub_source, l.currency,
                  count(*) AS conversions
             FROM ${RM}.seller_allocations a JOIN ${RM}.seller_leads l ON l.lead_id = a.lead_id
            WHERE a.seller_id = $1 AND a.converted GROUP BY 1, 2, 3)
         SELECT l.source, l.sub_source, l.currency, l.listed::text, l.sold::text, l.returned::text,
                l.quality_sum::text, l.proceeds::text, coalesce(c.conversions, 0)::text AS conversions
           FROM leads l LEFT JOIN converted c ON c.source IS NOT DISTINCT FROM l.source
            AND c.sub_source IS NOT DISTINCT FROM l.sub_source AND c.currency = l.currency`,
        [sellerId],
      );
      return rows.map((row) => ({
        source: row.source ?? null,
        subSource: row.sub_source ?? null,
        currency: row.currency!,
        listed: Number(row.listed),
        sold: Number(row.sold),
        returned: Number(row.returned),
        conversions: Number(row.conversions),
        qualitySum: Number(row.quality_sum),
        proceeds: Number(row.proceeds),
      }));
    } catch (error) {
      // Before the projection created its tables the seller has listed nothing.
      if ((error as { code?: string }).code === '42P01') return [];
      throw error;
    }
  }

  async returns(sellerId: string, limit: number): Promise<unknown[]> {
    const { rows } = await this.pool.query(
      `SELECT allocation_id AS "allocationId", lead_id AS "leadId", buyer_id AS "buyerId", reason, text, evidence,
              status, response, decision, requested_at AS "requestedAt"
         FROM ${RM}.seller_returns WHERE seller_id = $1 ORDER BY requested_at DESC LIMIT $2`,
      [sellerId, limit],
    );
    return rows;
  }
}

const BATCH_SELECT = `
  SELECT v.batch_id, v.terms, v.submitted_at, v.total_rows, v.processed, v.accepted, v.rejected, v.reasons,
         v.status AS progress_status, b.status AS model_status
    FROM lx_batch_verification v LEFT JOIN ${RM}.seller_batches b ON b.batch_id = v.batch_id`;

interface BatchRow {
  batch_id: string;
  terms: unknown;
  submitted_at: Date;
  total_rows: number;
  processed: number;
  accepted: number;
  rejected: number;
  reasons: Record<string, number>;
  progress_status: string;
  model_status: 'verifying' | 'verified' | 'withdrawn' | null;
}

function toBatchView(row: BatchRow): BatchView {
  // Verified once the read model has the whole batch (its leads and rejections come before LeadBatchVerified in the log).
  const status =
    row.model_status === 'withdrawn' || row.model_status === 'verified' ? row.model_status : 'verifying';
  return {
    batchId: row.batch_id,
    status,
    terms: row.terms,
    submittedAt: new Date(row.submitted_at).toISOString(),
    progress: {
      share: row.total_rows > 0 ? Math.round((row.processed / row.total_rows) * 1000) / 1000 : 0,
      totalRows: row.total_rows,
      processed: row.processed,
      accepted: row.accepted,
      rejected: row.rejected,
    },
    reasons: row.reasons,
  };
}
