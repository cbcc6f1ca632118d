import type { EventData, LeadListed, OrderPlaced } from '#lx/contracts';

export type LeadAttributesData = EventData<typeof LeadListed>['attributes'];
export type OrderFiltersData = EventData<typeof OrderPlaced>['filters'];
type Attributes = LeadAttributesData;
type Filters = OrderFiltersData;

/** The non-personal facts about a resting lead that an order's filters are checked against. */
export interface ListedLeadFacts {
  sellerId: string;
  attributes: Attributes;
  quality: number;
  /** The seller-history part of the lead's quality score, as listed: what `minSellerQuality` reads. */
  sellerQuality: number;
}

const within = <T>(set: readonly T[] | undefined, value: T | undefined) =>
  set === undefined || (value !== undefined && set.includes(value));

/**
 * Whether a lead satisfies every present filter (docs/architecture.md §5 eligibility, filters only). Used to
 * preview an order against the resting inventory; the engine applies its own copy of the rules.
 */
export function leadMatchesFilters(lead: ListedLeadFacts, filters: Filters, now: Date): boolean {
  const a = lead.attributes;
  if (filters.ageMin !== undefined && a.age < filters.ageMin) return false;
  if (filters.ageMax !== undefined && a.age > filters.ageMax) return false;
  if (!within(filters.genders, a.gender)) return false;
  if (!within(filters.countries, a.country)) return false;
  if (!within(filters.regions, a.region)) return false;
  if (filters.postalPrefixes && !filters.postalPrefixes.some((prefix) => a.postalPrefix?.startsWith(prefix)))
    return false;
  for (const kind of filters.requiredContacts ?? []) {
    const contact = a.contacts[kind];
    if (!contact.present || (filters.requireVerified && !contact.verified)) return false;
  }
  if (!within(filters.employment, a.employment)) return false;
  if (!within(filters.maritalStatus, a.maritalStatus)) return false;
  if (filters.interestsAny && !filters.interestsAny.some((interest) => a.interests.includes(interest)))
    return false;
  if (filters.interestsAll && !filters.interestsAll.every((interest) => a.interests.includes(interest)))
    return false;
  if (!within(filters.stages, a.stage)) return false;
  if (!within(filters.sourceChannels, a.sourceChannel)) return false;
  if (
    filters.maxLeadAgeMinutes !== undefined &&
    now.getTime() - Date.parse(a.capturedAt) > filters.maxLeadAgeMinutes * 60_000
  )
    return false;
  if (filters.minQuality !== undefined && lead.quality < filters.minQuality) return false;
  if (filters.minSellerQuality !== undefined && lead.sellerQuality < filters.minSellerQuality) return false;
  if (filters.sellersIncluded && !filters.sellersIncluded.includes(lead.sellerId)) return false;
  if (filters.sellersExcluded?.includes(lead.sellerId)) return false;
  return true;
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
