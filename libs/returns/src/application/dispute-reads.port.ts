import type { SellerHistory } from '#lx/contracts';

/*
 * What the auditors' dispute queries read of settlement's read models (`rm_return_facts`,
 * `rm_seller_history`). A port: infrastructure/postgres-dispute-reads.ts implements it; the module
 * binds it.
 */

/** An escalated return no auditor has decided yet, as the auditors' queue lists it. */
export interface EscalatedReturn {
  allocationId: string;
  buyerId: string;
  sellerId: string;
  vertical: string;
  currency: string;
  price: number;
  reason: string | null;
  requestedAt: string;
  escalatedAt: string;
  position: string;
}

export abstract class DisputeReads {
  /** Open escalations in the order they were escalated (log order), after a log position. */
  abstract escalatedReturns(
    limit: number,
    after: { commit: string; prepare: string } | null,
  ): Promise<{ items: EscalatedReturn[]; hasMore: boolean }>;

  /** The seller's record as the seller-history read model keeps it (an empty one when it sold nothing). */
  abstract sellerHistory(sellerId: string): Promise<SellerHistory>;
}
