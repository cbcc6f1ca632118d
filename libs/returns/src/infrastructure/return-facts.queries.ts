import type { DataSource, EntityManager } from 'typeorm';
import type { ReturnFacts } from '../domain/automatic-rules.js';
import { windowEndsAt, type PublishedReturnTerms, type ReturnTerms } from '../domain/return-terms.js';
import type { AllocationFacts, ReturnFactsReader } from '../application/return-facts.port.js';
import type { ReturnsOptions } from '../application/returns-options.js';
import type { EscalatedReturn } from '../application/dispute-reads.port.js';

type Executor = Pick<DataSource | EntityManager, 'query'>;

export type { EscalatedReturn };

/** The return facts as `rm_return_facts` holds them (the return-facts projection keeps it). */
export class ReturnFactsQueries implements ReturnFactsReader {
  constructor(
    private readonly executor: Executor,
    private readonly options: Pick<ReturnsOptions, 'returnCapWindowDays'>,
  ) {}

  allocation(allocationId: string): Promise<AllocationFacts | null> {
    return allocationFacts(this.executor, allocationId);
  }

  async marketSettingsBefore(allocation: AllocationFacts): Promise<PublishedReturnTerms | null> {
    const [row] = await this.executor.query(
      `SELECT return_window_hours, dedupe_window_days, return_cap_percent FROM rf_market_settings
        WHERE vertical = $1 AND (pos_commit, pos_prepare) < ($2::numeric, $3::bigint)
        ORDER BY pos_commit DESC, pos_prepare DESC LIMIT 1`,
      [allocation.vertical, allocation.posCommit, allocation.posPrepare],
    );
    if (!row) return null;
    return {
      returnWindowHours: Number(row.return_window_hours),
      dedupeWindowDays: Number(row.dedupe_window_days),
      ...(row.return_cap_percent === null ? {} : { returnCapPercent: row.return_cap_percent as number }),
    };
  }

  returnFacts(allocation: AllocationFacts, requestedAt: string, terms: ReturnTerms): Promise<ReturnFacts> {
    return loadReturnFacts(this.executor, allocation, requestedAt, terms, this.options.returnCapWindowDays);
  }
}

export async function allocationFacts(
  executor: Executor,
  allocationId: string,
): Promise<AllocationFacts | null> {
  const [row] = await executor.query(
    `SELECT *, pos_commit::text AS pc, pos_prepare::text AS pp FROM rf_allocation WHERE allocation_id = $1`,
    [allocationId],
  );
  if (!row) return null;
  return {
    allocationId: row.allocation_id,
    leadId: row.lead_id,
    orderId: row.order_id,
    buyerId: row.buyer_id,
    sellerId: row.seller_id,
    vertical: row.vertical,
    currency: row.currency,
    price: Number(row.price),
    proceeds: Number(row.proceeds),
    commission: Number(row.commission),
    at: new Date(row.at).toISOString(),
    posCommit: row.pc,
    posPrepare: row.pp,
  };
}

/** Everything `judgeReturn` needs, read as of the allocation (and, for the cap, as of the request). */
async function loadReturnFacts(
  executor: Executor,
  allocation: AllocationFacts,
  requestedAt: string,
  terms: ReturnTerms,
  returnCapWindowDays: number,
): Promise<ReturnFacts> {
  const [lead] = await executor.query(`SELECT * FROM rf_lead WHERE lead_id = $1`, [allocation.leadId]);
  if (!lead)
    throw new Error(`Lead ${allocation.leadId} of allocation ${allocation.allocationId} was never listed`);
  const asOf = [allocation.posCommit, allocation.posPrepare];
  const earlier: Record<string, string | Date>[] = await executor.query(
    `SELECT a.allocation_id, a.lead_id, a.seller_id, a.at, l.phone_fp, l.email_fp
       FROM rf_allocation a JOIN rf_lead l ON l.lead_id = a.lead_id
      WHERE a.buyer_id = $1 AND a.allocation_id <> $2 AND (a.pos_commit, a.pos_prepare) < ($3::numeric, $4::bigint)
        AND a.at >= $5::timestamptz - make_interval(days => $6)
      ORDER BY a.pos_commit, a.pos_prepare`,
    [allocation.buyerId, allocation.allocationId, ...asOf, allocation.at, terms.dedupeWindowDays],
  );
  const [order] = await executor.query(
    `SELECT filters, schedule FROM rf_order_terms WHERE order_id = $1 AND (pos_commit, pos_prepare) < ($2::numeric, $3::bigint)
      ORDER BY pos_commit DESC, pos_prepare DESC LIMIT 1`,
    [allocation.orderId, ...asOf],
  );
  return {
    allocation: {
      allocationId: allocation.allocationId,
      buyerId: allocation.buyerId,
      sellerId: allocation.sellerId,
      leadId: allocation.leadId,
      at: allocation.at,
    },
    requestedAt,
    windowEndsAt: windowEndsAt(allocation.at, terms),
    lead: {
      sellerId: lead.seller_id,
      attributes: lead.attributes,
      fingerprints: {
        ...(lead.phone_fp ? { phone: lead.phone_fp } : {}),
        ...(lead.email_fp ? { email: lead.email_fp } : {}),
      },
      quality: Number(lead.quality),
      sellerQuality: Number(lead.seller_quality),
    },
    earlierPurchases: earlier.map((row) => ({
      allocationId: row.allocation_id as string,
      leadId: row.lead_id as string,
      sellerId: row.seller_id as string,
      at: new Date(row.at!).toISOString(),
      fingerprints: {
        ...(row.phone_fp ? { phone: row.phone_fp as string } : {}),
        ...(row.email_fp ? { email: row.email_fp as string } : {}),
      },
    })),
    dedupeWindowDays: terms.dedupeWindowDays,
    orderAsOfAllocation: order
      ? { filters: order.filters, ...(order.schedule ? { schedule: order.schedule } : {}) }
      : null,
    returnCap:
      terms.returnCapPercent === null
        ? null
        : {
            percent: terms.returnCapPercent,
            windowDays: returnCapWindowDays,
            ...(await capCounts()),
          },
  };

  async function capCounts() {
    const since = [allocation.buyerId, requestedAt, returnCapWindowDays];
    const [purchases] = await executor.query(
      `SELECT count(*)::int AS n FROM rf_allocation
        WHERE buyer_id = $1 AND at > $2::timestamptz - make_interval(days => $3) AND at <= $2::timestamptz`,
      since,
    );
    const [returns] = await executor.query(
      `SELECT count(*)::int AS n FROM rf_return
        WHERE buyer_id = $1 AND requested_at > $2::timestamptz - make_interval(days => $3)
          AND requested_at <= $2::timestamptz AND status <> 'rejected' AND allocation_id <> $4`,
      [...since, allocation.allocationId],
    );
    return { purchases: purchases.n as number, otherReturns: returns.n as number };
  }
}

/** Open escalations in the order they were escalated (log order), after a log position. */
export async function escalatedReturns(
  executor: Executor,
  limit: number,
  after: { commit: string; prepare: string } | null,
): Promise<{ items: EscalatedReturn[]; hasMore: boolean }> {
  const rows: Record<string, unknown>[] = await executor.query(
    `SELECT r.allocation_id, a.buyer_id, a.seller_id, a.vertical, a.currency, a.price, r.reason,
            r.requested_at, r.escalated_at, r.esc_commit, r.esc_prepare
       FROM rf_return r JOIN rf_allocation a ON a.allocation_id = r.allocation_id
      WHERE r.status = 'escalated'
        AND ($1::numeric IS NULL OR (r.esc_commit, r.esc_prepare) > ($1::numeric, $2::bigint))
      ORDER BY r.esc_commit, r.esc_prepare LIMIT $3`,
    [after?.commit ?? null, after?.prepare ?? null, limit + 1],
  );
  const items = rows.slice(0, limit).map((row) => ({
    allocationId: String(row.allocation_id),
    buyerId: String(row.buyer_id),
    sellerId: String(row.seller_id),
    vertical: String(row.vertical),
    currency: String(row.currency),
    price: Number(row.price),
    reason: row.reason === null ? null : String(row.reason),
    requestedAt: new Date(row.requested_at as string).toISOString(),
    escalatedAt: new Date(row.escalated_at as string).toISOString(),
    position: `${String(row.esc_commit)}/${String(row.esc_prepare)}`,
  }));
  return { items, hasMore: rows.length > limit };
}
