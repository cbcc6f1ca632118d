import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { SellerHistory } from '#lx/contracts';
import {
  Answers,
  CurrentPrincipal,
  decodeCursor,
  encodeCursor,
  IdParam,
  notFound,
  ProblemException,
  Roles,
  type Principal,
} from '#lx/http';
import { EraseLead, WithdrawLead } from '../application/seller-commands.js';
import { GetLead, GetSellerActivity, GetSellerRecord, ListLeads } from '../application/seller-reads.js';
import { ListLeadsQuery, WithdrawRequest } from './upload.dtos.js';
import { LeadAnswer, LeadPage, LeadStatusChanged, SellerActivityAnswer } from './responses.js';

/** A seller's own leads, with their personal data (opened from the vault) and their market status. */
@ApiTags('sellers: leads')
@Roles('seller')
@Controller('v1/leads')
export class LeadsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'My leads in listing order, with personal data and market status' })
  @Answers(LeadPage, { description: "The seller's leads in listing order, with their personal data" })
  async list(@Query() query: ListLeadsQuery, @CurrentPrincipal() seller: Principal) {
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, { c: 'position', p: 'position' });
    const { leads, next } = await this.queries.execute(
      new ListLeads(seller.participantId, {
        limit,
        batchId: query.batchId,
        status: query.status,
        after: after ?? undefined,
      }),
    );
    return { items: leads, ...(next ? { nextCursor: encodeCursor(next) } : {}) };
  }

  @Get(':leadId')
  @ApiOperation({ summary: 'One of my leads, with its personal data and market status' })
  @Answers(LeadAnswer, { description: 'The lead with its personal data and market status' })
  async get(@IdParam('leadId') leadId: string, @CurrentPrincipal() seller: Principal) {
    const lead = await this.queries.execute(new GetLead(seller.participantId, leadId));
    if (!lead) throw notFound(`Lead ${leadId}`);
    return lead;
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
    const outcome = await this.commands.execute(new WithdrawLead(leadId, seller.participantId, body.reason));
    if (outcome === 'sold-out')
      throw new ProblemException(409, 'lead-sold-out', 'Lead sold out', `Lead ${leadId} is sold out`);
    return { leadId, status: 'withdrawn' };
  }

  @Post(':leadId/erase')
  @Answers(LeadStatusChanged, { description: "The lead's personal data is erased" })
  @HttpCode(200)
  @ApiOperation({
    summary: "Erase the lead's personal data for good (the person asked): its key is destroyed",
  })
  async erase(@IdParam('leadId') leadId: string, @CurrentPrincipal() seller: Principal) {
    const outcome = await this.commands.execute(new EraseLead(leadId, seller.participantId));
    if (outcome === 'not-found') throw notFound(`Lead ${leadId}`);
    return { leadId, status: 'erased' };
  }
}

/** The seller's record as the exchange scores its next listings (the quality score's seller part). */
@ApiTags('sellers: leads')
@Roles('seller')
@Controller('v1/seller-history')
export class SellerRecordController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Answers(SellerHistory, { description: "The seller's record and score" })
  @ApiOperation({
    summary: 'Leads sold, returns accepted, conversions reported, and the 0–100 score new listings get',
  })
  async history(@CurrentPrincipal() seller: Principal) {
    return this.queries.execute(new GetSellerRecord(seller.participantId));
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

/** The seller's activity by day (UTC) and the average quality of its leads, for its dashboard. */
@ApiTags('sellers: leads')
@Roles('seller')
@Controller('v1/seller-activity')
export class SellerActivityController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Answers(SellerActivityAnswer, { description: "The seller's activity today, this month and by day" })
  @ApiOperation({
    summary:
      'Leads listed, sales made and returns accepted today, this month and per day (UTC), and the average quality of my leads by part',
  })
  async activity(@Query() query: SellerActivityQuery, @CurrentPrincipal() seller: Principal) {
    return this.queries.execute(new GetSellerActivity(seller.participantId, query.days ?? 30, new Date()));
  }
}
