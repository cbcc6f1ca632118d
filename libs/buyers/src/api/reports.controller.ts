import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, notFound, Roles, type Principal, Answers, IdParam } from '#lx/http';
import {
  GetDailyPurchases,
  GetOrder,
  GetPurchaseReport,
  GetSourceReport,
} from '../application/buyer-reads.js';
import { purchaseReport } from '../domain/purchase-report.js';
import type { CurrencyReport, DailyPurchases } from '../infrastructure/purchases.queries.js';
import { DailyReportQuery } from './after-sale.dtos.js';
import {
  AccountReportAnswer,
  DailyAccountReportAnswer,
  OrderReportAnswer,
  SourceReportAnswer,
} from './responses.js';

const FIGURES =
  'Money in minor units. costPerLead = spend / leadsBought, conversionRate = conversions / leadsBought ' +
  '(basis points and whole percent), costPerAcquisition = spend / conversions, each rounded half-even.';

@ApiTags('buyers: reporting')
@Roles('buyer')
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('orders/:orderId')
  @Answers(OrderReportAnswer, { description: 'What the order cost and brought' })
  @ApiOperation({
    summary: 'What one order really cost: leads, spend, CPL, returns, conversions, CPA',
    description: FIGURES,
  })
  async order(
    @IdParam('orderId') orderId: string,
    @CurrentPrincipal() buyer: Principal,
  ): Promise<CurrencyReport & { orderId: string; status: string }> {
    const order = await this.queries.execute(new GetOrder(buyer.participantId, orderId));
    if (!order) throw notFound(`Order ${orderId}`);
    const [report] = await this.queries.execute(new GetPurchaseReport(buyer.participantId, orderId));
    const empty = purchaseReport({
      leadsBought: 0,
      spend: 0,
      returnsRequested: 0,
      returnsAccepted: 0,
      refunded: 0,
      conversions: 0,
      conversionValue: 0,
    });
    return { orderId, status: order.status, ...(report ?? { currency: order.currency, ...empty }) };
  }

  @Get('account')
  @Answers(AccountReportAnswer, { description: 'What my purchases cost and brought, per currency' })
  @ApiOperation({ summary: 'The same figures over all my orders, per currency', description: FIGURES })
  async account(@CurrentPrincipal() buyer: Principal): Promise<{ items: CurrencyReport[] }> {
    return { items: await this.queries.execute(new GetPurchaseReport(buyer.participantId)) };
  }

  @Get('sources')
  @Answers(SourceReportAnswer, { description: 'My purchases per seller, source and sub-source' })
  @ApiOperation({
    summary: 'Quality by source: leads bought, spend, returns, conversions and quality per seller’s source',
    description:
      `${FIGURES} returnRateBps = returnsAccepted / leadsBought. Sources are the sellers' own names: ` +
      'include or exclude them in an order with filters.sourcesIncluded / sourcesExcluded ({ sellerId, source, subSource }).',
  })
  async sources(@CurrentPrincipal() buyer: Principal) {
    return { items: await this.queries.execute(new GetSourceReport(buyer.participantId)) };
  }

  @Get('account/daily')
  @Answers(DailyAccountReportAnswer, { description: 'My purchases and conversions per day and currency' })
  @ApiOperation({
    summary:
      'Leads bought, spend and conversions per UTC day and currency, oldest first (days without any left out)',
    description:
      'Purchases count on the day of their allocation, conversions on the day they were reported to have happened.',
  })
  async daily(
    @Query() query: DailyReportQuery,
    @CurrentPrincipal() buyer: Principal,
  ): Promise<{ items: DailyPurchases[] }> {
    return {
      items: await this.queries.execute(
        new GetDailyPurchases(buyer.participantId, query.days ?? 30, new Date()),
      ),
    };
  }
}
