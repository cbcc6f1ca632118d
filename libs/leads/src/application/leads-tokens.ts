import type { AggregateRepository } from '#lx/event-sourcing';
import type { EventStore } from '#lx/event-store';
import type { PersonalDataVault } from '#lx/vault';
import type { EraseLeads } from './privacy/erase-leads.js';

/*
 * What the sellers' context is composed of, as Nest injects it: defined here so that the command
 * handlers (application), the adapters' handlers (infrastructure) and the controllers (api) name
 * the same providers.
 */
export const LEADS_RUNTIME = Symbol('LEADS_RUNTIME');
export const SELLER_QUERIES = Symbol('SELLER_QUERIES');
/** The exchange's configuration, as the sellers app was started with. */
export const LEADS_CONFIG = Symbol('LEADS_CONFIG');

/**
 * What the sellers' use cases use of the runtime provided under LEADS_RUNTIME: a port. The
 * infrastructure's LeadsRuntime (createLeadsRuntime) is the implementation and holds more (pools,
 * queues, workers) that only adapters reach.
 */
export interface LeadsServices {
  store: EventStore;
  aggregates: AggregateRepository;
  vault: PersonalDataVault;
  eraseLeads: EraseLeads;
}
