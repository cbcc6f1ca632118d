/*
 * Scenario 3's statements once every return window closed, at 600 RUB a lead and 15 % commission:
 * Anna sold 30 and two of her sales were returned, Boris sold 21 (Irina's lead last week among
 * them) and one was returned. The int spec reads them from the read models, the e2e spec from
 * the settlement API: both must show these figures.
 */

const PRICE = 60_000; // 600 RUB
const COMMISSION = 9_000; // 15 %
const PROCEEDS = PRICE - COMMISSION;

export const ANNA_STATEMENT = {
  sold: { count: 30, gross: 30 * PRICE, proceeds: 30 * PROCEEDS },
  returned: {
    count: 2,
    gross: 2 * PRICE,
    proceedsDebited: 2 * PROCEEDS,
    commissionReversed: 2 * COMMISSION,
  },
  commission: 28 * COMMISSION,
  paidOut: 0,
  balances: { pending: 0, available: 28 * PROCEEDS },
};

export const BORIS_STATEMENT = {
  sold: { count: 21, gross: 21 * PRICE, proceeds: 21 * PROCEEDS },
  returned: { count: 1, gross: PRICE, proceedsDebited: PROCEEDS, commissionReversed: COMMISSION },
  commission: 20 * COMMISSION,
  balances: { pending: 0, available: 20 * PROCEEDS },
};
