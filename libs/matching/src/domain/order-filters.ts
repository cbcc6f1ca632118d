import { CompiledFilters } from './compiled-filters.js';
import {
  factsOf,
  type LeadAttributes,
  type LeadFacts,
  type ListedLead,
  type MarketOrder,
  type OrderFilters,
  type OrderTerms,
} from './market-model.js';

// A lead without the value (null) is never in the order's set of values.
const holds = (accepted: ReadonlySet<string | null> | null, value: string | null) =>
  accepted === null || accepted.has(value);

/**
 * What the filters read of a listed lead. The engine passes its `ListedLead`; the buyers' order
 * preview and the returns' filter-mismatch rule build one from the lead as listed, so all three
 * apply the one rule below.
 */
export type FilterableLead = Pick<
  ListedLead,
  | 'sellerId'
  | 'attributes'
  | 'facts'
  | 'capturedAtMs'
  | 'quality'
  | 'sellerQuality'
  | 'sampleVerified'
  | 'sourceVerified'
>;

/** The non-personal facts of a lead as it was listed (LeadListed), as a read model keeps them. */
export interface ListedLeadFacts {
  readonly sellerId: string;
  readonly attributes: LeadAttributes;
  readonly quality: number;
  /** The seller-history part of the lead's quality score, as listed: what `minSellerQuality` reads. */
  readonly sellerQuality: number;
  /** Whether the lead's batch passed its authenticity sample (§4.1); unknown reads as not verified. */
  readonly sampleVerified?: boolean;
}

/** A lead as listed, in the shape `filtersAccept` reads: its capture time is the one it was listed with. */
export function filterableLead(lead: ListedLeadFacts): FilterableLead {
  return {
    sellerId: lead.sellerId,
    attributes: lead.attributes,
    capturedAtMs: Date.parse(lead.attributes.capturedAt),
    quality: lead.quality,
    sellerQuality: lead.sellerQuality,
    ...(lead.sampleVerified === undefined ? {} : { sampleVerified: lead.sampleVerified }),
  };
}

/**
 * The truth of "all filters hold" (docs/architecture.md §5), and the only one: the engine, the buyers'
 * order preview and the returns' filter-mismatch rule all call it. The indexes only narrow the
 * candidates; every candidate is still checked here, so an index can prune but never admit.
 */
export function filtersAccept(
  filters: CompiledFilters | OrderFilters,
  lead: FilterableLead,
  nowMs: number,
): boolean {
  const f = filters instanceof CompiledFilters ? filters : new CompiledFilters(filters);
  const facts = factsOf(lead);
  if (facts.age < f.ageMin || facts.age > f.ageMax) return false;
  if (lead.quality < f.minQuality || lead.sellerQuality < f.minSellerQuality) return false;
  if (f.needPhone && !(f.requireVerified ? facts.phoneVerified : facts.phonePresent)) return false;
  if (f.needEmail && !(f.requireVerified ? facts.emailVerified : facts.emailPresent)) return false;
  if (!holds(f.countries, facts.country) || !holds(f.regions, facts.region)) return false;
  if (!holds(f.genders, facts.gender) || !holds(f.employment, facts.employment)) return false;
  if (!holds(f.maritalStatus, facts.maritalStatus) || !holds(f.stages, facts.stage)) return false;
  if (!holds(f.sourceChannels, facts.sourceChannel)) return false;
  if (f.interestsAny !== null && !f.interestsAny.some((interest) => facts.interests.includes(interest)))
    return false;
  if (f.interestsAll !== null && !f.interestsAll.every((interest) => facts.interests.includes(interest)))
    return false;
  if (f.postalPrefixes !== null) {
    const postal = facts.postalPrefix;
    if (postal === null || !f.postalPrefixes.some((prefix) => postal.startsWith(prefix))) return false;
  }
  if (nowMs - lead.capturedAtMs > f.maxLeadAgeMs) return false;
  if (!holds(f.sellersIncluded, lead.sellerId)) return false;
  if (f.sellersExcluded !== null && f.sellersExcluded.has(lead.sellerId)) return false;
  if (f.sourcesIncluded !== null && !fromSourceIn(f.sourcesIncluded, lead.sellerId, facts)) return false;
  if (f.sourcesExcluded !== null && fromSourceIn(f.sourcesExcluded, lead.sellerId, facts)) return false;
  if (f.requireSampleVerified && !isSampleVerified(lead)) return false;
  return true;
}

/**
 * What `requireSampleVerified` asks of a lead (docs/architecture.md §4.1): its batch's sample
 * passed, or its seller's source is verified — enough of its checks answered since the last
 * decision, failures within the market's threshold, and not held. Unknown reads as not verified.
 */
export function isSampleVerified(lead: Pick<FilterableLead, 'sampleVerified' | 'sourceVerified'>): boolean {
  return lead.sampleVerified === true || lead.sourceVerified === true;
}

/**
 * Whether one of the entries names the lead's source: an entry without a seller names that source
 * of every seller, one without a sub-source every sub-source of it. A lead without a source is from
 * none (docs/architecture.md §5).
 */
function fromSourceIn(
  entries: ReadonlySet<string>,
  sellerId: string,
  facts: { source: string | null; subSource: string | null },
): boolean {
  const source = facts.source;
  if (source === null) return false;
  if (entries.has(`${sellerId}|${source}|*`) || entries.has(`*|${source}|*`)) return true;
  const subSource = facts.subSource;
  return (
    subSource !== null &&
    (entries.has(`${sellerId}|${source}|${subSource}`) || entries.has(`*|${source}|${subSource}`))
  );
}

export function exclusivityCompatible(order: MarketOrder, lead: ListedLead): boolean {
  const wanted = order.terms.exclusivity;
  return wanted === 'any' || (wanted === 'exclusive_only') === lead.exclusive;
}

/**
 * Base bid plus every modifier whose "desirable" attribute the lead has, capped by the order's
 * max bid (docs/architecture.md §5). Budget and daily-spend limits are applied by the engine on top.
 */
export function bidWithModifiers(terms: OrderTerms, lead: Pick<ListedLead, 'attributes' | 'facts'>): number {
  let bid = terms.bid;
  const modifiers = terms.modifiers;
  if (modifiers.length > 0) {
    const facts = factsOf(lead);
    for (const modifier of modifiers) {
      if (modifierHolds(modifier, facts)) bid += modifier.add;
    }
  }
  return Math.min(bid, terms.maxBid ?? Number.POSITIVE_INFINITY);
}

type Modifier = OrderTerms['modifiers'][number];

function modifierHolds(modifier: Modifier, a: LeadFacts): boolean {
  switch (modifier.attribute) {
    case 'gender':
      return accepts(modifier, a.gender);
    case 'employment':
      return accepts(modifier, a.employment);
    case 'maritalStatus':
      return accepts(modifier, a.maritalStatus);
    case 'stage':
      return accepts(modifier, a.stage);
    case 'sourceChannel':
      return accepts(modifier, a.sourceChannel);
    case 'country':
      return accepts(modifier, a.country);
    case 'region':
      return accepts(modifier, a.region);
    case 'interest':
      for (const interest of a.interests) if (accepts(modifier, interest)) return true;
      return false;
    case 'verifiedContact':
      return (
        (a.phoneVerified && accepts(modifier, 'phone')) || (a.emailVerified && accepts(modifier, 'email'))
      );
  }
}

// A module-level function, not a closure per call: every bid the engine weighs goes through it.
// A lead without the attribute (null) neither equals a value nor is in a list of values.
function accepts(modifier: Modifier, value: string | null): boolean {
  return modifier.equals !== undefined
    ? modifier.equals === value
    : (modifier.in as readonly (string | null)[]).includes(value);
}
