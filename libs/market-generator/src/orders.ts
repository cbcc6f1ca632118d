import type { CONTACT_KINDS, DELIVERY_METHODS, ORDER_EXCLUSIVITIES } from '#lx/contracts';
import {
  INTERESTS_BY_VERTICAL,
  REGIONS_BY_COUNTRY,
  SOURCE_CHANNELS,
  findRegion,
  type Country,
  type Employment,
  type Gender,
  type LeadStage,
  type MaritalStatus,
  type SourceChannel,
  type Vertical,
} from './reference-data.js';
import { SeededRandom, type Seed, type Weighted } from './seeded-random.js';

export type Currency = 'RUB' | 'EUR';
export type RequiredContact = (typeof CONTACT_KINDS)[number];

/** Every filter is optional; an absent filter accepts every lead. */
export interface OrderFilters {
  ageMin?: number;
  ageMax?: number;
  genders?: Gender[];
  countries?: Country[];
  regions?: string[];
  postalPrefixes?: string[];
  requiredContacts?: RequiredContact[];
  requireVerified?: boolean;
  employment?: Employment[];
  maritalStatus?: MaritalStatus[];
  interestsAny?: string[];
  interestsAll?: string[];
  stages?: LeadStage[];
  sourceChannels?: SourceChannel[];
  maxLeadAgeMinutes?: number;
  minQuality?: number;
}

export type ModifierAttribute =
  'employment' | 'maritalStatus' | 'gender' | 'region' | 'stage' | 'sourceChannel' | 'interests';

/** "Desirable, not required": `add` (minor units) when the lead's attribute is one of `in`. */
export interface BidModifier {
  attribute: ModifierAttribute;
  in: string[];
  add: number;
}

/** A buyer's standing purchase order as it is placed; all money in minor units of `currency`. */
export interface OrderSpec {
  vertical: Vertical;
  currency: Currency;
  filters: OrderFilters;
  bid: number;
  maxBid?: number;
  modifiers: BidModifier[];
  quantity: number;
  budget: number;
  dailyCapCount?: number;
  dailyCapSpend?: number;
  exclusivity: (typeof ORDER_EXCLUSIVITIES)[number];
  delivery: (typeof DELIVERY_METHODS)[number];
}

export interface OrderSpecsOptions {
  seed: Seed;
  count: number;
  vertical: Vertical;
  currency: Currency;
  /** Region codes the orders target; by default the currency's country, weighted by population. */
  regions?: readonly string[];
}

const COUNTRY_OF: Readonly<Record<Currency, Country>> = { RUB: 'RU', EUR: 'ES' };

/** Price per lead in major units that buyers pay in each market (RUB 200–1500, EUR 5–60). */
export const PRICE_BANDS: Readonly<Record<Currency, Readonly<Record<Vertical, readonly [number, number]>>>> =
  {
    RUB: {
      eyewear: [200, 900],
      insurance: [300, 1200],
      loans: [300, 1500],
      real_estate: [500, 1500],
      education: [200, 800],
    },
    EUR: {
      eyewear: [5, 25],
      insurance: [10, 45],
      loans: [15, 60],
      real_estate: [20, 60],
      education: [5, 30],
    },
  };

// Buyers bid round amounts: 10 roubles, 50 euro cents.
const PRICE_STEP: Readonly<Record<Currency, number>> = { RUB: 1000, EUR: 50 };

const CAPITALS: Readonly<Record<Country, string[]>> = { RU: ['RU-MOW', 'RU-SPE'], ES: ['ES-M', 'ES-B'] };

/** Scenario 1, "Glasses with diamonds", exactly as its table states it (docs/scenarios.md). */
export function scenarioOneOrder(): OrderSpec {
  return {
    vertical: 'eyewear',
    currency: 'RUB',
    filters: {
      ageMin: 30,
      regions: ['RU-MOW', 'RU-SPE'],
      requiredContacts: ['phone', 'email'],
      maritalStatus: ['married', 'partnered'],
      interestsAny: ['premium_glasses', 'luxury_glasses'],
    },
    bid: 60000,
    // The buyer never pays more than 600 RUB a lead: the employment modifier cannot lift the
    // price above it, it only records that employed leads are the ones the retailer wants.
    maxBid: 60000,
    modifiers: [{ attribute: 'employment', in: ['employed', 'self_employed'], add: 5000 }],
    quantity: 50,
    budget: 50 * 60000,
    exclusivity: 'any',
    delivery: 'pull',
  };
}

const CONTACT_REQUIREMENTS: readonly Weighted<RequiredContact[] | undefined>[] = [
  [['phone', 'email'], 35],
  [['phone'], 35],
  [['email'], 12],
  [undefined, 18],
];
const EMPLOYMENT_SETS: readonly Weighted<Employment[]>[] = [
  [['employed', 'self_employed'], 55],
  [['employed'], 30],
  [['retired'], 8],
  [['student'], 7],
];
const MARITAL_SETS: readonly Weighted<MaritalStatus[]>[] = [
  [['married', 'partnered'], 60],
  [['single'], 25],
  [['married'], 15],
];
const MAX_LEAD_AGES: readonly Weighted<number>[] = [
  [5, 10],
  [15, 15],
  [60, 25],
  [240, 20],
  [1440, 20],
  [10080, 10],
];
const QUANTITIES: readonly Weighted<number>[] = [
  [10, 10],
  [20, 12],
  [25, 10],
  [50, 20],
  [100, 20],
  [200, 12],
  [500, 10],
  [1000, 6],
];
const EXCLUSIVITY: readonly Weighted<OrderSpec['exclusivity']>[] = [
  ['exclusive_only', 25],
  ['shared_ok', 45],
  ['any', 30],
];

export function generateOrderSpecs(options: OrderSpecsOptions): OrderSpec[] {
  if (!Number.isSafeInteger(options.count) || options.count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${options.count}`);
  }
  const rng = new SeededRandom(`orders/${options.seed}`);
  const country = COUNTRY_OF[options.currency];
  const regionPool: readonly Weighted<string>[] = (
    options.regions ?? REGIONS_BY_COUNTRY[country].map((region) => region.code)
  ).map((code) => [code, findRegion(code)?.weight ?? 1] as const);
  if (regionPool.length === 0) throw new RangeError('regions must not be empty');
  return Array.from({ length: options.count }, () => drawOrder(rng, options, country, regionPool));
}

function drawOrder(
  rng: SeededRandom,
  { vertical, currency }: OrderSpecsOptions,
  country: Country,
  regionPool: readonly Weighted<string>[],
): OrderSpec {
  const filters = drawFilters(rng, vertical, country, regionPool);
  const exclusivity = rng.weighted(EXCLUSIVITY);
  const step = PRICE_STEP[currency];
  const roundToStep = (amount: number) => Math.max(step, Math.round(amount / step) * step);
  const bid = drawBid(rng, currency, vertical, filters, exclusivity);
  const modifiers = drawModifiers(rng, vertical, country, filters, bid, roundToStep);
  const quantity = rng.weighted(QUANTITIES);
  // Scenario 4: a buyer who wants leads within minutes has them pushed to its webhook.
  const wantsFreshLeads = filters.maxLeadAgeMinutes !== undefined && filters.maxLeadAgeMinutes <= 15;
  const order: OrderSpec = {
    vertical,
    currency,
    filters,
    bid,
    modifiers,
    quantity,
    // A buyer often funds only part of the order and tops it up later.
    budget: rng.chance(0.25)
      ? Math.max(bid, roundToStep(quantity * bid * (0.5 + 0.4 * rng.next())))
      : quantity * bid,
    exclusivity,
    delivery: rng.chance(wantsFreshLeads ? 0.9 : 0.6) ? 'webhook' : 'pull',
  };
  if (modifiers.length > 0 && rng.chance(0.5)) {
    const allModifiers = modifiers.reduce((sum, modifier) => sum + modifier.add, 0);
    order.maxBid = bid + allModifiers - (rng.chance(0.5) ? 0 : Math.min(allModifiers, step));
  }
  if (rng.chance(0.25)) order.dailyCapCount = Math.max(1, Math.round(quantity / rng.pick([2, 5, 10])));
  if (rng.chance(0.15)) order.dailyCapSpend = Math.max(bid, roundToStep(order.budget / rng.int(3, 10)));
  return order;
}

function drawFilters(
  rng: SeededRandom,
  vertical: Vertical,
  country: Country,
  regionPool: readonly Weighted<string>[],
): OrderFilters {
  const filters: OrderFilters = {};
  if (rng.chance(0.55)) filters.ageMin = rng.pick([21, 25, 30, 35, 40, 45, 50]);
  if (rng.chance(0.3)) {
    filters.ageMax = rng.pick([35, 45, 55, 60, 65, 70].filter((age) => age >= (filters.ageMin ?? 18) + 10));
  }
  if (rng.chance(0.12)) filters.genders = [rng.pick(['female', 'male'] as const)];
  if (rng.chance(0.35)) filters.countries = [country];
  if (rng.chance(0.7)) filters.regions = drawDistinct(rng, regionPool, rng.weighted(REGION_COUNTS));
  else if (rng.chance(0.08)) filters.postalPrefixes = drawPostalPrefixes(rng, regionPool);
  const contacts = rng.weighted(CONTACT_REQUIREMENTS);
  if (contacts) filters.requiredContacts = contacts.slice();
  // Drawn whatever the contacts, so the random stream (and every seed's market) stays the same;
  // verification only means something for contacts the order requires.
  const verified = rng.chance(0.3);
  if (verified && filters.requiredContacts) filters.requireVerified = true;
  if (rng.chance(0.25)) filters.employment = rng.weighted(EMPLOYMENT_SETS).slice();
  if (rng.chance(0.15)) filters.maritalStatus = rng.weighted(MARITAL_SETS).slice();
  const interests = INTERESTS_BY_VERTICAL[vertical].map((interest) => interest.code);
  if (rng.chance(0.6)) filters.interestsAny = rng.sample(interests, rng.int(1, 3));
  else if (rng.chance(0.1)) filters.interestsAll = rng.sample(interests, 2);
  if (rng.chance(0.3)) filters.stages = rng.pick([['MQL', 'SQL'], ['SQL']] as LeadStage[][]).slice();
  if (rng.chance(0.1)) filters.sourceChannels = rng.sample(SOURCE_CHANNELS, rng.int(2, 4));
  if (rng.chance(0.45)) filters.maxLeadAgeMinutes = rng.weighted(MAX_LEAD_AGES);
  if (rng.chance(0.4)) filters.minQuality = rng.pick([40, 50, 60, 70, 80]);
  return filters;
}

const REGION_COUNTS: readonly Weighted<number>[] = [
  [1, 40],
  [2, 30],
  [3, 18],
  [4, 12],
];

function drawDistinct(rng: SeededRandom, pool: readonly Weighted<string>[], count: number): string[] {
  const chosen: string[] = [];
  for (let attempt = 0; chosen.length < Math.min(count, pool.length) && attempt < 50; attempt++) {
    const code = rng.weighted(pool);
    if (!chosen.includes(code)) chosen.push(code);
  }
  return chosen;
}

/** Prefixes inside one region's postal range: 3 digits in Russia, 2 or 3 in Spain. */
function drawPostalPrefixes(rng: SeededRandom, pool: readonly Weighted<string>[]): string[] | undefined {
  const region = findRegion(rng.weighted(pool));
  if (!region) return undefined;
  const [from, to] = region.postalPrefixes[0]!;
  const prefixes = new Set<string>();
  for (let i = rng.int(1, 3); i > 0; i--) {
    const prefix = rng.int(from, to);
    prefixes.add(
      region.country === 'RU'
        ? String(prefix)
        : String(prefix).padStart(2, '0') + (rng.chance(0.5) ? rng.int(0, 9) : ''),
    );
  }
  return [...prefixes];
}

function drawBid(
  rng: SeededRandom,
  currency: Currency,
  vertical: Vertical,
  filters: OrderFilters,
  exclusivity: OrderSpec['exclusivity'],
): number {
  const [low, high] = PRICE_BANDS[currency][vertical];
  // Most buyers bid near the bottom of the band; few pay the top.
  let price = low + (high - low) * rng.next() ** 1.6;
  if (filters.requiredContacts?.length === 2) price *= 1.15;
  if (filters.maxLeadAgeMinutes !== undefined && filters.maxLeadAgeMinutes <= 15) price *= 1.2;
  if ((filters.minQuality ?? 0) >= 70) price *= 1.1;
  if (exclusivity === 'exclusive_only') price *= 1.3;
  if (exclusivity === 'shared_ok') price *= 0.9;
  const step = PRICE_STEP[currency];
  // The band's ends are whole steps, so rounding a clamped price stays inside the band.
  return Math.round(Math.min(high * 100, Math.max(low * 100, price * 100)) / step) * step;
}

function drawModifiers(
  rng: SeededRandom,
  vertical: Vertical,
  country: Country,
  filters: OrderFilters,
  bid: number,
  roundToStep: (amount: number) => number,
): BidModifier[] {
  if (!rng.chance(0.4)) return [];
  // A modifier on an attribute the filters already pin down would never make a difference.
  const candidates: Omit<BidModifier, 'add'>[] = [];
  if (!filters.employment) candidates.push({ attribute: 'employment', in: ['employed', 'self_employed'] });
  if (!filters.stages) candidates.push({ attribute: 'stage', in: ['SQL'] });
  if (!filters.sourceChannels) candidates.push({ attribute: 'sourceChannel', in: ['search', 'referral'] });
  if (!filters.maritalStatus) candidates.push({ attribute: 'maritalStatus', in: ['married', 'partnered'] });
  if (!filters.regions) candidates.push({ attribute: 'region', in: CAPITALS[country].slice() });
  const premium = INTERESTS_BY_VERTICAL[vertical].filter((interest) => interest.tier === 'premium');
  if (premium.length > 0)
    candidates.push({ attribute: 'interests', in: premium.map((interest) => interest.code) });
  return rng
    .sample(candidates, rng.int(1, 2))
    .map((candidate) => ({ ...candidate, add: roundToStep(bid * rng.pick([0.05, 0.08, 0.1, 0.15])) }));
}
