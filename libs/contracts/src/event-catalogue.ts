import type { EventTypeRegistry } from '#lx/event-store';
import type { AnyEventDefinition } from './define-event.js';
import { authenticityEvents } from './events/authenticity.js';
import { authenticitySourceEvents } from './events/authenticity-sources.js';
import { batchEvents } from './events/batches.js';
import { buyerEvents } from './events/buyers.js';
import { conversionEvents } from './events/conversions.js';
import { doNotContactEvents } from './events/do-not-contact.js';
import { leadEvents } from './events/leads.js';
import { marketEvents } from './events/market.js';
import { participantEvents } from './events/participants.js';
import { realtimeEvents } from './events/realtime.js';
import { returnEvents } from './events/returns.js';
import { settlementEvents } from './events/settlement.js';

export interface EventCatalogue extends EventTypeRegistry {
  describe(type: string): AnyEventDefinition | undefined;
  /** Every definition, sorted by type: a stable order for documentation and digests. */
  list(): readonly AnyEventDefinition[];
}

export class DuplicateEventTypeError extends Error {
  readonly code = 'duplicate-event-type';
  constructor(readonly eventType: string) {
    super(`Event type "${eventType}" is defined twice: one name must mean one schema`);
    this.name = 'DuplicateEventTypeError';
  }
}

export function createEventCatalogue(definitions: readonly AnyEventDefinition[]): EventCatalogue {
  const byType = new Map<string, AnyEventDefinition>();
  for (const definition of definitions) {
    if (byType.has(definition.type)) throw new DuplicateEventTypeError(definition.type);
    byType.set(definition.type, definition);
  }
  const sorted = Object.freeze([...byType.values()].sort((a, b) => (a.type < b.type ? -1 : 1)));
  return {
    describe: (type) => byType.get(type),
    list: () => sorted,
  };
}

export const allEvents = [
  ...participantEvents,
  ...batchEvents,
  ...leadEvents,
  ...buyerEvents,
  ...marketEvents,
  ...returnEvents,
  ...settlementEvents,
  ...conversionEvents,
  ...authenticityEvents,
  ...authenticitySourceEvents,
  ...doNotContactEvents,
  ...realtimeEvents,
] as const;

/** The union of every type name, so a switch over event types can be checked for exhaustiveness. */
export type EventType = (typeof allEvents)[number]['type'];

/** The one catalogue the event store is configured with. */
export const eventCatalogue = createEventCatalogue(allEvents);
