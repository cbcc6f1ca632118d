import { Inject, Injectable } from '@nestjs/common';
import { isEvent, MarketSettingsChanged } from '#lx/contracts';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import { BUYERS_OPTIONS, type BuyersOptions } from './buyers-options.js';

/** The return window when a market has no settings yet (docs/architecture.md §6 default). */
export const DEFAULT_RETURN_WINDOW_HOURS = 72;

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
    // Like the sellers' app: a vertical without published settings trades in the default currency.
    if (!last || !isEvent(MarketSettingsChanged, last))
      return {
        vertical,
        currency: this.options.defaultCurrency,
        returnWindowHours: DEFAULT_RETURN_WINDOW_HOURS,
      };
    const { currency, returnWindowHours } = last.data;
    return { vertical, currency, returnWindowHours };
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
