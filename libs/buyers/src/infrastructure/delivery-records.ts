import type { DataSource } from 'typeorm';
import type { DeliveryState, DeliveryStatus, WebhookJob } from '../application/buyer-views.js';

export type { DeliveryState, DeliveryStatus, WebhookJob };

interface DeliveryRow {
  allocation_id: string;
  state: DeliveryState;
  attempts: number;
  last_error: string | null;
  last_status: number | null;
  updated_at: Date;
}

const toStatus = (row: DeliveryRow): DeliveryStatus => ({
  allocationId: row.allocation_id,
  state: row.state,
  attempts: row.attempts,
  lastError: row.last_error,
  updatedAt: new Date(row.updated_at).toISOString(),
  lastStatus: row.last_status,
});

/*
 * Where delivery state lives: PostgreSQL, not Redis. Redis keeps nothing on disk here, and a flush
 * must lose no delivery: each webhook delivery's state (with the job to re-create) and each buyer's
 * pull cursor are rows, and the BullMQ jobs are derived from the pending rows again at start and
 * by a periodic reconciliation. These are not read models (the log does not hold delivery attempts),
 * so they sit outside the projections' rebuildable schema.
 */
export class DeliveryRecords {
  constructor(private readonly database: DataSource) {}

  /** Creates the tables; safe when several instances start at once. */
  async ensureSchema(): Promise<void> {
    await this.database.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('lx_buyers_delivery_records'))`);
      await manager.query(`CREATE TABLE IF NOT EXISTS public.buyers_webhook_delivery (
        allocation_id text PRIMARY KEY,
        buyer_id text NOT NULL,
        job jsonb NOT NULL,
        state text NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        last_status int,
        updated_at timestamptz NOT NULL DEFAULT now())`);
      await manager.query(`CREATE INDEX IF NOT EXISTS buyers_webhook_delivery_buyer
        ON public.buyers_webhook_delivery (buyer_id, updated_at)`);
      await manager.query(`CREATE INDEX IF NOT EXISTS buyers_webhook_delivery_pending
        ON public.buyers_webhook_delivery (updated_at) WHERE state = 'pending'`);
      await manager.query(`CREATE TABLE IF NOT EXISTS public.buyers_pull_cursor (
        buyer_id text PRIMARY KEY,
        cursor text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now())`);
    });
  }

  /**
   * Records new pending deliveries in one statement; returns the allocation ids that had none yet
   * (the others were recorded already, by another instance or an earlier pass over the same page).
   */
  async createPendingMany(jobs: readonly WebhookJob[]): Promise<Set<string>> {
    if (jobs.length === 0) return new Set();
    const rows: { allocation_id: string }[] = await this.database.query(
      `INSERT INTO public.buyers_webhook_delivery (allocation_id, buyer_id, job, state)
       SELECT allocation_id, buyer_id, job, 'pending'
         FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS j(allocation_id, buyer_id, job)
       ON CONFLICT (allocation_id) DO NOTHING RETURNING allocation_id`,
      [
        jobs.map((job) => job.allocationId),
        jobs.map((job) => job.buyerId),
        jobs.map((job) => JSON.stringify(job)),
      ],
    );
    return new Set(rows.map((row) => row.allocation_id));
  }

  /** A redelivery: pending again with a fresh count of attempts. */
  async restartPending(job: WebhookJob): Promise<void> {
    await this.database.query(
      `INSERT INTO public.buyers_webhook_delivery (allocation_id, buyer_id, job, state)
       VALUES ($1, $2, $3, 'pending')
       ON CONFLICT (allocation_id) DO UPDATE SET state = 'pending', attempts = 0, last_error = NULL,
         last_status = NULL, updated_at = now()`,
      [job.allocationId, job.buyerId, JSON.stringify(job)],
    );
  }

  async update(
    allocationId: string,
    status: Pick<DeliveryStatus, 'state' | 'attempts' | 'lastError' | 'lastStatus'>,
  ): Promise<void> {
    // A delivered allocation stays delivered: a late failure report of an earlier attempt changes nothing.
    await this.database.query(
      `UPDATE public.buyers_webhook_delivery
       SET state = $2, attempts = $3, last_error = $4, last_status = $5, updated_at = now()
       WHERE allocation_id = $1 AND state <> 'delivered'`,
      [allocationId, status.state, status.attempts, status.lastError, status.lastStatus],
    );
  }

  async status(buyerId: string, allocationId: string): Promise<DeliveryStatus | null> {
    const rows: DeliveryRow[] = await this.database.query(
      `SELECT * FROM public.buyers_webhook_delivery WHERE buyer_id = $1 AND allocation_id = $2`,
      [buyerId, allocationId],
    );
    return rows[0] ? toStatus(rows[0]) : null;
  }

  async statuses(buyerId: string): Promise<DeliveryStatus[]> {
    const rows: DeliveryRow[] = await this.database.query(
      `SELECT * FROM public.buyers_webhook_delivery WHERE buyer_id = $1 ORDER BY updated_at, allocation_id`,
      [buyerId],
    );
    return rows.map(toStatus);
  }

  /** Pending deliveries, oldest first, for the reconciliation to re-queue what Redis lost. */
  async pending(limit: number): Promise<WebhookJob[]> {
    const rows: { job: WebhookJob }[] = await this.database.query(
      `SELECT job FROM public.buyers_webhook_delivery WHERE state = 'pending' ORDER BY updated_at LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.job);
  }

  async pullCursor(buyerId: string): Promise<string | null> {
    const rows: { cursor: string }[] = await this.database.query(
      `SELECT cursor FROM public.buyers_pull_cursor WHERE buyer_id = $1`,
      [buyerId],
    );
    return rows[0]?.cursor ?? null;
  }

  async acknowledge(buyerId: string, cursor: string): Promise<void> {
    await this.database.query(
      `INSERT INTO public.buyers_pull_cursor (buyer_id, cursor) VALUES ($1, $2)
       ON CONFLICT (buyer_id) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`,
      [buyerId, cursor],
    );
  }
}
