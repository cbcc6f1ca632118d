import { AUTHENTICITY_OUTCOMES, type AuthenticityOutcome } from '#lx/contracts';
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import {
  Answers,
  CurrentPrincipal,
  decodeCursor,
  encodeCursor,
  IdParam,
  notFound,
  PageQuery,
  Roles,
  type Principal,
} from '#lx/http';
import {
  AnswerAuthenticityCheck,
  DecideAuthenticityHold,
  DecideAuthenticitySourceHold,
} from '../application/authenticity-commands.js';
import {
  GetAuthenticitySample,
  GetAuthenticitySource,
  ListAuthenticitySamples,
  ListAuthenticitySources,
  ListAuthenticityTasks,
} from '../application/authenticity-queries.js';
import {
  AuthenticityEventsAnswer,
  AuthenticitySampleAnswer,
  AuthenticitySamplesAnswer,
  AuthenticitySourceAnswer,
  AuthenticitySourcesAnswer,
  AuthenticityTasksAnswer,
} from './responses.js';

export class AnswerCheckRequest {
  @ApiProperty({
    enum: AUTHENTICITY_OUTCOMES,
    description:
      '`confirmed`: the person made the enquiry; `unreachable`: no answer on any contact; `denied`: the person never asked',
  })
  @IsIn(AUTHENTICITY_OUTCOMES)
  outcome!: AuthenticityOutcome;

  @ApiProperty({
    minLength: 5,
    maxLength: 4000,
    description: 'What was done and found (calls, times, answers); sealed under the lead’s key',
  })
  @IsString()
  @Length(5, 4000)
  evidence!: string;
}

export class HoldDecisionRequest {
  @ApiProperty({
    enum: ['release', 'withdraw'],
    description: '`release`: the held leads go back on sale; `withdraw`: they leave the market for good',
  })
  @IsIn(['release', 'withdraw'])
  decision!: 'release' | 'withdraw';

  @ApiProperty({ minLength: 5, maxLength: 2000, description: 'Why: recorded in the decision event' })
  @IsString()
  @Length(5, 2000)
  note!: string;
}

const SAMPLE_STATUSES = ['sampling', 'held', 'passed', 'released', 'withdrawn'] as const;

export class SamplesQuery {
  @ApiPropertyOptional({ enum: SAMPLE_STATUSES, description: 'Which samples (default `held`)' })
  @IsOptional()
  @IsIn(SAMPLE_STATUSES)
  status?: (typeof SAMPLE_STATUSES)[number];
}

const SOURCE_STATUSES = ['sampling', 'verified', 'held', 'released', 'withdrawn'] as const;

export class SourcesQuery {
  @ApiPropertyOptional({ enum: SOURCE_STATUSES, description: 'Which sources (default `held`)' })
  @IsOptional()
  @IsIn(SOURCE_STATUSES)
  status?: (typeof SOURCE_STATUSES)[number];
}

@ApiTags('settlement: authenticity checks')
@Controller('v1/authenticity')
export class AuthenticityController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('tasks')
  @Answers(AuthenticityTasksAnswer, { description: 'Open contact checks, oldest draw first' })
  @Roles('operator')
  @ApiOperation({
    summary: 'The verification staff’s queue: open contact checks with the person’s contact',
    description:
      'Operators only: each task carries the sampled lead’s contact, opened from the vault (each opening is logged). Paged: `?limit=` (default 50), `?cursor=`.',
  })
  async tasks(@Query() query: PageQuery, @CurrentPrincipal() operator: Principal) {
    const after = decodeCursor(query.cursor, { c: 'position', p: 'position', r: 'position' });
    const { items, hasMore, last } = await this.queries.execute(
      new ListAuthenticityTasks(
        operator.participantId,
        query.limit ?? 50,
        after ? { commit: after.c, prepare: after.p, rank: Number(after.r) } : null,
      ),
    );
    if (!hasMore || !last) return { items };
    return { items, nextCursor: encodeCursor({ c: last.commit, p: last.prepare, r: String(last.rank) }) };
  }

  @Post('tasks/:leadId/answer')
  @HttpCode(201)
  @Answers(AuthenticityEventsAnswer, {
    status: 201,
    description: 'The answer, and the hold or pass it caused',
  })
  @Roles('operator')
  @ApiOperation({
    summary: 'Answer a contact check: confirmed, unreachable or denied, with evidence (once)',
    description:
      'The answer that takes the sample’s failures above the market’s threshold holds the rest of the batch from sale; the last answer within it makes the batch sample-verified.',
  })
  async answer(
    @IdParam('leadId') leadId: string,
    @Body() body: AnswerCheckRequest,
    @CurrentPrincipal() operator: Principal,
  ) {
    const events = await this.commands.execute(
      new AnswerAuthenticityCheck(leadId, body.outcome, body.evidence, {
        kind: 'staff',
        id: operator.participantId,
      }),
    );
    return { events: events.map(({ type, data }) => ({ type, data: data as Record<string, unknown> })) };
  }

  @Get('samples')
  @Answers(AuthenticitySamplesAnswer, {
    description: 'Samples in that state, oldest draw first (at most 200)',
  })
  @Roles('operator', 'auditor')
  @ApiOperation({ summary: 'Authenticity samples by state: `held` ones wait for an operator’s decision' })
  async samples(@Query() query: SamplesQuery) {
    return { items: await this.queries.execute(new ListAuthenticitySamples(query.status ?? 'held', 200)) };
  }

  @Get('samples/:batchId')
  @Answers(AuthenticitySampleAnswer, { description: 'The sample, its tally and its checks' })
  @Roles('operator', 'auditor')
  @ApiOperation({ summary: 'A batch’s authenticity sample: state, tally and each check (no personal data)' })
  async sample(@IdParam('batchId') batchId: string) {
    const found = await this.queries.execute(new GetAuthenticitySample(batchId));
    if (!found) throw notFound(`Authenticity sample of batch ${batchId}`);
    return found;
  }

  @Post('samples/:batchId/decision')
  @HttpCode(201)
  @Answers(AuthenticityEventsAnswer, { status: 201, description: 'The decision, recorded' })
  @Roles('operator')
  @ApiOperation({
    summary: 'Decide a held batch: release it back to sale, or withdraw its leads from the market',
  })
  async decide(
    @IdParam('batchId') batchId: string,
    @Body() body: HoldDecisionRequest,
    @CurrentPrincipal() operator: Principal,
  ) {
    const events = await this.commands.execute(
      new DecideAuthenticityHold(
        batchId,
        body.decision === 'release' ? 'released' : 'withdrawn',
        operator.participantId,
        body.note,
      ),
    );
    return { events: events.map(({ type, data }) => ({ type, data: data as Record<string, unknown> })) };
  }

  @Get('sources')
  @Answers(AuthenticitySourcesAnswer, {
    description: 'Sellers’ sources in that state, oldest first draw first (at most 200)',
  })
  @Roles('operator', 'auditor')
  @ApiOperation({
    summary: 'Sellers’ sources by the state of their checks: `held` ones wait for an operator’s decision',
  })
  async sources(@Query() query: SourcesQuery) {
    return { items: await this.queries.execute(new ListAuthenticitySources(query.status ?? 'held', 200)) };
  }

  @Get('sources/:sourceId')
  @Answers(AuthenticitySourceAnswer, { description: 'The source’s record and the checks its rule drew' })
  @Roles('operator', 'auditor')
  @ApiOperation({
    summary:
      'A seller’s source in a market: its record since the last decision and its checks (no personal data)',
  })
  async source(@IdParam('sourceId') sourceId: string) {
    const found = await this.queries.execute(new GetAuthenticitySource(sourceId));
    if (!found) throw notFound(`Authenticity record of source ${sourceId}`);
    return found;
  }

  @Post('sources/:sourceId/decision')
  @HttpCode(201)
  @Answers(AuthenticityEventsAnswer, { status: 201, description: 'The decision, recorded' })
  @Roles('operator')
  @ApiOperation({
    summary: 'Decide a held source: release it back to sale (its record starts again), or withdraw its leads',
    description:
      '`withdraw` takes the source’s unsold leads off the market and keeps its new ones off sale in this market.',
  })
  async decideSource(
    @IdParam('sourceId') sourceId: string,
    @Body() body: HoldDecisionRequest,
    @CurrentPrincipal() operator: Principal,
  ) {
    const events = await this.commands.execute(
      new DecideAuthenticitySourceHold(
        sourceId,
        body.decision === 'release' ? 'released' : 'withdrawn',
        operator.participantId,
        body.note,
      ),
    );
    return { events: events.map(({ type, data }) => ({ type, data: data as Record<string, unknown> })) };
  }
}
