/** The terms a seller lists a batch under; every accepted lead of the batch carries them. */
export interface ListingTerms {
  vertical: string;
  /** Minor units of the market's currency. */
  floor: number;
  currency: string;
  exclusivity: { kind: 'exclusive' } | { kind: 'shared'; maxSales: number };
  listingLifetimeHours: number;
}

export const expiresAt = (terms: ListingTerms, listedAt: Date): string =>
  new Date(listedAt.getTime() + terms.listingLifetimeHours * 3_600_000).toISOString();
