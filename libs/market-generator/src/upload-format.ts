import {
  CONSENT_CERTIFICATE_PROVIDERS,
  EMPLOYMENT_STATUSES,
  GENDERS,
  LEAD_STAGES,
  MARITAL_STATUSES,
  SOURCE_CHANNELS,
  type ConsentCertificateProvider,
  type Employment,
  type Gender,
  type LeadStage,
  type MaritalStatus,
  type SourceChannel,
} from './reference-data.js';

/**
 * One row of a seller's upload (CSV or NDJSON), as the seller sends it — before verification,
 * so values may be malformed. Required text columns are typed `string` but can be empty in a
 * defective row: in CSV an empty cell is how a value goes missing.
 */
export interface LeadRow {
  external_id: string;
  first_name?: string;
  last_name?: string;
  email?: string;
  phone?: string;
  date_of_birth?: string;
  age?: number;
  gender?: Gender;
  country: string;
  region: string;
  postal_code?: string;
  address?: string;
  employment?: Employment;
  marital_status?: MaritalStatus;
  interests?: string[];
  stage?: LeadStage;
  source_channel?: SourceChannel;
  captured_at: string;
  capture_ip?: string;
  consent_text_version?: string;
  consent_text?: string;
  consent_page_url?: string;
  consent_captured_at?: string;
  consent_sellers_named?: string[];
  consent_certificate_provider?: ConsentCertificateProvider;
  consent_certificate_ref?: string;
  source?: string;
  sub_source?: string;
}

export type LeadColumnName = keyof LeadRow;

export interface LeadColumn {
  name: LeadColumnName;
  /** Required in every row; an empty value counts as missing. */
  required: boolean;
  /** For columns required only in some rows: the condition, in words. */
  requiredWhen?: string;
  /** `list`: pipe-separated in CSV (`a|b`), a JSON array of strings in NDJSON. */
  type: 'string' | 'integer' | 'list';
  description: string;
  accepted: string;
  values?: readonly string[];
}

const CONTACTABLE = 'the row has a phone or an e-mail (every sellable lead does)';

/** The upload format, in CSV column order. */
export const LEAD_COLUMNS: readonly LeadColumn[] = [
  {
    name: 'external_id',
    required: true,
    type: 'string',
    description: "The seller's own id of the lead, unique within the batch.",
    accepted: 'any non-empty text, at most 128 characters',
  },
  {
    name: 'first_name',
    required: false,
    type: 'string',
    description: 'Given name(s) as the person wrote them.',
    accepted: 'UTF-8 text',
  },
  {
    name: 'last_name',
    required: false,
    type: 'string',
    description: 'Surname(s); Spanish leads carry two.',
    accepted: 'UTF-8 text',
  },
  {
    name: 'email',
    required: false,
    requiredWhen: 'phone is empty (at least one contact field)',
    type: 'string',
    description: 'E-mail address; matched case-insensitively after trimming.',
    accepted: 'RFC 5322 addr-spec; disposable domains are rejected',
  },
  {
    name: 'phone',
    required: false,
    requiredWhen: 'email is empty (at least one contact field)',
    type: 'string',
    description: 'Mobile number in any usual national or international format; normalised to E.164.',
    accepted: 'RU: +7 9xx xxx-xx-xx or 8 9xx …; ES: +34 6xx xxx xxx / 7xx',
  },
  {
    name: 'date_of_birth',
    required: false,
    requiredWhen: 'age is empty',
    type: 'string',
    description: 'Date of birth; the person must be 18 or over at capture.',
    accepted: 'YYYY-MM-DD',
  },
  {
    name: 'age',
    required: false,
    requiredWhen: 'date_of_birth is empty',
    type: 'integer',
    description: 'Age in whole years at capture, when the form asked for age instead of date of birth.',
    accepted: 'integer 18–120',
  },
  {
    name: 'gender',
    required: false,
    type: 'string',
    description: 'As the person declared it.',
    accepted: GENDERS.join(', '),
    values: GENDERS,
  },
  {
    name: 'country',
    required: true,
    type: 'string',
    description: 'Country of residence.',
    accepted: 'ISO 3166-1 alpha-2: RU, ES',
    values: ['RU', 'ES'],
  },
  {
    name: 'region',
    required: true,
    type: 'string',
    description: 'First-level subdivision of the country.',
    accepted: 'ISO 3166-2 code, e.g. RU-MOW, RU-SPE, ES-M, ES-B',
  },
  {
    name: 'postal_code',
    required: false,
    type: 'string',
    description: 'Postal code; its prefix should belong to the region.',
    accepted: 'RU: 6 digits; ES: 5 digits starting with the province number',
  },
  {
    name: 'address',
    required: false,
    type: 'string',
    description: 'Street address with city, free text.',
    accepted: 'UTF-8 text',
  },
  {
    name: 'employment',
    required: false,
    type: 'string',
    description: 'Employment status.',
    accepted: EMPLOYMENT_STATUSES.join(', '),
    values: EMPLOYMENT_STATUSES,
  },
  {
    name: 'marital_status',
    required: false,
    type: 'string',
    description: 'Marital status.',
    accepted: MARITAL_STATUSES.join(', '),
    values: MARITAL_STATUSES,
  },
  {
    name: 'interests',
    required: false,
    type: 'list',
    description: "What the person asked about, in the vertical's interest codes.",
    accepted: 'codes of the batch vertical, e.g. premium_glasses|sunglasses',
  },
  {
    name: 'stage',
    required: false,
    type: 'string',
    description: 'Qualification stage: information-, marketing- or sales-qualified.',
    accepted: LEAD_STAGES.join(', '),
    values: LEAD_STAGES,
  },
  {
    name: 'source_channel',
    required: false,
    type: 'string',
    description: 'How the person reached the form.',
    accepted: SOURCE_CHANNELS.join(', '),
    values: SOURCE_CHANNELS,
  },
  {
    name: 'captured_at',
    required: true,
    type: 'string',
    description: 'When the person submitted the form; not in the future.',
    accepted: 'ISO 8601 date-time with Z or an offset',
  },
  {
    name: 'capture_ip',
    required: false,
    type: 'string',
    description: 'IP address the form was submitted from.',
    accepted: 'IPv4 or IPv6',
  },
  {
    name: 'consent_text_version',
    required: false,
    requiredWhen: CONTACTABLE,
    type: 'string',
    description: "Version of the consent text shown, in the seller's numbering.",
    accepted: 'text',
  },
  {
    name: 'consent_text',
    required: false,
    requiredWhen: CONTACTABLE,
    type: 'string',
    description: 'The consent text exactly as shown; may contain quotes and line breaks.',
    accepted: 'UTF-8 text',
  },
  {
    name: 'consent_page_url',
    required: false,
    requiredWhen: CONTACTABLE,
    type: 'string',
    description: 'Page on which consent was given.',
    accepted: 'absolute https URL',
  },
  {
    name: 'consent_captured_at',
    required: false,
    requiredWhen: CONTACTABLE,
    type: 'string',
    description: 'When consent was given (at or just before captured_at).',
    accepted: 'ISO 8601 date-time',
  },
  {
    name: 'consent_sellers_named',
    required: false,
    type: 'list',
    description: 'Legal entities the consent text names as allowed to contact the person.',
    accepted: 'names, pipe-separated in CSV',
  },
  {
    name: 'consent_certificate_provider',
    required: false,
    type: 'string',
    description: 'Third party that recorded the consent session, if any.',
    accepted: CONSENT_CERTIFICATE_PROVIDERS.join(', '),
    values: CONSENT_CERTIFICATE_PROVIDERS,
  },
  {
    name: 'consent_certificate_ref',
    required: false,
    requiredWhen: 'consent_certificate_provider is set',
    type: 'string',
    description: 'Certificate URL (TrustedForm) or LeadiD token (Jornaya).',
    accepted: 'text',
  },
  {
    name: 'source',
    required: false,
    type: 'string',
    description:
      "The seller's own campaign or affiliate that produced the lead; buyers see returns, conversions and quality per source and can include or exclude it.",
    accepted: 'a tag of letters, digits and . _ -, starting with a letter or digit, at most 64 characters',
  },
  {
    name: 'sub_source',
    required: false,
    type: 'string',
    description: 'A finer split of the source (an affiliate’s sub-id, an ad group); only with source.',
    accepted: 'a tag like source',
  },
];

export const LEAD_COLUMN_NAMES: readonly LeadColumnName[] = LEAD_COLUMNS.map((column) => column.name);

export const BAD_ROW_REASONS = [
  'invalid_phone',
  'invalid_email',
  'disposable_email',
  'under_age',
  'captured_in_future',
  'missing_consent',
  'unknown_region',
  'missing_required_field',
] as const;
export type BadRowReason = (typeof BAD_ROW_REASONS)[number];

/**
 * What verification ought to conclude about a generated row, kept beside the row (never in
 * it) so a test can check the verifier against it. A bad row has exactly one defect.
 */
export type LeadExpectation =
  | { kind: 'good' }
  | { kind: 'partial'; reason: 'email_only' | 'phone_only' }
  | {
      kind: 'duplicate';
      reason: 'same_phone_and_email' | 'same_phone' | 'same_email';
      /** The earlier row of the same batch with the same person, by index and external id. */
      duplicateOfRow: number;
      duplicateOf: string;
    }
  | { kind: 'bad'; reason: BadRowReason; field?: LeadColumnName };

export type LeadKind = LeadExpectation['kind'];
