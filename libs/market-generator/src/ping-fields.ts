import { ageOn } from './time-format.js';
import type { LeadRow } from './upload-format.js';

/** How many leading characters of a postal code the exchange keeps as the lead's postal prefix. */
const PREFIX_LENGTH: Record<string, number> = { RU: 3, ES: 2 };

/**
 * The anonymous part of an upload row, as a ping (POST /v1/pings) takes it: the attribute columns,
 * the postal prefix and flags for what the row has — never a name, contact, address or date of
 * birth. A lead posted from the same row lists with exactly these attributes.
 */
export function pingFieldsOf(row: LeadRow): Record<string, unknown> {
  const country = row.country.toUpperCase();
  const postal = row.postal_code?.toUpperCase().replace(/[ -]/g, '');
  const age = row.date_of_birth ? ageOn(row.date_of_birth, new Date(row.captured_at)) : row.age;
  const fields: Record<string, unknown> = {
    age,
    gender: row.gender,
    country: row.country,
    region: row.region,
    postal_prefix: postal ? postal.slice(0, PREFIX_LENGTH[country] ?? 3) : undefined,
    employment: row.employment,
    marital_status: row.marital_status,
    interests: row.interests,
    stage: row.stage,
    source_channel: row.source_channel,
    captured_at: row.captured_at,
    has_phone: !!row.phone,
    has_email: !!row.email,
    has_name: !!(row.first_name || row.last_name),
    has_address: !!(row.address || row.postal_code),
    has_date_of_birth: !!row.date_of_birth,
    has_consent_certificate: !!row.consent_certificate_provider,
    has_capture_ip: !!row.capture_ip,
  };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}
