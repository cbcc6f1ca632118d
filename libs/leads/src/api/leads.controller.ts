import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { sellerHistory, SellerHistory } from '#lx/contracts';
import {
  Answers,
  CurrentPrincipal,
  decodeCursor,
  IdParam,
  notFound,
  ProblemException,
  Roles,
  toPage,
  type Principal,
} from '#lx/http';
import { EraseLead, WithdrawLead } from '../application/seller-commands.js';
import type { LeadsRuntime } from '../infrastructure/leads-runtime.js';
import type { LeadRow, SellerQueries } from '../infrastructure/read-model/seller-queries.js';
import { LEADS_RUNTIME, SELLER_QUERIES } from './leads-runtime.token.js';
import { ListLeadsQuery, WithdrawRequest } from './upload.dtos.js';
import { LeadAnswer, LeadPage, LeadStatusChanged, SellerActivityAnswer } from './responses.js';

/** A seller's own leads, with their personal data (opened from the vault) and their market status. */
@ApiTags('sellers: leads')
@Roles('seller')
@Controller('v1/leads')
export class LeadsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(LEADS_RUNTIME) private readonly runtime: LeadsRuntime,
    @Inject(SELLER_QUERIES) private readonly queries: SellerQueries,
  ) {}

  @Get()
  @ApiOperation({ summary: 'My leads in listing order, with personal data and market status' })
  @Answers(LeadPage, { description: "The seller's leads in listing order, with their personal data" })
  async list(@Query() query: ListLeadsQuery, @CurrentPrincipal() seller: Principal) {
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, { c: 'position', p: 'position' });
    const rows = await this.queries.leads(seller.participantId, {
      limit: limit + 1,
      batchId: query.batchId,
      status: query.status,
      after: after ?? undefined,
    });
    const page = toPage(rows, limit, (last) => ({ c: last.position_commit, p: last.position_prepare }));
    return {
      items: await this.views(page.items),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  @Get(':leadId')
  @ApiOperation({ summary: 'One of my leads, with its personal data and market status' })
  @Answers(LeadAnswer, { description: 'The lead with its personal data and market status' })
  async get(@IdParam('leadId') leadId: string, @CurrentPrincipal() seller: Principal) {
    const row = await this.queries.lead(seller.participantId, leadId);
    if (!row) throw notFound(`Lead ${leadId}`);
    return (await this.views([row]))[0];
  }

  @Post(':leadId/withdraw')
  @ApiOperation({ summary: 'Withdraw a listed lead from the market (sold leads stay sold)' })
  @Answers(LeadStatusChanged, { description: 'The lead is withdrawn from the market' })
  @HttpCode(200)
  async withdraw(
    @IdParam('leadId') leadId: string,
    @Body() body: WithdrawRequest,
    @CurrentPrincipal() seller: Principal,
  ) {
    // A sold-out lead is off the market already and its sales stand: withdrawing it would only
    // mislabel it (the engine ignores it either way).
    const row = await this.queries.lead(seller.participantId, leadId);
    if (row?.market_status === 'sold')
      throw new ProblemException(409, 'lead-sold-out', 'Lead sold out', `Lead ${leadId} is sold out`);
    await this.commands.execute(new WithdrawLead(leadId, seller.participantId, body.reason));
    return { leadId, status: 'withdrawn' };
  }

  @Post(':leadId/erase')
  @Answers(LeadStatusChanged, { description: "The lead's personal data is erased" })
  @HttpCode(200)
  @ApiOperation({
    summary: "Erase the lead's personal data for good (the person asked): its key is destroyed",
  })
  async erase(@IdParam('leadId') leadId: string, @CurrentPrincipal() seller: Principal) {
    const row = await this.queries.lead(seller.participantId, leadId);
    if (!row) throw notFound(`Lead ${leadId}`);
    await this.commands.execute(new EraseLead(leadId, row.envelope?.keyId ?? leadId, seller.participantId));
    return { leadId, status: 'erased' };
  }

  private async views(rows: LeadRow[]) {
    const sealed = rows.map((row) => row.envelope);
    const opened = await this.runtime.vault.openMany(sealed.filter((envelope) => envelope !== null));
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
}

/** The seller's record as the exchange scores its next listings (the quality score's seller part). */
@ApiTags('sellers: leads')
@Roles('seller')
@Controller('v1/seller-history')
export class SellerRecordController {
  constructor(@Inject(SELLER_QUERIES) private readonly queries: SellerQueries) {}

  @Get()
  @Answers(SellerHistory, { description: "The seller's record and score" })
  @ApiOperation({
    summary: 'Leads sold, returns accepted, conversions reported, and the 0–100 score new listings get',
  })
  async history(@CurrentPrincipal() seller: Principal) {
    return sellerHistory(seller.participantId, await this.queries.sellerRecord(seller.participantId));
  }
}

export class SellerActivityQuery {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 92,
    default: 30,
    description: 'Days of the series, today included',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(92)
  days?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDay = (instant: Date) => instant.toISOString().slice(0, 10);

/** The seller's activity by day (UTC) and the average quality of its leads, for its dashboard. */
@ApiTags('sellers: leads')
@Roles('seller')
@Controller('v1/seller-activity')
export class SellerActivityController {
  constructor(@Inject(SELLER_QUERIES) private readonly queries: SellerQueries) {}

  @Get()
  @Answers(SellerActivityAnswer, { description: "The seller's activity today, this month and by day" })
  @ApiOperation({
    summary:
      'Leads listed, sales made and returns accepted today, this month and per day (UTC), and the average quality of my leads by part',
  })
  async activity(@Query() query: SellerActivityQuery, @CurrentPrincipal() seller: Principal) {
    const days = query.days ?? 30;
    const now = new Date();
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const seriesStart = new Date(today.getTime() - (days - 1) * DAY_MS);
    const since = seriesStart < monthStart ? seriesStart : monthStart;
    const { days: counted, quality } = await this.queries.activity(seller.participantId, since);
    const byDay = new Map(counted.map((row) => [row.day, row]));
    const countsOf = (day: string) => {
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
      sellerId: seller.participantId,
      today: { day: isoDay(today), ...countsOf(isoDay(today)) },
      month,
      days: series,
      quality,
    };
  }
}
