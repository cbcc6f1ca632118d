import { describe, expect, it } from '@jest/globals';

import {
  generateLeadRows,
  generateLeadRowsStream,
  type GeneratedLead,
  type LeadRowsOptions,
} from './lead-rows.js';
import { scenarioOneOrder } from './orders.js';
import {
  DISPOSABLE_EMAIL_DOMAINS,
  INTERESTS_BY_VERTICAL,
  findRegion,
  isPostalCodeOfRegion,
} from './reference-data.js';
import { ageOn } from './time-format.js';
import { BAD_ROW_REASONS, type BadRowReason, type LeadRow } from './upload-format.js';
import { leadRowsToCsv } from './writers.js';

const AROUND = new Date('2025-06-01T12:00:00.000Z');
const WINDOW_MINUTES = 1440;
const BASE: LeadRowsOptions = { seed: 42, count: 10_000, vertical: 'eyewear', capturedAround: AROUND };

const russian = generateLeadRows(BASE);
const mixed = generateLeadRows({ ...BASE, seed: 'mixed-market', country: 'mixed' });

/** E.164 of a Russian or Spanish mobile written in any usual way, or undefined if it is not one. */
function normalisePhone(phone: string): string | undefined {
  let digits = phone.trim().replace(/[\s()-]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  else if (digits.startsWith('00')) digits = digits.slice(2);
  else if (/^8\d{10}$/.test(digits)) digits = `7${digits.slice(1)}`;
  else if (/^[67]\d{8}$/.test(digits)) digits = `34${digits}`;
  return /^79\d{9}$/.test(digits) || /^34(6\d|7[1-4])\d{7}$/.test(digits) ? `+${digits}` : undefined;
}

const normaliseEmail = (email: string) => email.trim().toLowerCase();
const EMAIL_SYNTAX = /^[a-z0-9._-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/;

function ageOf(row: LeadRow): number {
  const at = row.captured_at ? new Date(row.captured_at) : AROUND;
  return row.age ?? ageOn(row.date_of_birth!, at);
}

/** A reference verifier, as small as possible: the reasons a row must be rejected for. */
function rejectionReasons(row: LeadRow): BadRowReason[] {
  const reasons = new Set<BadRowReason>();
  if (!row.external_id || !row.country || !row.region || !row.captured_at)
    reasons.add('missing_required_field');
  if (row.date_of_birth === undefined && row.age === undefined) reasons.add('missing_required_field');
  else if (ageOf(row) < 18) reasons.add('under_age');
  if (row.region && !findRegion(row.region)) reasons.add('unknown_region');
  if (row.phone !== undefined && !normalisePhone(row.phone)) reasons.add('invalid_phone');
  if (row.email !== undefined) {
    const email = normaliseEmail(row.email);
    if (!EMAIL_SYNTAX.test(email)) reasons.add('invalid_email');
    else if ((DISPOSABLE_EMAIL_DOMAINS as readonly string[]).includes(email.split('@')[1]!)) {
      reasons.add('disposable_email');
    }
  }
  if (row.captured_at && Date.parse(row.captured_at) > AROUND.getTime()) reasons.add('captured_in_future');
  const contactable = row.phone !== undefined || row.email !== undefined;
  const consented =
    row.consent_text && row.consent_text_version && row.consent_page_url && row.consent_captured_at;
  if (contactable && !consented) reasons.add('missing_consent');
  return [...reasons];
}

const share = (leads: GeneratedLead['expected'][], kind: string) =>
  leads.filter((expected) => expected.kind === kind).length / leads.length;

describe('generateLeadRows', () => {
  it('is reproducible: the same seed gives a byte-identical CSV, another seed a different one', () => {
    const options = { ...BASE, count: 2000 };
    const first = generateLeadRows(options);
    const second = generateLeadRows(options);
    expect(leadRowsToCsv(second.rows)).toBe(leadRowsToCsv(first.rows));
    expect(second.expected).toEqual(first.expected);
    expect(leadRowsToCsv(generateLeadRows({ ...options, seed: 43 }).rows)).not.toBe(
      leadRowsToCsv(first.rows),
    );
  });

  it('streams the very rows it returns as an array', async () => {
    const options = { ...BASE, count: 3000, country: 'mixed' as const };
    const streamed: GeneratedLead[] = [];
    for await (const lead of generateLeadRowsStream(options)) streamed.push(lead);
    const { rows, expected } = generateLeadRows(options);
    expect(streamed.map((lead) => lead.index)).toEqual(rows.map((_, index) => index));
    expect(streamed.map((lead) => lead.row)).toEqual(rows);
    expect(streamed.map((lead) => lead.expected)).toEqual(expected);
  });

  it.each([
    ['RU', russian],
    ['mixed', mixed],
  ])('keeps the partial, duplicate and bad shares within tolerance over 10 000 %s rows', (_, batch) => {
    expect(share(batch.expected, 'partial')).toBeGreaterThan(0.18);
    expect(share(batch.expected, 'partial')).toBeLessThan(0.22);
    expect(share(batch.expected, 'duplicate')).toBeGreaterThan(0.024);
    expect(share(batch.expected, 'duplicate')).toBeLessThan(0.036);
    expect(share(batch.expected, 'bad')).toBeGreaterThan(0.042);
    expect(share(batch.expected, 'bad')).toBeLessThan(0.058);
    for (const reason of BAD_ROW_REASONS) {
      expect(
        batch.expected.filter((expected) => expected.kind === 'bad' && expected.reason === reason).length,
      ).toBeGreaterThan(20);
    }
  });

  it('honours other shares, down to none and all', () => {
    const clean = generateLeadRows({ ...BASE, count: 500, partialShare: 0, duplicateShare: 0, badShare: 0 });
    expect(clean.expected.every((expected) => expected.kind === 'good')).toBe(true);
    const spoilt = generateLeadRows({ ...BASE, count: 500, partialShare: 0, duplicateShare: 0, badShare: 1 });
    expect(spoilt.expected.every((expected) => expected.kind === 'bad')).toBe(true);
    const newsletter = generateLeadRows({ ...BASE, count: 4000, partialShare: 0.6 });
    expect(share(newsletter.expected, 'partial')).toBeCloseTo(0.6, 1);
  });

  it.each([
    ['RU', russian],
    ['mixed', mixed],
  ])(
    'writes every good %s row valid: known region, adult, E.164 phone, consent, fresh capture',
    (_, batch) => {
      const interests = INTERESTS_BY_VERTICAL.eyewear.map((interest) => interest.code);
      const good = batch.rows.filter((_row, i) => batch.expected[i]!.kind === 'good');
      expect(good.length).toBeGreaterThan(7000);
      const problems = good.flatMap((row) => {
        const region = findRegion(row.region);
        const capturedAt = Date.parse(row.captured_at);
        return Object.entries({
          region: region?.country === row.country,
          postal: row.postal_code === undefined || isPostalCodeOfRegion(row.postal_code, region!),
          adult: ageOf(row) >= 18,
          phone: /^\+[1-9]\d{7,14}$/.test(row.phone!.replace(/[\s()-]/g, '')),
          email: EMAIL_SYNTAX.test(normaliseEmail(row.email!)),
          capturedInWindow:
            capturedAt <= AROUND.getTime() && capturedAt >= AROUND.getTime() - WINDOW_MINUTES * 60_000,
          consentBeforeCapture: Date.parse(row.consent_captured_at!) <= capturedAt,
          consent: !!row.consent_text && !!row.consent_text_version && !!row.consent_page_url,
          interests:
            row.interests!.length > 0 && row.interests!.every((interest) => interests.includes(interest)),
        })
          .filter(([, ok]) => !ok)
          .map(([check]) => `${row.external_id}: ${check}`);
      });
      expect(problems).toEqual([]);
    },
  );

  it('gives each partial row exactly the one contact its annotation names', () => {
    const problems = russian.rows.flatMap((row, i) => {
      const expected = russian.expected[i]!;
      if (expected.kind !== 'partial') return [];
      const ok =
        expected.reason === 'email_only'
          ? row.phone === undefined && EMAIL_SYNTAX.test(normaliseEmail(row.email!))
          : row.email === undefined && /^\+79\d{9}$/.test(row.phone!.replace(/[\s()-]/g, ''));
      return ok ? [] : [{ i, expected, phone: row.phone, email: row.email }];
    });
    expect(problems).toEqual([]);
  });

  it.each([
    ['RU', russian],
    ['mixed', mixed],
  ])(
    'annotates every %s row as a reference verifier judges it: one defect per bad row, none elsewhere',
    (_, batch) => {
      const mismatches = batch.rows.flatMap((row, i) => {
        const expected = batch.expected[i]!;
        const reasons = rejectionReasons(row);
        const wanted = expected.kind === 'bad' ? [expected.reason] : [];
        return JSON.stringify(reasons) === JSON.stringify(wanted) ? [] : [{ i, expected, reasons, row }];
      });
      expect(mismatches).toEqual([]);
    },
  );

  it('never repeats a phone or an e-mail by accident: only rows annotated as duplicates do', () => {
    for (const batch of [russian, mixed]) {
      const firstSightings = batch.rows.filter((_row, i) => batch.expected[i]!.kind !== 'duplicate');
      const phones = firstSightings.flatMap((row) => (row.phone && normalisePhone(row.phone)) || []);
      const emails = firstSightings.flatMap((row) => (row.email ? [normaliseEmail(row.email)] : []));
      expect(phones.length).toBeGreaterThan(7000);
      expect(new Set(phones).size).toBe(phones.length);
      expect(new Set(emails).size).toBe(emails.length);
    }
  });

  it("repeats an earlier accepted row's contacts, formatted differently, in every duplicate", () => {
    const duplicates = mixed.rows.flatMap((row, i) => {
      const expected = mixed.expected[i]!;
      return expected.kind === 'duplicate'
        ? [{ i, row, expected, original: mixed.rows[expected.duplicateOfRow]! }]
        : [];
    });
    expect(duplicates.length).toBeGreaterThan(200);
    const problems = duplicates.flatMap(({ i, row, expected, original }) => {
      const repeatsPhone = expected.reason !== 'same_email';
      const repeatsEmail = expected.reason !== 'same_phone';
      return Object.entries({
        pointsBack: expected.duplicateOfRow < i && original.external_id === expected.duplicateOf,
        originalAccepted: ['good', 'partial'].includes(mixed.expected[expected.duplicateOfRow]!.kind),
        newId: row.external_id !== original.external_id,
        later: Date.parse(row.captured_at) >= Date.parse(original.captured_at),
        samePhone: !repeatsPhone || normalisePhone(row.phone!) === normalisePhone(original.phone!),
        phoneWrittenDifferently: !repeatsPhone || row.phone !== original.phone,
        sameEmail: !repeatsEmail || normaliseEmail(row.email!) === normaliseEmail(original.email!),
        emailWrittenDifferently: !repeatsEmail || row.email !== original.email,
        otherContactNew:
          (repeatsPhone ||
            !row.phone ||
            normalisePhone(row.phone) !== normalisePhone(original.phone ?? '')) &&
          (repeatsEmail || !row.email || normaliseEmail(row.email) !== normaliseEmail(original.email ?? '')),
      })
        .filter(([, ok]) => !ok)
        .map(([check]) => `row ${i}: ${check}`);
    });
    expect(problems).toEqual([]);
  });

  it("writes Russian surnames in the bearer's gender and gives Spaniards two", () => {
    const accepted = mixed.rows.filter((_row, i) => mixed.expected[i]!.kind !== 'bad');
    const problems = accepted.filter(
      (row) =>
        (row.country === 'RU' && row.gender === 'female' && /(ов|ев|ёв|ин|ын|ий)$/.test(row.last_name!)) ||
        (row.country === 'RU' && row.gender === 'male' && /(ова|ева|ёва|ина|ая)$/.test(row.last_name!)) ||
        (row.country === 'ES' && row.last_name!.split(' ').length < 2) ||
        (row.country === 'ES' && row.phone !== undefined && !normalisePhone(row.phone)!.startsWith('+34')),
    );
    expect(problems).toEqual([]);
    expect(new Set(accepted.map((row) => row.country))).toEqual(new Set(['RU', 'ES']));
    expect(
      accepted.some(
        (row) => row.country === 'RU' && row.gender === 'female' && row.last_name!.endsWith('ова'),
      ),
    ).toBe(true);
  });

  it('holds enough leads for scenario 1 in a Russian eyewear batch of 10 000', () => {
    const { filters } = scenarioOneOrder();
    const eligible = russian.rows.filter(
      (row, i) =>
        russian.expected[i]!.kind === 'good' &&
        filters.regions!.includes(row.region) &&
        ageOf(row) >= filters.ageMin! &&
        filters.maritalStatus!.includes(row.marital_status!) &&
        row.interests!.some((interest) => filters.interestsAny!.includes(interest)),
    );
    expect(eligible.length).toBeGreaterThanOrEqual(50);
  });

  it('rejects options it cannot honour', () => {
    expect(() => generateLeadRows({ ...BASE, count: -1 })).toThrow(RangeError);
    expect(() => generateLeadRows({ ...BASE, partialShare: 0.7, badShare: 0.4 })).toThrow(RangeError);
    expect(() => generateLeadRows({ ...BASE, capturedAround: new Date('nonsense') })).toThrow(RangeError);
  });
});
