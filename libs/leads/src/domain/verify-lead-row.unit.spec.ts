import { describe, expect, it } from '@jest/globals';
import { generateLeadRows, leadRowsToCsv } from '#lx/market-generator';
import { packagedContactChecks } from '../infrastructure/contact-checks.js';
import { parseUpload } from '../application/upload/parse-upload.js';
import { ContactFingerprinter } from './fingerprint.js';
import { scoreLead } from './quality-score.js';
import { verifyLeadRow, type VerificationContext } from './verify-lead-row.js';
import type { NumberedRecord } from './raw-lead-record.js';

const now = new Date('2026-03-01T12:00:00Z');
const context: VerificationContext = {
  now,
  vertical: 'eyewear',
  maxLeadAgeDays: 90,
  sellerId: 'seller-1',
  checks: packagedContactChecks,
  fingerprints: new ContactFingerprinter('unit-test-fingerprint-key-0123456789abcdef'),
};

async function parsed(csv: string): Promise<NumberedRecord[]> {
  const records: NumberedRecord[] = [];
  for await (const record of parseUpload(oneChunk(csv), 'csv', { maxRows: 100_000, maxBytes: 1e9 }))
    records.push(record);
  return records;
}

async function* oneChunk(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

describe('verifying generated rows', () => {
  it('accepts good, partial and (row-level) duplicate rows and rejects each bad row with its own reason', async () => {
    const { rows, expected } = generateLeadRows({
      seed: 'verify-unit',
      count: 2000,
      vertical: 'eyewear',
      capturedAround: now,
      country: 'mixed',
      badShare: 0.2,
      partialShare: 0.2,
    });
    const records = await parsed(leadRowsToCsv(rows, { delimiter: ';', bom: true }));
    expect(records).toHaveLength(rows.length);
    const mismatches: string[] = [];
    records.forEach((record, index) => {
      const verdict = verifyLeadRow(record, context);
      const expectation = expected[index]!;
      expect(record.line).toBe(index + 2);
      if (expectation.kind === 'bad') {
        if (verdict.accepted || verdict.reasons.join() !== expectation.reason)
          mismatches.push(
            `${index}: expected ${expectation.reason}, got ${verdict.accepted ? 'accepted' : verdict.reasons.join()}`,
          );
      } else if (!verdict.accepted)
        mismatches.push(`${index} (${expectation.kind}): rejected ${verdict.reasons.join()}`);
    });
    expect(mismatches).toEqual([]);
  });

  it('normalises duplicates typed differently to the same fingerprints', async () => {
    const { rows, expected } = generateLeadRows({
      seed: 'dupes',
      count: 400,
      vertical: 'eyewear',
      capturedAround: now,
      duplicateShare: 0.3,
      badShare: 0,
    });
    const records = await parsed(leadRowsToCsv(rows));
    let checked = 0;
    expected.forEach((expectation, index) => {
      if (expectation.kind !== 'duplicate') return;
      const duplicate = verifyLeadRow(records[index]!, context);
      const original = verifyLeadRow(records[expectation.duplicateOfRow]!, context);
      if (!duplicate.accepted || !original.accepted) throw new Error('both rows should verify');
      const same =
        (expectation.reason !== 'same_email' &&
          duplicate.lead.fingerprints.phone === original.lead.fingerprints.phone) ||
        (expectation.reason !== 'same_phone' &&
          duplicate.lead.fingerprints.email === original.lead.fingerprints.email);
      expect(same).toBe(true);
      checked++;
    });
    expect(checked).toBeGreaterThan(50);
  });

  it('scores an e-mail-only lead lower than the same lead with a phone, and keeps the parts visible', async () => {
    const { rows } = generateLeadRows({
      seed: 'score',
      count: 1,
      vertical: 'eyewear',
      capturedAround: now,
      badShare: 0,
      partialShare: 0,
      duplicateShare: 0,
    });
    const full = rows[0]!;
    const [withPhone, emailOnly] = await parsed(
      leadRowsToCsv([full, { ...full, external_id: 'x2', phone: undefined }]),
    );
    const a = verifyLeadRow(withPhone!, context);
    const b = verifyLeadRow(emailOnly!, context);
    if (!a.accepted || !b.accepted) throw new Error('both should verify');
    const history = { sold: 0, returned: 0, conversions: 0 };
    const fullScore = scoreLead(a.lead, history, now, 90);
    const partialScore = scoreLead(b.lead, history, now, 90);
    expect(partialScore.score).toBeLessThan(fullScore.score);
    expect(partialScore.parts.completeness).toBe(fullScore.parts.completeness - 30);
    expect(partialScore.parts.sellerHistory).toBe(50);
    expect(b.lead.attributes.contacts.phone).toEqual({ present: false, verified: false });
  });
});

describe('the consent page URL', () => {
  it('keeps the page and drops the query and fragment, which may carry pre-filled contact fields', async () => {
    const { rows } = generateLeadRows({
      seed: 'consent-url',
      count: 1,
      vertical: 'eyewear',
      capturedAround: now,
      badShare: 0,
    });
    const row = {
      ...rows[0]!,
      consent_page_url: 'https://shop.example.ru/form?phone=%2B79161234567&email=a%40b.ru#done',
    };
    const [record] = await parsed(leadRowsToCsv([row]));
    const verdict = verifyLeadRow(record!, context);
    if (!verdict.accepted) throw new Error(`rejected: ${verdict.reasons.join()}`);
    expect(verdict.lead.consent.pageUrl).toBe('https://shop.example.ru/form');
  });
});

describe('the source and sub-source', () => {
  const verdictWith = async (change: { source?: string; sub_source?: string }) => {
    const { rows } = generateLeadRows({
      seed: 'sources',
      count: 1,
      vertical: 'eyewear',
      capturedAround: now,
      badShare: 0,
    });
    const [record] = await parsed(leadRowsToCsv([{ ...rows[0]!, ...change }]));
    return verifyLeadRow(record!, context);
  };

  it('carries the seller’s source tags into the lead’s attributes, and none when the row has none', async () => {
    const tagged = await verdictWith({ source: 'Google-Ads', sub_source: 'brand_2026.q1' });
    if (!tagged.accepted) throw new Error(`rejected: ${tagged.reasons.join()}`);
    expect(tagged.lead.attributes).toMatchObject({ source: 'Google-Ads', subSource: 'brand_2026.q1' });
    const plain = await verdictWith({});
    if (!plain.accepted) throw new Error(`rejected: ${plain.reasons.join()}`);
    expect(plain.lead.attributes).not.toHaveProperty('source');
    expect(plain.lead.attributes).not.toHaveProperty('subSource');
  });

  it('rejects a malformed tag, and a sub-source without its source', async () => {
    for (const change of [
      { source: 'google ads' },
      { source: '-x' },
      { source: 'g'.repeat(65) },
      { sub_source: 'brand' },
      { source: 'google', sub_source: 'a/b' },
    ]) {
      const verdict = await verdictWith(change);
      expect([change, verdict.accepted ? [] : verdict.reasons]).toEqual([change, ['invalid_value']]);
    }
  });
});

describe("the market's consent limit", () => {
  it('refuses a row whose consent is older than consentMaxAgeDays at verification (consent_stale), not without a limit', async () => {
    const { rows } = generateLeadRows({
      seed: 'consent-age',
      count: 1,
      vertical: 'eyewear',
      capturedAround: now,
      badShare: 0,
    });
    const row = { ...rows[0]!, consent_captured_at: new Date(now.getTime() - 40 * 86_400_000).toISOString() };
    const [record] = await parsed(leadRowsToCsv([row]));
    expect(verifyLeadRow(record!, context).accepted).toBe(true);
    expect(verifyLeadRow(record!, { ...context, consentMaxAgeDays: 60 }).accepted).toBe(true);
    expect(verifyLeadRow(record!, { ...context, consentMaxAgeDays: 30 })).toMatchObject({
      accepted: false,
      reasons: ['consent_stale'],
    });
  });
});
