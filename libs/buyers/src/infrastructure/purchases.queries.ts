import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { purchaseReport } from '../domain/purchase-report.js';
import { buyerSourceReport, type BuyerSourceReport } from '../domain/source-report.js';
import type { LeadAttributesData } from '../domain/lead-filters.js';
import type { PurchaseReads } from '../application/purchase-reads.port.js';
import type {
  CurrencyReport,
  DailyPurchases,
  OrderProgress,
  PurchaseListFilter,
  PurchaseView,
  ReturnView,
} from '../application/buyer-views.js';

export type { CurrencyReport, DailyPurchases, OrderProgress, PurchaseListFilter, PurchaseView, ReturnView };

interface PurchaseRow {
  allocation_id: string;
  lead_id: string;
  order_id: string;
  seller_id: string;
  vertical: string;
  currency: string;
  price: string;
  rule: string;
  allocated_at: Date;
  attributes: LeadAttributesData | null;
  quality: number | null;
  return_status: string | null;
  converted: boolean;
  log_commit: string;
  log_prepare: string;
}

const PURCHASE_COLUMNS = `p.allocation_id, p.lead_id, p.order_id, p.seller_id, p.vertical, p.currency, p.price, p.rule,
  p.allocated_at, p.attributes, p.quality, r.status AS return_status, (c.allocation_id IS NOT NULL) AS converted,
  p.log_commit::text AS log_commit, p.log_prepare::text AS log_prepare
  FROM purchase p LEFT JOIN purchase_return r USING (allocation_id) LEFT JOIN purchase_conversion c USING (allocation_id)`;

/** Reads of the `buyer_purchases` read model; every query is scoped to one buyer. */
@Injectable()
export class PurchasesQueries implements PurchaseReads {
  constructor(private readonly dataSource: DataSource) {}

  async findOwn(buyerId: string, allocationId: string): Promise<PurchaseView | null> {
    const [row] = await this.dataSource.query(
      `SELECT ${PURCHASE_COLUMNS} WHERE p.buyer_id = $1 AND p.allocation_id = $2`,
      [buyerId, allocationId],
    );
    return row ? toPurchaseView(row) : null;
  }

  /** In log order, `limit` rows after the cursor. */
  async list(buyerId: string, filter: PurchaseListFilter, limit: number): Promise<PurchaseView[]> {
    const where = ['p.buyer_id = $1'];
    const values: unknown[] = [buyerId];
    const add = (sql: string, value: unknown) => {
      values.push(value);
      where.push(sql.replace('?', `$${values.length}`));
    };
    if (filter.orderId) add('p.order_id = ?', filter.orderId);
    if (filter.region) add(`p.attributes->>'region' = ?`, filter.region);
    if (filter.stage) add(`p.attributes->>'stage' = ?`, filter.stage);
    if (filter.allocatedFrom) add('p.allocated_at >= ?', filter.allocatedFrom);
    if (filter.allocatedTo) add('p.allocated_at < ?', filter.allocatedTo);
    if (filter.after) {
      values.push(filter.after.commit, filter.after.prepare);
      where.push(
        `(p.log_commit, p.log_prepare) > ($${values.length - 1}::numeric, $${values.length}::bigint)`,
      );
    }
    values.push(limit);
    const rows: PurchaseRow[] = await this.dataSource.query(
      `SELECT ${PURCHASE_COLUMNS} WHERE ${where.join(' AND ')}
        ORDER BY p.log_commit, p.log_prepare LIMIT $${values.length}`,
      values,
    );
    return rows.map(toPurchaseView);
  }

  async orderIdsWithPurchases(buyerId: string): Promise<string[]> {
    const rows: { order_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT order_id FROM purchase WHERE buyer_id = $1`,
      [buyerId],
    );
    return rows.map((row) => row.order_id);
  }

  /** Per currency; with `orderId`, that order only. */
  async report(buyerId: string, orderId?: string): Promise<CurrencyReport[]> {
    const rows: Record<string, string>[] = await this.dataSource.query(
      `SELECT p.currency,
              count(*)::text AS bought,
              coalesce(sum(p.price), 0)::text AS spend,
              count(r.allocation_id)::text AS returns_requested,
              count(*) FILTER (WHERE r.status = 'accepted')::text AS returns_accepted,
              coalesce(sum(p.price) FILTER (WHERE r.status = 'accepted'), 0)::text AS refunded,
              count(c.allocation_id)::text AS conversions,
              coalesce(sum(c.value_amount) FILTER (WHERE c.value_currency = p.currency), 0)::text AS conversion_value
         FROM purchase p LEFT JOIN purchase_return r USING (allocation_id)
              LEFT JOIN purchase_conversion c USING (allocation_id)
        WHERE p.buyer_id = $1 AND ($2::text IS NULL OR p.order_id = $2)
        GROUP BY p.currency ORDER BY p.currency`,
      [buyerId, orderId ?? null],
    );
    return rows.map((row) => ({
      currency: row.currency!,
      ...purchaseReport({
        leadsBought: Number(row.bought),
        spend: Number(row.spend),
        returnsRequested: Number(row.returns_requested),
        returnsAccepted: Number(row.returns_accepted),
        refunded: Number(row.refunded),
        conversions: Number(row.conversions),
        conversionValue: Number(row.conversion_value),
      }),
    }));
  }

  /** The report per seller, source and sub-source of the leads bought (docs/architecture.md §4). */
  async sourceReport(buyerId: string): Promise<BuyerSourceReport[]> {
    const rows: Record<string, string | null>[] = await this.dataSource.query(
      `SELECT p.seller_id, p.attributes->>'source' AS source, p.attributes->>'subSource' AS sub_source, p.currency,
              count(*)::text AS bought,
              coalesce(sum(p.price), 0)::text AS spend,
              count(r.allocation_id)::text AS returns_requested,
              count(*) FILTER (WHERE r.status = 'accepted')::text AS returns_accepted,
              coalesce(sum(p.price) FILTER (WHERE r.status = 'accepted'), 0)::text AS refunded,
              count(c.allocation_id)::text AS conversions,
              coalesce(sum(c.value_amount) FILTER (WHERE c.value_currency = p.currency), 0)::text AS conversion_value,
              coalesce(sum(p.quality), 0)::text AS quality_sum
         FROM purchase p LEFT JOIN purchase_return r USING (allocation_id)
              LEFT JOIN purchase_conversion c USING (allocation_id)
        WHERE p.buyer_id = $1
        GROUP BY 1, 2, 3, 4`,
      [buyerId],
    );
    return buyerSourceReport(
      rows.map((row) => ({
        sellerId: row.seller_id!,
        source: row.source ?? null,
        subSource: row.sub_source ?? null,
        currency: row.currency!,
        leadsBought: Number(row.bought),
        spend: Number(row.spend),
        returnsRequested: Number(row.returns_requested),
        returnsAccepted: Number(row.returns_accepted),
        refunded: Number(row.refunded),
        conversions: Number(row.conversions),
        conversionValue: Number(row.conversion_value),
        qualitySum: Number(row.quality_sum),
      })),
    );
  }

  /** Leads bought and their spend, per order of the buyer (orders without a purchase left out). */
  async progressByOrder(buyerId: string, orderId?: string): Promise<Map<string, OrderProgress>> {
    const rows: { order_id: string; bought: string; spend: string }[] = await this.dataSource.query(
      `SELECT order_id, count(*)::text AS bought, sum(price)::text AS spend FROM purchase
        WHERE buyer_id = $1 AND ($2::text IS NULL OR order_id = $2) GROUP BY order_id`,
      [buyerId, orderId ?? null],
    );
    return new Map(
      rows.map((row) => [row.order_id, { leadsBought: Number(row.bought), spend: Number(row.spend) }]),
    );
  }

  /** Leads bought, spend and conversions per UTC day and currency, over the last `days` days, oldest first. */
  async daily(buyerId: string, days: number, now: Date): Promise<DailyPurchases[]> {
    const rows: { day: string; currency: string; bought: string; spend: string; conversions: string }[] =
      await this.dataSource.query(
        `WITH bought AS (
           SELECT (p.allocated_at AT TIME ZONE 'UTC')::date AS day, p.currency,
                  count(*) AS bought, sum(p.price) AS spend
             FROM purchase p
            WHERE p.buyer_id = $1 AND p.allocated_at >= $2
            GROUP BY 1, 2),
         converted AS (
           SELECT (c.converted_at AT TIME ZONE 'UTC')::date AS day, p.currency, count(*) AS conversions
             FROM purchase_conversion c JOIN purchase p USING (allocation_id)
            WHERE c.buyer_id = $1 AND c.converted_at >= $2
            GROUP BY 1, 2)
         SELECT to_char(day, 'YYYY-MM-DD') AS day, currency,
                coalesce(b.bought, 0)::text AS bought, coalesce(b.spend, 0)::text AS spend,
                coalesce(v.conversions, 0)::text AS conversions
           FROM bought b FULL JOIN converted v USING (day, currency)
          ORDER BY day, currency`,
        [
          buyerId,
          new Date(
            Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days + 1),
          ).toISOString(),
        ],
      );
    return rows.map((row) => ({
      day: row.day,
      currency: row.currency,
      leadsBought: Number(row.bought),
      spend: Number(row.spend),
      conversions: Number(row.conversions),
    }));
  }

  async findReturn(buyerId: string, allocationId: string): Promise<ReturnView | null> {
    const [row] = await this.dataSource.query(
      `SELECT * FROM purchase_return WHERE buyer_id = $1 AND allocation_id = $2`,
      [buyerId, allocationId],
    );
    return row ? toReturnView(row) : null;
  }

  async listReturns(
    buyerId: string,
    after: { requestedAt: string; allocationId: string } | null,
    limit: number,
  ): Promise<ReturnView[]> {
    const rows = await this.dataSource.query(
      `SELECT * FROM purchase_return WHERE buyer_id = $1
          AND ($2::timestamptz IS NULL OR (requested_at, allocation_id) > ($2::timestamptz, $3::text))
        ORDER BY requested_at, allocation_id LIMIT $4`,
      [buyerId, after?.requestedAt ?? null, after?.allocationId ?? null, limit],
    );
    return rows.map(toReturnView);
  }
}

function toPurchaseView(row: PurchaseRow): PurchaseView {
  return {
    allocationId: row.allocation_id,
    leadId: row.lead_id,
    orderId: row.order_id,
    sellerId: row.seller_id,
    vertical: row.vertical,
    currency: row.currency,
    price: Number(row.price),
    rule: row.rule,
    allocatedAt: new Date(row.allocated_at).toISOString(),
    attributes: row.attributes,
    quality: row.quality,
    returnStatus: row.return_status,
    converted: row.converted,
    position: `${row.log_commit}/${row.log_prepare}`,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toReturnView(row: any): ReturnView {
  return {
    allocationId: row.allocation_id,
    orderId: row.order_id,
    status: row.status,
    reason: row.reason,
    text: row.text,
    evidence: row.evidence,
    replace: row.replace,
    replacement: row.replacement ?? null,
    replacementOrderId: row.replacement_order_id ?? null,
    requestedAt: new Date(row.requested_at).toISOString(),
    sellerResponse: row.seller_response,
    escalation: row.escalation,
    decision: row.decision,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
