import { z } from 'zod';
import type { components } from '../../../api/generated/buyers';
import { parseMajorUnits, toMajorUnitsText } from '../../../format/format';
import type { UseFormReturn } from 'react-hook-form';
import { toApiProblem } from '../../../api/problem';
import {
  browserTimeZone,
  formPathOf,
  fromSourceFilters,
  scheduleAndSourcesShape,
  scheduleRules,
  sourceRules,
  toSchedule,
  toSourceFilters,
  WEEKDAYS,
  type ScheduleAndSourcesValues,
} from './schedule-and-sources';

/*
 * The order form as the buyer types it (text for numbers and amounts, major units for money) and
 * its translation to the buyers API's terms (integers, minor units). Validation messages are
 * message keys (buyer.builder.errors.*), translated where they are shown.
 */

export type PlaceOrderBody = components['schemas']['PlaceOrderRequest'];
export type OrderTermsBody = components['schemas']['OrderTermsRequest'];
export type OrderFilters = components['schemas']['OrderFiltersDto'];
export type PreviewBody = components['schemas']['PreviewOrderRequest'];
export type ModifierAttribute = components['schemas']['BidModifierDto']['attribute'];

export const GENDERS = ['female', 'male', 'non_binary'] as const;
export const CONTACTS = ['phone', 'email'] as const;
export const EMPLOYMENTS = ['employed', 'self_employed', 'unemployed', 'student', 'retired'] as const;
export const MARITAL = ['single', 'married', 'partnered', 'divorced', 'widowed'] as const;
export const STAGES = ['IQL', 'MQL', 'SQL'] as const;
export const EXCLUSIVITIES = ['any', 'shared_ok', 'exclusive_only'] as const;
export const DELIVERIES = ['pull', 'webhook'] as const;
export const MODIFIER_ATTRIBUTES: ModifierAttribute[] = [
  'employment',
  'gender',
  'maritalStatus',
  'stage',
  'sourceChannel',
  'country',
  'region',
  'interest',
  'verifiedContact',
];

export interface ModifierValues {
  attribute: ModifierAttribute;
  /** Comma-separated values (`employed, self_employed`). */
  values: string;
  add: string;
}

export interface OrderFormValues extends ScheduleAndSourcesValues {
  vertical: string;
  ageMin: string;
  ageMax: string;
  genders: string[];
  countries: string[];
  regions: string[];
  postalPrefixes: string[];
  requiredContacts: string[];
  requireVerified: boolean;
  employment: string[];
  maritalStatus: string[];
  interestsAny: string[];
  interestsAll: string[];
  stages: string[];
  sourceChannels: string[];
  maxLeadAgeMinutes: string;
  minQuality: string;
  minSellerQuality: string;
  bid: string;
  maxBid: string;
  modifiers: ModifierValues[];
  quantity: string;
  budget: string;
  dailyCapCount: string;
  dailyCapSpend: string;
  hourlyCapCount: string;
  hourlyCapSpend: string;
  exclusivity: (typeof EXCLUSIVITIES)[number];
  expiresAt: string;
  delivery: (typeof DELIVERIES)[number];
}

export const EMPTY_ORDER: OrderFormValues = {
  vertical: 'eyewear',
  ageMin: '',
  ageMax: '',
  genders: [],
  countries: [],
  regions: [],
  postalPrefixes: [],
  requiredContacts: [],
  requireVerified: false,
  employment: [],
  maritalStatus: [],
  interestsAny: [],
  interestsAll: [],
  stages: [],
  sourceChannels: [],
  maxLeadAgeMinutes: '',
  minQuality: '',
  minSellerQuality: '',
  bid: '',
  maxBid: '',
  modifiers: [],
  quantity: '',
  budget: '',
  dailyCapCount: '',
  dailyCapSpend: '',
  hourlyCapCount: '',
  hourlyCapSpend: '',
  exclusivity: 'any',
  expiresAt: '',
  delivery: 'pull',
  timeZone: browserTimeZone(),
  windows: [],
  sourcesIncluded: [],
  sourcesExcluded: [],
  requireSampleVerified: false,
};

const E = 'buyer.builder.errors.';
const SLUG = /^[a-z][a-z0-9_]{0,63}$/;
const isInt = (text: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  /^\d+$/.test(text.trim()) && Number(text) >= min && Number(text) <= max;
const optionalInt = (min: number, max: number | undefined, message: string) =>
  z.string().refine((text) => text.trim() === '' || isInt(text, min, max), { message: E + message });
const codes = (pattern: RegExp, message: string) =>
  z.array(z.string()).refine((values) => values.every((value) => pattern.test(value)), {
    message: E + message,
  });
const amount = (currency: string, required: boolean) =>
  z.string().refine((text) => (text.trim() === '' ? !required : (parseMajorUnits(text, currency) ?? 0) > 0), {
    message: E + (required ? 'amountRequired' : 'amount'),
  });

/** The filters part (what the live preview needs), checked alone. */
const filterShape = {
  vertical: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, { message: E + 'vertical' }),
  ageMin: optionalInt(18, 120, 'age'),
  ageMax: optionalInt(18, 120, 'age'),
  genders: z.array(z.string()),
  countries: codes(/^[A-Z]{2}$/, 'countries'),
  regions: codes(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'regions'),
  postalPrefixes: codes(/^[A-Z0-9]{1,10}$/, 'postalPrefixes'),
  requiredContacts: z.array(z.string()),
  requireVerified: z.boolean(),
  employment: z.array(z.string()),
  maritalStatus: z.array(z.string()),
  interestsAny: codes(SLUG, 'slugs'),
  interestsAll: codes(SLUG, 'slugs'),
  stages: z.array(z.string()),
  sourceChannels: codes(SLUG, 'slugs'),
  maxLeadAgeMinutes: optionalInt(1, undefined, 'positiveInt'),
  minQuality: optionalInt(0, 100, 'percent'),
  minSellerQuality: optionalInt(0, 100, 'percent'),
  sourcesIncluded: scheduleAndSourcesShape.sourcesIncluded,
  sourcesExcluded: scheduleAndSourcesShape.sourcesExcluded,
  requireSampleVerified: scheduleAndSourcesShape.requireSampleVerified,
};

function filterRules(
  values: Pick<
    OrderFormValues,
    'ageMin' | 'ageMax' | 'requireVerified' | 'requiredContacts' | 'sourcesIncluded' | 'sourcesExcluded'
  >,
  context: z.RefinementCtx,
) {
  sourceRules(values, context);
  if (values.ageMin && values.ageMax && Number(values.ageMax) < Number(values.ageMin))
    context.addIssue({ code: 'custom', path: ['ageMax'], message: E + 'ageOrder' });
  if (values.requireVerified && values.requiredContacts.length === 0)
    context.addIssue({ code: 'custom', path: ['requireVerified'], message: E + 'verifiedNeedsContacts' });
}

export const filtersSchema = z.object(filterShape).superRefine(filterRules);

/** The delivery schedule alone (the preview asks about it only when it is valid). */
const scheduleSchema = z
  .object({ timeZone: scheduleAndSourcesShape.timeZone, windows: scheduleAndSourcesShape.windows })
  .superRefine(scheduleRules);

/** The whole form, for a market whose currency is `currency`. */
export function orderFormSchema(currency: string) {
  return z
    .object({
      ...filterShape,
      bid: amount(currency, true),
      maxBid: amount(currency, false),
      modifiers: z.array(
        z.object({
          attribute: z.enum(MODIFIER_ATTRIBUTES as [ModifierAttribute, ...ModifierAttribute[]]),
          values: z
            .string()
            .refine((text) => splitValues(text).length > 0, { message: E + 'modifierValues' }),
          add: amount(currency, true),
        }),
      ),
      quantity: z.string().refine((text) => isInt(text, 1), { message: E + 'quantity' }),
      budget: amount(currency, true),
      dailyCapCount: optionalInt(1, undefined, 'positiveInt'),
      dailyCapSpend: amount(currency, false),
      hourlyCapCount: optionalInt(1, undefined, 'positiveInt'),
      hourlyCapSpend: amount(currency, false),
      timeZone: scheduleAndSourcesShape.timeZone,
      windows: scheduleAndSourcesShape.windows,
      exclusivity: z.enum(EXCLUSIVITIES),
      expiresAt: z
        .string()
        .refine((text) => text === '' || new Date(text).getTime() > Date.now(), { message: E + 'future' }),
      delivery: z.enum(DELIVERIES),
    })
    .superRefine((values, context) => {
      filterRules(values, context);
      scheduleRules(values, context);
      const bid = parseMajorUnits(values.bid, currency);
      const maxBid = parseMajorUnits(values.maxBid, currency);
      const budget = parseMajorUnits(values.budget, currency);
      if (bid !== null && maxBid !== null && maxBid < bid)
        context.addIssue({ code: 'custom', path: ['maxBid'], message: E + 'maxBidBelowBid' });
      if (bid !== null && budget !== null && budget < bid)
        context.addIssue({ code: 'custom', path: ['budget'], message: E + 'budgetBelowBid' });
    });
}

export const splitValues = (text: string) =>
  text
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');

const int = (text: string) => (text.trim() === '' ? undefined : Number(text));
const list = <T extends string>(values: string[]) => (values.length > 0 ? (values as T[]) : undefined);

/** The filters as the API takes them: absent when not set. */
export function toFilters(values: OrderFormValues): OrderFilters {
  const filters: OrderFilters = {
    ageMin: int(values.ageMin),
    ageMax: int(values.ageMax),
    genders: list(values.genders),
    countries: list(values.countries),
    regions: list(values.regions),
    postalPrefixes: list(values.postalPrefixes),
    requiredContacts: list(values.requiredContacts),
    requireVerified: values.requireVerified || undefined,
    employment: list(values.employment),
    maritalStatus: list(values.maritalStatus),
    interestsAny: list(values.interestsAny),
    interestsAll: list(values.interestsAll),
    stages: list(values.stages),
    sourceChannels: list(values.sourceChannels),
    maxLeadAgeMinutes: int(values.maxLeadAgeMinutes),
    minQuality: int(values.minQuality),
    minSellerQuality: int(values.minSellerQuality),
    sourcesIncluded: toSourceFilters(values.sourcesIncluded),
    sourcesExcluded: toSourceFilters(values.sourcesExcluded),
    requireSampleVerified: values.requireSampleVerified || undefined,
  };
  return Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== undefined),
  ) as OrderFilters;
}

const money = (text: string, currency: string) =>
  text.trim() === '' ? undefined : (parseMajorUnits(text, currency) ?? undefined);

/** Every term, in minor units (the form was validated first). */
export function toTerms(values: OrderFormValues, currency: string): OrderTermsBody {
  const terms: OrderTermsBody = {
    filters: toFilters(values),
    bid: money(values.bid, currency)!,
    maxBid: money(values.maxBid, currency),
    modifiers: values.modifiers.map((modifier) => ({
      attribute: modifier.attribute,
      in: splitValues(modifier.values),
      add: money(modifier.add, currency)!,
    })),
    quantity: Number(values.quantity),
    budget: money(values.budget, currency)!,
    dailyCapCount: int(values.dailyCapCount),
    dailyCapSpend: money(values.dailyCapSpend, currency),
    hourlyCapCount: int(values.hourlyCapCount),
    hourlyCapSpend: money(values.hourlyCapSpend, currency),
    schedule: toSchedule(values),
    exclusivity: values.exclusivity,
    expiresAt: values.expiresAt ? new Date(values.expiresAt).toISOString() : undefined,
    delivery: values.delivery,
  };
  return Object.fromEntries(
    Object.entries(terms).filter(([, value]) => value !== undefined),
  ) as OrderTermsBody;
}

/**
 * The filters this form does not edit (the sellers included or excluded, set through the API): an
 * amendment replaces every term, so amending keeps them as they are.
 */
export function termsTheFormKeeps(terms: OrderTermsBody): Partial<OrderFilters> {
  const { sellersIncluded, sellersExcluded } = terms.filters;
  return Object.fromEntries(
    Object.entries({ sellersIncluded, sellersExcluded }).filter(([, value]) => value !== undefined),
  ) as Partial<OrderFilters>;
}

export function toPlaceOrder(values: OrderFormValues, currency: string): PlaceOrderBody {
  return { vertical: values.vertical, ...toTerms(values, currency) };
}

/** What the live preview asks for these values, or null while the filters are not valid. */
export function toPreview(values: OrderFormValues, currency: string): PreviewBody | null {
  if (!filtersSchema.safeParse(values).success) return null;
  const bid = money(values.bid, currency);
  // A schedule being typed (an overlap, a half-typed hour) is left out until it is valid.
  const schedule = scheduleSchema.safeParse(values).success ? toSchedule(values) : undefined;
  return {
    vertical: values.vertical,
    filters: toFilters(values),
    ...(bid ? { bid } : {}),
    exclusivity: values.exclusivity,
    ...(schedule ? { schedule } : {}),
  };
}

/** The form fields a problem's errors can name (by the same name in the request). */
export const PROBLEM_FIELDS: (keyof OrderFormValues)[] = [
  'vertical',
  'ageMin',
  'ageMax',
  'genders',
  'countries',
  'regions',
  'postalPrefixes',
  'requiredContacts',
  'requireVerified',
  'employment',
  'maritalStatus',
  'interestsAny',
  'interestsAll',
  'stages',
  'sourceChannels',
  'maxLeadAgeMinutes',
  'minQuality',
  'minSellerQuality',
  'requireSampleVerified',
  'bid',
  'maxBid',
  'modifiers',
  'quantity',
  'budget',
  'dailyCapCount',
  'dailyCapSpend',
  'hourlyCapCount',
  'hourlyCapSpend',
  'exclusivity',
  'expiresAt',
  'delivery',
];

/**
 * Puts the messages of a refused order next to the fields they name (the schedule's windows and
 * the source entries by their place in the list); the page shows the whole problem as well.
 */
export function showOrderProblems(error: unknown, form: UseFormReturn<OrderFormValues>) {
  const problem = toApiProblem(error);
  for (const field of PROBLEM_FIELDS) {
    const messages = problem.fieldMessages(field);
    if (messages.length > 0) form.setError(field, { type: 'server', message: messages.join('; ') });
  }
  for (const { field, messages } of problem.problem.errors ?? []) {
    const path = formPathOf(field);
    if (path !== null)
      form.setError(path as keyof OrderFormValues, { type: 'server', message: messages.join('; ') });
  }
}

/** An order's terms back as form values (to amend them). */
export function fromTerms(terms: OrderTermsBody, vertical: string, currency: string): OrderFormValues {
  const f = terms.filters;
  const text = (value: number | undefined) => (value === undefined ? '' : String(value));
  const major = (value: number | undefined) => (value === undefined ? '' : toMajorUnitsText(value, currency));
  return {
    vertical,
    ageMin: text(f.ageMin),
    ageMax: text(f.ageMax),
    genders: f.genders ?? [],
    countries: f.countries ?? [],
    regions: f.regions ?? [],
    postalPrefixes: f.postalPrefixes ?? [],
    requiredContacts: f.requiredContacts ?? [],
    requireVerified: f.requireVerified ?? false,
    employment: f.employment ?? [],
    maritalStatus: f.maritalStatus ?? [],
    interestsAny: f.interestsAny ?? [],
    interestsAll: f.interestsAll ?? [],
    stages: f.stages ?? [],
    sourceChannels: f.sourceChannels ?? [],
    maxLeadAgeMinutes: text(f.maxLeadAgeMinutes),
    minQuality: text(f.minQuality),
    minSellerQuality: text(f.minSellerQuality),
    bid: major(terms.bid),
    maxBid: major(terms.maxBid),
    modifiers: terms.modifiers.map((modifier) => ({
      attribute: modifier.attribute,
      values: (modifier.in ?? (modifier.equals ? [modifier.equals] : [])).join(', '),
      add: major(modifier.add),
    })),
    quantity: text(terms.quantity),
    budget: major(terms.budget),
    dailyCapCount: text(terms.dailyCapCount),
    dailyCapSpend: major(terms.dailyCapSpend),
    hourlyCapCount: text(terms.hourlyCapCount),
    hourlyCapSpend: major(terms.hourlyCapSpend),
    exclusivity: terms.exclusivity,
    expiresAt: terms.expiresAt ? toLocalInput(terms.expiresAt) : '',
    delivery: terms.delivery,
    timeZone: terms.schedule?.timeZone ?? browserTimeZone(),
    windows: (terms.schedule?.windows ?? []).map((window) => ({
      days: WEEKDAYS.filter((day) => window.days.includes(day)),
      from: window.from,
      to: window.to,
    })),
    sourcesIncluded: fromSourceFilters(f.sourcesIncluded),
    sourcesExcluded: fromSourceFilters(f.sourcesExcluded),
    requireSampleVerified: f.requireSampleVerified ?? false,
  };
}

/** An ISO instant as a datetime-local input's value, in the browser's time zone. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
