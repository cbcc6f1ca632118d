import { setImmediate as nextMacrotask } from 'node:timers/promises';

import { drawConsent } from './consent-record.js';
import { formatMobile, varyEmailFormatting } from './contact-formats.js';
import { ContactSpace } from './contact-space.js';
import { applyDefect } from './lead-defects.js';
import { drawEmail, drawPerson, type Person } from './person.js';
import {
  EMAIL_DOMAINS,
  IPV4_FIRST_OCTETS,
  IPV6_PREFIXES,
  SOURCE_CHANNEL_WEIGHTS,
  STAGE_WEIGHTS,
  type Country,
  type Vertical,
} from './reference-data.js';
import { SeededRandom, type Seed, type Weighted } from './seeded-random.js';
import { ageOn, formatInstant } from './time-format.js';
import { BAD_ROW_REASONS, type LeadExpectation, type LeadKind, type LeadRow } from './upload-format.js';

export interface LeadRowsOptions {
  seed: Seed;
  count: number;
  /** `mixed`: each row is Russian or Spanish at random. Default RU. */
  country?: Country | 'mixed';
  vertical: Vertical;
  /** The batch's "now": rows are captured in the window before it (bad future rows after it). */
  capturedAround: Date;
  /** Width of the capture window before `capturedAround`. Default 1440 (one day). */
  captureWindowMinutes?: number;
  /** E-mail-only or phone-only leads. Default 0.2. */
  partialShare?: number;
  /** Rows repeating an earlier row's person, contacts formatted differently. Default 0.03. */
  duplicateShare?: number;
  /** Rows with exactly one defect that verification must reject. Default 0.05. */
  badShare?: number;
}

export interface GeneratedLead {
  /** 0-based position in the batch (CSV data line = index + 2, NDJSON line = index + 1). */
  index: number;
  row: LeadRow;
  expected: LeadExpectation;
}

/** Rows and their expectations as parallel arrays: `expected[i]` describes `rows[i]`. */
export interface GeneratedLeads {
  rows: LeadRow[];
  expected: LeadExpectation[];
}

// Duplicates point back into a bounded window of recent people, so memory stays flat.
const DUPLICATE_POOL_SIZE = 4096;

interface PoolEntry {
  index: number;
  externalId: string;
  capturedAtMs: number;
  person: Person;
  hasPhone: boolean;
  hasEmail: boolean;
}

const MIXED_COUNTRIES: readonly Weighted<Country>[] = [
  ['RU', 55],
  ['ES', 45],
];

/** The generator itself: one row at a time, nothing retained but the duplicate window. */
export function* iterateLeadRows(options: LeadRowsOptions): Generator<GeneratedLead> {
  const settings = validated(options);
  const rng = new SeededRandom(settings.seed);
  const contacts = new ContactSpace(settings.seed);
  const pool: PoolEntry[] = [];
  let poolCursor = 0;
  const windowMs = settings.captureWindowMinutes * 60_000;
  const around = settings.capturedAround.getTime();

  for (let index = 0; index < settings.count; index++) {
    let kind = rng.weighted(settings.kinds);
    if (kind === 'duplicate' && pool.length === 0) kind = 'good';

    if (kind === 'duplicate') {
      const original = pool[rng.int(0, pool.length - 1)]!;
      // People come back after their first submission, not before it.
      const capturedAt = new Date(original.capturedAtMs + rng.int(0, around - original.capturedAtMs));
      const { row, expected } = duplicateRow(rng, contacts, original, settings.vertical, capturedAt);
      yield { index, row, expected };
      continue;
    }

    const capturedAt = new Date(around - rng.int(0, windowMs));
    const country = settings.country === 'mixed' ? rng.weighted(MIXED_COUNTRIES) : settings.country;
    const person = drawPerson(rng, contacts, country, settings.vertical, capturedAt);
    const row = rowFor(rng, person, settings.vertical, capturedAt);
    let expected: LeadExpectation = { kind: 'good' };
    if (kind === 'partial') {
      expected = { kind: 'partial', reason: rng.chance(0.6) ? 'email_only' : 'phone_only' };
      makePartial(rng, row, expected.reason);
    } else if (kind === 'bad') {
      const reason = rng.pick(BAD_ROW_REASONS);
      const { field } = applyDefect(row, reason, {
        rng,
        contacts,
        person,
        capturedAt,
        capturedAround: settings.capturedAround,
      });
      expected = { kind: 'bad', reason, field };
    }
    if (kind !== 'bad') {
      const entry: PoolEntry = {
        index,
        externalId: row.external_id,
        capturedAtMs: capturedAt.getTime(),
        person,
        hasPhone: !!row.phone,
        hasEmail: !!row.email,
      };
      pool[poolCursor++ % DUPLICATE_POOL_SIZE] = entry;
    }
    yield { index, row, expected };
  }
}

export function generateLeadRows(options: LeadRowsOptions): GeneratedLeads {
  const rows: LeadRow[] = [];
  const expected: LeadExpectation[] = [];
  for (const lead of iterateLeadRows(options)) {
    rows.push(lead.row);
    expected.push(lead.expected);
  }
  return { rows, expected };
}

/** The same rows as {@link generateLeadRows}, for batches too large to hold in memory. */
export async function* generateLeadRowsStream(options: LeadRowsOptions): AsyncGenerator<GeneratedLead> {
  for (const lead of iterateLeadRows(options)) {
    yield lead;
    // Let timers and I/O run now and then: a million rows must not starve the event loop.
    if (lead.index % 2048 === 2047) await nextMacrotask();
  }
}

function rowFor(rng: SeededRandom, person: Person, vertical: Vertical, capturedAt: Date): LeadRow {
  const { country, region } = person;
  const channel = rng.weighted(SOURCE_CHANNEL_WEIGHTS);
  const asksAge = rng.chance(0.15);
  const hasAddress = rng.chance(0.85);
  const writesLocalTime = rng.chance(0.25);
  return {
    external_id: rng.uuid(),
    first_name: person.firstName.written,
    last_name: person.surnames.map((surname) => surname.written).join(' '),
    email: person.email,
    phone: formatMobile(rng, country, person.mobileNumber, 'canonical'),
    date_of_birth: asksAge ? undefined : person.dateOfBirth,
    age: asksAge ? ageOn(person.dateOfBirth, capturedAt) : undefined,
    gender: rng.chance(0.97) ? person.gender : undefined,
    country,
    region: region.code,
    postal_code: hasAddress ? person.postalCode : undefined,
    address: hasAddress ? person.address : undefined,
    employment: person.employment,
    marital_status: person.maritalStatus,
    interests: person.interests.slice(),
    stage: rng.weighted(STAGE_WEIGHTS),
    source_channel: channel,
    captured_at: formatInstant(capturedAt, writesLocalTime ? region.utcOffsetMinutes : undefined),
    capture_ip: drawIp(rng, country),
    ...drawConsent(rng, vertical, country, channel, capturedAt),
  };
}

/** Scenario 2: the form asked for less; what remains is still a lead. */
function makePartial(rng: SeededRandom, row: LeadRow, reason: 'email_only' | 'phone_only'): void {
  if (reason === 'email_only') row.phone = undefined;
  else row.email = undefined;
  if (rng.chance(0.5)) {
    row.address = undefined;
    row.postal_code = undefined;
  }
  if (rng.chance(0.3)) {
    row.employment = undefined;
    row.marital_status = undefined;
  }
}

const DUPLICATE_SHAPES: readonly Weighted<'same_phone_and_email' | 'same_phone' | 'same_email'>[] = [
  ['same_phone_and_email', 70],
  ['same_phone', 15],
  ['same_email', 15],
];

/**
 * The same person submitting again, elsewhere: new id, time and session, the same phone
 * and/or e-mail typed differently; when only one of them repeats, the other is new.
 */
function duplicateRow(
  rng: SeededRandom,
  contacts: ContactSpace,
  original: PoolEntry,
  vertical: Vertical,
  capturedAt: Date,
): { row: LeadRow; expected: LeadExpectation } {
  const { person } = original;
  const reason =
    original.hasPhone && original.hasEmail
      ? rng.weighted(DUPLICATE_SHAPES)
      : original.hasPhone
        ? 'same_phone'
        : 'same_email';
  const row = rowFor(rng, person, vertical, capturedAt);
  const full = original.hasPhone && original.hasEmail;
  row.phone =
    reason !== 'same_email'
      ? formatMobile(rng, person.country, person.mobileNumber, 'variant')
      : full
        ? formatMobile(
            rng,
            person.country,
            contacts.mobileNumber(person.country, contacts.nextPersonIndex()),
            'canonical',
          )
        : undefined;
  row.email =
    reason !== 'same_phone'
      ? varyEmailFormatting(rng, person.email)
      : full
        ? drawEmail(rng, contacts, person, rng.weighted(EMAIL_DOMAINS[person.country]))
        : undefined;
  return {
    row,
    expected: { kind: 'duplicate', reason, duplicateOfRow: original.index, duplicateOf: original.externalId },
  };
}

function drawIp(rng: SeededRandom, country: Country): string {
  if (rng.chance(0.15)) {
    const group = () => rng.int(0, 0xffff).toString(16);
    return `${rng.pick(IPV6_PREFIXES[country])}:${group()}:${group()}::${group()}`;
  }
  return `${rng.pick(IPV4_FIRST_OCTETS[country])}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

interface Settings {
  seed: Seed;
  count: number;
  country: Country | 'mixed';
  vertical: Vertical;
  capturedAround: Date;
  captureWindowMinutes: number;
  kinds: readonly Weighted<LeadKind>[];
}

function validated(options: LeadRowsOptions): Settings {
  const { partialShare = 0.2, duplicateShare = 0.03, badShare = 0.05 } = options;
  if (!Number.isSafeInteger(options.count) || options.count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${options.count}`);
  }
  if (Number.isNaN(options.capturedAround.getTime()))
    throw new RangeError('capturedAround is not a valid date');
  const shares = [partialShare, duplicateShare, badShare];
  if (shares.some((share) => !(share >= 0 && share <= 1)) || partialShare + duplicateShare + badShare > 1) {
    throw new RangeError('partialShare, duplicateShare and badShare must be in [0, 1] and sum to at most 1');
  }
  return {
    seed: options.seed,
    count: options.count,
    country: options.country ?? 'RU',
    vertical: options.vertical,
    capturedAround: options.capturedAround,
    captureWindowMinutes: options.captureWindowMinutes ?? 1440,
    kinds: [
      ['good', Math.max(0, 1 - partialShare - duplicateShare - badShare)],
      ['partial', partialShare],
      ['duplicate', duplicateShare],
      ['bad', badShare],
    ],
  };
}
