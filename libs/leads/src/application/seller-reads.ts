import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ExchangeConfig } from '#lx/config';
import { revealLeadTexts, sellerHistory, type SellerHistory } from '#lx/contracts';
import { LEADS_CONFIG, LEADS_RUNTIME, SELLER_QUERIES, type LeadsServices } from './leads-tokens.js';
import { sourceReport, type SourceReport } from '../domain/source-report.js';
import type { BatchView, LeadRow, SellerActivityRows, SellerReads } from './seller-reads.port.js';

/*
 * The reads of the sellers' API, one query each. Every one is scoped to the seller: another
 * seller's batch or lead reads as absent, never as forbidden. Pages are asked for with one row
 * over the limit, so that the caller can tell whether another page follows. The handlers here
 * shape or open what they read; those that only pass on one read are adapters, in
 * infrastructure/seller-handlers.ts.
 */

export class ListBatches extends Query<BatchView[]> {
  constructor(
    readonly sellerId: string,
    readonly rows: number,
    readonly before?: { submittedAt: string; batchId: string },
  ) {
    super();
  }
}

export class GetBatch extends Query<BatchView | null> {
  constructor(
    readonly sellerId: string,
    readonly batchId: string,
  ) {
    super();
  }
}

/** The rejected rows of a batch (the caller checked that the batch is the seller's). */
export class GetBatchRejections extends Query<{ line: number; reasons: string[] }[]> {
  constructor(readonly batchId: string) {
    super();
  }
}

/** A lead as its seller sees it: market status, sales and its personal data opened from the vault. */
export interface SellerLeadView {
  leadId: string;
  batchId: string;
  status: string;
  sales: number;
  returned: number;
  proceeds: number;
  attributes: unknown;
  floor: number;
  currency: string;
  exclusivity: unknown;
  expiresAt: string;
  quality: unknown;
  listedAt: string;
  personalData: unknown;
}

type LeadPosition = { c: string; p: string };

/**
 * Up to `limit` of the seller's leads in listing order, after a log position; `next` is where the
 * following page starts, null on the last page. Only the leads shown are opened from the vault.
 */
export class ListLeads extends Query<{ leads: SellerLeadView[]; next: LeadPosition | null }> {
  constructor(
    readonly sellerId: string,
    readonly filter: { limit: number; batchId?: string; status?: string; after?: LeadPosition },
  ) {
    super();
  }
}

export class GetLead extends Query<SellerLeadView | null> {
  constructor(
    readonly sellerId: string,
    readonly leadId: string,
  ) {
    super();
  }
}

/** The seller's record as the exchange scores its next listings. */
export class GetSellerRecord extends Query<SellerHistory> {
  constructor(readonly sellerId: string) {
    super();
  }
}

type DayCounts = { listed: number; sold: number; returned: number };

export interface SellerActivity {
  sellerId: string;
  today: { day: string } & DayCounts;
  month: { from: string } & DayCounts;
  days: ({ day: string } & DayCounts)[];
  quality: SellerActivityRows['quality'];
}

/** The seller's activity today, this month and on each of the last `days` days (UTC), and its quality. */
export class GetSellerActivity extends Query<SellerActivity> {
  constructor(
    readonly sellerId: string,
    readonly days: number,
    readonly now: Date,
  ) {
    super();
  }
}

/** Returns buyers requested against the seller's leads, newest first, with the time to answer by. */
export class ListSellerReturns extends Query<unknown[]> {
  constructor(
    readonly sellerId: string,
    readonly limit: number,
  ) {
    super();
  }
}

/** The seller's report by source: leads listed, sold, returned, converted, quality and proceeds per source and sub-source. */
export class GetSellerSourceReport extends Query<SourceReport[]> {
  constructor(readonly sellerId: string) {
    super();
  }
}

/** A page of the suppression list, newest first: fingerprints and reasons, never contacts. */
export class ListSuppressions extends Query<{ fingerprint: string; reason: string; addedAt: string }[]> {
  constructor(
    readonly rows: number,
    readonly offset: number,
  ) {
    super();
  }
}

/** Opens the personal data of a page of leads in one call to the vault. */
async function leadViews(runtime: LeadsServices, rows: LeadRow[]): Promise<SellerLeadView[]> {
  const sealed = rows.map((row) => row.envelope);
  const opened = await runtime.vault.openMany(sealed.filter((envelope) => envelope !== null));
  let next = 0;
  return rows.map((row) => ({
    leadId: row.lead_id,
    batchId: row.batch_id,
    status: row.market_status,
    sales: row.sales,
    returned: row.returned,
    proceeds: Number(row.proceeds),
    attributes: row.attributes,
    floor: Number(row.floor),
    currency: row.currency,
    exclusivity: row.exclusivity,
    expiresAt: new Date(row.expires_at).toISOString(),
    quality: row.quality,
    listedAt: new Date(row.listed_at).toISOString(),
    personalData: row.envelope ? (opened[next++] ?? null) : null,
  }));
}

@QueryHandler(ListLeads)
export class ListLeadsHandler implements IQueryHandler<ListLeads> {
  constructor(
    @Inject(LEADS_RUNTIME) private readonly runtime: LeadsServices,
    @Inject(SELLER_QUERIES) private readonly queries: SellerReads,
  ) {}

  async execute({
    sellerId,
    filter,
  }: ListLeads): Promise<{ leads: SellerLeadView[]; next: LeadPosition | null }> {
    const rows = await this.queries.leads(sellerId, { ...filter, limit: filter.limit + 1 });
    const shown = rows.slice(0, filter.limit);
    const last = shown.at(-1);
    return {
      leads: await leadViews(this.runtime, shown),
      next: rows.length > filter.limit && last ? { c: last.position_commit, p: last.position_prepare } : null,
    };
  }
}

@QueryHandler(GetLead)
export class GetLeadHandler implements IQueryHandler<GetLead> {
  constructor(
    @Inject(LEADS_RUNTIME) private readonly runtime: LeadsServices,
    @Inject(SELLER_QUERIES) private readonly queries: SellerReads,
  ) {}

  async execute({ sellerId, leadId }: GetLead): Promise<SellerLeadView | null> {
    const row = await this.queries.lead(sellerId, leadId);
    return row ? (await leadViews(this.runtime, [row]))[0]! : null;
  }
}

@QueryHandler(GetSellerRecord)
export class GetSellerRecordHandler implements IQueryHandler<GetSellerRecord> {
  constructor(@Inject(SELLER_QUERIES) private readonly queries: SellerReads) {}

  async execute({ sellerId }: GetSellerRecord): Promise<SellerHistory> {
    return sellerHistory(sellerId, await this.queries.sellerRecord(sellerId));
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDay = (instant: Date) => instant.toISOString().slice(0, 10);

@QueryHandler(GetSellerActivity)
export class GetSellerActivityHandler implements IQueryHandler<GetSellerActivity> {
  constructor(@Inject(SELLER_QUERIES) private readonly queries: SellerReads) {}

  async execute({ sellerId, days, now }: GetSellerActivity): Promise<SellerActivity> {
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const seriesStart = new Date(today.getTime() - (days - 1) * DAY_MS);
    const since = seriesStart < monthStart ? seriesStart : monthStart;
    const { days: counted, quality } = await this.queries.activity(sellerId, since);
    const byDay = new Map(counted.map((row) => [row.day, row]));
    const countsOf = (day: string): DayCounts => {
      const row = byDay.get(day);
      return { listed: row?.listed ?? 0, sold: row?.sold ?? 0, returned: row?.returned ?? 0 };
    };
    const month = { from: isoDay(monthStart), listed: 0, sold: 0, returned: 0 };
    for (const row of counted)
      if (row.day >= month.from) {
        month.listed += row.listed;
        month.sold += row.sold;
        month.returned += row.returned;
      }
    const series = Array.from({ length: days }, (_, i) => {
      const day = isoDay(new Date(seriesStart.getTime() + i * DAY_MS));
      return { day, ...countsOf(day) };
    });
    return {
      sellerId,
      today: { day: isoDay(today), ...countsOf(isoDay(today)) },
      month,
      days: series,
      quality,
    };
  }
}

@QueryHandler(GetSellerSourceReport)
export class GetSellerSourceReportHandler implements IQueryHandler<GetSellerSourceReport> {
  constructor(@Inject(SELLER_QUERIES) private readonly queries: SellerReads) {}

  async execute({ sellerId }: GetSellerSourceReport): Promise<SourceReport[]> {
    return sourceReport(await this.queries.sourceTotals(sellerId));
  }
}

@QueryHandler(ListSellerReturns)
export class ListSellerReturnsHandler implements IQueryHandler<ListSellerReturns> {
  constructor(
    @Inject(LEADS_RUNTIME) private readonly runtime: LeadsServices,
    @Inject(SELLER_QUERIES) private readonly queries: SellerReads,
    @Inject(LEADS_CONFIG) private readonly config: ExchangeConfig,
  ) {}

  async execute({ sellerId, limit }: ListSellerReturns): Promise<unknown[]> {
    const rows = await this.queries.returns(sellerId, limit);
    // The same answering time settlement escalates unanswered returns after.
    const answeringMs = this.config.LX_SELLER_RESPONSE_MS ?? this.config.LX_SELLER_RESPONSE_HOURS * 3_600_000;
    const items = rows.map((row) => {
      const requestedAt = new Date((row as { requestedAt: Date | string }).requestedAt);
      return {
        ...(row as object),
        requestedAt: requestedAt.toISOString(),
        answerBy: new Date(requestedAt.getTime() + answeringMs).toISOString(),
      };
    });
    return revealLeadTexts(items, (envelopes) => this.runtime.vault.openMany(envelopes));
  }
}

/** The handlers declared here; the adapters' are infrastructure/seller-handlers.ts's. */
export const sellerQueryHandlers = [
  ListLeadsHandler,
  GetLeadHandler,
  GetSellerRecordHandler,
  GetSellerActivityHandler,
  ListSellerReturnsHandler,
  GetSellerSourceReportHandler,
];
