import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { formatPosition } from '#lx/event-store';
import { ProjectionsHost } from '#lx/projections';
import {
  GetAccountBalances,
  GetBuyerStatements,
  GetLedgerStatus,
  GetPayoutPage,
  GetSellerStatements,
  GetTransfer,
  GetTransferPage,
  type LedgerStatus,
} from '../application/ledger-queries.js';
import type { AccountBalance, TransferView } from '../application/ledger-views.js';
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
} from './ledger.queries.js';

/*
 * The handlers of the ledger's queries. Each only reads the ledger read model (and the projection's
 * status), so each is an adapter and lives here, next to the reads it runs (docs/architecture.md §1);
 * the messages are the application's.
 */

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
