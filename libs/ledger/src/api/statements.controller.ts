import { Controller, ForbiddenException, Get, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Answers, csvDownload, CurrentPrincipal, IdParam, Roles, type Principal } from '#lx/http';
import { buyerStatementsCsv, sellerStatementsCsv } from '../domain/statement-csv.js';
import { GetBuyerStatements, GetSellerStatements } from '../application/ledger-queries.js';
import { StatementQuery } from './ledger.dtos.js';
import { BuyerStatementsAnswer, SellerStatementsAnswer } from './responses.js';

/** Statements from the ledger read model, as JSON or CSV (cells escaped against formula injection). */
@ApiTags('settlement: statements')
@Controller('v1/statements')
export class StatementsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('sellers/:sellerId')
  @Answers(SellerStatementsAnswer, {
    description: 'The seller’s statement per currency',
    documents: ['text/csv'],
  })
  @Roles('seller', 'operator', 'auditor')
  @ApiOperation({ summary: 'A seller’s statement: sold, returned, commission, paid out (JSON or CSV)' })
  async seller(
    @IdParam('sellerId') sellerId: string,
    @Query() query: StatementQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    ownOnly(principal, 'seller', sellerId);
    const statements = await this.queries.execute(new GetSellerStatements(sellerId, query.currency));
    if (query.format !== 'csv') return { items: statements };
    return csv(
      response,
      `statement-${sellerId}.csv`,
      sellerStatementsCsv(statements, query.dialect ?? 'spreadsheet'),
    );
  }

  @Get('buyers/:buyerId')
  @Answers(BuyerStatementsAnswer, {
    description: 'The buyer’s statement per currency',
    documents: ['text/csv'],
  })
  @Roles('buyer', 'operator', 'auditor')
  @ApiOperation({ summary: 'A buyer’s statement: deposits, spend, refunds (JSON or CSV)' })
  async buyer(
    @IdParam('buyerId') buyerId: string,
    @Query() query: StatementQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    ownOnly(principal, 'buyer', buyerId);
    const statements = await this.queries.execute(new GetBuyerStatements(buyerId, query.currency));
    if (query.format !== 'csv') return { items: statements };
    return csv(
      response,
      `statement-${buyerId}.csv`,
      buyerStatementsCsv(statements, query.dialect ?? 'spreadsheet'),
    );
  }
}

/** Sellers and buyers see their own statements only; operators and auditors see any. */
export function ownOnly(principal: Principal, role: 'seller' | 'buyer', ownerId: string): void {
  if (principal.role === role && principal.participantId !== ownerId)
    throw new ForbiddenException('A participant sees only its own statements');
}

function csv(response: Response, filename: string, document: string): string {
  csvDownload(response, filename);
  return document;
}
