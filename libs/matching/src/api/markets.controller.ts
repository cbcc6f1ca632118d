import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import { Answers, IdParam, notFound, Roles } from '#lx/http';
import type { PublishedSettings } from '../application/market-settings.js';
import { marketSettingsStream } from '../application/market-inputs.js';
import { MarketSettingsHistoryAnswer, MarketsAnswer } from './responses.js';
import { checkedVertical } from './market-settings.controller.js';

/** The operator's view of the markets: which were opened, and each one's settings over time. */
@ApiTags('operator: markets')
@Roles('operator')
@Controller('v1/markets')
export class MarketsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @Answers(MarketsAnswer, { description: 'The markets with published settings, by vertical' })
  @ApiOperation({
    summary:
      'Every market an operator published settings for, with the settings in force (read from the log)',
  })
  async list() {
    const latest = new Map<string, { settings: PublishedSettings; revision: number; changedAt: string }>();
    let after = null;
    for (;;) {
      const page = await this.store.readAll({
        after,
        maxCount: 500,
        filter: { streamCategories: ['marketSettings'], eventTypes: ['MarketSettingsChanged'] },
      });
      for (const event of page.events) {
        const settings = event.data as PublishedSettings;
        latest.set(settings.vertical, {
          settings,
          revision: event.revision,
          changedAt: event.metadata.occurredAt,
        });
      }
      after = page.nextAfter ?? after;
      if (page.isEnd || page.events.length === 0) break;
    }
    const items = [...latest.values()]
      .sort((a, b) => a.settings.vertical.localeCompare(b.settings.vertical))
      .map(({ settings, revision, changedAt }) => ({ ...settings, revision, changedAt }));
    return { items };
  }

  @Get(':vertical/settings/history')
  @Answers(MarketSettingsHistoryAnswer, {
    description: 'Each publication of the market’s settings, newest first',
  })
  @ApiOperation({
    summary: 'The market’s settings as published over time, newest first, with who published them',
  })
  async history(@IdParam('vertical', 'vertical') vertical: string) {
    const events = await this.store.readStream(marketSettingsStream(checkedVertical(vertical)));
    if (events.length === 0) throw notFound(`Market ${vertical}`);
    return {
      items: events
        .map((event) => ({
          ...(event.data as PublishedSettings),
          revision: event.revision,
          changedAt: event.metadata.occurredAt,
          changedBy: event.metadata.actor ?? null,
        }))
        .reverse(),
    };
  }
}
