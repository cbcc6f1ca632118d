import { z } from 'zod';

/*
 * A seller's track record as buyers experienced it: how many of its sold leads were returned
 * (accepted returns) and how many were reported converted. One rule for the whole exchange: the
 * sellers app scores new listings with it (the quality score's `sellerHistory` part, which the
 * engine's "minimum seller quality" filter reads) and settlement reports it per seller.
 */

/** What the log tells about a seller's past leads. */
export interface SellerRecord {
  sold: number;
  returned: number;
  conversions: number;
  /** Authenticity checks of its leads answered `confirmed`, and `unreachable` or `denied` (§4.1). */
  checksConfirmed?: number;
  checksFailed?: number;
}

export const SellerHistory = z.strictObject({
  sellerId: z.string(),
  sold: z.int(),
  returned: z.int(),
  conversions: z.int(),
  returnRatePercent: z.int().describe('Whole percent of sold leads, rounded down; 0 before the first sale'),
  conversionRatePercent: z.int(),
  score: z
    .int()
    .min(0)
    .max(100)
    .describe('Starts neutral (50) and moves with the record as sales accumulate'),
  checksConfirmed: z.int().optional().describe('Authenticity checks of its leads that the person confirmed'),
  checksFailed: z.int().optional().describe('Authenticity checks answered unreachable or denied'),
});
export type SellerHistory = z.infer<typeof SellerHistory>;

/** Sales it takes before the record outweighs the neutral prior. */
const PRIOR_WEIGHT = 20;
const NEUTRAL = 50;

export function sellerHistory(sellerId: string, record: SellerRecord): SellerHistory {
  const { sold, returned, conversions } = record;
  const percent = (part: number) => (sold === 0 ? 0 : Math.floor((part * 100) / sold));
  return {
    sellerId,
    sold,
    returned,
    conversions,
    returnRatePercent: percent(returned),
    conversionRatePercent: percent(conversions),
    score: sellerHistoryScore(record),
    ...(record.checksConfirmed || record.checksFailed
      ? { checksConfirmed: record.checksConfirmed ?? 0, checksFailed: record.checksFailed ?? 0 }
      : {}),
  };
}

/** 0–100: neutral (50) for a new seller, then moving with the record as sales accumulate. */
export function sellerHistoryScore(record: SellerRecord): number {
  const salesScore = salesRecordScore(record);
  // Authenticity checks of the seller's leads (§4.1) move the score like a record of their own,
  // weighed against the score so far: a few checks nudge it, many failed ones sink it.
  const confirmed = record.checksConfirmed ?? 0;
  const checks = confirmed + (record.checksFailed ?? 0);
  if (checks === 0) return salesScore;
  const checked = (confirmed * 100) / checks;
  const score = Math.round(
    (salesScore * CHECKS_PRIOR_WEIGHT + checked * checks) / (CHECKS_PRIOR_WEIGHT + checks),
  );
  return Math.max(0, Math.min(100, score));
}

/** Checks it takes before they outweigh the score from sales. */
const CHECKS_PRIOR_WEIGHT = 10;

function salesRecordScore({ sold, returned, conversions }: SellerRecord): number {
  // Leads kept weigh most, conversions add to it; no returns and half converted is a perfect record.
  const kept = sold === 0 ? 0 : ((sold - returned) * 100) / sold;
  const converted = sold === 0 ? 0 : (conversions * 100) / sold;
  const record = Math.min(100, 0.8 * kept + 0.4 * converted);
  // Blended with a neutral prior, so that a seller's first few sales cannot swing it.
  const score = Math.round((record * sold + NEUTRAL * PRIOR_WEIGHT) / (sold + PRIOR_WEIGHT));
  return Math.max(0, Math.min(100, score));
}
