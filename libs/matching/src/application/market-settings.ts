import { MarketSettingsChanged, newEvent, type EventData } from '#lx/contracts';
import { DomainError } from '#lx/event-sourcing';
import { WrongExpectedVersionError, type EventStore } from '#lx/event-store';
import { DEFAULT_MARKET_SETTINGS } from '../domain/market-model.js';
import { marketSettingsStream } from './market-inputs.js';

export type PublishedSettings = EventData<typeof MarketSettingsChanged>;

export interface MarketSettingsView extends Omit<PublishedSettings, 'currency'> {
  /** Null until an operator sets it; until then the market trades in its first listing's currency. */
  currency: string | null;
  /** False: nothing was published for this market; the values are the defaults. */
  configured: boolean;
  revision: number | null;
}

export type SettingsChange = Partial<Omit<PublishedSettings, 'vertical'>> & { currency: string };

export class MarketSettingsConflict extends DomainError {
  readonly code = 'conflict';
}

/** Market settings as events in `marketSettings-<vertical>`; the engine reads them in log order. */
export class MarketSettingsService {
  constructor(private readonly store: EventStore) {}

  async current(vertical: string): Promise<MarketSettingsView> {
    const [last] = await this.store.readStream(marketSettingsStream(vertical), {
      direction: 'backwards',
      maxCount: 1,
    });
    if (!last) return { vertical, ...DEFAULT_MARKET_SETTINGS, configured: false, revision: null };
    return { ...(last.data as PublishedSettings), configured: true, revision: last.revision };
  }

  /** Publishes a whole new set of settings; fields left out keep their current values. */
  async change(vertical: string, change: SettingsChange, actor: string): Promise<MarketSettingsView> {
    const current = await this.current(vertical);
    const { configured: _configured, revision, ...base } = current;
    const next: PublishedSettings = { ...base, ...change, vertical };
    try {
      await this.store.appendToStream(
        marketSettingsStream(vertical),
        [newEvent(MarketSettingsChanged, next, { actor })],
        { expectedRevision: revision ?? 'no_stream' },
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError)
        throw new MarketSettingsConflict(
          `The settings of ${vertical} changed meanwhile; read them and retry`,
        );
      throw error;
    }
    return this.current(vertical);
  }
}
