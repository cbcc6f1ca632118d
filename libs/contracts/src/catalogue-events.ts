import type { EventData } from './define-event.js';
import type { allEvents } from './event-catalogue.js';

/**
 * Every event type of the catalogue mapped to its data: what typed per-event-type handlers (a
 * projection's handler map) are keyed by, so each handler gets its own event's data type.
 */
export type CatalogueEvents = {
  [Definition in (typeof allEvents)[number] as Definition['type']]: EventData<Definition>;
};
