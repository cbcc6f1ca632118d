import { POSTAL_PREFIX_PATTERN } from '#lx/contracts';
import type { LeadColumnName } from '#lx/market-generator';
import type { NumberedRecord } from './raw-lead-record.js';
import type { RejectionReason } from './rejection-reasons.js';
import {
  ageAtCapture,
  checkAnonymousFacts,
  CONTRACT_GENDER,
  listOf,
  readCells,
  SLUG,
  type LeadAttributesInput,
  type VerificationContext,
  type VerifiedLead,
} from './verify-lead-row.js';

/*
 * A ping (docs/architecture.md §5.2): the anonymous attributes of a lead the seller may post, with
 * the upload format's names for the columns that are not personal, and flags for what the lead has
 * (so the quality score and the contact filters can be judged without the data itself).
 */

/** Upload columns a ping may carry: the lead's attributes, nothing that names or reaches a person. */
export const PING_COLUMNS = [
  'age',
  'gender',
  'country',
  'region',
  'employment',
  'marital_status',
  'interests',
  'stage',
  'source_channel',
  'captured_at',
] as const satisfies readonly LeadColumnName[];

/** What the lead has, declared without the values: contacts, name, address, date of birth, … */
export const PING_FLAGS = [
  'has_phone',
  'has_email',
  'has_name',
  'has_address',
  'has_date_of_birth',
  'has_consent_certificate',
  'has_capture_ip',
] as const;

/** Fields that are personal data: a ping carrying any of them is refused outright, never stored. */
export const PERSONAL_FIELDS = [
  'external_id',
  'first_name',
  'last_name',
  'email',
  'phone',
  'date_of_birth',
  'postal_code',
  'address',
  'capture_ip',
  'consent_text',
  'consent_text_version',
  'consent_page_url',
  'consent_captured_at',
  'consent_sellers_named',
  'consent_certificate_provider',
  'consent_certificate_ref',
] as const;

export type PingVerdict =
  | { accepted: true; attributes: LeadAttributesInput; present: VerifiedLead['present'] }
  | { accepted: false; personalFields: string[]; unknownFields: string[]; reasons: RejectionReason[] };

/**
 * Checks a ping's fields with the rules of a row (the same enums, country and region, capture
 * time and age) and gives the attributes a posted lead with the same data would list with: the
 * post must carry exactly these for the ping to be honoured. Pure.
 */
export function verifyPingLead(
  fields: Readonly<Record<string, unknown>>,
  context: Pick<VerificationContext, 'now' | 'vertical' | 'maxLeadAgeDays' | 'checks'>,
): PingVerdict {
  const personalFields = Object.keys(fields).filter((key) =>
    (PERSONAL_FIELDS as readonly string[]).includes(key),
  );
  const known = new Set<string>([...PING_COLUMNS, ...PING_FLAGS, 'postal_prefix']);
  const unknownFields = Object.keys(fields).filter(
    (key) => !known.has(key) && !(PERSONAL_FIELDS as readonly string[]).includes(key),
  );
  const reasons = new Set<RejectionReason>();
  const record: NumberedRecord['record'] = {};
  for (const column of PING_COLUMNS) if (fields[column] !== undefined) record[column] = fields[column];
  const cells = readCells({ line: 1, record, parseProblems: [] }, reasons);
  const text = (name: LeadColumnName) => cells.get(name);
  for (const name of ['country', 'region', 'captured_at', 'age'] as const)
    if (!text(name)) reasons.add('missing_required_field');
  const { country, region, capturedAt } = checkAnonymousFacts(text, context, reasons);
  const age = text('age')
    ? ageAtCapture(text('age'), undefined, capturedAt ?? context.now, reasons)
    : undefined;
  const postal = fields.postal_prefix;
  if (postal !== undefined && (typeof postal !== 'string' || !POSTAL_PREFIX_PATTERN.test(postal)))
    reasons.add('invalid_postal_code');
  const flags: Record<string, boolean> = {};
  for (const flag of PING_FLAGS) {
    const value = fields[flag];
    if (value !== undefined && typeof value !== 'boolean') reasons.add('invalid_value');
    flags[flag] = value === true;
  }
  if (!flags.has_phone && !flags.has_email) reasons.add('no_contact');
  const interests = listOf(fields.interests);
  if (interests.length > 50 || interests.some((interest) => !SLUG.test(interest)))
    reasons.add('invalid_value');
  if (
    personalFields.length > 0 ||
    unknownFields.length > 0 ||
    reasons.size > 0 ||
    !capturedAt ||
    age === undefined ||
    !country
  )
    return { accepted: false, personalFields, unknownFields, reasons: [...reasons].sort() };
  const gender = text('gender');
  return {
    accepted: true,
    attributes: {
      vertical: context.vertical,
      age,
      ...(gender ? { gender: CONTRACT_GENDER[gender]! } : {}),
      country,
      ...(region ? { region } : {}),
      ...(typeof postal === 'string' ? { postalPrefix: postal } : {}),
      contacts: {
        phone: { present: flags.has_phone!, verified: flags.has_phone! },
        email: { present: flags.has_email!, verified: flags.has_email! },
      },
      ...(text('employment') ? { employment: text('employment') as LeadAttributesInput['employment'] } : {}),
      ...(text('marital_status')
        ? { maritalStatus: text('marital_status') as LeadAttributesInput['maritalStatus'] }
        : {}),
      interests: [...new Set(interests)],
      stage: (text('stage') ?? 'IQL') as LeadAttributesInput['stage'],
      sourceChannel: text('source_channel') ?? 'unknown',
      capturedAt: capturedAt.toISOString(),
    },
    present: {
      name: flags.has_name!,
      address: flags.has_address!,
      dateOfBirth: flags.has_date_of_birth!,
      certificate: flags.has_consent_certificate!,
      captureIp: flags.has_capture_ip!,
    },
  };
}
