import { createHash } from 'node:crypto';

/*
 * Which leads of a batch are checked (docs/architecture.md §4.1): a share of the accepted leads,
 * at least a minimum, drawn by a ranking seeded by the batch, so that anyone holding the batch id
 * and its accepted lead ids (both in the log) draws the same leads again.
 */

export interface SamplingSettings {
  /** Share of the accepted leads, whole percent; 0 turns sampling off. */
  readonly samplePercent: number;
  /** The fewest leads drawn (fewer only when the batch has fewer). */
  readonly sampleMin: number;
}

/** How many of `population` accepted leads are drawn: ⌈population × percent / 100⌉, at least the minimum. */
export function sampleSize(population: number, settings: SamplingSettings): number {
  if (settings.samplePercent <= 0 || population <= 0) return 0;
  const share = Math.ceil((population * settings.samplePercent) / 100);
  return Math.min(population, Math.max(settings.sampleMin, share));
}

/** The rank of a lead in its batch's draw: sha-256 of `<batchId>|<leadId>`, hex. */
export function drawRank(batchId: string, leadId: string): string {
  return createHash('sha256').update(`${batchId}|${leadId}`).digest('hex');
}

/**
 * The sample of a batch: its accepted leads ranked by `drawRank` (ties, impossible in practice,
 * by lead id), the first `size` of them. The order the ids come in does not matter.
 */
export function drawSample(batchId: string, leadIds: readonly string[], size: number): string[] {
  if (size <= 0) return [];
  return [...new Set(leadIds)]
    .map((leadId) => ({ leadId, rank: drawRank(batchId, leadId) }))
    .sort((a, b) =>
      a.rank !== b.rank ? (a.rank < b.rank ? -1 : 1) : a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0,
    )
    .slice(0, size)
    .map(({ leadId }) => leadId);
}
