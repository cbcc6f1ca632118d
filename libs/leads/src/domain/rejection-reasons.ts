/**
 * Why verification refuses a row: one code per rule of docs/architecture.md §4, shown to the seller with the
 * row's line. A row is refused with every reason that applies, not only the first.
 */
export const REJECTION_REASONS = {
  missing_required_field:
    'A required column is empty (external_id, country, region, captured_at, age or date_of_birth).',
  invalid_value: 'A value is not one of the accepted values or has the wrong type.',
  value_too_long: 'A cell is longer than the column allows.',
  wrong_column_count: 'The row has more or fewer cells than the header.',
  unknown_field: 'An NDJSON record has a key that is not an upload column.',
  malformed_record: 'An NDJSON line is not a JSON object.',
  duplicate_external_id: 'Another row of the batch has the same external_id.',
  no_contact: 'Neither a phone nor an e-mail: the lead cannot be contacted.',
  invalid_phone: 'The phone number is not a valid number of the row country once normalised to E.164.',
  invalid_email: 'The e-mail address is not a valid address.',
  disposable_email: 'The e-mail address belongs to a disposable (throwaway) mail domain.',
  under_age: 'The person is under 18 at capture.',
  invalid_date: 'date_of_birth, captured_at or consent_captured_at is not a valid date.',
  captured_in_future: 'captured_at is in the future.',
  capture_too_old: "captured_at is older than the market's limit.",
  missing_consent: 'A contactable lead without its consent record (text, version, page URL, time).',
  invalid_consent: 'The consent record is malformed (page URL not http(s), certificate without reference).',
  unknown_country: 'country is not an ISO 3166-1 alpha-2 code.',
  unknown_region: 'region is not an ISO 3166-2 subdivision of the country.',
  invalid_postal_code: 'postal_code does not have the shape of a postal code of the country.',
  invalid_ip: 'capture_ip is not an IPv4 or IPv6 address.',
  duplicate_in_batch: 'An earlier row of this batch has the same phone or e-mail.',
  duplicate_on_exchange:
    "The same phone or e-mail was listed on the exchange inside the market's dedupe window.",
  suppressed: 'The phone or e-mail is on the suppression list (do-not-contact, revoked consent).',
  do_not_contact:
    "The phone or e-mail is on an operator's do-not-contact list in force for the market at verification.",
  consent_stale: "The consent was given longer ago than the market's consent limit (consentMaxAgeDays).",
} as const;

export type RejectionReason = keyof typeof REJECTION_REASONS;
