import { SellerHistory } from '#lx/contracts';
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import {
  CurrentPrincipal,
  decodeCursor,
  encodeCursor,
  notFound,
  PageQuery,
  Roles,
  type Principal,
  Answers,
  IdParam,
} from '#lx/http';
import { DecideDispute } from '../application/dispute-commands.js';
import { GetDisputeEvents, GetEscalatedDisputes, GetSellerHistory } from '../application/dispute-queries.js';
import { DecisionAnswer, DisputeAnswer, EscalatedDisputesAnswer } from './responses.js';

export class DisputesQuery extends PageQuery {
  @ApiProperty({ enum: ['escalated'], description: 'Which disputes: `escalated` (waiting for an auditor)' })
  @IsIn(['escalated'])
  state!: 'escalated';
}

export class AuditorDecisionRequest {
  @ApiProperty({
    enum: ['accept', 'reject'],
    description: 'Accept the return (the buyer is refunded) or reject it',
  })
  @IsIn(['accept', 'reject'])
  outcome!: 'accept' | 'reject';

  /** Why: stated in the decision event and the dispute report. */
  @ApiProperty({
    minLength: 10,
    maxLength: 4000,
    description: 'Why: stated in the decision event and the dispute report',
  })
  @IsString()
  @Length(10, 4000)
  rationale!: string;
}

@ApiTags('settlement: disputes')
@Controller('v1/disputes')
export class DisputesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Answers(EscalatedDisputesAnswer, { description: 'Open escalations, oldest escalation first' })
  @Roles('auditor', 'operator')
  @ApiOperation({
    summary: 'The disputes waiting for an auditor: escalated returns not decided yet, in log order',
    description: 'Paged: `?limit=` (default 50); `nextCursor` fetches the next page with `?cursor=`.',
  })
  async escalated(@Query() query: DisputesQuery) {
    const after = decodeCursor(query.cursor, { c: 'position', p: 'position' });
    const { items, hasMore } = await this.queries.execute(
      new GetEscalatedDisputes(query.limit ?? 50, after ? { commit: after.c, prepare: after.p } : null),
    );
    const last = items.at(-1);
    if (!hasMore || !last) return { items };
    const [c, p] = last.position.split('/');
    return { items, nextCursor: encodeCursor({ c: c!, p: p! }) };
  }

  @Get(':allocationId')
  @Answers(DisputeAnswer, { description: 'The return’s events in log order' })
  @Roles('auditor', 'operator')
  @ApiOperation({ summary: 'The return of an allocation: request, seller response, escalation, decision' })
  async dispute(@IdParam('allocationId') allocationId: string) {
    const events = await this.queries.execute(new GetDisputeEvents(allocationId));
    if (events.length === 0) throw notFound(`Return of allocation ${allocationId}`);
    return { allocationId, events };
  }

  @Post(':allocationId/decision')
  @Answers(DecisionAnswer, { status: 201, description: 'The decision, recorded' })
  @HttpCode(201)
  @Roles('auditor')
  @ApiOperation({
    summary: 'Decide an escalated return (once); accepting voids the transfer and refunds the buyer',
  })
  async decide(
    @IdParam('allocationId') allocationId: string,
    @Body() body: AuditorDecisionRequest,
    @CurrentPrincipal() auditor: Principal,
  ) {
    const event = await this.commands.execute(
      new DecideDispute(allocationId, auditor.participantId, body.outcome, body.rationale),
    );
    return { type: event.type, ...(event.data as object) };
  }
}

@ApiTags('settlement: seller history')
@Controller('v1/sellers')
export class SellerHistoryController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':sellerId/history')
  @Answers(SellerHistory, { description: 'The seller’s record and score' })
  @Roles('seller', 'buyer', 'operator', 'auditor')
  @ApiOperation({
    summary: 'A seller’s record: leads sold, returns accepted, conversions reported, score 0–100',
  })
  async history(@IdParam('sellerId') sellerId: string) {
    const history = await this.queries.execute(new GetSellerHistory(sellerId));
    if (!history) throw notFound(`Seller ${sellerId}`);
    return history;
  }
}
