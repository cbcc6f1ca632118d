import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answers, IdParam, notFound, Roles } from '#lx/http';
import { GetMarketSettingsHistory, ListMarkets } from '../application/market-settings.handlers.js';
import { MarketSettingsHistoryAnswer, MarketsAnswer } from './responses.js';
import { checkedVertical } from './market-settings.controller.js';

/** The operator's view of the markets: which were opened, and each one's settings over time. */
@ApiTags('operator: markets')
@Roles('operator')
@Controller('v1/markets')
export class MarketsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Answers(MarketsAnswer, { description: 'The markets with published settings, by vertical' })
  @ApiOperation({
    summary:
      'Every market an operator published settings for, with the settings in force (read from the log)',
  })
  async list() {
    return { items: await this.queries.execute(new ListMarkets()) };
  }

  @Get(':vertical/settings/history')
  @Answers(MarketSettingsHistoryAnswer, {
    description: 'Each publication of the market’s settings, newest first',
  })
  @ApiOperation({
    summary: 'The market’s settings as published over time, newest first, with who published them',
  })
  async history(@IdParam('vertical', 'vertical') vertical: string) {
    const items = await this.queries.execute(new GetMarketSettingsHistory(checkedVertical(vertical)));
    if (items.length === 0) throw notFound(`Market ${vertical}`);
    return { items };
  }
}
