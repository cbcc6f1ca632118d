import pg from 'pg';
import {
  appendsInTransaction,
  type EventStore,
  type LogTransaction,
  type TransactionDecision,
} from '#lx/event-store';
import { inTransaction } from './in-transaction.js';
import type {
  BatchProgress,
  ChunkOutcome,
  FingerprintClaim,
  FingerprintHolder,
  ListingCheck,
  ReceivingLease,
  RefusedFingerprints,
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

/** One market's claims are decided by whichever worker holds this lock (see claimFingerprints). */
const claimLock = (vertical: string) =>
  `SELECT pg_advisory_xact_lock(hashtext('lx_fingerprint_claims'), hashtext(${pg.escapeLiteral(vertical)}))`;

/** A claim transaction takes the requests waiting for their market up to about this many fingerprints. */
const CLAIM_GROUP_FINGERPRINTS = 5000;

interface ClaimRequest {
  fingerprints: readonly string[];
  windowStart: Date;
  decide: (holders: Map<string, FingerprintHolder>, suppressed: Set<string>) => FingerprintClaim[];
  claimedAt: Date;
  settle: (error?: unknown) => void;
}

/** The verification tables in PostgreSQL. */
export class PostgresVerificationStore implements VerificationStore {
  /** Claim requests waiting for their market's claim transaction, by market. */
  private readonly claimQueues = new Map<string, ClaimRequest[]>();

  /**
   * `store`: the log that listings are appended to. On the log's own database (the PostgreSQL
   * store, on the same database as these tables) the check and the append are one transaction.
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly store: EventStore,
  ) {}

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

  /**
   * Requests for one market that arrive while its claim transaction runs wait for the next one and
   * are decided together, in arrival order, each seeing the claims of those before it as a
   * transaction of its own would: one lock, one read and one insert for the group, so a market's
   * posts are not served one transaction at a time.
   */
  claimFingerprints(
    vertical: string,
    fingerprints: readonly string[],
    windowStart: Date,
    decide: (holders: Map<string, FingerprintHolder>, suppressed: Set<string>) => FingerprintClaim[],
    claimedAt: Date,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const request = {
        fingerprints,
        windowStart,
        decide,
        claimedAt,
        settle: (error?: unknown) => (error === undefined ? resolve() : reject(error)),
      };
      const queue = this.claimQueues.get(vertical);
      if (queue) queue.push(request);
      else {
        this.claimQueues.set(vertical, [request]);
        void this.claimWhileWaiting(vertical);
      }
    });
  }

  /** Runs the market's claim transactions until no request waits; the queue's presence marks it running. */
  private async claimWhileWaiting(vertical: string): Promise<void> {
    const queue = this.claimQueues.get(vertical)!;
    while (queue.length > 0) {
      let size = 0;
      let count = 0;
      while (
        count < queue.length &&
        (count === 0 || size + queue[count]!.fingerprints.length <= CLAIM_GROUP_FINGERPRINTS)
      )
        size += queue[count++]!.fingerprints.length;
      const group = queue.splice(0, count);
      try {
        const failures = await this.claimTogether(vertical, group);
        group.forEach((request, index) => request.settle(failures[index]));
      } catch (error) {
        for (const request of group) request.settle(error);
      }
    }
    this.claimQueues.delete(vertical);
  }

  /** One transaction under the market's lock for a group of requests; answers each one's failure (undefined: claimed). */
  private async claimTogether(vertical: string, group: readonly ClaimRequest[]): Promise<unknown[]> {
    const all = [...new Set(group.flatMap((request) => request.fingerprints))];
    const oldestWindow = new Date(Math.min(...group.map((request) => request.windowStart.getTime())));
    return inTransaction(
      this.pool,
      async (client) => {
        // Claims and suppressions in one read: claimed_at is null for a suppression.
        const { rows } = await client.query<{
          fingerprint: string;
          lead_id: string | null;
          batch_id: string | null;
          claimed_at: Date | null;
        }>(
          `SELECT fingerprint, lead_id, batch_id, claimed_at FROM lx_fingerprint_claims
            WHERE vertical = $1 AND fingerprint = ANY($2::text[]) AND claimed_at >= $3
           UNION ALL
           SELECT fingerprint, NULL, NULL, NULL FROM lx_suppressions WHERE fingerprint = ANY($2::text[])`,
          [vertical, all, oldestWindow],
        );
        const held = new Map<string, FingerprintHolder & { claimedAt: Date }>();
        const suppressed = new Set<string>();
        for (const row of rows)
          if (row.claimed_at === null) suppressed.add(row.fingerprint);
          else
            held.set(row.fingerprint, {
              leadId: row.lead_id!,
              batchId: row.batch_id!,
              claimedAt: row.claimed_at,
            });
        const claims = new Map<string, FingerprintClaim & { claimedAt: Date }>();
        const failures = group.map((request) => {
          const holders = new Map<string, FingerprintHolder>();
          const own = new Set<string>();
          for (const fingerprint of request.fingerprints) {
            const holder = held.get(fingerprint);
            if (holder && holder.claimedAt >= request.windowStart)
              holders.set(fingerprint, { leadId: holder.leadId, batchId: holder.batchId });
            if (suppressed.has(fingerprint)) own.add(fingerprint);
          }
          try {
            for (const claim of request.decide(holders, own)) {
              const stored = { ...claim, claimedAt: request.claimedAt };
              claims.set(claim.fingerprint, stored);
              held.set(claim.fingerprint, stored);
            }
            return undefined;
          } catch (error) {
            return error;
          }
        });
        if (claims.size > 0) {
          const written = [...claims.values()];
          await client.query(
            `INSERT INTO lx_fingerprint_claims (vertical, fingerprint, lead_id, batch_id, claimed_at)
             SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[])
             ON CONFLICT (vertical, fingerprint) DO UPDATE
               SET lead_id = excluded.lead_id, batch_id = excluded.batch_id, claimed_at = excluded.claimed_at`,
            [
              vertical,
              written.map((c) => c.fingerprint),
              written.map((c) => c.leadId),
              written.map((c) => c.batchId),
              written.map((c) => c.claimedAt),
            ],
          );
        }
        return failures;
      },
      claimLock(vertical),
    );
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
      // Exclusive against listings being written (they hold the lock shared): see listUnlessRefused.
      await client.query(`SELECT pg_advisory_xact_lock(${SUPPRESSION_LOCK})`);
      const { rowCount } = await client.query(
        `INSERT INTO lx_suppressions (fingerprint, reason) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING`,
        [fingerprints, reason],
      );
      return rowCount ?? 0;
    });
  }

  async listUnlessRefused<T>(
    check: ListingCheck,
    decide: (refused: RefusedFingerprints) => TransactionDecision<T>,
  ): Promise<T> {
    // Shared: listings run side by side; adding suppressions or do-not-contact entries waits for
    // them, and they for it. Transaction-scoped, so held until the listings are committed.
    const lock = `SELECT pg_advisory_xact_lock_shared(${SUPPRESSION_LOCK})`;
    const work = async (transaction: LogTransaction) => decide(await refusedFingerprints(transaction, check));
    if (appendsInTransaction(this.store))
      return (await this.store.appendInTransaction(work, { beginWith: lock })).result;
    // Another log (EventStoreDB): the check's transaction, and its lock, stay open while the listings are
    // appended there. Still one connection of the pool per listing, never two.
    return inTransaction(
      this.pool,
      async (client) => {
        const { writes, result } = await work({
          query: (text, values) => client.query(text, values as unknown[]),
        });
        if (writes.length > 0) await this.store.appendToStreams(writes);
        return result;
      },
      lock,
    );
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

/**
 * The fingerprints among the check's that are suppressed, or on a do-not-contact list applying to its
 * market at its time (§4.3): one read, inside the listing's transaction.
 */
async function refusedFingerprints(
  transaction: LogTransaction,
  { vertical, fingerprints, at }: ListingCheck,
): Promise<RefusedFingerprints> {
  const refused = { suppressed: new Set<string>(), doNotContact: new Set<string>() };
  if (fingerprints.length === 0) return refused;
  const { rows } = await transaction.query<{ fingerprint: string; list: 'suppressed' | 'doNotContact' }>(
    `SELECT fingerprint, 'suppressed' AS list FROM lx_suppressions WHERE fingerprint = ANY($1::text[])
     UNION ALL
     SELECT DISTINCT e.fingerprint, 'doNotContact' FROM lx_dnc_entries e JOIN lx_dnc_lists l ON l.list_id = e.list_id
      WHERE e.fingerprint = ANY($1::text[]) AND (l.vertical IS NULL OR l.vertical = $2)
        AND l.expires_at > $3 AND (l.ended_at IS NULL OR l.ended_at > $3)`,
    [fingerprints, vertical, at],
  );
  for (const row of rows) refused[row.list].add(row.fingerprint);
  return refused;
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
