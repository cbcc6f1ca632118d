/**
 * Commission in basis points of an integer price, rounded half to even (banker's rounding), so
 * that rounding favours neither the exchange nor the seller over many sales.
 */
export function commissionOn(price: number, basisPoints: number): number {
  if (!Number.isSafeInteger(price) || price < 0)
    throw new RangeError(`price must be minor units, got ${price}`);
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > 10_000)
    throw new RangeError(`basis points must be 0..10000, got ${basisPoints}`);
  // Exact in doubles for every safe-integer price, in one path: price = high·10000 + low, so
  // price·bp/10000 = high·bp + low·bp/10000, where high·bp ≤ price and low·bp < 10^8 stay exact
  // (`%` of integers is exact, and so is dividing out a remainder-free multiple).
  const low = price % 10_000;
  const high = (price - low) / 10_000;
  const lowProduct = low * basisPoints;
  const remainder = lowProduct % 10_000;
  const quotient = high * basisPoints + (lowProduct - remainder) / 10_000;
  const twiceRemainder = remainder * 2;
  const roundUp = twiceRemainder > 10_000 || (twiceRemainder === 10_000 && quotient % 2 === 1);
  return roundUp ? quotient + 1 : quotient;
}

/** Splits a price so that `price = proceeds + commission` holds exactly. */
export function splitPrice(price: number, commissionBps: number): { commission: number; proceeds: number } {
  const commission = commissionOn(price, commissionBps);
  return { commission, proceeds: price - commission };
}
