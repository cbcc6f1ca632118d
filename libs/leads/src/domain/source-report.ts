/*
 * A seller's report by source (docs/architecture.md §4 "Quality by source"): for each of the
 * seller's own sources and its sub-sources, what was listed and sold, what came back, what
 * converted, how good the leads scored and what they earned. Pure arithmetic over counted rows:
 * integer money in minor units, ratios in basis points rounded half to even.
 */

/** What the read model counts for one (source, sub-source, currency); `null`: leads without one. */
export interface SourceTotals {
  source: string | null;
  subSource: string | null;
  currency: string;
  /** Leads listed. */
  listed: number;
  /** Sales made (a shared lead counts once per buyer). */
  sold: number;
  /** Returns accepted against those sales. */
  returned: number;
  /** Sales the buyer reported converted. */
  conversions: number;
  /** Sum of the listed leads' quality scores (0–100 each). */
  qualitySum: number;
  /** Proceeds of the sales, net of the accepted returns, in minor units. */
  proceeds: number;
}

export interface SourceFigures {
  listed: number;
  sold: number;
  returned: number;
  /** Returns accepted per sale, in basis points (1250 = 12.5 %); null before the first sale. */
  returnRateBps: number | null;
  conversions: number;
  /** Conversions per sale, in basis points; null before the first sale. */
  conversionRateBps: number | null;
  /** Average quality score of the listed leads, to one decimal; null without leads. */
  averageQuality: number | null;
  proceeds: number;
}

export interface SubSourceReport extends SourceFigures {
  subSource: string | null;
}

export interface SourceReport extends SourceFigures {
  source: string | null;
  currency: string;
  /** The same figures split by sub-source (`null`: the source's leads without one). */
  subSources: SubSourceReport[];
}

/** Integer division rounded half to even: 2.5 → 2, 3.5 → 4. */
export function divideHalfEven(numerator: number, denominator: number): number {
  const quotient = Math.floor(numerator / denominator);
  const twice = (numerator - quotient * denominator) * 2;
  if (twice > denominator) return quotient + 1;
  if (twice < denominator) return quotient;
  return quotient % 2 === 0 ? quotient : quotient + 1;
}

type Counts = Omit<SourceTotals, 'source' | 'subSource' | 'currency'>;

export function sourceFigures(counts: Counts): SourceFigures {
  const { listed, sold, returned, conversions, proceeds } = counts;
  return {
    listed,
    sold,
    returned,
    returnRateBps: sold === 0 ? null : divideHalfEven(returned * 10_000, sold),
    conversions,
    conversionRateBps: sold === 0 ? null : divideHalfEven(conversions * 10_000, sold),
    averageQuality: listed === 0 ? null : divideHalfEven(counts.qualitySum * 10, listed) / 10,
    proceeds,
  };
}

const add = (a: Counts, b: Counts): Counts => ({
  listed: a.listed + b.listed,
  sold: a.sold + b.sold,
  returned: a.returned + b.returned,
  conversions: a.conversions + b.conversions,
  qualitySum: a.qualitySum + b.qualitySum,
  proceeds: a.proceeds + b.proceeds,
});

const NONE: Counts = { listed: 0, sold: 0, returned: 0, conversions: 0, qualitySum: 0, proceeds: 0 };

/** Orders tags with the untagged (null) last. */
const byTag = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

/**
 * One entry per source and currency, its sub-sources inside: sources in tag order (leads without a
 * source last), sub-sources likewise. A source's figures are the sums of its sub-sources' counts.
 */
export function sourceReport(rows: readonly SourceTotals[]): SourceReport[] {
  const groups = new Map<string, { source: string | null; currency: string; rows: SourceTotals[] }>();
  for (const row of rows) {
    const key = JSON.stringify([row.source, row.currency]);
    const group = groups.get(key) ?? { source: row.source, currency: row.currency, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort(
      (a, b) => byTag(a.source, b.source) || (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0),
    )
    .map((group) => ({
      source: group.source,
      currency: group.currency,
      ...sourceFigures(group.rows.reduce<Counts>(add, NONE)),
      subSources: [...group.rows]
        .sort((a, b) => byTag(a.subSource, b.subSource))
        .map((row) => ({ subSource: row.subSource, ...sourceFigures(row) })),
    }));
}
