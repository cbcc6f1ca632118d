import { Inject } from '@nestjs/common';
import {
  Command,
  CommandHandler,
  Query,
  QueryHandler,
  type ICommandHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import { marketSettingsStream } from './market-inputs.js';
import {
  MarketSettingsService,
  type MarketSettingsView,
  type PublishedSettings,
  type SettingsChange,
} from './market-settings.js';

/** A publication of a market's settings, as the log holds it. */
export type PublishedMarketSettings = PublishedSettings & { revision: number; changedAt: string };

/** Publishes a market's new settings; fields left out keep their current values. */
export class ChangeMarketSettings extends Command<MarketSettingsView> {
  constructor(
    readonly vertical: string,
    readonly change: SettingsChange,
    readonly actor: string,
  ) {
    super();
  }
}

/** The settings in force in a market (the defaults if none were published). */
export class GetMarketSettings extends Query<MarketSettingsView> {
  constructor(readonly vertical: string) {
    super();
  }
}

/** Every market an operator published settings for, with the settings in force, by vertical. */
export class ListMarkets extends Query<PublishedMarketSettings[]> {}

/** Each publication of a market's settings, newest first, with who published it (empty: no such market). */
export class GetMarketSettingsHistory extends Query<
  (PublishedMarketSettings & { changedBy: string | null })[]
> {
  constructor(readonly vertical: string) {
    super();
  }
}

@CommandHandler(ChangeMarketSettings)
export class ChangeMarketSettingsHandler implements ICommandHandler<ChangeMarketSettings> {
  private readonly settings: MarketSettingsService;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.settings = new MarketSettingsService(store);
  }

  execute({ vertical, change, actor }: ChangeMarketSettings): Promise<MarketSettingsView> {
    return this.settings.change(vertical, change, actor);
  }
}

@QueryHandler(GetMarketSettings)
export class GetMarketSettingsHandler implements IQueryHandler<GetMarketSettings> {
  private readonly settings: MarketSettingsService;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.settings = new MarketSettingsService(store);
  }

  execute({ vertical }: GetMarketSettings): Promise<MarketSettingsView> {
    return this.settings.current(vertical);
  }
}

@QueryHandler(ListMarkets)
export class ListMarketsHandler implements IQueryHandler<ListMarkets> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(): Promise<PublishedMarketSettings[]> {
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
    return [...latest.values()]
      .sort((a, b) => a.settings.vertical.localeCompare(b.settings.vertical))
      .map(({ settings, revision, changedAt }) => ({ ...settings, revision, changedAt }));
  }
}

@QueryHandler(GetMarketSettingsHistory)
export class GetMarketSettingsHistoryHandler implements IQueryHandler<GetMarketSettingsHistory> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({
    vertical,
  }: GetMarketSettingsHistory): Promise<(PublishedMarketSettings & { changedBy: string | null })[]> {
    const events = await this.store.readStream(marketSettingsStream(vertical));
    return events
      .map((event) => ({
        ...(event.data as PublishedSettings),
        revision: event.revision,
        changedAt: event.metadata.occurredAt,
        changedBy: event.metadata.actor ?? null,
      }))
      .reverse();
  }
}

export const marketSettingsHandlers = [
  ChangeMarketSettingsHandler,
  GetMarketSettingsHandler,
  ListMarketsHandler,
  GetMarketSettingsHistoryHandler,
];
