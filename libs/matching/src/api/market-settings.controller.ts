import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ProblemException, Roles, type Principal, Answers, IdParam } from '#lx/http';
import type { MarketSettingsView } from '../application/market-settings.js';
import { ChangeMarketSettings, GetMarketSettings } from '../application/market-settings.handlers.js';
import { ChangeMarketSettingsRequest } from './market-settings.dtos.js';
import { MarketSettingsAnswer } from './responses.js';

const VERTICAL = /^[a-z][a-z0-9_]{0,39}$/;

/** The operator API for market settings: commission, windows, listing lifetime and currency. */
@ApiTags('operator: markets')
@Roles('operator')
@Controller('v1/markets/:vertical/settings')
export class MarketSettingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Answers(MarketSettingsAnswer, { description: 'The market’s settings in force' })
  @ApiOperation({
    summary: 'The settings in force (the defaults, with currency null, if none were published)',
  })
  get(@IdParam('vertical', 'vertical') vertical: string): Promise<MarketSettingsView> {
    return this.queries.execute(new GetMarketSettings(checkedVertical(vertical)));
  }

  @Post()
  @Answers(MarketSettingsAnswer, { description: 'The market’s new settings' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish new settings; omitted fields keep their current values' })
  change(
    @IdParam('vertical', 'vertical') vertical: string,
    @Body() body: ChangeMarketSettingsRequest,
    @CurrentPrincipal() operator: Principal,
  ): Promise<MarketSettingsView> {
    return this.commands.execute(
      new ChangeMarketSettings(checkedVertical(vertical), { ...body }, operator.participantId),
    );
  }
}

export function checkedVertical(vertical: string): string {
  if (!VERTICAL.test(vertical))
    throw new ProblemException(
      422,
      'invalid-vertical',
      'Invalid vertical',
      `"${vertical.slice(0, 50)}" is not a vertical slug`,
    );
  return vertical;
}
