import type { ContactSpace } from './contact-space.js';
import { CONSENT_FIELD_NAMES } from './consent-record.js';
import { drawDateOfBirth, drawEmail, type Person } from './person.js';
import { DISPOSABLE_EMAIL_DOMAINS, MOBILE_NUMBERING, UNKNOWN_REGION_CODES } from './reference-data.js';
import type { SeededRandom } from './seeded-random.js';
import { ageOn } from './time-format.js';
import type { BadRowReason, LeadColumnName, LeadRow } from './upload-format.js';

export interface DefectContext {
  rng: SeededRandom;
  contacts: ContactSpace;
  person: Person;
  capturedAt: Date;
  /** The generator's "now": rows are captured at or before it. */
  capturedAround: Date;
}

/**
 * Spoils one otherwise good row in the way named, the way real uploads go wrong. The row
 * keeps everything else, so verification has exactly one reason to reject it.
 */
export function applyDefect(
  row: LeadRow,
  reason: BadRowReason,
  context: DefectContext,
): { field?: LeadColumnName } {
  const { rng } = context;
  switch (reason) {
    case 'invalid_phone':
      row.phone = invalidPhone(rng, context.person);
      return { field: 'phone' };
    case 'invalid_email':
      row.email = invalidEmail(rng, context.person.email);
      return { field: 'email' };
    case 'disposable_email':
      row.email = drawEmail(rng, context.contacts, context.person, rng.pick(DISPOSABLE_EMAIL_DOMAINS));
      return { field: 'email' };
    case 'under_age': {
      // 14–16, not 17: the row must still be under age on the day a verifier looks at it.
      const dateOfBirth = drawDateOfBirth(rng, context.capturedAt, rng.int(14, 16));
      if (row.age !== undefined) row.age = ageOn(dateOfBirth, context.capturedAt);
      else row.date_of_birth = dateOfBirth;
      return { field: row.age !== undefined ? 'age' : 'date_of_birth' };
    }
    case 'captured_in_future': {
      // At least a day ahead, so that a verifier whose clock runs a little past capturedAround still sees it.
      const future = new Date(context.capturedAround.getTime() + rng.int(86_400, 30 * 86_400) * 1000);
      row.captured_at = future.toISOString();
      if (row.consent_captured_at) row.consent_captured_at = row.captured_at;
      return { field: 'captured_at' };
    }
    case 'missing_consent':
      for (const field of CONSENT_FIELD_NAMES) row[field] = undefined;
      return { field: 'consent_text' };
    case 'unknown_region':
      row.region = rng.pick(UNKNOWN_REGION_CODES[context.person.country]);
      return { field: 'region' };
    case 'missing_required_field':
      return { field: blankRequiredField(rng, row) };
  }
}

function invalidPhone(rng: SeededRandom, person: Person): string {
  const { countryCode, nationalLength } = MOBILE_NUMBERING[person.country];
  const national = person.mobileNumber;
  switch (rng.int(0, 3)) {
    case 0:
      return `+${countryCode} ${national.slice(0, nationalLength - rng.int(1, 3))}`;
    case 1:
      return `+${countryCode} ${national}${rng.int(0, 9)}`;
    case 2: {
      const position = rng.int(1, nationalLength - 1);
      return `+${countryCode} ${national.slice(0, position)}${rng.pick(['O', 'l', 'x'])}${national.slice(position + 1)}`;
    }
    default:
      // No Russian or Spanish number starts with 0 after the country code.
      return `+${countryCode} 0${national.slice(1)}`;
  }
}

function invalidEmail(rng: SeededRandom, email: string): string {
  const [local = '', domain = ''] = email.split('@');
  switch (rng.int(0, 4)) {
    case 0:
      return `${local}${domain}`;
    case 1:
      return `${local}@@${domain}`;
    case 2:
      return `${local.slice(0, 3)} ${local.slice(3)}@${domain}`;
    case 3:
      return `${local}@${domain.replace('.', ',')}`;
    default:
      return `${local}@`;
  }
}

function blankRequiredField(rng: SeededRandom, row: LeadRow): LeadColumnName {
  const field = rng.pick(['external_id', 'country', 'region', 'captured_at', 'date_of_birth'] as const);
  if (field === 'date_of_birth') {
    // Without a date of birth or an age, age >= 18 cannot be checked.
    row.date_of_birth = undefined;
    row.age = undefined;
  } else {
    row[field] = '';
  }
  return field;
}
