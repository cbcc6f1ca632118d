import { factsOf, type ListedLead, type OrderFilters } from './market-model.js';

/**
 * The attributes both indexes are keyed on. For each, an order either does not constrain it
 * (`orderValues` → undefined) or accepts a set of keys; a lead has one or more keys. An order can
 * match a lead on this attribute only if they share a key. Ranges (age, quality) are expanded
 * into their integer keys: a small, bounded domain. Lead age, interestsAll, seller quality and
 * excluded sellers are left to the exact check.
 */
export interface AttributeDimension {
  readonly name: string;
  orderValues(filters: OrderFilters, exclusivity: string): readonly string[] | undefined;
  leadValues(lead: ListedLead): readonly string[];
  /** For an attribute of which a lead always has exactly one key: that key (`leadValues` without an array). */
  readonly leadKey?: (lead: ListedLead) => string;
}

/** An attribute of which every lead has exactly one key. */
function single(
  name: string,
  orderValues: AttributeDimension['orderValues'],
  leadKey: (lead: ListedLead) => string,
): AttributeDimension {
  return { name, orderValues, leadValues: (lead) => [leadKey(lead)], leadKey };
}

const NONE = '∅';

const AGE_MIN = 18;
const AGE_MAX = 120;
const ageKeys: readonly string[] = Array.from({ length: AGE_MAX + 1 }, (_, age) => String(age));
const qualityKeys: readonly string[] = Array.from({ length: 101 }, (_, score) => String(score));

/** `requiredContacts` as one key ("email+phone!" = both present and verified). */
function contactKey(kinds: readonly string[], verified: boolean): string {
  return [...kinds].sort().join('+') + (verified ? '!' : '');
}

function contactKeysFor(
  phone: { present: boolean; verified: boolean },
  email: { present: boolean; verified: boolean },
): readonly string[] {
  const keys: string[] = [];
  for (const verified of [false, true]) {
    const has = (contact: { present: boolean; verified: boolean }) =>
      verified ? contact.verified : contact.present;
    if (has(email)) keys.push(contactKey(['email'], verified));
    if (has(phone)) keys.push(contactKey(['phone'], verified));
    if (has(email) && has(phone)) keys.push(contactKey(['email', 'phone'], verified));
  }
  return keys.length > 0 ? keys : [NONE];
}

/** The keys of every (phone, e-mail) combination, computed once: index = phone bits * 4 + e-mail bits. */
const CONTACT_KEYS: readonly (readonly string[])[] = Array.from({ length: 16 }, (_, code) =>
  contactKeysFor(
    { present: (code & 8) !== 0, verified: (code & 4) !== 0 },
    { present: (code & 2) !== 0, verified: (code & 1) !== 0 },
  ),
);

function contactKeysOf(lead: ListedLead): readonly string[] {
  const f = factsOf(lead);
  return CONTACT_KEYS[
    (f.phonePresent ? 8 : 0) |
      (f.phoneVerified ? 4 : 0) |
      (f.emailPresent ? 2 : 0) |
      (f.emailVerified ? 1 : 0)
  ]!;
}

function prefixesOf(postal: string | null): readonly string[] {
  if (postal === null) return [NONE];
  return Array.from({ length: postal.length }, (_, i) => postal.slice(0, i + 1));
}

export const ATTRIBUTE_DIMENSIONS: readonly AttributeDimension[] = [
  single(
    'exclusivity',
    (_, exclusivity) =>
      exclusivity === 'any' ? undefined : [exclusivity === 'exclusive_only' ? 'exclusive' : 'shared'],
    (lead) => (lead.exclusive ? 'exclusive' : 'shared'),
  ),
  single(
    'country',
    (f) => f.countries,
    (l) => factsOf(l).country,
  ),
  single(
    'region',
    (f) => f.regions,
    (l) => factsOf(l).region ?? NONE,
  ),
  {
    name: 'contacts',
    orderValues: (f) =>
      f.requiredContacts ? [contactKey(f.requiredContacts, f.requireVerified === true)] : undefined,
    leadValues: contactKeysOf,
  },
  single(
    'gender',
    (f) => f.genders,
    (l) => factsOf(l).gender ?? NONE,
  ),
  single(
    'employment',
    (f) => f.employment,
    (l) => factsOf(l).employment ?? NONE,
  ),
  single(
    'maritalStatus',
    (f) => f.maritalStatus,
    (l) => factsOf(l).maritalStatus ?? NONE,
  ),
  single(
    'stage',
    (f) => f.stages,
    (l) => factsOf(l).stage,
  ),
  single(
    'sourceChannel',
    (f) => f.sourceChannels,
    (l) => factsOf(l).sourceChannel,
  ),
  {
    name: 'interestsAny',
    orderValues: (f) => f.interestsAny,
    leadValues: (l) => {
      const interests = factsOf(l).interests;
      return interests.length > 0 ? interests : [NONE];
    },
  },
  {
    name: 'postalPrefix',
    orderValues: (f) => f.postalPrefixes,
    leadValues: (l) => prefixesOf(factsOf(l).postalPrefix),
  },
  single(
    'age',
    (f) =>
      f.ageMin === undefined && f.ageMax === undefined
        ? undefined
        : ageKeys.slice(Math.max(AGE_MIN, f.ageMin ?? AGE_MIN), (f.ageMax ?? AGE_MAX) + 1),
    (l) => {
      const age = factsOf(l).age;
      return ageKeys[age] ?? String(age);
    },
  ),
  single(
    'quality',
    (f) => (f.minQuality === undefined ? undefined : qualityKeys.slice(f.minQuality)),
    (l) => qualityKeys[l.quality] ?? String(l.quality),
  ),
  single(
    'seller',
    (f) => f.sellersIncluded,
    (l) => l.sellerId,
  ),
];
