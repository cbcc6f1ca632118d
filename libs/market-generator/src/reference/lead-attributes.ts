import { EMPLOYMENT_STATUSES, LEAD_STAGES, MARITAL_STATUSES } from '#lx/contracts';
import type { Weighted } from '../seeded-random.js';

export const COUNTRIES = ['RU', 'ES'] as const;
export type Country = (typeof COUNTRIES)[number];

export const GENDERS = ['female', 'male', 'other'] as const;
export type Gender = (typeof GENDERS)[number];

// The upload accepts the catalogue's own vocabularies for these columns (gender alone has the
// upload's wording above, which verification maps onto the catalogue's).
export { EMPLOYMENT_STATUSES, LEAD_STAGES, MARITAL_STATUSES } from '#lx/contracts';
export type Employment = (typeof EMPLOYMENT_STATUSES)[number];
export type MaritalStatus = (typeof MARITAL_STATUSES)[number];
export type LeadStage = (typeof LEAD_STAGES)[number];

export const SOURCE_CHANNELS = ['search', 'social', 'display', 'affiliate', 'email', 'referral'] as const;
export type SourceChannel = (typeof SOURCE_CHANNELS)[number];

export const VERTICALS = ['eyewear', 'insurance', 'loans', 'real_estate', 'education'] as const;
export type Vertical = (typeof VERTICALS)[number];

/**
 * `tier` lets the generator correlate interests with the person (employed people over 30 ask
 * for premium frames more often, students for budget ones), so that a filter such as
 * scenario 1's finds a plausible, not uniform, share of the market.
 */
export interface Interest {
  code: string;
  weight: number;
  tier?: 'premium' | 'budget';
}

export const INTERESTS_BY_VERTICAL: Readonly<Record<Vertical, readonly Interest[]>> = {
  eyewear: [
    { code: 'premium_glasses', weight: 18, tier: 'premium' },
    { code: 'luxury_glasses', weight: 8, tier: 'premium' },
    { code: 'sunglasses', weight: 24 },
    { code: 'contact_lenses', weight: 26 },
    { code: 'budget_glasses', weight: 24, tier: 'budget' },
  ],
  insurance: [
    { code: 'car_insurance', weight: 34 },
    { code: 'health_insurance', weight: 22, tier: 'premium' },
    { code: 'life_insurance', weight: 12, tier: 'premium' },
    { code: 'home_insurance', weight: 14 },
    { code: 'travel_insurance', weight: 14 },
    { code: 'pet_insurance', weight: 4 },
  ],
  loans: [
    { code: 'personal_loan', weight: 30 },
    { code: 'credit_card', weight: 24 },
    { code: 'car_loan', weight: 14 },
    { code: 'mortgage', weight: 12, tier: 'premium' },
    { code: 'debt_consolidation', weight: 8 },
    { code: 'microloan', weight: 12, tier: 'budget' },
  ],
  real_estate: [
    { code: 'buy_apartment', weight: 30 },
    { code: 'new_build', weight: 22, tier: 'premium' },
    { code: 'rent_apartment', weight: 26, tier: 'budget' },
    { code: 'country_house', weight: 10, tier: 'premium' },
    { code: 'sell_property', weight: 8 },
    { code: 'commercial_property', weight: 4, tier: 'premium' },
  ],
  education: [
    { code: 'language_courses', weight: 30 },
    { code: 'it_courses', weight: 28 },
    { code: 'exam_prep', weight: 16, tier: 'budget' },
    { code: 'kids_education', weight: 16 },
    { code: 'mba', weight: 10, tier: 'premium' },
  ],
};

export const GENDER_WEIGHTS: readonly Weighted<Gender>[] = [
  ['female', 52],
  ['male', 47],
  ['other', 1],
];

/** Age bands of people who leave their details online; lead forms are rare above 75. */
export const AGE_BANDS: readonly Weighted<readonly [number, number]>[] = [
  [[18, 24], 12],
  [[25, 34], 26],
  [[35, 44], 24],
  [[45, 54], 18],
  [[55, 64], 13],
  [[65, 79], 7],
];

export function employmentWeights(age: number): readonly Weighted<Employment>[] {
  if (age < 23) return EMPLOYMENT_YOUNG;
  if (age >= 63) return EMPLOYMENT_SENIOR;
  return EMPLOYMENT_WORKING_AGE;
}
const EMPLOYMENT_YOUNG: readonly Weighted<Employment>[] = [
  ['student', 55],
  ['employed', 33],
  ['self_employed', 4],
  ['unemployed', 8],
];
const EMPLOYMENT_WORKING_AGE: readonly Weighted<Employment>[] = [
  ['employed', 68],
  ['self_employed', 14],
  ['unemployed', 7],
  ['student', 2],
  ['retired', 9],
];
const EMPLOYMENT_SENIOR: readonly Weighted<Employment>[] = [
  ['retired', 70],
  ['employed', 20],
  ['self_employed', 6],
  ['unemployed', 4],
];

export function maritalWeights(age: number): readonly Weighted<MaritalStatus>[] {
  if (age < 26) return MARITAL_YOUNG;
  if (age >= 65) return MARITAL_SENIOR;
  return MARITAL_ADULT;
}
const MARITAL_YOUNG: readonly Weighted<MaritalStatus>[] = [
  ['single', 62],
  ['partnered', 24],
  ['married', 13],
  ['divorced', 1],
];
const MARITAL_ADULT: readonly Weighted<MaritalStatus>[] = [
  ['married', 50],
  ['single', 20],
  ['partnered', 14],
  ['divorced', 14],
  ['widowed', 2],
];
const MARITAL_SENIOR: readonly Weighted<MaritalStatus>[] = [
  ['married', 48],
  ['widowed', 28],
  ['divorced', 14],
  ['single', 6],
  ['partnered', 4],
];

export const STAGE_WEIGHTS: readonly Weighted<LeadStage>[] = [
  ['IQL', 58],
  ['MQL', 30],
  ['SQL', 12],
];

export const SOURCE_CHANNEL_WEIGHTS: readonly Weighted<SourceChannel>[] = [
  ['search', 30],
  ['social', 28],
  ['affiliate', 16],
  ['display', 11],
  ['email', 8],
  ['referral', 7],
];
