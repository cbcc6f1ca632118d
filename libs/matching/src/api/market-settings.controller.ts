import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import { CurrentPrincipal, ProblemException, Roles, type Principal, Answers, IdParam } from '#lx/http';
import { MarketSettingsService, type MarketSettingsView } from '../application/market-settings.js';
import { ChangeMarketSettingsRequest } from './market-settings.dtos.js';
import { MarketSettingsAnswer } from './responses.js';

const VERTICAL = /^[a-z][a-z0-9_]{0,39}$/;

/** The operator API for market settings: commission, windows, listing lifetime and currency. */
@ApiTags('operator: markets')
@Roles('operator')
@Controller('v1/markets/:vertical/settings')
export class MarketSettingsController {
  private readonly settings: MarketSettingsService;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.settings = new MarketSettingsService(store);
  }

  @Get()
  @Answers(MarketSettingsAnswer, { description: 'The market’s settings in force' })
  @ApiOperation({
    summary: 'The settings in force (the defaults, with currency null, if none were published)',
  })
  get(@IdParam('vertical', 'vertical') vertical: string): Promise<MarketSettingsView> {
    return this.settings.current(checkedVertical(vertical));
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
    return this.settings.change(checkedVertical(vertical), { ...body }, operator.participantId);
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
