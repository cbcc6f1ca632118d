import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { majorUnits } from '#lx/contracts';
import { csvDocument, type CsvValue } from '#lx/csv';
import {
  csvDownload,
  CurrentPrincipal,
  decodeCursor,
  IdParam,
  notFound,
  PageQuery,
  Roles,
  toPage,
  type Page,
  type Principal,
  Answers,
  AnswersDocument,
} from '#lx/http';
import { ReportConversion, RequestReturn, type OwnAllocation } from '../application/after-sale-commands.js';
import {
  DiscloseLead,
  FindPurchase,
  FindReturn,
  ListPurchases,
  ListReturns,
} from '../application/buyer-reads.js';
import type { LeadDisclosure } from '../infrastructure/lead-personal-data.js';
import type { PurchaseListFilter, PurchaseView, ReturnView } from '../infrastructure/purchases.queries.js';
import {
  PurchasedLeadsExportQuery,
  PurchasedLeadsQuery,
  ReportConversionRequest,
  RequestReturnRequest,
} from './after-sale.dtos.js';
import {
  ConversionAnswer,
  PurchasePage,
  PurchaseWithLeadAnswer,
  ReturnAnswer,
  ReturnPage,
  ReturnRequestedAnswer,
} from './responses.js';

const EXPORT_LIMIT = 50_000;
const CSV_COLUMNS = [
  'allocation_id',
  'order_id',
  'lead_id',
  'allocated_at',
  // In major units beside its currency (600.00 RUB), as every CSV of the exchange.
  'price',
  'currency',
  'region',
  'age',
  'gender',
  'stage',
  'return_status',
  'converted',
  'name',
  'email',
  'phone',
];

export const positionCursor = (view: Pick<PurchaseView, 'position'>) => {
  const [c, p] = view.position.split('/');
  return { c: c!, p: p! };
};

export function afterCursor(cursor: string | undefined) {
  const decoded = decodeCursor(cursor, { c: 'position', p: 'position' });
  return decoded ? { commit: decoded.c, prepare: decoded.p } : null;
}

@ApiTags('buyers: purchased leads, returns, conversions')
@Roles('buyer')
@Controller('v1')
export class PurchasedLeadsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('purchased-leads')
  @Answers(PurchasePage, { description: 'My purchased leads in allocation order' })
  @ApiOperation({ summary: 'Leads allocated to me, in allocation order (no personal data in the list)' })
  async list(
    @Query() query: PurchasedLeadsQuery,
    @CurrentPrincipal() buyer: Principal,
  ): Promise<Page<PurchaseView>> {
    const limit = query.limit ?? 50;
    const rows = await this.queries.execute(
      new ListPurchases(buyer.participantId, this.filterOf(query), limit + 1),
    );
    return toPage(rows, limit, positionCursor);
  }

  @Get('purchased-leads/export.csv')
  @AnswersDocument(['text/csv'], 'My purchased leads with their personal data, as CSV')
  @ApiOperation({
    summary: 'CSV of my purchased leads with their personal data',
    description:
      '`?dialect=spreadsheet` (default) to open in a spreadsheet in any locale: no cell can start a formula (OWASP CSV injection), phones show as text. `?dialect=rfc4180` for a CRM import: every value exactly as stored.',
  })
  async exportCsv(
    @Query() query: PurchasedLeadsExportQuery,
    @CurrentPrincipal() buyer: Principal,
    @Res() response: Response,
  ): Promise<void> {
    const rows = await this.queries.execute(
      new ListPurchases(buyer.participantId, { ...this.filterOf(query), after: null }, EXPORT_LIMIT),
    );
    const records: CsvValue[][] = [CSV_COLUMNS];
    for (const row of rows) {
      const lead = await this.queries.execute(new DiscloseLead(row.leadId));
      const person = (lead.personalData ?? {}) as Record<string, unknown>;
      const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
      records.push([
        row.allocationId,
        row.orderId,
        row.leadId,
        row.allocatedAt,
        majorUnits(row.price, row.currency),
        row.currency,
        row.attributes?.region,
        row.attributes?.age,
        row.attributes?.gender,
        row.attributes?.stage,
        row.returnStatus,
        row.converted,
        text(person.name) ?? [text(person.firstName), text(person.lastName)].filter(Boolean).join(' '),
        text(person.email),
        text(person.phone),
      ]);
    }
    csvDownload(response, 'purchased-leads.csv');
    response.send(csvDocument(records, query.dialect ?? 'spreadsheet'));
  }

  @Get('purchased-leads/:allocationId')
  @Answers(PurchaseWithLeadAnswer, { description: 'The purchased lead with its personal data' })
  @ApiOperation({ summary: 'One purchased lead with its decrypted personal data (404 unless it is mine)' })
  async detail(
    @IdParam('allocationId') allocationId: string,
    @CurrentPrincipal() buyer: Principal,
  ): Promise<PurchaseView & { lead: LeadDisclosure }> {
    const purchase = await this.own(allocationId, buyer);
    return {
      ...purchase,
      lead: await this.queries.execute(new DiscloseLead(purchase.leadId)),
    };
  }

  @Post('purchased-leads/:allocationId/return')
  @Answers(ReturnRequestedAnswer, { status: 201, description: 'The return is requested' })
  @ApiOperation({
    summary: 'Ask to return a purchased lead, within the market’s return window',
    description:
      'One return per allocation. Reason codes per docs/architecture.md §6; `other` needs a text. Follow it at /v1/returns.',
  })
  async requestReturn(
    @IdParam('allocationId') allocationId: string,
    @Body() body: RequestReturnRequest,
    @CurrentPrincipal() buyer: Principal,
  ): Promise<{ allocationId: string; status: 'requested' }> {
    const allocation = toOwnAllocation(await this.own(allocationId, buyer), buyer.participantId);
    const claim = JSON.parse(JSON.stringify(body)) as RequestReturn['claim'];
    await this.commands.execute(new RequestReturn(allocation, claim, buyer.participantId));
    return { allocationId, status: 'requested' };
  }

  @Post('purchased-leads/:allocationId/conversion')
  @Answers(ConversionAnswer, { status: 201, description: 'The conversion is recorded' })
  @ApiOperation({
    summary: 'Report that a purchased lead converted, and optionally its value (once per lead)',
  })
  async reportConversion(
    @IdParam('allocationId') allocationId: string,
    @Body() body: ReportConversionRequest,
    @CurrentPrincipal() buyer: Principal,
  ): Promise<{ allocationId: string; converted: true }> {
    const allocation = toOwnAllocation(await this.own(allocationId, buyer), buyer.participantId);
    const value = body.value ? { amount: body.value.amount, currency: body.value.currency } : undefined;
    await this.commands.execute(new ReportConversion(allocation, body.at, value, buyer.participantId));
    return { allocationId, converted: true };
  }

  @Get('returns')
  @Answers(ReturnPage, { description: 'My returns, newest first' })
  @ApiOperation({
    summary: 'My returns and where each stands: requested, seller_responded, escalated, accepted, rejected',
  })
  async returns(@Query() query: PageQuery, @CurrentPrincipal() buyer: Principal): Promise<Page<ReturnView>> {
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor, { r: 'instant', a: 'uuid' });
    const rows = await this.queries.execute(
      new ListReturns(
        buyer.participantId,
        after ? { requestedAt: after.r, allocationId: after.a } : null,
        limit + 1,
      ),
    );
    return toPage(rows, limit, (last) => ({
      r: last.requestedAt,
      a: last.allocationId,
    }));
  }

  @Get('returns/:allocationId')
  @Answers(ReturnAnswer, { description: 'The return and where it stands' })
  @ApiOperation({
    summary: 'One return: its status, the seller’s answer, and the decision with its rule and rationale',
  })
  async getReturn(
    @IdParam('allocationId') allocationId: string,
    @CurrentPrincipal() buyer: Principal,
  ): Promise<ReturnView> {
    const found = await this.queries.execute(new FindReturn(buyer.participantId, allocationId));
    if (!found) throw notFound(`Return ${allocationId}`);
    return found;
  }

  private async own(allocationId: string, buyer: Principal): Promise<PurchaseView> {
    const purchase = await this.queries.execute(new FindPurchase(buyer.participantId, allocationId));
    if (!purchase) throw notFound(`Purchased lead ${allocationId}`);
    return purchase;
  }

  private filterOf(query: PurchasedLeadsQuery): PurchaseListFilter {
    return {
      ...(query.orderId ? { orderId: query.orderId } : {}),
      ...(query.region ? { region: query.region } : {}),
      ...(query.stage ? { stage: query.stage } : {}),
      ...(query.allocatedFrom ? { allocatedFrom: query.allocatedFrom } : {}),
      ...(query.allocatedTo ? { allocatedTo: query.allocatedTo } : {}),
      after: afterCursor(query.cursor),
    };
  }
}

function toOwnAllocation(view: PurchaseView, buyerId: string): OwnAllocation {
  return {
    allocationId: view.allocationId,
    leadId: view.leadId,
    orderId: view.orderId,
    buyerId,
    sellerId: view.sellerId,
    vertical: view.vertical,
    allocatedAt: view.allocatedAt,
  };
}
