import { sourceFilterKey, type EventData, type OrderAmended } from '#lx/contracts';

type OrderFilters = EventData<typeof OrderAmended>['filters'];

const MINUTE = 60_000;

/**
 * An order's filters with every field present (sets for membership, ±∞ for open ranges): the
 * engine checks thousands of orders per lead, and one shape for all of them keeps that fast.
 */
export class CompiledFilters {
  readonly ageMin: number;
  readonly ageMax: number;
  readonly genders: ReadonlySet<string> | null;
  readonly countries: ReadonlySet<string> | null;
  readonly regions: ReadonlySet<string> | null;
  readonly postalPrefixes: readonly string[] | null;
  readonly needPhone: boolean;
  readonly needEmail: boolean;
  readonly requireVerified: boolean;
  readonly employment: ReadonlySet<string> | null;
  readonly maritalStatus: ReadonlySet<string> | null;
  readonly interestsAny: readonly string[] | null;
  readonly interestsAll: readonly string[] | null;
  readonly stages: ReadonlySet<string> | null;
  readonly sourceChannels: ReadonlySet<string> | null;
  readonly maxLeadAgeMs: number;
  readonly minQuality: number;
  readonly minSellerQuality: number;
  readonly sellersIncluded: ReadonlySet<string> | null;
  readonly sellersExcluded: ReadonlySet<string> | null;
  /** The source entries as `sourceFilterKey`s (`seller|source|subSource`, `*` for an absent part). */
  readonly sourcesIncluded: ReadonlySet<string> | null;
  readonly sourcesExcluded: ReadonlySet<string> | null;
  readonly requireSampleVerified: boolean;

  constructor(filters: OrderFilters) {
    const set = (values: readonly string[] | undefined) => (values ? new Set<string>(values) : null);
    this.ageMin = filters.ageMin ?? Number.NEGATIVE_INFINITY;
    this.ageMax = filters.ageMax ?? Number.POSITIVE_INFINITY;
    this.genders = set(filters.genders);
    this.countries = set(filters.countries);
    this.regions = set(filters.regions);
    this.postalPrefixes = filters.postalPrefixes ?? null;
    this.needPhone = filters.requiredContacts?.includes('phone') ?? false;
    this.needEmail = filters.requiredContacts?.includes('email') ?? false;
    this.requireVerified = filters.requireVerified === true;
    this.employment = set(filters.employment);
    this.maritalStatus = set(filters.maritalStatus);
    this.interestsAny = filters.interestsAny ?? null;
    this.interestsAll = filters.interestsAll ?? null;
    this.stages = set(filters.stages);
    this.sourceChannels = set(filters.sourceChannels);
    this.maxLeadAgeMs =
      filters.maxLeadAgeMinutes === undefined ? Number.POSITIVE_INFINITY : filters.maxLeadAgeMinutes * MINUTE;
    this.minQuality = filters.minQuality ?? Number.NEGATIVE_INFINITY;
    this.minSellerQuality = filters.minSellerQuality ?? Number.NEGATIVE_INFINITY;
    this.sellersIncluded = set(filters.sellersIncluded);
    this.sellersExcluded = set(filters.sellersExcluded);
    this.sourcesIncluded = filters.sourcesIncluded
      ? new Set(filters.sourcesIncluded.map(sourceFilterKey))
      : null;
    this.sourcesExcluded = filters.sourcesExcluded
      ? new Set(filters.sourcesExcluded.map(sourceFilterKey))
      : null;
    this.requireSampleVerified = filters.requireSampleVerified === true;
  }
}
