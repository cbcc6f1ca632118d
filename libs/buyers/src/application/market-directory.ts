import { Inject, Injectable } from '@nestjs/common';
import { isEvent, MarketSettingsChanged, marketSettingsInForce } from '#lx/contracts';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import { BUYERS_OPTIONS, type BuyersOptions } from './buyers-options.js';

export interface MarketSettings {
  vertical: string;
  currency: string;
  returnWindowHours: number;
}

/** The operator's settings of a market (`marketSettings-<vertical>`): its currency and return window. */
@Injectable()
export class MarketDirectory {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BUYERS_OPTIONS) private readonly options: Pick<BuyersOptions, 'defaultCurrency'>,
  ) {}

  async settingsOf(vertical: string): Promise<MarketSettings> {
    const [last] = await this.store.readStream(`marketSettings-${vertical}`, {
      direction: 'backwards',
      maxCount: 1,
    });
    const published = last && isEvent(MarketSettingsChanged, last) ? last.data : null;
    const { currency, returnWindowHours } = marketSettingsInForce(published);
    // Like the sellers' app: a vertical without published settings trades in the default currency.
    return { vertical, currency: currency ?? this.options.defaultCurrency, returnWindowHours };
  }

  /**
   * Whether an engine runs (or ran) the market: its clock has ticked (`marketClock-<vertical>`;
   * an engine ticks it when it starts). Orders elsewhere could never buy.
   */
  async isOpen(vertical: string): Promise<boolean> {
    const [first] = await this.store.readStream(`marketClock-${vertical}`, { maxCount: 1 });
    return first !== undefined;
  }
}
