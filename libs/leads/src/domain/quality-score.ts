import { sellerHistoryScore, type SellerRecord } from '#lx/contracts';
import type { VerifiedLead } from './verify-lead-row.js';

export interface QualityScore {
  score: number;
  parts: { completeness: number; verification: number; freshness: number; sellerHistory: number };
}

/** How much each part weighs in the score; a seller sees the parts and can tell what to improve. */
export const QUALITY_WEIGHTS = { completeness: 0.35, verification: 0.3, freshness: 0.2, sellerHistory: 0.15 };

/**
 * The quality score of docs/architecture.md §4. A partial lead (e-mail only) scores lower in completeness and
 * verification: it is worth less, not worthless (scenario 2).
 */
export function scoreLead(
  lead: VerifiedLead,
  history: SellerRecord,
  now: Date,
  maxAgeDays: number,
): QualityScore {
  const { contacts } = lead.attributes;
  const completeness =
    (contacts.phone.present ? 30 : 0) +
    (contacts.email.present ? 30 : 0) +
    (lead.present.name ? 10 : 0) +
    (lead.present.address ? 10 : 0) +
    (lead.present.dateOfBirth ? 5 : 0) +
    (lead.attributes.gender ? 5 : 0) +
    (lead.attributes.employment ? 5 : 0) +
    (lead.attributes.maritalStatus ? 5 : 0);
  const verification =
    (contacts.phone.verified ? 40 : 0) +
    (contacts.email.verified ? 30 : 0) +
    (lead.present.certificate ? 20 : 0) +
    (lead.present.captureIp ? 10 : 0);
  const ageMs = Math.max(0, now.getTime() - Date.parse(String(lead.attributes.capturedAt)));
  const freshness = Math.round(100 * Math.max(0, 1 - ageMs / (maxAgeDays * 86_400_000)));
  const sellerHistory = sellerHistoryScore(history);
  const parts = { completeness, verification, freshness, sellerHistory };
  const score = Math.round(
    completeness * QUALITY_WEIGHTS.completeness +
      verification * QUALITY_WEIGHTS.verification +
      freshness * QUALITY_WEIGHTS.freshness +
      sellerHistory * QUALITY_WEIGHTS.sellerHistory,
  );
  return { score: clamp(score), parts };
}

const clamp = (value: number) => Math.min(100, Math.max(0, value));
