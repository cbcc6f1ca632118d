import type pg from 'pg';
import { inTransaction } from './in-transaction.js';
import type {
  BatchProgress,
  ChunkOutcome,
  FingerprintClaim,
  FingerprintHolder,
  ReceivingLease,
  VerificationStore,
} from '../application/verification/verification-store.port.js';

/** A receiving batch whose receiver stopped renewing; the database clock judges, the same for every machine. */
const LEASE_RAN_OUT = `status = 'receiving' AND (lease_until IS NULL OR lease_until < clock_timestamp())`;

interface ProgressRow {
  batch_id: string;
  seller_id: string;
  status: BatchProgress['status'];
  terms: BatchProgress['terms'];
  dedupe_window_days: number;
  consent_max_age_days: number | null;
  submitted_at: Date;
  seller_history: BatchProgress['sellerHistory'];
  total_rows: number;
  chunk_count: number;
  next_chunk: number;
  processed: number;
  accepted: number;
  rejected: number;
  reasons: BatchProgress['reasons'];
}

/**
 * Taken shared while listings are written and exclusive while suppressions (and do-not-contact
 * entries, PostgresDoNotContactStore) are added.
 */
export const SUPPRESSION_LOCK = `hashtext('lx_suppressions')`;

/** The verification tables in PostgreSQL. */
export class PostgresVerificationStore implements VerificationStore {
  constructor(private readonly pool: pg.Pool) {}

  async createProgress(p: BatchProgress, lease: ReceivingLease): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const { rowCount: tookOver } = await client.query(
        `DELETE FROM lx_batch_verification WHERE batch_id = $1 AND ${LEASE_RAN_OUT}`,
        [p.batchId],
      );
      if (tookOver) await client.query('DELETE FROM lx_batch_staged_chunks WHERE batch_id = $1', [p.batchId]);
      await client.query(
        `INSERT INTO lx_batch_verification
           (batch_id, seller_id, status, terms, dedupe_window_days, submitted_at, seller_history, receiver, lease_until,
            consent_max_age_days)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp() + $9 * interval '1 millisecond', $10)`,
        [
          p.batchId,
          p.sellerId,
          p.status,
          JSON.stringify(p.terms),
          p.dedupeWindowDays,
          p.submittedAt,
          JSON.stringify(p.sellerHistory),
          lease.receiver,
          lease.leaseMs,
          p.consentMaxAgeDays ?? null,
        ],
      );
    });
  }

  async renewLease(batchId: string, lease: ReceivingLease): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE lx_batch_verification SET lease_until = clock_timestamp() + $3 * interval '1 millisecond'
        WHERE batch_id = $1 AND receiver = $2 AND status = 'receiving'`,
      [batchId, lease.receiver, lease.leaseMs],
    );
    return rowCount === 1;
  }

  async markVerifying(batchId: string, totalRows: number, chunkCount: number): Promise<void> {
    await this.pool.query(
      `UPDATE lx_batch_verification SET status = 'verifying', total_rows = $2, chunk_count = $3 WHERE batch_id = $1`,
      [batchId, totalRows, chunkCount],
    );
  }

  async markSubmittedVerifying(batchId: string, totalRows: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE lx_batch_verification SET status = 'verifying', total_rows = $2,
         chunk_count = (SELECT count(*) FROM lx_batch_staged_chunks WHERE batch_id = $1)
       WHERE batch_id = $1 AND status = 'receiving'`,
      [batchId, totalRows],
    );
    return rowCount === 1;
  }

  async progress(batchId: string): Promise<BatchProgress | null> {
    const { rows } = await this.pool.query<ProgressRow>(
      'SELECT * FROM lx_batch_verification WHERE batch_id = $1',
      [batchId],
    );
    const row = rows[0];
    return row ? toProgress(row) : null;
  }

  async unfinishedBatches(): Promise<string[]> {
    const { rows } = await this.pool.query<{ batch_id: string }>(
      `SELECT batch_id FROM lx_batch_verification WHERE status = 'verifying' ORDER BY submitted_at`,
    );
    return rows.map((row) => row.batch_id);
  }

  async abandonedUploads(): Promise<string[]> {
    const { rows } = await this.pool.query<{ batch_id: string }>(
      `SELECT batch_id FROM lx_batch_verification WHERE ${LEASE_RAN_OUT} ORDER BY submitted_at`,
    );
    return rows.map((row) => row.batch_id);
  }

  async completeChunk(batchId: string, chunk: number, outcome: ChunkOutcome): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE lx_batch_verification SET
         next_chunk = next_chunk + 1,
         processed = processed + $3, accepted = accepted + $4, rejected = rejected + $5,
         reasons = (SELECT coalesce(jsonb_object_agg(key, total), '{}') FROM (
           SELECT key, sum(value::int) AS total FROM (
             SELECT * FROM jsonb_each_text(reasons) UNION ALL SELECT * FROM jsonb_each_text($6::jsonb)
           ) AS both_ GROUP BY key) AS merged)
       WHERE batch_id = $1 AND next_chunk = $2`,
      [
        batchId,
        chunk,
        outcome.processed,
        outcome.accepted,
        outcome.rejected,
        JSON.stringify(outcome.reasons),
      ],
    );
    return rowCount === 1;
  }

  async markVerified(batchId: string): Promise<void> {
    await this.pool.query(`UPDATE lx_batch_verification SET status = 'verified' WHERE batch_id = $1`, [
      batchId,
    ]);
  }

  async discard(batchId: string): Promise<void> {
    await this.pool.query('DELETE FROM lx_batch_staged_chunks WHERE batch_id = $1', [batchId]);
    await this.pool.query('DELETE FROM lx_batch_verification WHERE batch_id = $1', [batchId]);
  }

  async stageChunk(
    batchId: string,
    chunk: number,
    rows: number,
    sealed: Buffer,
    receiver: string,
  ): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO lx_batch_staged_chunks (batch_id, chunk, rows, sealed)
       SELECT $1, $2, $3, $4 WHERE EXISTS (
         SELECT 1 FROM lx_batch_verification WHERE batch_id = $1 AND receiver = $5 AND status = 'receiving')`,
      [batchId, chunk, rows, sealed, receiver],
    );
    return rowCount === 1;
  }

  async stagedChunk(batchId: string, chunk: number): Promise<Buffer | null> {
    const { rows } = await this.pool.query<{ sealed: Buffer }>(
      'SELECT sealed FROM lx_batch_staged_chunks WHERE batch_id = $1 AND chunk = $2',
      [batchId, chunk],
    );
    return rows[0]?.sealed ?? null;
  }

  async dropStagedChunks(batchId: string): Promise<void> {
    await this.pool.query('DELETE FROM lx_batch_staged_chunks WHERE batch_id = $1', [batchId]);
  }

  async claimFingerprints(
    vertical: string,
    fingerprints: readonly string[],
    windowStart: Date,
    decide: (holders: Map<string, FingerprintHolder>, suppressed: Set<string>) => FingerprintClaim[],
    claimedAt: Date,
  ): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // One market's claims are decided one chunk at a time, by whichever worker holds the lock.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('lx_fingerprint_claims'), hashtext($1))`, [
        vertical,
      ]);
      const held = await client.query<{ fingerprint: string; lead_id: string; batch_id: string }>(
        `SELECT fingerprint, lead_id, batch_id FROM lx_fingerprint_claims
          WHERE vertical = $1 AND fingerprint = ANY($2::text[]) AND claimed_at >= $3`,
        [vertical, fingerprints, windowStart],
      );
      const suppressed = await client.query<{ fingerprint: string }>(
        'SELECT fingerprint FROM lx_suppressions WHERE fingerprint = ANY($1::text[])',
        [fingerprints],
      );
      const claims = decide(
        new Map(held.rows.map((row) => [row.fingerprint, { leadId: row.lead_id, batchId: row.batch_id }])),
        new Set(suppressed.rows.map((row) => row.fingerprint)),
      );
      if (claims.length > 0)
        await client.query(
          `INSERT INTO lx_fingerprint_claims (vertical, fingerprint, lead_id, batch_id, claimed_at)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[]), LATERAL (SELECT $5::timestamptz) AS t
           ON CONFLICT (vertical, fingerprint) DO UPDATE
             SET lead_id = excluded.lead_id, batch_id = excluded.batch_id, claimed_at = excluded.claimed_at`,
          [
            vertical,
            claims.map((c) => c.fingerprint),
            claims.map((c) => c.leadId),
            claims.map((c) => c.batchId),
            claimedAt,
          ],
        );
    });
  }

  /** The suppression list, newest first: keyed fingerprints only (never a contact), with reason and date. */
  async suppressionPage(
    limit: number,
    offset: number,
  ): Promise<{ fingerprint: string; reason: string; addedAt: string }[]> {
    const { rows } = await this.pool.query<{ fingerprint: string; reason: string; added_at: Date }>(
      `SELECT fingerprint, reason, added_at FROM lx_suppressions
        ORDER BY added_at DESC, fingerprint DESC LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return rows.map((row) => ({
      fingerprint: row.fingerprint,
      reason: row.reason,
      addedAt: row.added_at.toISOString(),
    }));
  }

  async suppress(fingerprints: readonly string[], reason: string): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      // Exclusive against listings being written (they hold the lock shared): see listUnlessSuppressed.
      await client.query(`SELECT pg_advisory_xact_lock(${SUPPRESSION_LOCK})`);
      const { rowCount } = await client.query(
        `INSERT INTO lx_suppressions (fingerprint, reason) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING`,
        [fingerprints, reason],
      );
      return rowCount ?? 0;
    });
  }

  async listUnlessSuppressed<T>(
    fingerprints: readonly string[],
    list: (suppressed: Set<string>) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    try {
      // A session lock, held across the event store's own append transaction.
      await client.query(`SELECT pg_advisory_lock_shared(${SUPPRESSION_LOCK})`);
      try {
        const { rows } = await client.query<{ fingerprint: string }>(
          'SELECT fingerprint FROM lx_suppressions WHERE fingerprint = ANY($1::text[])',
          [fingerprints],
        );
        return await list(new Set(rows.map((row) => row.fingerprint)));
      } finally {
        await client.query(`SELECT pg_advisory_unlock_shared(${SUPPRESSION_LOCK})`);
      }
    } finally {
      client.release();
    }
  }

  async leadsClaiming(fingerprints: readonly string[]): Promise<string[]> {
    const { rows } = await this.pool.query<{ lead_id: string }>(
      'SELECT DISTINCT lead_id FROM lx_fingerprint_claims WHERE fingerprint = ANY($1::text[]) ORDER BY lead_id',
      [fingerprints],
    );
    return rows.map((row) => row.lead_id);
  }

  async releaseClaims(leadIds: readonly string[]): Promise<void> {
    await this.pool.query('DELETE FROM lx_fingerprint_claims WHERE lead_id = ANY($1::text[])', [leadIds]);
  }
}

function toProgress(row: ProgressRow): BatchProgress {
  return {
    batchId: row.batch_id,
    sellerId: row.seller_id,
    status: row.status,
    terms: row.terms,
    dedupeWindowDays: row.dedupe_window_days,
    consentMaxAgeDays: row.consent_max_age_days,
    submittedAt: row.submitted_at,
    sellerHistory: row.seller_history,
    totalRows: row.total_rows,
    chunkCount: row.chunk_count,
    nextChunk: row.next_chunk,
    processed: row.processed,
    accepted: row.accepted,
    rejected: row.rejected,
    reasons: row.reasons,
  };
}
