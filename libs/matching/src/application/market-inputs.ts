import { formatPosition, type RecordedEvent } from '#lx/event-store';
import { MARKET_INPUT_TYPES, type MarketInput, type MarketInputEvent } from '../domain/market-model.js';

/**
 * The streams the engine reads: leads, buyers' orders, the market's settings and its clock, and the
 * authenticity samples' holds and passes (§4.1), sellers' pings (§5.2).
 */
export const MARKET_INPUT_CATEGORIES = [
  'lead',
  'buyer',
  'marketSettings',
  'marketClock',
  'authenticity',
  'ping',
] as const;

export const marketStream = (vertical: string) => `market-${vertical}`;
export const marketSettingsStream = (vertical: string) => `marketSettings-${vertical}`;
export const marketClockStream = (vertical: string) => `marketClock-${vertical}`;

const inputTypes = new Set<string>(MARKET_INPUT_TYPES);

/**
 * A recorded event as an input of one market's engine, or null when it is not one. Settings and
 * ticks count only from the market's own streams; leads and orders of other verticals are
 * ignored by the engine itself (it knows which orders are its own).
 */
export function toMarketInput(event: RecordedEvent, vertical: string): MarketInput | null {
  if (!inputTypes.has(event.type)) return null;
  if (event.type === 'MarketClockTicked' && event.streamName !== marketClockStream(vertical)) return null;
  if (event.type === 'MarketSettingsChanged' && event.streamName !== marketSettingsStream(vertical))
    return null;
  return {
    position: formatPosition(event.position),
    at: event.metadata.occurredAt,
    event: { type: event.type, data: event.data } as MarketInputEvent,
  };
}
