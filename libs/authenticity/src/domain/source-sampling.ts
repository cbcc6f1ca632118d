import { createHash } from 'node:crypto';
import { deterministicUuid } from '#lx/contracts';

/*
 * Which leads of a seller's source are checked (docs/architecture.md §4.1, per source). A source
 * has no end, so it is not ranked as a whole like a batch: each lead is judged alone, from what
 * the log says of it — its place among the source's leads (the first few are always drawn, so a
 * new source is checked at once) and a hash of the lead (a share after), so that an auditor who
 * walks the log's listings redraws exactly the same leads, whatever order the sampler saw them in.
 */

/** The stream id of a seller's source in a market; an untagged lead's source is `null`. */
export function sourceSampleId(vertical: string, sellerId: string, source: string | null): string {
  return deterministicUuid('authenticity-source', vertical, sellerId, source ?? '');
}

const HASH_SPACE = 0x1_0000_0000;

/**
 * The lead's place in the hash space, 0 ≤ value < 2^32: the first 32 bits of sha-256 of
 * `<sellerId>|<source>|<leadId>` (untagged: an empty source), as an unsigned integer.
 */
export function sourceDrawValue(sellerId: string, source: string | null, leadId: string): number {
  const hex = createHash('sha256')
    .update(`${sellerId}|${source ?? ''}|${leadId}`)
    .digest('hex');
  return parseInt(hex.slice(0, 8), 16);
}

export interface SourceSamplingSettings {
  /** Share of the source's leads after its first `sampleMin`, whole percent; 0: the source is not sampled. */
  readonly samplePercent: number;
  readonly sampleMin: number;
}

/**
 * Whether the lead is drawn, and why: `first` when it is among the source's first `sampleMin`
 * leads (ordinal counts from 1), `share` when its hash falls under `samplePercent` % of the
 * space, null when it is not drawn (or the source is not sampled).
 */
export function sourceDrawReason(
  lead: { sellerId: string; source: string | null; leadId: string; ordinal: number },
  settings: SourceSamplingSettings,
): 'first' | 'share' | null {
  if (settings.samplePercent <= 0) return null;
  if (lead.ordinal <= settings.sampleMin) return 'first';
  // In integers (both sides below 2^53): value / 2^32 < percent / 100.
  return sourceDrawValue(lead.sellerId, lead.source, lead.leadId) * 100 < settings.samplePercent * HASH_SPACE
    ? 'share'
    : null;
}

/** A source is judged on at least this many answered checks, and at least the market's sample minimum. */
export const SOURCE_HOLD_MIN_CHECKS = 3;

export function sourceHoldMinAnswered(sampleMin: number): number {
  return Math.max(SOURCE_HOLD_MIN_CHECKS, sampleMin);
}
