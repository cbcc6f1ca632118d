import { z } from 'zod';
import {
  Age,
  ContactKind,
  Employment,
  Gender,
  Interest,
  LeadSource,
  LeadStage,
  MaritalStatus,
  PostalPrefix,
  SourceChannel,
} from './lead-attributes.js';
import {
  CountryCode,
  EntityId,
  Instant,
  NonEmptySet,
  Percent,
  PositiveMinorUnits,
  RegionCode,
} from './value-types.js';
import { DeliverySchedule } from './delivery-schedule.js';

/** `LeadSource`'s pattern, for the HTTP DTOs (order-terms.dtos.unit.spec.ts proves the two agree). */
export const LEAD_SOURCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * One of a seller's sources, or a sub-source of it, in an order's `sourcesIncluded` /
 * `sourcesExcluded`. Sources are the sellers' own names (two sellers may both have `google`): with
 * `sellerId` the entry names that seller's source only, without it the source of any seller. Without
 * `subSource` it covers every sub-source of the source (docs/architecture.md §5).
 */
export const SourceFilter = z.strictObject({
  sellerId: EntityId.optional(),
  source: LeadSource,
  subSource: LeadSource.optional(),
});

/** The key of a source filter entry, for sets of entries: `seller|source|subSource`, `*` for absent parts. */
export const sourceFilterKey = (entry: { sellerId?: string; source: string; subSource?: string }) =>
  `${entry.sellerId ?? '*'}|${entry.source}|${entry.subSource ?? '*'}`;

const SourceFilters = z
  .array(SourceFilter)
  .min(1)
  .max(100)
  .refine(
    (entries) => new Set(entries.map(sourceFilterKey)).size === entries.length,
    'must not repeat an entry',
  );

/*
 * What a buyer asks for in a purchase order. Every filter is optional: an absent filter
 * accepts every lead; a present one must hold for the lead to be eligible (docs/architecture.md §5).
 */

export const OrderFilters = z
  .strictObject({
    ageMin: Age.optional(),
    ageMax: Age.optional(),
    genders: NonEmptySet(Gender).optional(),
    countries: NonEmptySet(CountryCode).optional(),
    regions: NonEmptySet(RegionCode).optional(),
    postalPrefixes: NonEmptySet(PostalPrefix).optional(),
    requiredContacts: NonEmptySet(ContactKind).optional(),
    /** The required contacts must also have passed verification. */
    requireVerified: z.boolean().optional(),
    employment: NonEmptySet(Employment).optional(),
    maritalStatus: NonEmptySet(MaritalStatus).optional(),
    interestsAny: NonEmptySet(Interest, 50).optional(),
    interestsAll: NonEmptySet(Interest, 50).optional(),
    stages: NonEmptySet(LeadStage).optional(),
    sourceChannels: NonEmptySet(SourceChannel).optional(),
    /** Minutes between the lead's capture and the moment it is matched. */
    maxLeadAgeMinutes: z.int().positive().optional(),
    minQuality: Percent.optional(),
    minSellerQuality: Percent.optional(),
    sellersIncluded: NonEmptySet(EntityId).optional(),
    sellersExcluded: NonEmptySet(EntityId).optional(),
    /** Only leads from one of these sources (a lead without a source is not from any). */
    sourcesIncluded: SourceFilters.optional(),
    /** Never leads from these sources. */
    sourcesExcluded: SourceFilters.optional(),
    /** Only sample-verified leads: their batch's sample passed, or their source is verified (docs/architecture.md §4.1). */
    requireSampleVerified: z.boolean().optional(),
  })
  .superRefine((filters, context) => {
    if (filters.ageMin !== undefined && filters.ageMax !== undefined && filters.ageMin > filters.ageMax)
      context.addIssue({ code: 'custom', path: ['ageMax'], message: 'must not be below ageMin' });
    if (filters.requireVerified && filters.requiredContacts === undefined)
      context.addIssue({ code: 'custom', path: ['requireVerified'], message: 'needs requiredContacts' });
    const excluded = new Set(filters.sellersExcluded ?? []);
    if (filters.sellersIncluded?.some((seller) => excluded.has(seller)))
      context.addIssue({ code: 'custom', path: ['sellersExcluded'], message: 'overlaps sellersIncluded' });
    const excludedSources = new Set((filters.sourcesExcluded ?? []).map(sourceFilterKey));
    if (filters.sourcesIncluded?.some((entry) => excludedSources.has(sourceFilterKey(entry))))
      context.addIssue({ code: 'custom', path: ['sourcesExcluded'], message: 'overlaps sourcesIncluded' });
  });

/** `+add` to the bid when the lead's attribute equals a value, or is one of `in`. */
const modifierOn = <A extends string, V extends z.ZodType<string>>(attribute: A, value: V) =>
  z
    .strictObject({
      attribute: z.literal(attribute),
      equals: value.optional(),
      in: NonEmptySet(value).optional(),
      add: PositiveMinorUnits,
    })
    .refine((modifier) => (modifier.equals === undefined) !== (modifier.in === undefined), {
      message: 'needs exactly one of equals or in',
    });

export const BidModifier = z.discriminatedUnion('attribute', [
  modifierOn('gender', Gender),
  modifierOn('employment', Employment),
  modifierOn('maritalStatus', MaritalStatus),
  modifierOn('stage', LeadStage),
  modifierOn('sourceChannel', SourceChannel),
  modifierOn('country', CountryCode),
  modifierOn('region', RegionCode),
  modifierOn('interest', Interest),
  modifierOn('verifiedContact', ContactKind),
]);

/** The attributes a modifier may name, in the union's order: the union above is their one list. */
export const MODIFIER_ATTRIBUTES = BidModifier.options.map((modifier) => modifier.shape.attribute.value);

export const ORDER_EXCLUSIVITIES = ['exclusive_only', 'shared_ok', 'any'] as const;
export const DELIVERY_METHODS = ['webhook', 'pull'] as const;

export const OrderExclusivity = z.enum(ORDER_EXCLUSIVITIES);
export const DeliveryMethod = z.enum(DELIVERY_METHODS);

/** The terms an order is placed with and an amendment replaces as a whole. */
export const orderTermsShape = {
  filters: OrderFilters,
  /** Base bid per lead, before modifiers. */
  bid: PositiveMinorUnits,
  /** Cap on the effective bid (base + modifiers); absent: uncapped. */
  maxBid: PositiveMinorUnits.optional(),
  modifiers: z.array(BidModifier).max(50),
  /** Leads wanted over the order's life, including those already bought. */
  quantity: z.int().positive(),
  /** Money reserved for the order over its life, including what is already spent. */
  budget: PositiveMinorUnits,
  dailyCapCount: z.int().positive().optional(),
  dailyCapSpend: PositiveMinorUnits.optional(),
  /** Leads per clock hour of the market's clock (UTC hours). */
  hourlyCapCount: z.int().positive().optional(),
  /** Spend per clock hour of the market's clock (UTC hours). */
  hourlyCapSpend: PositiveMinorUnits.optional(),
  /** When the order accepts leads, in the buyer's time zone; absent: at any time. */
  schedule: DeliverySchedule.optional(),
  exclusivity: OrderExclusivity,
  expiresAt: Instant.optional(),
  delivery: DeliveryMethod,
};

type OrderTerms = { bid: number; maxBid?: number | undefined; budget: number };

export function checkOrderTerms(terms: OrderTerms, context: z.RefinementCtx): void {
  if (terms.maxBid !== undefined && terms.maxBid < terms.bid)
    context.addIssue({ code: 'custom', path: ['maxBid'], message: 'must not be below bid' });
  if (terms.budget < terms.bid)
    context.addIssue({
      code: 'custom',
      path: ['budget'],
      message: 'must cover at least one lead at the bid',
    });
}
