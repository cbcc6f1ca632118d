import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { z } from 'zod';
import {
  BidModifier,
  checkOrderTerms,
  CONTACT_KINDS,
  DeliverySchedule,
  DELIVERY_METHODS,
  EMPLOYMENT_STATUSES,
  GENDERS,
  LEAD_STAGES,
  MARITAL_STATUSES,
  MODIFIER_ATTRIBUTES,
  ORDER_EXCLUSIVITIES,
  OrderExclusivity,
  OrderFilters,
  orderTermsShape,
  PositiveMinorUnits,
  SourceFilter,
  sourceFilterKey,
  Vertical,
  WEEKDAYS,
} from '#lx/contracts';
import { createValidationPipe } from '#lx/http';
import {
  BidModifierDto,
  OrderFiltersDto,
  OrderTermsRequest,
  PlaceOrderRequest,
  PreviewOrderRequest,
  SourceFilterDto,
} from './order-terms.dtos.js';
import { isKnownCountry, isKnownRegion } from './validators.js';

/*
 * The order-terms DTOs are the HTTP mirror of the catalogue's schemas: they name each field's
 * error, then catalogue-check.ts parses the same body with the catalogue's schema. This proves,
 * field by field over generated values (every vocabulary member, values just outside every bound,
 * wrong types), that the two agree:
 *
 * - the DTO never refuses what the catalogue accepts, except that it also requires a country or
 *   region code to exist (the catalogue checks only its form);
 * - the DTO lets through only what the catalogue accepts, except the classes of values listed
 *   below as the catalogue's alone (null, integers beyond 2^53, other ISO 8601 forms, a modifier's
 *   values) — and each of those the catalogue refuses, so the API as a whole refuses them too.
 */

const pipe = createValidationPipe();

/** The verdict of the app's own validation pipe, as it runs on a request body. */
async function dtoAccepts(metatype: new () => object, body: unknown): Promise<boolean> {
  try {
    await pipe.transform(body, { type: 'body', metatype, data: undefined });
    return true;
  } catch {
    return false;
  }
}

const OrderTermsSchema = z.strictObject(orderTermsShape).superRefine(checkOrderTerms);
// A preview is checked by its DTO and its filters by the catalogue; its other fields stand for
// catalogue types all the same, so they are compared with those.
const PreviewSchema = z.strictObject({
  vertical: Vertical,
  filters: OrderFilters,
  bid: PositiveMinorUnits.optional(),
  exclusivity: OrderExclusivity.optional(),
});
// An order placed: its vertical names its market stream, its terms are OrderPlaced's.
const PlaceOrderSchema = z
  .strictObject({ vertical: Vertical, ...orderTermsShape })
  .superRefine(checkOrderTerms);

/** Values every DTO field leaves to the catalogue, which refuses them. */
const isNull = (value: unknown) => value === null;
const isUnsafeInteger = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value);
const leftToCatalogue = (value: unknown) => isNull(value) || isUnsafeInteger(value);

interface FieldCase {
  field: string;
  /** Checked every run: vocabulary members, bounds and just beyond them. */
  edges: unknown[];
  values: fc.Arbitrary<unknown>;
  /** What the DTO requires beyond the catalogue. */
  dtoAlsoRequires?: (value: unknown) => boolean;
  /** What this field leaves to the catalogue beyond `leftToCatalogue`. */
  catalogueAlone?: (value: unknown) => boolean;
}

interface Subject {
  name: string;
  dto: new () => object;
  schema: z.ZodType;
  /** The rest of a valid body, so that each field is judged on its own. */
  base: Record<string, unknown>;
  cases: FieldCase[];
}

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.string({ maxLength: 12 }),
  fc.double(),
  fc.integer(),
  fc.constant({}),
  fc.constant([]),
);

const integerCase = (field: string, min: number, max?: number): FieldCase => {
  const bounds = [min - 1, min, min + 1, ...(max === undefined ? [] : [max - 1, max, max + 1])];
  const edges = [
    ...bounds,
    min + 0.5,
    String(min),
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER - 2,
    1e300,
    true,
    null,
    [],
    {},
  ];
  const near = fc.integer({ min: min - 5, max: (max ?? min + 1000) + 5 });
  return { field, edges, values: fc.oneof(near, fc.constantFrom(...bounds), junk) };
};

/** `n` distinct values made by `make`, to reach just past a set's size limit. */
const distinct = (n: number, make: (index: number) => string) => Array.from({ length: n }, (_, i) => make(i));

const setCase = (
  field: string,
  members: readonly string[],
  outsiders: string[],
  max: number,
  make: (index: number) => string,
  extra: Partial<FieldCase> = {},
): FieldCase => {
  const item = fc.oneof(
    fc.constantFrom(...members),
    fc.constantFrom(...outsiders),
    fc.string({ maxLength: 8 }),
  );
  return {
    field,
    edges: [
      ...members.map((member) => [member]),
      [...members],
      ...outsiders.map((outsider) => [outsider]),
      [],
      [members[0], members[0]],
      distinct(max, make),
      distinct(max + 1, make),
      members[0],
      [1],
      [null],
      null,
      {},
    ],
    values: fc.oneof(fc.array(item, { maxLength: 6 }), fc.uniqueArray(item, { maxLength: 6 }), junk),
    ...extra,
  };
};

const enumSetCase = (field: string, vocabulary: readonly string[]) =>
  setCase(
    field,
    vocabulary,
    vocabulary
      .flatMap((member) => [member.toUpperCase(), `${member} `, member.slice(1)])
      .concat(['', 'other']),
    500,
    (i) => vocabulary[i % vocabulary.length]!,
  );

const slug = (i: number) => `code_${i}`;
const SLUGS = ['a', 'premium_glasses', 'x'.repeat(64), 'a9_b'];
const NOT_SLUGS = ['A', '9a', '_a', 'a-b', 'a'.repeat(65), '', 'é'];

const TAGS = ['google', 'G', 'aff-17', 'brand_2026.q1', 'x'.repeat(64)];
const NOT_TAGS = ['', '-g', '.g', 'a b', 'a/b', 'a|b', '*', 'x'.repeat(65), 'é'];
const tag = fc.oneof(fc.constantFrom(...TAGS, ...NOT_TAGS), fc.string({ maxLength: 6 }));
const sourceEntry = fc.record(
  { sellerId: fc.constantFrom('seller-1', 'a b', ''), source: tag, subSource: tag },
  { requiredKeys: ['source'] },
);

/** A set of source entries: the DTO checks each entry, the catalogue alone that none repeats. */
const sourceSetCase = (field: string): FieldCase => ({
  field,
  edges: [
    [{ source: 'google' }],
    [{ sellerId: 'seller-1', source: 'google', subSource: 'brand' }, { source: 'google' }],
    [],
    [{ source: '' }],
    [{ source: 'google' }, { source: 'google' }],
    Array.from({ length: 100 }, (_, i) => ({ source: `s${i}` })),
    Array.from({ length: 101 }, (_, i) => ({ source: `s${i}` })),
    [{}],
    [{ subSource: 'brand' }],
    [{ source: 'google', extra: 1 }],
    [{ source: 1 }],
    ['google'],
    [null],
    null,
    {},
    'google',
  ],
  values: fc.oneof(fc.array(sourceEntry, { maxLength: 4 }), junk),
  catalogueAlone: (value) =>
    Array.isArray(value) &&
    value.every((entry) => SourceFilter.safeParse(entry).success) &&
    new Set(value.map((entry) => sourceFilterKey(entry as { source: string }))).size < value.length,
});

const tagCase = (field: string): FieldCase => ({
  field,
  edges: [...TAGS, ...NOT_TAGS, null, 1, ['google']],
  values: fc.oneof(tag, junk),
});

const filterCases: FieldCase[] = [
  integerCase('ageMin', 18, 120),
  integerCase('ageMax', 18, 120),
  enumSetCase('genders', GENDERS),
  setCase('countries', ['RU', 'ES', 'US', 'DE'], ['ZZ', 'XX', 'ru', 'RUS', 'R', ''], 500, (i) => code2(i), {
    dtoAlsoRequires: (value) => Array.isArray(value) && value.every(isKnownCountry),
  }),
  setCase(
    'regions',
    ['RU-MOW', 'RU-SPE', 'ES-M', 'US-CA'],
    ['RU-ZZZ', 'ZZ-1', 'ru-mow', 'RU-MOWW', 'RUMOW', 'RU-', ''],
    500,
    (i) => `ZZ-${code2(i)}`,
    { dtoAlsoRequires: (value) => Array.isArray(value) && value.every(isKnownRegion) },
  ),
  setCase(
    'postalPrefixes',
    ['28', 'SW1A', '1010', 'A'.repeat(10)],
    ['sw1a', 'SW 1A', 'A'.repeat(11), '', '28-'],
    500,
    (i) => `P${i}`,
  ),
  enumSetCase('requiredContacts', CONTACT_KINDS),
  {
    field: 'requireVerified',
    edges: [true, false, 'true', 0, 1, null],
    values: fc.oneof(fc.boolean(), junk),
  },
  enumSetCase('employment', EMPLOYMENT_STATUSES),
  enumSetCase('maritalStatus', MARITAL_STATUSES),
  setCase('interestsAny', SLUGS, NOT_SLUGS, 50, slug),
  setCase('interestsAll', SLUGS, NOT_SLUGS, 50, slug),
  enumSetCase('stages', LEAD_STAGES),
  setCase('sourceChannels', SLUGS, NOT_SLUGS, 500, slug),
  integerCase('maxLeadAgeMinutes', 1),
  integerCase('minQuality', 0, 100),
  integerCase('minSellerQuality', 0, 100),
  setCase(
    'sellersIncluded',
    ['seller-1', 'a', 'A.b:c_d-e', 'x'.repeat(160)],
    ['', 'a b', 'a/b', 'x'.repeat(161), 'é'],
    500,
    (i) => `s${i}`,
  ),
  setCase(
    'sellersExcluded',
    ['seller-2', 'b', 'A.b:c_d-f', 'y'.repeat(160)],
    ['', 'a b', 'a/b', 'y'.repeat(161), 'é'],
    500,
    (i) => `t${i}`,
  ),
  sourceSetCase('sourcesIncluded'),
  sourceSetCase('sourcesExcluded'),
];

/** Two-letter codes, most of which are not countries. */
function code2(i: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return letters[Math.floor(i / 26) % 26]! + letters[i % 26]!;
}

/** A value of each modifier attribute's vocabulary, and one outside it. */
const MODIFIER_SAMPLES: Record<string, { inside: string[]; outside: string[] }> = {
  gender: { inside: [...GENDERS], outside: ['other', 'FEMALE'] },
  employment: { inside: [...EMPLOYMENT_STATUSES], outside: ['employed ', 'jobless'] },
  maritalStatus: { inside: [...MARITAL_STATUSES], outside: ['Single', 'engaged'] },
  stage: { inside: [...LEAD_STAGES], outside: ['iql', 'XQL'] },
  sourceChannel: { inside: ['landing_page', 'search'], outside: ['Landing', ''] },
  country: { inside: ['RU', 'ES'], outside: ['ru', 'RUS'] },
  region: { inside: ['RU-MOW', 'ES-M'], outside: ['RU_MOW', 'MOW'] },
  interest: { inside: ['premium_glasses'], outside: ['Premium'] },
  verifiedContact: { inside: [...CONTACT_KINDS], outside: ['sms', 'Phone'] },
};

const validModifier = (attribute: string) => ({
  attribute,
  equals: MODIFIER_SAMPLES[attribute]!.inside[0],
  add: 5000,
});

const modifierCases = (attribute: string): FieldCase[] => {
  const { inside, outside } = MODIFIER_SAMPLES[attribute]!;
  const values = [...inside, ...outside];
  const aValue = fc.oneof(fc.constantFrom(...values), fc.string({ maxLength: 8 }));
  /** The DTO checks only that a value is text; the attribute's vocabulary is the catalogue's. */
  const isText = (value: unknown) => typeof value === 'string';
  const isTextSet = (value: unknown) =>
    Array.isArray(value) &&
    value.length > 0 &&
    value.length <= 500 &&
    value.every(isText) &&
    new Set(value).size === value.length;
  return [
    {
      field: 'equals',
      edges: [...values, '', 1, true, [inside[0]]],
      values: fc.oneof(aValue, junk),
      catalogueAlone: isText,
    },
    {
      field: 'in',
      edges: [[...inside], ...values.map((value) => [value]), [], [inside[0], inside[0]], inside[0], [1]],
      values: fc.oneof(fc.array(aValue, { maxLength: 4 }), junk),
      catalogueAlone: isTextSet,
    },
    integerCase('add', 1),
  ];
};

const window = (days: string[], from: string, to: string) => ({ days, from, to });
const OFFICE_HOURS = {
  timeZone: 'Europe/Madrid',
  windows: [window(['mon', 'tue', 'wed', 'thu', 'fri'], '09:00', '18:00'), window(['sat'], '10:00', '14:00')],
};

const UTC_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const instants = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

const termsCases: FieldCase[] = [
  {
    field: 'filters',
    edges: [{}, { ageMin: 30 }, { ageMin: 17 }, { unknown: 1 }, [], null, 'x', 1],
    values: fc.oneof(
      fc.constantFrom({}, { ageMin: 30 }, { genders: ['female'] }, { ageMin: 17 }, { stages: ['XQL'] }),
      junk,
    ),
  },
  integerCase('bid', 1, 1_000_000),
  integerCase('maxBid', 1),
  {
    field: 'modifiers',
    edges: [
      [],
      MODIFIER_ATTRIBUTES.map(validModifier),
      Array.from({ length: 50 }, () => validModifier('gender')),
      Array.from({ length: 51 }, () => validModifier('gender')),
      [{ attribute: 'age', equals: '30', add: 1 }],
      [{ attribute: 'gender', equals: 'female', add: 0 }],
      [{ attribute: 'gender', equals: 'female', add: 1, extra: true }],
      [null],
      {},
      null,
    ],
    values: fc.oneof(
      fc.array(fc.constantFrom(...MODIFIER_ATTRIBUTES.map(validModifier)), { maxLength: 52 }),
      junk,
    ),
  },
  integerCase('quantity', 1),
  integerCase('budget', 1, 1_000_000_000),
  integerCase('dailyCapCount', 1),
  integerCase('dailyCapSpend', 1),
  integerCase('hourlyCapCount', 1),
  integerCase('hourlyCapSpend', 1),
  {
    field: 'schedule',
    edges: [
      OFFICE_HOURS,
      { timeZone: 'UTC', windows: [{ days: [...WEEKDAYS], from: '00:00', to: '24:00' }] },
      { ...OFFICE_HOURS, timeZone: 'Europe/Atlantis' },
      { ...OFFICE_HOURS, timeZone: '+01:00' },
      { ...OFFICE_HOURS, timeZone: 'x'.repeat(65) },
      { ...OFFICE_HOURS, windows: [] },
      { ...OFFICE_HOURS, windows: Array.from({ length: 51 }, () => window(['mon'], '09:00', '10:00')) },
      { ...OFFICE_HOURS, windows: [window(['mon'], '9:00', '10:00')] },
      { ...OFFICE_HOURS, windows: [window(['mon'], '24:00', '24:00')] },
      { ...OFFICE_HOURS, windows: [window(['mon'], '00:00', '00:00')] },
      { ...OFFICE_HOURS, windows: [window(['mon'], '18:00', '09:00')] },
      { ...OFFICE_HOURS, windows: [window(['mon'], '09:00', '12:00'), window(['mon'], '11:00', '13:00')] },
      { ...OFFICE_HOURS, windows: [window(['funday'], '09:00', '10:00')] },
      { ...OFFICE_HOURS, windows: [window([], '09:00', '10:00')] },
      { ...OFFICE_HOURS, windows: [window(['mon', 'mon'], '09:00', '10:00')] },
      { ...OFFICE_HOURS, windows: [{ ...window(['mon'], '09:00', '10:00'), extra: 1 }] },
      { ...OFFICE_HOURS, extra: 1 },
      { timeZone: 'UTC' },
      null,
      [],
      'Mon–Fri 09:00–18:00',
    ],
    values: fc.oneof(
      fc.record({
        timeZone: fc.constantFrom('Europe/Madrid', 'UTC', 'Asia/Kolkata', 'Nowhere/City', 'utc+1'),
        windows: fc.array(
          fc.record({
            days: fc.uniqueArray(fc.constantFrom(...WEEKDAYS, 'xyz'), { maxLength: 8 }),
            from: fc.constantFrom('00:00', '09:00', '12:30', '23:59', '24:00', '9:00'),
            to: fc.constantFrom('00:00', '00:01', '10:00', '18:00', '24:00', '24:01'),
          }),
          { maxLength: 3 },
        ),
      }),
      junk,
    ),
    // The rules across a schedule's windows (to after from, no overlap on a day) are the catalogue's.
    catalogueAlone: (value) => {
      const parsed = DeliverySchedule.safeParse(value);
      return (
        !parsed.success &&
        parsed.error.issues.every((issue) => issue.code === 'custom' && issue.path[0] !== 'timeZone')
      );
    },
  },
  {
    field: 'exclusivity',
    edges: [...ORDER_EXCLUSIVITIES, 'exclusive', 'ANY', '', null],
    values: fc.oneof(fc.constantFrom(...ORDER_EXCLUSIVITIES), junk),
  },
  {
    field: 'expiresAt',
    edges: [
      '2030-01-01T00:00:00.000Z',
      '2030-01-01T00:00:00Z',
      '2030-01-01T00:00:00.123456789Z',
      '2030-01-01T00:00Z',
      '2030-01-01T00Z',
      '2030-01-01T00:00:00,5Z',
      '2030-W01-1T00:00:00Z',
      '2030-001T00:00:00Z',
      '20300101T000000Z',
      '2030-01-01 00:00:00Z',
      '2030-02-30T00:00:00Z',
      '2030-01-01T24:00:00Z',
      '2030-01-01T00:00:00+00:00',
      '2030-01-01t00:00:00z',
      '2030-01-01',
      '',
      1893456000000,
      null,
    ],
    values: fc.oneof(
      instants,
      instants.map((instant) => instant.replace('Z', '+00:00')),
      junk,
    ),
    // validator.js also takes the other ISO 8601 forms (minutes only, week and ordinal dates,
    // basic format); the catalogue's Instant takes only the extended form with seconds.
    catalogueAlone: (value) => typeof value === 'string' && !UTC_SECONDS.test(value),
  },
  {
    field: 'delivery',
    edges: [...DELIVERY_METHODS, 'push', 'PULL', '', null],
    values: fc.oneof(fc.constantFrom(...DELIVERY_METHODS), junk),
  },
];

const verticalCase: FieldCase = {
  field: 'vertical',
  edges: ['eyewear', 'a', 'a'.repeat(40), 'a'.repeat(41), 'Eyewear', '9a', 'a-b', '', null, 1],
  values: fc.oneof(fc.constantFrom('eyewear', 'auto_insurance', 'a'.repeat(40), 'a'.repeat(41)), junk),
};

const VALID_TERMS = {
  filters: {},
  bid: 1,
  modifiers: [],
  quantity: 1,
  budget: 1_000_000_000,
  exclusivity: 'any',
  delivery: 'pull',
};

const subjects: Subject[] = [
  {
    name: 'OrderFiltersDto ~ OrderFilters',
    dto: OrderFiltersDto,
    schema: OrderFilters,
    // requireVerified needs requiredContacts in the catalogue (a rule across fields, below).
    base: { requiredContacts: ['phone'] },
    cases: filterCases,
  },
  {
    name: 'SourceFilterDto ~ SourceFilter',
    dto: SourceFilterDto,
    schema: SourceFilter,
    base: { source: 'google' },
    cases: [
      {
        field: 'sellerId',
        edges: ['seller-1', 'A.b:c_d-e', '', 'a b', 'a|b', 'x'.repeat(161), null, 1],
        values: fc.oneof(fc.constantFrom('seller-1', '', 'a b'), fc.string({ maxLength: 6 }), junk),
      },
      tagCase('source'),
      tagCase('subSource'),
    ],
  },
  ...MODIFIER_ATTRIBUTES.map((attribute): Subject => ({
    name: `BidModifierDto ~ BidModifier (${attribute})`,
    dto: BidModifierDto,
    schema: BidModifier,
    base: { attribute, add: 1 },
    cases: modifierCases(attribute),
  })),
  {
    name: 'BidModifierDto ~ BidModifier (attribute)',
    dto: BidModifierDto,
    schema: BidModifier,
    base: { add: 1 },
    cases: [
      {
        field: 'attribute',
        edges: [...MODIFIER_ATTRIBUTES, 'age', 'Gender', 'interests', '', null, 1],
        values: fc.oneof(fc.constantFrom(...MODIFIER_ATTRIBUTES), junk),
      },
    ],
  },
  {
    name: 'OrderTermsRequest ~ orderTermsShape',
    dto: OrderTermsRequest,
    schema: OrderTermsSchema,
    base: VALID_TERMS,
    cases: termsCases,
  },
  {
    name: 'PlaceOrderRequest ~ vertical + orderTermsShape',
    dto: PlaceOrderRequest,
    schema: PlaceOrderSchema,
    base: { ...VALID_TERMS, vertical: 'eyewear' },
    cases: [verticalCase],
  },
  {
    name: 'PreviewOrderRequest ~ vertical, OrderFilters, bid, exclusivity',
    dto: PreviewOrderRequest,
    schema: PreviewSchema,
    base: { vertical: 'eyewear', filters: {} },
    cases: [
      verticalCase,
      termsCases.find((fieldCase) => fieldCase.field === 'filters')!,
      integerCase('bid', 1),
      {
        field: 'exclusivity',
        edges: [...ORDER_EXCLUSIVITIES, 'exclusive', '', null],
        values: fc.oneof(fc.constantFrom(...ORDER_EXCLUSIVITIES), junk),
      },
    ],
  },
];

/**
 * The body with `field` set to `value`. A modifier gets a value of its attribute's vocabulary in
 * `equals`, unless `equals` or `in` is the field judged (the catalogue wants exactly one of them).
 */
function bodyWith(subject: Subject, field: string, value: unknown): Record<string, unknown> {
  const body = { ...subject.base, [field]: value };
  if (subject.dto === BidModifierDto && field !== 'equals' && field !== 'in')
    // Own keys only: a generated attribute such as "toString" names no sample.
    body.equals = Object.hasOwn(MODIFIER_SAMPLES, String(body.attribute))
      ? MODIFIER_SAMPLES[String(body.attribute)]!.inside[0]
      : 'female';
  return body;
}

async function compare(subject: Subject, fieldCase: FieldCase, value: unknown): Promise<void> {
  const body = bodyWith(subject, fieldCase.field, value);
  const dto = await dtoAccepts(subject.dto, body);
  const catalogue = subject.schema.safeParse(body).success;
  const dtoRequirement = fieldCase.dtoAlsoRequires?.(value) ?? true;
  const catalogueAlone = leftToCatalogue(value) || (fieldCase.catalogueAlone?.(value) ?? false);
  const verdicts = { field: fieldCase.field, value, dto, catalogue };
  // The DTO never refuses what the catalogue accepts (beyond its own named requirement) …
  if (catalogue) expect(verdicts).toEqual({ ...verdicts, dto: dtoRequirement });
  // … and accepts nothing the catalogue refuses, but for the classes it leaves to the catalogue.
  else if (!catalogueAlone) expect(verdicts).toEqual({ ...verdicts, dto: false });
}

describe('the order-terms DTOs accept and refuse what the catalogue does', () => {
  for (const subject of subjects)
    describe(subject.name, () => {
      for (const fieldCase of subject.cases)
        it(fieldCase.field, async () => {
          for (const edge of fieldCase.edges) await compare(subject, fieldCase, edge);
          await fc.assert(
            fc.asyncProperty(fieldCase.values, (value) => compare(subject, fieldCase, value)),
            { numRuns: 200 },
          );
        });
    });

  it('the catalogue refuses every class of value the DTOs leave to it', () => {
    for (const value of [null, Number.MAX_SAFE_INTEGER + 2])
      expect(OrderFilters.safeParse({ ageMin: value }).success).toBe(false);
    for (const value of ['2030-01-01T00:00Z', '2030-W01-1T00:00:00Z', '20300101T000000Z'])
      expect(OrderTermsSchema.safeParse({ ...VALID_TERMS, expiresAt: value }).success).toBe(false);
    for (const attribute of MODIFIER_ATTRIBUTES)
      for (const value of MODIFIER_SAMPLES[attribute]!.outside)
        expect(BidModifier.safeParse({ attribute, equals: value, add: 1 }).success).toBe(false);
  });
});

describe('rules across fields', () => {
  const age = fc.integer({ min: 18, max: 120 });
  const money = fc.integer({ min: 1, max: 10 });

  it('ageMax is not below ageMin, in both', async () => {
    await fc.assert(
      fc.asyncProperty(age, age, async (ageMin, ageMax) => {
        const filters = { ageMin, ageMax };
        expect(await dtoAccepts(OrderFiltersDto, filters)).toBe(OrderFilters.safeParse(filters).success);
      }),
      { numRuns: 200 },
    );
  });

  it('maxBid and budget are not below bid, in both', async () => {
    await fc.assert(
      fc.asyncProperty(money, fc.option(money, { nil: undefined }), money, async (bid, maxBid, budget) => {
        const terms = { ...VALID_TERMS, bid, budget, ...(maxBid === undefined ? {} : { maxBid }) };
        expect(await dtoAccepts(OrderTermsRequest, terms)).toBe(OrderTermsSchema.safeParse(terms).success);
      }),
      { numRuns: 200 },
    );
  });

  it('the catalogue alone states the rest: requireVerified needs requiredContacts, included and excluded sellers are apart, a modifier has exactly one of equals and in', async () => {
    const catalogueOnly: [new () => object, z.ZodType, object][] = [
      [OrderFiltersDto, OrderFilters, { requireVerified: true }],
      [OrderFiltersDto, OrderFilters, { sellersIncluded: ['s-1'], sellersExcluded: ['s-1'] }],
      [BidModifierDto, BidModifier, { attribute: 'gender', add: 1 }],
      [BidModifierDto, BidModifier, { attribute: 'gender', equals: 'male', in: ['female'], add: 1 }],
    ];
    for (const [dto, schema, body] of catalogueOnly) {
      expect(await dtoAccepts(dto, body)).toBe(true);
      expect(schema.safeParse(body).success).toBe(false);
    }
  });
});
