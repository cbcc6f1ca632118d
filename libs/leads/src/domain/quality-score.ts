import type { VerifiedLead } from './verify-lead-row.js';

/** What the log tells about a seller's past leads. */
export interface SellerHistory {
  sold: number;
  returned: number;
  conversions: number;
}

export interface QualityScore {
  score: number;
  parts: { completeness: number; verification: number; freshness: number; sellerHistory: number };
}

/** How much each part weighs in the score; a seller sees the parts and can tell what to improve. */
export const QUALITY_WEIGHTS = { completeness: 0.35, verification: 0.3, freshness: 0.2, sellerHistory: 0.15 };

// A seller without history counts as this many sales at the neutral score, so that a first
// return does not sink a new seller and a first sale does not crown one.
const PRIOR_SALES = 20;
const NEUTRAL = 50;

/**
 * The quality score of DESIGN §4. A partial lead (e-mail only) scores lower in completeness and
 * verification: it is worth less, not worthless (scenario 2).
 */
export function scoreLead(
  lead: VerifiedLead,
  history: SellerHistory,
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

/** Sales kept count 100, sales returned 0, conversions add up to 20; blended with the neutral prior. */
export function sellerHistoryScore(history: SellerHistory): number {
  const kept = Math.max(0, history.sold - history.returned);
  const conversionBonus = history.sold > 0 ? Math.min(20, (history.conversions / history.sold) * 100) : 0;
  const raw = (NEUTRAL * PRIOR_SALES + 100 * kept) / (PRIOR_SALES + history.sold);
  return clamp(Math.round(raw + (conversionBonus * history.sold) / (PRIOR_SALES + history.sold)));
}

const clamp = (value: number) => Math.min(100, Math.max(0, value));
