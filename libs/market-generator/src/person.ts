import type { ContactSpace } from './contact-space.js';
import {
  AGE_BANDS,
  EMAIL_DOMAINS,
  GENDER_WEIGHTS,
  INTERESTS_BY_VERTICAL,
  POSTAL_CODE_FORMATS,
  REGIONS_BY_COUNTRY,
  RUSSIAN_FIRST_NAMES,
  RUSSIAN_STREETS,
  RUSSIAN_SURNAMES,
  SPANISH_FIRST_NAMES,
  SPANISH_STREETS,
  SPANISH_SURNAMES,
  employmentWeights,
  maritalWeights,
  russianSurname,
  type Country,
  type Employment,
  type Gender,
  type MaritalStatus,
  type PersonName,
  type Region,
  type Vertical,
} from './reference-data.js';
import type { SeededRandom, Weighted } from './seeded-random.js';
import { ageOn, isoDate } from './time-format.js';

/** Someone who filled in a lead form: everything a row can say about them, before formatting. */
export interface Person {
  country: Country;
  region: Region;
  gender: Gender;
  firstName: PersonName;
  /** One Russian surname, or a Spaniard's two (father's, mother's). */
  surnames: PersonName[];
  age: number;
  dateOfBirth: string;
  postalCode: string;
  address: string;
  employment: Employment;
  maritalStatus: MaritalStatus;
  interests: string[];
  /** National significant number, without country code. */
  mobileNumber: string;
  email: string;
}

const REGION_WEIGHTS: Readonly<Record<Country, readonly Weighted<Region>[]>> = {
  RU: REGIONS_BY_COUNTRY.RU.map((region) => [region, region.weight] as const),
  ES: REGIONS_BY_COUNTRY.ES.map((region) => [region, region.weight] as const),
};

export function drawPerson(
  rng: SeededRandom,
  contacts: ContactSpace,
  country: Country,
  vertical: Vertical,
  capturedAt: Date,
): Person {
  const region = rng.weighted(REGION_WEIGHTS[country]);
  const gender = rng.weighted(GENDER_WEIGHTS);
  const { firstName, surnames } = drawName(rng, country, gender);
  const [youngest, oldest] = rng.weighted(AGE_BANDS);
  const age = rng.int(youngest, oldest);
  const employment = rng.weighted(employmentWeights(age));
  const personIndex = contacts.nextPersonIndex();
  return {
    country,
    region,
    gender,
    firstName,
    surnames,
    age,
    dateOfBirth: drawDateOfBirth(rng, capturedAt, age),
    postalCode: drawPostalCode(rng, region),
    address: drawAddress(rng, region),
    employment,
    maritalStatus: rng.weighted(maritalWeights(age)),
    interests: drawInterests(rng, vertical, affluence(age, employment)),
    mobileNumber: contacts.mobileNumber(country, personIndex),
    email: drawEmail(rng, contacts, { firstName, surnames }, rng.weighted(EMAIL_DOMAINS[country])),
  };
}

function drawName(rng: SeededRandom, country: Country, gender: Gender) {
  const feminine = gender === 'female' || (gender === 'other' && rng.chance(0.5));
  if (country === 'RU') {
    const firstName = rng.pick(feminine ? RUSSIAN_FIRST_NAMES.female : RUSSIAN_FIRST_NAMES.male);
    return { firstName, surnames: [russianSurname(rng.pick(RUSSIAN_SURNAMES), feminine)] };
  }
  const firstName = rng.pick(feminine ? SPANISH_FIRST_NAMES.female : SPANISH_FIRST_NAMES.male);
  return { firstName, surnames: [rng.pick(SPANISH_SURNAMES), rng.pick(SPANISH_SURNAMES)] };
}

/** A birth date giving exactly `age` whole years on the capture date. */
export function drawDateOfBirth(rng: SeededRandom, capturedAt: Date, age: number): string {
  const year = capturedAt.getUTCFullYear() - age;
  // Anchoring on 28 Feb when the capture falls on 29 Feb keeps the anniversary in a common year.
  const day = capturedAt.getUTCMonth() === 1 && capturedAt.getUTCDate() === 29 ? 28 : capturedAt.getUTCDate();
  const latestBirthday = Date.UTC(year, capturedAt.getUTCMonth(), day);
  const dateOfBirth = isoDate(new Date(latestBirthday - rng.int(0, 364) * 86_400_000));
  if (ageOn(dateOfBirth, capturedAt) !== age)
    throw new Error(`date of birth ${dateOfBirth} is not age ${age}`);
  return dateOfBirth;
}

function drawPostalCode(rng: SeededRandom, region: Region): string {
  const format = POSTAL_CODE_FORMATS[region.country];
  const [from, to] = rng.pick(region.postalPrefixes);
  const prefix = String(rng.int(from, to)).padStart(format.prefixDigits, '0');
  const restDigits = format.length - format.prefixDigits;
  return prefix + String(rng.int(1, 10 ** restDigits - 1)).padStart(restDigits, '0');
}

function drawAddress(rng: SeededRandom, region: Region): string {
  const city = rng.pick(region.cities);
  if (region.country === 'RU') {
    const building = `д. ${rng.int(1, 150)}${rng.chance(0.15) ? ` к. ${rng.int(1, 5)}` : ''}`;
    const flat = rng.chance(0.85) ? `, кв. ${rng.int(1, 350)}` : '';
    return `г. ${city}, ${rng.pick(RUSSIAN_STREETS)}, ${building}${flat}`;
  }
  const number = rng.int(1, 180);
  const floor = rng.chance(0.15)
    ? ''
    : rng.chance(0.2)
      ? ', bajo'
      : `, ${rng.int(1, 12)}º ${rng.pick(DOORS)}`;
  return `${rng.pick(SPANISH_STREETS)}, ${number}${floor}, ${city}`;
}
const DOORS = ['A', 'B', 'C', 'D', 'izda.', 'dcha.'];

type Affluence = 'affluent' | 'neutral' | 'constrained';

function affluence(age: number, employment: Employment): Affluence {
  if (age >= 30 && (employment === 'employed' || employment === 'self_employed')) return 'affluent';
  if (employment === 'student' || employment === 'unemployed') return 'constrained';
  return 'neutral';
}

const TIER_BOOST: Readonly<Record<Affluence, { premium: number; budget: number }>> = {
  affluent: { premium: 2.2, budget: 0.5 },
  neutral: { premium: 1, budget: 1 },
  constrained: { premium: 0.3, budget: 2.2 },
};

const interestWeightsCache = new Map<string, readonly Weighted<string>[]>();

function interestWeights(vertical: Vertical, level: Affluence): readonly Weighted<string>[] {
  const key = `${vertical}/${level}`;
  let weights = interestWeightsCache.get(key);
  if (!weights) {
    const boost = TIER_BOOST[level];
    weights = INTERESTS_BY_VERTICAL[vertical].map(
      ({ code, weight, tier }) => [code, tier ? weight * boost[tier] : weight] as const,
    );
    interestWeightsCache.set(key, weights);
  }
  return weights;
}

const INTEREST_COUNTS: readonly Weighted<number>[] = [
  [1, 55],
  [2, 33],
  [3, 12],
];

function drawInterests(rng: SeededRandom, vertical: Vertical, level: Affluence): string[] {
  const weights = interestWeights(vertical, level);
  const wanted = rng.weighted(INTEREST_COUNTS);
  const interests: string[] = [];
  for (let attempt = 0; interests.length < wanted && attempt < 8; attempt++) {
    const interest = rng.weighted(weights);
    if (!interests.includes(interest)) interests.push(interest);
  }
  return interests;
}

const EMAIL_PATTERNS: readonly Weighted<(first: string, last: string) => string>[] = [
  [(first, last) => `${first}.${last}`, 35],
  [(first, last) => `${last}.${first}`, 15],
  [(first, last) => `${first}${last}`, 15],
  [(first, last) => `${first}_${last}`, 10],
  [(first, last) => `${first[0]}.${last}`, 10],
  [(first, last) => `${last}${first[0]}`, 10],
  [(_first, last) => last, 5],
];

/** A fresh address for the person at `domain` (their own provider, or a disposable one). */
export function drawEmail(
  rng: SeededRandom,
  contacts: ContactSpace,
  person: Pick<Person, 'firstName' | 'surnames'>,
  domain: string,
): string {
  const [paternal, maternal] = person.surnames;
  // Spaniards mostly put only the first surname in their address.
  const last = maternal && rng.chance(0.25) ? paternal!.latin + maternal.latin : paternal!.latin;
  const base = rng.weighted(EMAIL_PATTERNS)(person.firstName.latin, last) + rng.pick(EMAIL_TAG_SEPARATORS);
  return `${contacts.emailLocalPart(base)}@${domain}`;
}
const EMAIL_TAG_SEPARATORS = ['', '', '', '.', '_'];
