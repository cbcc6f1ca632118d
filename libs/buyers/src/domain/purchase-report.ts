/*
 * What an order (or a whole account) really cost: docs/architecture.md §6 "buyer reporting". Integer money in
 * minor units; ratios rounded half-even so that a report is reproducible to the unit.
 */

export interface PurchaseTotals {
  leadsBought: number;
  /** Sum of the prices paid, in minor units. */
  spend: number;
  returnsRequested: number;
  returnsAccepted: number;
  /** Prices credited back for accepted returns. */
  refunded: number;
  conversions: number;
  /** Sum of the reported conversion values (same currency), in minor units. */
  conversionValue: number;
}

export interface PurchaseReport extends PurchaseTotals {
  netSpend: number;
  /** Average price per lead bought; null before the first lead. */
  costPerLead: number | null;
  /** Conversions per lead bought, in basis points (2200 = 22 %). */
  conversionRateBps: number | null;
  /** The same, in whole percent. */
  conversionRatePercent: number | null;
  /** Spend per conversion; null before the first conversion. */
  costPerAcquisition: number | null;
}

/** Integer division rounded half to even: 272727.27 → 272727, 2.5 → 2, 3.5 → 4. */
export function divideHalfEven(numerator: number, denominator: number): number {
  const quotient = Math.floor(numerator / denominator);
  const remainder = numerator - quotient * denominator;
  const twice = remainder * 2;
  if (twice > denominator) return quotient + 1;
  if (twice < denominator) return quotient;
  return quotient % 2 === 0 ? quotient : quotient + 1;
}

export function purchaseReport(totals: PurchaseTotals): PurchaseReport {
  const { leadsBought, spend, conversions } = totals;
  return {
    ...totals,
    netSpend: spend - totals.refunded,
    costPerLead: leadsBought === 0 ? null : divideHalfEven(spend, leadsBought),
    conversionRateBps: leadsBought === 0 ? null : divideHalfEven(conversions * 10_000, leadsBought),
    conversionRatePercent: leadsBought === 0 ? null : divideHalfEven(conversions * 100, leadsBought),
    costPerAcquisition: conversions === 0 ? null : divideHalfEven(spend, conversions),
  };
}
