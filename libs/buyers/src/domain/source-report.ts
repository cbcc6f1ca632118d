import {
  divideHalfEven,
  purchaseReport,
  type PurchaseReport,
  type PurchaseTotals,
} from './purchase-report.js';

/*
 * A buyer's report by source (docs/architecture.md §4 "Quality by source"): what the leads of each
 * seller's source (and sub-source) cost, how many came back and how many converted, so that a buyer
 * can include or exclude sources in its orders knowing their record. Sources are the sellers' own
 * names, so a source is always reported with its seller.
 */

/** What the read model counts for one (seller, source, sub-source, currency); null: leads without one. */
export interface BuyerSourceTotals extends PurchaseTotals {
  sellerId: string;
  source: string | null;
  subSource: string | null;
  currency: string;
  /** Sum of the quality scores the bought leads were listed with. */
  qualitySum: number;
}

export interface BuyerSourceFigures extends PurchaseReport {
  /** Returns accepted per lead bought, in basis points, rounded half-even; null before a purchase. */
  returnRateBps: number | null;
  /** Average quality score of the leads bought, to one decimal; null before a purchase. */
  averageQuality: number | null;
}

export interface BuyerSourceReport extends BuyerSourceFigures {
  sellerId: string;
  source: string | null;
  currency: string;
  subSources: (BuyerSourceFigures & { subSource: string | null })[];
}

type Counts = PurchaseTotals & { qualitySum: number };

const countsOf = (row: Counts): Counts => ({
  leadsBought: row.leadsBought,
  spend: row.spend,
  returnsRequested: row.returnsRequested,
  returnsAccepted: row.returnsAccepted,
  refunded: row.refunded,
  conversions: row.conversions,
  conversionValue: row.conversionValue,
  qualitySum: row.qualitySum,
});

const add = (a: Counts, b: Counts): Counts => ({
  leadsBought: a.leadsBought + b.leadsBought,
  spend: a.spend + b.spend,
  returnsRequested: a.returnsRequested + b.returnsRequested,
  returnsAccepted: a.returnsAccepted + b.returnsAccepted,
  refunded: a.refunded + b.refunded,
  conversions: a.conversions + b.conversions,
  conversionValue: a.conversionValue + b.conversionValue,
  qualitySum: a.qualitySum + b.qualitySum,
});

function figures(counts: Counts): BuyerSourceFigures {
  const { qualitySum, ...totals } = counts;
  const bought = totals.leadsBought;
  return {
    ...purchaseReport(totals),
    returnRateBps: bought === 0 ? null : divideHalfEven(totals.returnsAccepted * 10_000, bought),
    averageQuality: bought === 0 ? null : divideHalfEven(qualitySum * 10, bought) / 10,
  };
}

const compare = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

/**
 * One entry per seller, source and currency (sellers, then sources in order, leads without a
 * source last), each with its sub-sources; a source's figures are its sub-sources' sums.
 */
export function buyerSourceReport(rows: readonly BuyerSourceTotals[]): BuyerSourceReport[] {
  const groups = new Map<string, BuyerSourceTotals[]>();
  for (const row of rows) {
    const key = JSON.stringify([row.sellerId, row.source, row.currency]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()]
    .map((members) => {
      const { sellerId, source, currency } = members[0]!;
      return {
        sellerId,
        source,
        currency,
        ...figures(members.map(countsOf).reduce(add)),
        subSources: [...members]
          .sort((a, b) => compare(a.subSource, b.subSource))
          .map((row) => ({ subSource: row.subSource, ...figures(countsOf(row)) })),
      };
    })
    .sort(
      (a, b) =>
        compare(a.sellerId, b.sellerId) || compare(a.source, b.source) || compare(a.currency, b.currency),
    );
}
