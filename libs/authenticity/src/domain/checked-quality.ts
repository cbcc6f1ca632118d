import type { AuthenticityOutcome } from '#lx/contracts';

/*
 * What a contact check does to a lead's quality score (0–100) as the exchange reports it after
 * the check (docs/architecture.md §4.1): a person who confirmed the enquiry is the best
 * verification a lead can have; one who could not be reached makes the contact doubtful; one who
 * denied it makes the lead worthless. The seller's side of it is its record (`sellerHistoryScore`).
 */
export const CHECKED_QUALITY_EFFECT: Readonly<Record<AuthenticityOutcome, number>> = {
  confirmed: 15,
  unreachable: -30,
  denied: -100,
};

export function checkedLeadQuality(listedScore: number, outcome: AuthenticityOutcome): number {
  return Math.min(100, Math.max(0, listedScore + CHECKED_QUALITY_EFFECT[outcome]));
}
