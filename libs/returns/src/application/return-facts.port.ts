import type { SaleReference } from '#lx/contracts';
import type { ReturnFacts } from '../domain/automatic-rules.js';
import {
  returnTermsInForce,
  type PublishedReturnTerms,
  type ReturnTerms,
  type ReturnTermsConfiguration,
} from '../domain/return-terms.js';

/*
 * What settlement's return use cases read of the log, through its read models (`rm_return_facts`,
 * `rm_pending_settlements`). Ports: the infrastructure implements them; the module wires them.
 */

/** An allocation as the return-facts read model keeps it, with its log position. */
export interface AllocationFacts extends SaleReference {
  currency: string;
  price: number;
  proceeds: number;
  commission: number;
  at: string;
  posCommit: string;
  posPrepare: string;
}

export class AllocationNotProjectedError extends Error {
  readonly code = 'allocation-not-found';
  constructor(allocationId: string) {
    super(`Allocation ${allocationId} is not in the return facts read model`);
  }
}

export interface ReturnFactsReader {
  /** Null when the read model has not seen the allocation (yet). */
  allocation(allocationId: string): Promise<AllocationFacts | null>;
  /** The market's settings last published before the allocation's log position; null when none. */
  marketSettingsBefore(allocation: AllocationFacts): Promise<PublishedReturnTerms | null>;
  /** Everything `judgeReturn` needs, read as of the allocation (and, for the cap, as of the request). */
  returnFacts(allocation: AllocationFacts, requestedAt: string, terms: ReturnTerms): Promise<ReturnFacts>;
}

/** What is still to settle, from which the scheduled jobs are derived again. */
export interface PendingSettlements {
  /** Allocations not finalized, with the status of their return if one was requested. */
  openAllocations: { allocationId: string; returnStatus: 'requested' | 'accepted' | 'rejected' | null }[];
  unansweredReturns: { allocationId: string; requestedAt: Date }[];
}

export interface PendingSettlementsReader {
  /** Waits until the read models behind `read` have applied every event of theirs already in the log. */
  caughtUp(): Promise<void>;
  read(): Promise<PendingSettlements>;
}

/** The terms of the market as they stood when the allocation happened. */
export async function returnTermsOf(
  reader: Pick<ReturnFactsReader, 'marketSettingsBefore'>,
  allocation: AllocationFacts,
  configuration: ReturnTermsConfiguration,
): Promise<ReturnTerms> {
  return returnTermsInForce(await reader.marketSettingsBefore(allocation), configuration);
}
