/**
 * The matching context's published rules (`#lx/matching/rules`): the pure rule that decides whether
 * a lead meets an order's filters. The engine applies it; the buyers' order preview and the returns'
 * filter-mismatch rule apply the same one from their own domain code, which may not load the
 * matching library's index (it also holds the engine host and its Nest module).
 */
export { CompiledFilters } from './domain/compiled-filters.js';
export {
  filterableLead,
  filtersAccept,
  type FilterableLead,
  type ListedLeadFacts,
} from './domain/order-filters.js';
export type { LeadAttributes, OrderFilters } from './domain/market-model.js';
export { CompiledSchedule, utcOffsetMs, type ScheduleState } from './domain/delivery-schedule.js';
