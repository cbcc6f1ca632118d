import { describe, expect, it } from '@jest/globals';
import { generateLeadRows, pingFieldsOf } from '#lx/market-generator';
import { recordOfJson } from '../application/upload/parse-upload.js';
import { packagedContactChecks } from '../infrastructure/contact-checks.js';
import { ContactFingerprinter } from './fingerprint.js';
import { verifyPingLead } from './ping-lead.js';
import { verifyLeadRow, type VerificationContext } from './verify-lead-row.js';

const now = new Date('2026-03-01T12:00:00Z');
const context: VerificationContext = {
  now,
  vertical: 'eyewear',
  maxLeadAgeDays: 90,
  sellerId: 'seller-1',
  checks: packagedContactChecks,
  fingerprints: new ContactFingerprinter('unit-test-fingerprint-key-0123456789abcdef'),
};

describe('a ping’s lead (docs/architecture.md §5.2)', () => {
  it('gives exactly the attributes the posted row lists with, for every kind of generated row', () => {
    const { rows } = generateLeadRows({
      seed: 'ping-unit',
      count: 400,
      vertical: 'eyewear',
      capturedAround: now,
      country: 'mixed',
      badShare: 0,
      duplicateShare: 0,
      partialShare: 0.3,
    });
    for (const row of rows) {
      const posted = verifyLeadRow(recordOfJson(row, 1), context);
      const pinged = verifyPingLead(pingFieldsOf(row), context);
      expect(posted.accepted && pinged.accepted).toBe(true);
      if (!posted.accepted || !pinged.accepted) continue;
      expect(pinged.attributes).toEqual(posted.lead.attributes);
      expect(pinged.present).toEqual(posted.lead.present);
    }
  });

  it('names the personal fields it carries, and refuses them', () => {
    const [row] = generateLeadRows({
      seed: 'ping-personal',
      count: 1,
      vertical: 'eyewear',
      capturedAround: now,
    }).rows;
    const verdict = verifyPingLead(
      { ...pingFieldsOf(row!), phone: '+7 916 123-45-67', first_name: 'Анна', shoe_size: 38 },
      context,
    );
    expect(verdict).toMatchObject({
      accepted: false,
      personalFields: ['phone', 'first_name'],
      unknownFields: ['shoe_size'],
    });
  });

  it('refuses attributes a row would be refused for, with the row’s reason codes', () => {
    const base = { country: 'RU', region: 'RU-MOW', captured_at: '2026-03-01T11:00:00Z', has_phone: true };
    const reasons = (fields: Record<string, unknown>) => {
      const verdict = verifyPingLead({ ...base, ...fields }, context);
      return verdict.accepted ? [] : verdict.reasons;
    };
    expect(reasons({ age: 30 })).toEqual([]);
    expect(reasons({ age: 16 })).toEqual(['under_age']);
    expect(reasons({ age: 30, region: 'ES-M' })).toEqual(['unknown_region']);
    expect(reasons({ age: 30, captured_at: '2026-03-02T12:00:00Z' })).toEqual(['captured_in_future']);
    expect(reasons({ age: 30, has_phone: false })).toEqual(['no_contact']);
    expect(reasons({ age: 30, has_email: 'yes' })).toEqual(['invalid_value']);
    expect(reasons({ age: 30, gender: 'robot' })).toEqual(['invalid_value']);
    expect(reasons({ age: 30, postal_prefix: '12 3' })).toEqual(['invalid_postal_code']);
    expect(reasons({})).toEqual(['missing_required_field']);
  });
});
