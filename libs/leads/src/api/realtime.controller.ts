import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  Answers,
  CurrentPrincipal,
  IdParam,
  notFound,
  ProblemException,
  Roles,
  type Principal,
} from '#lx/http';
import {
  GetPingAnswer,
  GetPostOutcome,
  PostLead,
  SendPing,
} from '../application/realtime/realtime-messages.js';
import {
  explainReasons,
  type PingAnswer,
  type PostAnswer,
  type RealtimeTerms,
} from '../application/realtime/realtime-selling.js';
import { PERSONAL_FIELDS, PING_COLUMNS, PING_FLAGS } from '../domain/ping-lead.js';
import { UploadTermsQuery } from './upload.dtos.js';
import { PingAnswerBody, PostedLeadAnswer } from './responses.js';

/** A lead posted alone: its listing terms, the seller's id for it, the row, and the ping it follows. */
export class PostLeadBody extends UploadTermsQuery {
  @ApiProperty({
    minLength: 1,
    maxLength: 128,
    description:
      "The seller's own id for the lead (the row's external_id): the lead's id derives from it, so a repeated post is the same lead and gets the same answer",
  })
  @IsString()
  @Length(1, 128)
  externalId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The lead as one upload row (the columns of GET /v1/upload-format, as in an NDJSON upload); external_id is taken from externalId',
  })
  @IsObject()
  lead!: Record<string, unknown>;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The ping this post follows: its price is honoured if it still stands',
  })
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/, { message: 'pingId must be a ping id' })
  pingId?: string;
}

/** A ping: the listing terms and the lead's anonymous attributes only. */
export class PingBody extends UploadTermsQuery {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: `The lead's anonymous attributes, named as upload columns (${PING_COLUMNS.join(', ')}), postal_prefix, and what it has (${PING_FLAGS.join(', ')}). Personal data (${PERSONAL_FIELDS.join(', ')}) is refused.`,
  })
  @IsObject()
  lead!: Record<string, unknown>;
}

function termsOf(body: UploadTermsQuery): RealtimeTerms {
  return {
    vertical: body.vertical,
    floor: body.floor,
    exclusivity:
      body.exclusivity === 'shared' ? { kind: 'shared', maxSales: body.maxSales! } : { kind: 'exclusive' },
    ...(body.listingLifetimeHours ? { listingLifetimeHours: body.listingLifetimeHours } : {}),
  };
}

const outcomeUrl = (leadId: string) => `/v1/leads/${leadId}/outcome`;
const answerUrl = (pingId: string) => `/v1/pings/${pingId}`;

/** What the seller is told about a posted lead: its status and, once sold, the sales. */
function postedLeadView(answer: PostAnswer) {
  const base = { leadId: answer.leadId, outcomeUrl: outcomeUrl(answer.leadId) };
  if (answer.status === 'rejected')
    return {
      ...base,
      status: 'rejected' as const,
      reasons: answer.reasons,
      messages: explainReasons(answer.reasons),
      ...(answer.pingId ? { ping: { pingId: answer.pingId } } : {}),
    };
  if (answer.status === 'pending')
    return {
      ...base,
      status: 'pending' as const,
      ...(answer.pingId ? { ping: { pingId: answer.pingId } } : {}),
    };
  const { outcome } = answer;
  return {
    ...base,
    status: outcome.outcome,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    currency: outcome.currency,
    buyers: outcome.sales.length,
    price: outcome.sales.reduce((sum, sale) => sum + sale.price, 0),
    proceeds: outcome.sales.reduce((sum, sale) => sum + sale.proceeds, 0),
    sales: outcome.sales.map(({ allocationId, price, proceeds }) => ({ allocationId, price, proceeds })),
    ...(outcome.ping ? { ping: outcome.ping } : {}),
  };
}

function pingView(answer: PingAnswer) {
  const base = { pingId: answer.pingId, answerUrl: answerUrl(answer.pingId) };
  if (answer.status === 'pending') return { ...base, status: 'pending' as const };
  const a = answer.answer;
  return {
    ...base,
    status: a.outcome,
    ...(a.reason ? { reason: a.reason } : {}),
    price: a.price,
    currency: a.currency,
    buyers: a.sales,
    validUntil: a.validUntil,
  };
}

/** Real-time selling (docs/architecture.md §5.2): one lead posted and answered in the same response. */
@ApiTags('sellers: real time')
@Roles('seller')
@Controller('v1/leads')
export class PostedLeadsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(200)
  @Answers(PostedLeadAnswer, {
    description:
      'The outcome: rejected (with the reasons), resting, sold (buyers, price, proceeds) or not_listed',
  })
  @Answers(PostedLeadAnswer, {
    status: 202,
    description: 'pending: the market has not answered within 5 s; read the outcome at outcomeUrl',
  })
  @ApiOperation({
    summary: 'Post one lead and hear in the same response whether it was rejected, rests or sold',
    description:
      "Verified, sealed, deduplicated and listed like a row of a batch. Idempotent by externalId: a repeated post answers the first one's outcome. With a pingId, the pinged price is honoured if the ping has not expired, the attributes are those pinged and the pinged bid still stands; otherwise `ping.refusal` says why and the lead is auctioned as usual.",
  })
  async post(
    @Body() body: PostLeadBody,
    @CurrentPrincipal() seller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const answer = await this.commands.execute(
      new PostLead({
        sellerId: seller.participantId,
        externalId: body.externalId,
        terms: termsOf(body),
        lead: body.lead,
        ...(body.pingId ? { pingId: body.pingId } : {}),
      }),
    );
    if (answer.status === 'pending') response.status(202);
    response.setHeader('Location', outcomeUrl(answer.leadId));
    return postedLeadView(answer);
  }

  @Get(':leadId/outcome')
  @Answers(PostedLeadAnswer, { description: 'The outcome of a posted lead, or pending' })
  @ApiOperation({ summary: 'The outcome of one of my posted leads' })
  async outcome(@IdParam('leadId') leadId: string, @CurrentPrincipal() seller: Principal) {
    const answer = await this.queries.execute(new GetPostOutcome(seller.participantId, leadId));
    if (!answer) throw notFound(`Posted lead ${leadId}`);
    return postedLeadView(answer);
  }
}

@ApiTags('sellers: real time')
@Roles('seller')
@Controller('v1/pings')
export class PingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(200)
  @Answers(PingAnswerBody, {
    description: 'The price the market would pay now for the lead, per buyer, and until when (or no_bid)',
  })
  @Answers(PingAnswerBody, {
    status: 202,
    description: 'pending: the market has not answered within 5 s; read the answer at answerUrl',
  })
  @ApiOperation({
    summary: "Ping with a lead's anonymous attributes: the price it would fetch if posted now",
    description:
      'No personal data: a ping carrying a personal field is refused (422 personal-data-in-ping). The answer stands until validUntil (the market setting pingTtlSeconds, 10 s by default); post the lead with its pingId to be paid at least that price.',
  })
  async ping(
    @Body() body: PingBody,
    @CurrentPrincipal() seller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const answer = await this.commands.execute(
      new SendPing({ sellerId: seller.participantId, terms: termsOf(body), lead: body.lead }),
    );
    if ('refused' in answer) {
      const { personalFields, unknownFields, reasons } = answer.refused;
      if (personalFields.length > 0)
        throw new ProblemException(
          422,
          'personal-data-in-ping',
          'A ping carries no personal data',
          `Remove ${personalFields.join(', ')}: a ping holds the lead's anonymous attributes only`,
          { fields: personalFields },
        );
      throw new ProblemException(
        422,
        'ping-not-valid',
        'The ping does not describe a lead that would verify',
        [...unknownFields.map((field) => `unknown field ${field}`), ...explainReasons(reasons)].join(' '),
        { reasons, unknownFields },
      );
    }
    if (answer.status === 'pending') response.status(202);
    return pingView(answer);
  }

  @Get(':pingId')
  @Answers(PingAnswerBody, { description: 'The answer to one of my pings, or pending' })
  @ApiOperation({ summary: 'The answer to one of my pings' })
  async get(@IdParam('pingId') pingId: string, @CurrentPrincipal() seller: Principal) {
    const answer = await this.queries.execute(new GetPingAnswer(seller.participantId, pingId));
    if (!answer) throw notFound(`Ping ${pingId}`);
    return pingView(answer);
  }
}
