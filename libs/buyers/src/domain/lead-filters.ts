import type { EventData, LeadListed, OrderPlaced } from '#lx/contracts';
import {
  filterableLead,
  filtersAccept,
  type CompiledFilters,
  type ListedLeadFacts,
} from '#lx/matching/rules';

export type LeadAttributesData = EventData<typeof LeadListed>['attributes'];
export type OrderFiltersData = EventData<typeof OrderPlaced>['filters'];
type Attributes = LeadAttributesData;

export type { ListedLeadFacts };

/**
 * Whether a lead satisfies every present filter (docs/architecture.md §5 eligibility, filters only), to
 * preview an order against the resting inventory: the engine's own rule, fed the lead as listed.
 * Compile the filters once (`new CompiledFilters(filters)`) when checking many leads.
 */
export function leadMatchesFilters(
  lead: ListedLeadFacts,
  filters: CompiledFilters | OrderFiltersData,
  now: Date,
): boolean {
  return filtersAccept(filters, filterableLead(lead), now.getTime());
}

/** Inventory segments are coarse on purpose: small cells could single a person out. */
export function ageBand(age: number): string {
  const bands: [number, string][] = [
    [25, '18-24'],
    [35, '25-34'],
    [45, '35-44'],
    [55, '45-54'],
    [65, '55-64'],
  ];
  return bands.find(([below]) => age < below)?.[1] ?? '65+';
}

export function contactsSegment(
  contacts: Attributes['contacts'],
): 'phone+email' | 'phone' | 'email' | 'none' {
  if (contacts.phone.present && contacts.email.present) return 'phone+email';
  if (contacts.phone.present) return 'phone';
  if (contacts.email.present) return 'email';
  return 'none';
}

/** Segments with fewer leads than this are reported only as suppressed. */
export const MIN_SEGMENT_COUNT = 3;
