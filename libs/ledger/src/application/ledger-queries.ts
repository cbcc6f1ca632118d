import { Query } from '@nestjs/cqrs';
import type { ProjectionStatus } from '#lx/projections';
import type { BuyerStatement, SellerStatement } from '../domain/statements.js';
import type { AccountBalance, PayoutView, TransferFilter, TransferView } from './ledger-views.js';

/*
 * The reads of the ledger read model the API serves, one query each. Pages are asked for one row
 * over the limit, so that the caller can tell whether another page follows. Every handler only
 * reads the read model: they are adapters, in infrastructure/ledger-read-handlers.ts.
 */

type TransferCursor = { c: string; p: string; a: string };

export class GetAccountBalances extends Query<AccountBalance[]> {
  constructor(readonly filter: { ownerId?: string; currency?: string }) {
    super();
  }
}

export class GetTransferPage extends Query<
  (TransferView & { openedAt: string | null; cursor: TransferCursor })[]
> {
  constructor(
    readonly filter: TransferFilter,
    readonly limit: number,
    readonly before: TransferCursor | null,
  ) {
    super();
  }
}

export class GetPayoutPage extends Query<(PayoutView & { entryId: string })[]> {
  constructor(
    readonly filter: { sellerId?: string; currency?: string },
    readonly limit: number,
    readonly beforeEntry: string | null,
  ) {
    super();
  }
}

/** The transfer of one allocation, or null when the ledger has none. */
export class GetTransfer extends Query<TransferView | null> {
  constructor(readonly allocationId: string) {
    super();
  }
}

/** Where the ledger projection stands, its position as `<commit>/<prepare>` text, and whether it balances. */
export type LedgerStatus = Omit<ProjectionStatus, 'position'> & {
  position: string | null;
  balanced: boolean;
};

export class GetLedgerStatus extends Query<LedgerStatus> {}

/** A seller's statement in each currency asked for (all of the seller's currencies when none is). */
export class GetSellerStatements extends Query<SellerStatement[]> {
  constructor(
    readonly sellerId: string,
    readonly currency?: string,
  ) {
    super();
  }
}

/** A buyer's statement in each currency asked for (all of the buyer's currencies when none is). */
export class GetBuyerStatements extends Query<BuyerStatement[]> {
  constructor(
    readonly buyerId: string,
    readonly currency?: string,
  ) {
    super();
  }
}
