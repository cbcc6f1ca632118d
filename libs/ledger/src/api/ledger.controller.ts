import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  notFound,
  ProblemException,
  Roles,
  type Principal,
  Answers,
  IdParam,
  decodeCursor,
  toPage,
} from '#lx/http';
import { IssuePayout } from '../application/payout-commands.js';
import {
  GetAccountBalances,
  GetLedgerStatus,
  GetPayoutPage,
  GetTransfer,
  GetTransferPage,
} from '../application/ledger-queries.js';
import { AccountsQuery, PayoutRequest, PayoutsQuery, TransfersQuery } from './ledger.dtos.js';
import {
  AccountsAnswer,
  PayoutAnswer,
  PayoutsAnswer,
  ProjectionStatusAnswer,
  TransferAnswer,
  TransfersAnswer,
} from './responses.js';

@ApiTags('settlement: ledger')
@Controller('v1')
export class LedgerController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('ledger/accounts')
  @Answers(AccountsAnswer, { description: 'Ledger accounts and their balances' })
  @Roles('operator', 'auditor')
  @ApiOperation({ summary: 'Account balances (signed minor units; each currency sums to zero)' })
  async accounts(@Query() query: AccountsQuery) {
    return { items: await this.queries.execute(new GetAccountBalances(query)) };
  }

  @Get('ledger/transfers')
  @Answers(TransfersAnswer, { description: 'Transfers, newest first' })
  @Roles('operator', 'auditor')
  @ApiOperation({
    summary: 'Transfers (one per allocation), newest first; filter by status, buyer, seller or currency',
  })
  async transfers(@Query() query: TransfersQuery) {
    const limit = query.limit ?? 100;
    const before = decodeCursor(query.cursor, { c: 'position', p: 'position', a: 'uuid' });
    const rows = await this.queries.execute(new GetTransferPage(query, limit, before));
    const page = toPage(rows, limit, (last) => last.cursor);
    return { ...page, items: page.items.map(({ cursor: _cursor, ...transfer }) => transfer) };
  }

  @Get('payouts')
  @Answers(PayoutsAnswer, { description: 'Payouts to sellers, newest first' })
  @Roles('operator', 'auditor')
  @ApiOperation({ summary: 'Payouts issued to sellers, newest first; filter by seller or currency' })
  async payoutHistory(@Query() query: PayoutsQuery) {
    const limit = query.limit ?? 100;
    const before = decodeCursor(query.cursor, { e: 'position' });
    const rows = await this.queries.execute(new GetPayoutPage(query, limit, before?.e ?? null));
    const page = toPage(rows, limit, (last) => ({ e: last.entryId }));
    return { ...page, items: page.items.map(({ entryId: _entryId, ...payout }) => payout) };
  }

  @Get('ledger/transfers/:allocationId')
  @Answers(TransferAnswer, { description: 'The transfer of one allocation' })
  @Roles('operator', 'auditor')
  @ApiOperation({
    summary: 'The transfer of an allocation: pending, posted or voided, with its causing events',
  })
  async transfer(@IdParam('allocationId') allocationId: string) {
    const transfer = await this.queries.execute(new GetTransfer(allocationId));
    if (!transfer) throw notFound(`Transfer of allocation ${allocationId}`);
    return transfer;
  }

  @Get('ledger/status')
  @Answers(ProjectionStatusAnswer, { description: 'Where the ledger read model stands in the log' })
  @Roles('operator', 'auditor')
  @ApiOperation({
    summary:
      'The ledger projection: position, lag, the error that stopped it, if any, and whether every currency balances',
  })
  async status() {
    return this.queries.execute(new GetLedgerStatus());
  }

  @Post('payouts')
  @Answers(PayoutAnswer, { status: 201, description: 'The payout, issued' })
  @HttpCode(201)
  @Roles('seller', 'operator')
  @ApiOperation({ summary: 'Pay out a seller’s available balance in one currency' })
  async payOut(@Body() body: PayoutRequest, @CurrentPrincipal() principal: Principal) {
    const sellerId = principal.role === 'seller' ? principal.participantId : body.sellerId;
    if (!sellerId)
      throw new ProblemException(400, 'validation-failed', 'The request is not valid', 'sellerId: required');
    return this.commands.execute(new IssuePayout(sellerId, body.currency, principal.participantId));
  }
}
