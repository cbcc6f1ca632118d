import { SellerHistory } from '#lx/contracts';
import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { loadParticipant } from '#lx/access';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
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
import { DataSource } from 'typeorm';
import { DecideDispute } from '../application/dispute-commands.js';
import { decideBy, RETURNS_OPTIONS, type ReturnsOptions } from '../application/returns-options.js';
import { readSellerHistory } from '../infrastructure/seller-history.projection.js';
import { escalatedReturns } from '../infrastructure/return-facts.queries.js';
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
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
    @Inject(RETURNS_OPTIONS) private readonly options: ReturnsOptions,
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
    const page = await escalatedReturns(
      this.dataSource,
      query.limit ?? 50,
      after ? { commit: after.c, prepare: after.p } : null,
    );
    const names = new Map<string, string | null>();
    const named = async (participantId: string) => {
      if (!names.has(participantId))
        names.set(participantId, (await loadParticipant(this.store, participantId)).state.name);
      return { participantId, name: names.get(participantId) ?? null };
    };
    const items = [];
    const now = Date.now();
    for (const { buyerId, sellerId, position, ...item } of page.items) {
      const deadline = decideBy(item.escalatedAt, this.options);
      items.push({
        ...item,
        decideBy: deadline,
        overdue: Date.parse(deadline) < now,
        position,
        buyer: await named(buyerId),
        seller: await named(sellerId),
      });
    }
    const last = page.items.at(-1);
    if (!page.hasMore || !last) return { items };
    const [c, p] = last.position.split('/');
    return { items, nextCursor: encodeCursor({ c: c!, p: p! }) };
  }

  @Get(':allocationId')
  @Answers(DisputeAnswer, { description: 'The return’s events in log order' })
  @Roles('auditor', 'operator')
  @ApiOperation({ summary: 'The return of an allocation: request, seller response, escalation, decision' })
  async dispute(@IdParam('allocationId') allocationId: string) {
    const events = await this.store.readStream(`return-${allocationId}`);
    if (events.length === 0) throw notFound(`Return of allocation ${allocationId}`);
    return {
      allocationId,
      events: events.map((event) => ({
        type: event.type,
        data: event.data,
        actor: event.metadata.actor,
        occurredAt: event.metadata.occurredAt,
        position: `${event.position.commit}/${event.position.prepare}`,
      })),
    };
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
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get(':sellerId/history')
  @Answers(SellerHistory, { description: 'The seller’s record and score' })
  @Roles('seller', 'buyer', 'operator', 'auditor')
  @ApiOperation({
    summary: 'A seller’s record: leads sold, returns accepted, conversions reported, score 0–100',
  })
  async history(@IdParam('sellerId') sellerId: string) {
    // A seller with no sales yet has no history row: whether the id is a seller is the participant's stream.
    const { state } = await loadParticipant(this.store, sellerId);
    if (!state.exists || state.role !== 'seller') throw notFound(`Seller ${sellerId}`);
    return readSellerHistory(this.dataSource, sellerId);
  }
}
