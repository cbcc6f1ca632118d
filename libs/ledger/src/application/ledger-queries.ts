import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { formatPosition } from '#lx/event-store';
import { ProjectionsHost, type ProjectionStatus } from '#lx/projections';
import type { BuyerStatement, SellerStatement } from '../domain/statements.js';
import {
  accountBalances,
  currenciesOf,
  ledgerBalanced,
  payoutPage,
  readBuyerStatement,
  readSellerStatement,
  transferOf,
  transferPage,
  type AccountBalance,
  type PayoutView,
  type TransferFilter,
  type TransferView,
} from '../infrastructure/ledger.queries.js';

/*
 * The reads of the ledger read model the API serves, one query each. Pages are asked for one row
 * over the limit, so that the caller can tell whether another page follows.
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

@QueryHandler(GetAccountBalances)
export class GetAccountBalancesHandler implements IQueryHandler<GetAccountBalances> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ filter }: GetAccountBalances): Promise<AccountBalance[]> {
    return accountBalances(this.dataSource, filter);
  }
}

@QueryHandler(GetTransferPage)
export class GetTransferPageHandler implements IQueryHandler<GetTransferPage> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ filter, limit, before }: GetTransferPage) {
    return transferPage(this.dataSource, filter, limit, before);
  }
}

@QueryHandler(GetPayoutPage)
export class GetPayoutPageHandler implements IQueryHandler<GetPayoutPage> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ filter, limit, beforeEntry }: GetPayoutPage) {
    return payoutPage(this.dataSource, filter, limit, beforeEntry);
  }
}

@QueryHandler(GetTransfer)
export class GetTransferHandler implements IQueryHandler<GetTransfer> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ allocationId }: GetTransfer): Promise<TransferView | null> {
    return transferOf(this.dataSource, allocationId);
  }
}

@QueryHandler(GetLedgerStatus)
export class GetLedgerStatusHandler implements IQueryHandler<GetLedgerStatus> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly host: ProjectionsHost,
  ) {}

  async execute(): Promise<LedgerStatus> {
    const status = await this.host.runner('ledger').status();
    // Log positions travel as `<commit>/<prepare>` text, as everywhere else in the API.
    return {
      ...status,
      position: status.position ? formatPosition(status.position) : null,
      balanced: await ledgerBalanced(this.dataSource),
    };
  }
}

@QueryHandler(GetSellerStatements)
export class GetSellerStatementsHandler implements IQueryHandler<GetSellerStatements> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ sellerId, currency }: GetSellerStatements): Promise<SellerStatement[]> {
    const currencies = currency ? [currency] : await currenciesOf(this.dataSource, sellerId);
    return Promise.all(currencies.map((each) => readSellerStatement(this.dataSource, sellerId, each)));
  }
}

@QueryHandler(GetBuyerStatements)
export class GetBuyerStatementsHandler implements IQueryHandler<GetBuyerStatements> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ buyerId, currency }: GetBuyerStatements): Promise<BuyerStatement[]> {
    const currencies = currency ? [currency] : await currenciesOf(this.dataSource, buyerId);
    return Promise.all(currencies.map((each) => readBuyerStatement(this.dataSource, buyerId, each)));
  }
}

export const ledgerQueryHandlers = [
  GetAccountBalancesHandler,
  GetTransferPageHandler,
  GetPayoutPageHandler,
  GetTransferHandler,
  GetLedgerStatusHandler,
  GetSellerStatementsHandler,
  GetBuyerStatementsHandler,
];
