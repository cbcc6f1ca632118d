import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answers, CurrentPrincipal, Roles, type Principal } from '#lx/http';
import { GetSellerSourceReport } from '../application/seller-reads.js';
import { SellerSourceReportAnswer } from './responses.js';

/** Quality by source: how each of the seller's own sources (campaigns, affiliates) sold, came back and converted. */
@ApiTags('sellers: leads')
@Roles('seller')
@Controller('v1/reports/sources')
export class SellerSourceReportController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Answers(SellerSourceReportAnswer, { description: 'My leads’ figures per source and sub-source' })
  @ApiOperation({
    summary:
      'Leads listed, sold, returned (and the return rate), conversions, average quality score and proceeds per source and sub-source',
    description:
      'Sources are the tags of the upload’s source and sub_source columns. Rates in basis points, rounded half-even; money in minor units.',
  })
  async sources(@CurrentPrincipal() seller: Principal) {
    return { items: await this.queries.execute(new GetSellerSourceReport(seller.participantId)) };
  }
}
