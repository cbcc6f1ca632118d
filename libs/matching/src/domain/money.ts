/**
 * Commission in basis points of an integer price, rounded half to even (banker's rounding), so
 * that rounding favours neither the exchange nor the seller over many sales.
 */
export function commissionOn(price: number, basisPoints: number): number {
  if (!Number.isSafeInteger(price) || price < 0)
    throw new RangeError(`price must be minor units, got ${price}`);
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > 10_000)
    throw new RangeError(`basis points must be 0..10000, got ${basisPoints}`);
  const product = price * basisPoints;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: a fast path only; the BigInt path below gives the same commission for every product
  if (product <= Number.MAX_SAFE_INTEGER) {
    // Exact in doubles: `%` of integers is exact, and so is dividing out a remainder-free multiple.
    const remainder = product % 10_000;
    const quotient = (product - remainder) / 10_000;
    const twiceRemainder = remainder * 2;
    const roundUp = twiceRemainder > 10_000 || (twiceRemainder === 10_000 && quotient % 2 === 1);
    return roundUp ? quotient + 1 : quotient;
  }
  const numerator = BigInt(price) * BigInt(basisPoints);
  const quotient = numerator / 10_000n;
  const twiceRemainder = (numerator % 10_000n) * 2n;
  const roundUp = twiceRemainder > 10_000n || (twiceRemainder === 10_000n && quotient % 2n === 1n);
  return Number(roundUp ? quotient + 1n : quotient);
}

/** Splits a price so that `price = proceeds + commission` holds exactly. */
export function splitPrice(price: number, commissionBps: number): { commission: number; proceeds: number } {
  const commission = commissionOn(price, commissionBps);
  return { commission, proceeds: price - commission };
}
