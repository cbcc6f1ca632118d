import { LeadSource, type EventInput, type GENDERS, type LeadListed } from '#lx/contracts';
import { LEAD_COLUMNS, type LeadColumnName } from '#lx/market-generator';
import type { ContactChecks } from './contact-checks.js';
import { normaliseEmail, type ContactFingerprinter } from './fingerprint.js';
import type { NumberedRecord } from './raw-lead-record.js';
import type { RejectionReason } from './rejection-reasons.js';
import { sha256Hex } from './sha256.js';

type Listing = EventInput<typeof LeadListed>;
export type LeadAttributesInput = Listing['attributes'];
export type ConsentInput = Listing['consent'];

/** The personal data of a lead: sealed in the vault, never in clear in the log. */
export interface PersonalData {
  externalId: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  address?: string;
  postalCode?: string;
  dateOfBirth?: string;
  captureIp?: string;
}

export interface VerifiedLead {
  line: number;
  externalId: string;
  attributes: LeadAttributesInput;
  personalData: PersonalData;
  fingerprints: { phone?: string; email?: string };
  consent: ConsentInput;
  /** What the completeness part of the quality score counts. */
  present: {
    name: boolean;
    address: boolean;
    dateOfBirth: boolean;
    certificate: boolean;
    captureIp: boolean;
  };
}

export type RowVerdict =
  | { accepted: true; lead: VerifiedLead }
  | { accepted: false; line: number; externalId?: string; reasons: RejectionReason[] };

export interface VerificationContext {
  /** The batch's submission time: every row of a batch is judged at the same instant, also when resumed. */
  now: Date;
  vertical: string;
  maxLeadAgeDays: number;
  /** The market's consent limit in days (consentMaxAgeDays); absent or null: no limit. */
  consentMaxAgeDays?: number | null;
  sellerId: string;
  checks: ContactChecks;
  fingerprints: ContactFingerprinter;
}

const MAX_CELL: Partial<Record<LeadColumnName, number>> = {
  external_id: 128,
  consent_text: 20_000,
  consent_certificate_ref: 500,
  consent_text_version: 100,
  address: 500,
};
const DEFAULT_MAX_CELL = 1000;
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
export const SLUG = /^[a-z][a-z0-9_]{0,63}$/;
/** The catalogue's `LeadSource`: the seller's own tag of a campaign or affiliate. */
const isSourceTag = (value: string) => LeadSource.safeParse(value).success;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const POSTAL_SHAPES: Record<string, { pattern: RegExp; prefix: number }> = {
  RU: { pattern: /^\d{6}$/, prefix: 3 },
  ES: { pattern: /^\d{5}$/, prefix: 2 },
};
const GENERIC_POSTAL = /^[A-Z0-9][A-Z0-9 -]{1,9}$/;
export const ENUM_COLUMNS = new Map(
  LEAD_COLUMNS.filter((column) => column.values && column.name !== 'country').map((column) => [
    column.name,
    new Set(column.values),
  ]),
);
/** The upload's genders (and the catalogue's own) as the catalogue names them. */
export const CONTRACT_GENDER: Record<string, (typeof GENDERS)[number]> = {
  female: 'female',
  male: 'male',
  other: 'non_binary',
  non_binary: 'non_binary',
};
const CERTIFICATE_PROVIDER = { trustedform: 'TrustedForm', jornaya: 'Jornaya' } as const;

/**
 * Verifies one row against every rule of docs/architecture.md §4 that can be judged from the row alone (the
 * duplicate and suppression rules need the exchange's fingerprints and run after). Pure: the
 * same row and context always give the same verdict.
 */
export function verifyLeadRow(numbered: NumberedRecord, context: VerificationContext): RowVerdict {
  // A line that is not a record has nothing else worth judging.
  if (numbered.parseProblems.includes('malformed_record'))
    return { accepted: false, line: numbered.line, reasons: ['malformed_record'] };
  const reasons = new Set<RejectionReason>(numbered.parseProblems);
  const cells = readCells(numbered, reasons);
  const text = (name: LeadColumnName) => cells.get(name);
  const reject = () => ({
    accepted: false as const,
    line: numbered.line,
    externalId: text('external_id')?.slice(0, 128),
    reasons: [...reasons].sort(),
  });

  for (const name of ['external_id', 'country', 'region', 'captured_at'] as const)
    if (!text(name)) reasons.add('missing_required_field');
  const { country, region, capturedAt } = checkAnonymousFacts(text, context, reasons);

  const age = ageAtCapture(text('age'), text('date_of_birth'), capturedAt ?? context.now, reasons);

  const rawPhone = text('phone');
  const phone = rawPhone ? context.checks.normalisePhone(rawPhone, country ?? '') : undefined;
  if (rawPhone && phone === null) reasons.add('invalid_phone');
  const rawEmail = text('email');
  const email = rawEmail ? normaliseEmail(rawEmail) : undefined;
  if (email !== undefined) {
    if (!context.checks.isEmailAddress(email)) reasons.add('invalid_email');
    else if (context.checks.isDisposableDomain(email.slice(email.lastIndexOf('@') + 1)))
      reasons.add('disposable_email');
  }
  if (!rawPhone && !rawEmail) reasons.add('no_contact');

  const consent = consentRecord(cells, numbered.record.consent_sellers_named, context, reasons);

  const postalCode = text('postal_code')?.toUpperCase();
  let postalPrefix: string | undefined;
  if (postalCode) {
    const shape = country ? POSTAL_SHAPES[country] : undefined;
    if (shape ? !shape.pattern.test(postalCode) : !GENERIC_POSTAL.test(postalCode))
      reasons.add('invalid_postal_code');
    else postalPrefix = postalCode.replace(/[ -]/g, '').slice(0, shape?.prefix ?? 3);
  }
  const captureIp = text('capture_ip');
  if (captureIp && !context.checks.isIpAddress(captureIp)) reasons.add('invalid_ip');

  const source = text('source');
  const subSource = text('sub_source');
  if (source !== undefined && !isSourceTag(source)) reasons.add('invalid_value');
  // A sub-source splits a source: alone it names nothing.
  if (subSource !== undefined && (source === undefined || !isSourceTag(subSource)))
    reasons.add('invalid_value');

  const interests = listOf(numbered.record.interests);
  if (interests.length > 50 || interests.some((interest) => !SLUG.test(interest)))
    reasons.add('invalid_value');

  if (reasons.size > 0 || !capturedAt || !consent || age === undefined || !country) return reject();

  const gender = text('gender');
  const attributes: LeadAttributesInput = {
    vertical: context.vertical,
    age,
    ...(gender ? { gender: CONTRACT_GENDER[gender]! } : {}),
    country,
    ...(region ? { region } : {}),
    ...(postalPrefix ? { postalPrefix } : {}),
    contacts: {
      phone: { present: !!phone, verified: !!phone },
      email: { present: !!email, verified: !!email },
    },
    ...(text('employment') ? { employment: text('employment') as LeadAttributesInput['employment'] } : {}),
    ...(text('marital_status')
      ? { maritalStatus: text('marital_status') as LeadAttributesInput['maritalStatus'] }
      : {}),
    interests: [...new Set(interests)],
    stage: (text('stage') ?? 'IQL') as LeadAttributesInput['stage'],
    sourceChannel: text('source_channel') ?? 'unknown',
    capturedAt: capturedAt.toISOString(),
    ...(source ? { source } : {}),
    ...(source && subSource ? { subSource } : {}),
  };
  const externalId = text('external_id')!;
  const personalData: PersonalData = withoutUndefined({
    externalId,
    firstName: text('first_name'),
    lastName: text('last_name'),
    email,
    phone: phone ?? undefined,
    address: text('address'),
    postalCode,
    dateOfBirth: text('date_of_birth'),
    captureIp,
  });
  return {
    accepted: true,
    lead: {
      line: numbered.line,
      externalId,
      attributes,
      personalData,
      fingerprints: withoutUndefined({
        phone: phone ? context.fingerprints.phone(phone) : undefined,
        email: email ? context.fingerprints.email(email) : undefined,
      }),
      consent,
      present: {
        name: !!(text('first_name') || text('last_name')),
        address: !!(text('address') || postalCode),
        dateOfBirth: !!text('date_of_birth'),
        certificate: consent.certificate !== undefined,
        captureIp: !!captureIp,
      },
    },
  };
}

/** Cells as trimmed text (absent when empty); over-long and non-text cells become reasons. */
/**
 * The checks of a lead's anonymous facts that a row and a ping share: the vocabularies, the country
 * and its region, the capture time (neither in the future nor older than the market allows).
 */
export function checkAnonymousFacts(
  text: (name: LeadColumnName) => string | undefined,
  context: Pick<VerificationContext, 'now' | 'maxLeadAgeDays' | 'checks'>,
  reasons: Set<RejectionReason>,
): { country: string | undefined; region: string | undefined; capturedAt: Date | undefined } {
  for (const [name, values] of ENUM_COLUMNS) {
    const value = text(name);
    if (value !== undefined && !values.has(value) && !(name === 'gender' && value in CONTRACT_GENDER))
      reasons.add('invalid_value');
  }
  const country = text('country')?.toUpperCase();
  if (country && !context.checks.isCountry(country)) reasons.add('unknown_country');
  const region = text('region')?.toUpperCase();
  if (region && country && context.checks.isCountry(country) && !context.checks.isRegionOf(region, country))
    reasons.add('unknown_region');
  const capturedAt = parseInstant(text('captured_at'), reasons);
  if (capturedAt) {
    if (capturedAt.getTime() > context.now.getTime() + FUTURE_TOLERANCE_MS) reasons.add('captured_in_future');
    else if (context.now.getTime() - capturedAt.getTime() > context.maxLeadAgeDays * DAY_MS)
      reasons.add('capture_too_old');
  }
  return { country, region, capturedAt };
}

export function readCells(
  numbered: NumberedRecord,
  reasons: Set<RejectionReason>,
): Map<LeadColumnName, string> {
  const cells = new Map<LeadColumnName, string>();
  for (const column of LEAD_COLUMNS) {
    const value = numbered.record[column.name];
    if (value === undefined || value === null) continue;
    if (column.type === 'list') {
      if (!Array.isArray(value) && typeof value !== 'string') reasons.add('invalid_value');
      continue;
    }
    if (typeof value !== 'string' && !(typeof value === 'number' && column.type === 'integer')) {
      reasons.add('invalid_value');
      continue;
    }
    const text = String(value).trim();
    if (text.length > (MAX_CELL[column.name] ?? DEFAULT_MAX_CELL)) {
      reasons.add('value_too_long');
      continue;
    }
    if (text !== '') cells.set(column.name, text);
  }
  return cells;
}

export function listOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split('|') : [];
  return items
    .map((item) => (typeof item === 'string' ? item.trim() : '\u0000'))
    .filter((item) => item !== '');
}

export function parseInstant(value: string | undefined, reasons: Set<RejectionReason>): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (!DATE_TIME.test(value) || Number.isNaN(date.getTime())) {
    reasons.add('invalid_date');
    return undefined;
  }
  return date;
}

export function ageAtCapture(
  age: string | undefined,
  dateOfBirth: string | undefined,
  at: Date,
  reasons: Set<RejectionReason>,
): number | undefined {
  let years: number | undefined;
  if (dateOfBirth) {
    const match = DATE.exec(dateOfBirth);
    const born = match ? new Date(`${dateOfBirth}T00:00:00Z`) : undefined;
    if (!match || !born || Number.isNaN(born.getTime()) || born.toISOString().slice(0, 10) !== dateOfBirth) {
      reasons.add('invalid_date');
      return undefined;
    }
    years = at.getUTCFullYear() - born.getUTCFullYear();
    const beforeBirthday =
      at.getUTCMonth() < born.getUTCMonth() ||
      (at.getUTCMonth() === born.getUTCMonth() && at.getUTCDate() < born.getUTCDate());
    if (beforeBirthday) years -= 1;
  } else if (age) {
    if (!/^\d{1,3}$/.test(age)) {
      reasons.add('invalid_value');
      return undefined;
    }
    years = Number(age);
  } else {
    reasons.add('missing_required_field');
    return undefined;
  }
  if (years < 18) {
    reasons.add('under_age');
    return undefined;
  }
  if (years > 120) {
    reasons.add('invalid_value');
    return undefined;
  }
  return years;
}

function consentRecord(
  cells: Map<LeadColumnName, string>,
  named: unknown,
  context: VerificationContext,
  reasons: Set<RejectionReason>,
): ConsentInput | undefined {
  const version = cells.get('consent_text_version');
  const text = cells.get('consent_text');
  const pageUrl = cells.get('consent_page_url');
  const capturedText = cells.get('consent_captured_at');
  if (!version || !text || !pageUrl || !capturedText) {
    reasons.add('missing_consent');
    return undefined;
  }
  const capturedAt = parseInstant(capturedText, reasons);
  if (!/^https?:\/\/[^\s/?#]+\.[^\s/?#]+([/?#]\S*)?$/i.test(pageUrl) || !URL.canParse(pageUrl))
    reasons.add('invalid_consent');
  const provider = cells.get('consent_certificate_provider') as keyof typeof CERTIFICATE_PROVIDER | undefined;
  const reference = cells.get('consent_certificate_ref');
  if (provider && !reference) reasons.add('invalid_consent');
  const listed = listOf(named);
  const sellersNamed = (listed.length > 0 ? listed : [context.sellerId]).map((name) => name.slice(0, 200));
  if (sellersNamed.length > 50) reasons.add('invalid_consent');
  const ip = cells.get('capture_ip');
  if (!capturedAt) return undefined;
  if (consentIsStale(capturedAt, context.now, context.consentMaxAgeDays)) reasons.add('consent_stale');
  return withoutUndefined({
    textVersion: version,
    textHash: sha256Hex(text),
    pageUrl: withoutQueryOrFragment(pageUrl),
    capturedAt: capturedAt.toISOString(),
    ipFingerprint: ip && context.checks.isIpAddress(ip) ? context.fingerprints.ip(ip) : undefined,
    sellersNamed,
    certificate:
      provider && reference && CERTIFICATE_PROVIDER[provider]
        ? { provider: CERTIFICATE_PROVIDER[provider], reference }
        : undefined,
  }) as ConsentInput;
}

/** Consent given more than `maxAgeDays` before `now` (verification time) is too old to contact the person on. */
export function consentIsStale(consentedAt: Date, now: Date, maxAgeDays: number | null | undefined): boolean {
  if (maxAgeDays === null || maxAgeDays === undefined) return false;
  return now.getTime() - consentedAt.getTime() > maxAgeDays * DAY_MS;
}

/**
 * The consent record outlives an erasure in clear, and a page's query string often carries the
 * form's pre-filled contact fields (`?phone=…&email=…`): only the page itself is kept.
 */
function withoutQueryOrFragment(pageUrl: string): string {
  if (!URL.canParse(pageUrl)) return pageUrl;
  const url = new URL(pageUrl);
  url.search = '';
  url.hash = '';
  return url.toString();
}

function withoutUndefined<T extends object>(value: T): T {
  const result: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) result[key] = value[key];
  return result as T;
}
