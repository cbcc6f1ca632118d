import { Controller, Get, HttpCode, Param, ParseEnumPipe, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { ApiOperation, ApiTags, ApiParam, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  Answers,
  AnswersDocument,
  CurrentPrincipal,
  decodeCursor,
  encodeCursor,
  IdParam,
  notFound,
  PageQuery,
  Roles,
  type Principal,
} from '#lx/http';
import { ENTITY_KINDS, type EntityKind } from '../domain/entity-references.js';
import { ProveReplay, StartReplayRun, VerifyReadModels } from '../application/audit-commands.js';
import {
  BuildDisputeReport,
  ExplainAllocation,
  GetReplayRun,
  GetTimeline,
  ListReplayRuns,
  SearchAudit,
  VerifyIntegrity,
} from '../application/audit-queries.js';
import {
  renderDisputeReportHtml,
  renderDisputeReportPdf,
} from '../infrastructure/dispute-report-documents.js';
import {
  ExplanationAnswer,
  IntegrityAnswer,
  ReadModelsAnswer,
  ReplayAnswer,
  ReplayRunAnswer,
  ReplayRunsAnswer,
  SearchAnswer,
  TimelineAnswer,
} from './responses.js';

class SearchQuery {
  @ApiProperty({
    example: 'Optika',
    description: 'An id (lead, order, allocation, batch, participant, payout) or a name',
  })
  @IsString()
  @Length(1, 160)
  q!: string;
}

const REPORT_FORMATS = ['json', 'html', 'pdf'] as const;

class ReplayQuery {
  @ApiPropertyOptional({ example: '812/4711', description: 'Replay up to and including this log position' })
  @IsOptional()
  @Matches(/^\d{1,20}\/\d{1,20}$/, { message: 'upTo must be a log position <commit>/<prepare>' })
  upTo?: string;
}

class IntegrityQuery {
  @ApiPropertyOptional({ type: [String], description: 'Check only these streams (repeat the parameter)' })
  @IsOptional()
  @Transform(({ value }) => (Array.isArray(value) ? value : [value]))
  @IsArray()
  @IsString({ each: true })
  stream?: string[];
}

/** The auditor's read-only tools (operators may use them too). */
@ApiTags('audit')
@Roles('auditor', 'operator')
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('search')
  @Answers(SearchAnswer, { description: 'What the id is, or who has the name' })
  @ApiOperation({
    summary:
      'Find an entity by its id (lead, order, allocation, batch, participant, payout, ping, do-not-contact list, authenticity sample) or a participant by name',
  })
  async search(@Query() query: SearchQuery) {
    return { items: await this.queries.execute(new SearchAudit(query.q)) };
  }

  @Get('timeline/:kind/:id')
  @Answers(TimelineAnswer, { description: 'Every event that touched the entity, in log order' })
  @ApiOperation({
    summary:
      'Every event that touched a lead, order, allocation (dispute), participant, batch, payout, ping, do-not-contact list or authenticity sample, in log order',
    description:
      'Kinds: `lead`, `order`, `allocation`, `participant`, `batch`, `payout`, `ping` (a seller’s ping, its answer and the post that followed), `doNotContactList` (an operator’s list: its creation, entries counted, end, and the leads it withdrew) and `authenticitySample` (a batch’s sample, by the batch’s id). Events of pings, posted leads, lists and samples carry a `summary` in words. Paged: `?limit=` (default 500, at most 500) events per page; `hasMore` says whether more follow and `nextCursor` (present only then) fetches them with `?cursor=`.',
  })
  async timeline(
    @Param('kind', new ParseEnumPipe(ENTITY_KINDS)) kind: EntityKind,
    @IdParam('id', 'reference') id: string,
    @Query() query: PageQuery,
  ) {
    const after = decodeCursor(query.cursor, { c: 'position', p: 'position' });
    const { events, participants, next } = await this.queries.execute(
      new GetTimeline(kind, id, query.limit ?? 500, after ? { commit: after.c, prepare: after.p } : null),
    );
    if (events.length === 0 && !after) throw notFound(`${kind} ${id}`);
    return {
      kind,
      id,
      events,
      participants,
      hasMore: next !== null,
      ...(next ? { nextCursor: encodeCursor({ c: next.commit, p: next.prepare }) } : {}),
    };
  }

  @Get('allocations/:allocationId/explanation')
  @Answers(ExplanationAnswer, { description: 'The allocation explained and re-run' })
  @ApiOperation({
    summary:
      'The allocation as of its log position (lead, order and budget left, competing orders), its price recomputed by hand, and the engine re-run up to the input that triggered it: confirmed or refuted',
  })
  async explain(@IdParam('allocationId') allocationId: string) {
    return this.queries.execute(new ExplainAllocation(allocationId));
  }

  @Get('disputes/:allocationId/report.:format')
  @ApiParam({ name: 'format', enum: REPORT_FORMATS, description: 'json, html or pdf' })
  @AnswersDocument(
    ['application/json', 'text/html', 'application/pdf'],
    'The dispute report in the format asked for',
  )
  @ApiOperation({
    summary:
      'The dispute report of an allocation: facts, rule, finding and evidence positions (json, html or pdf)',
  })
  async disputeReport(
    @IdParam('allocationId') allocationId: string,
    @Param('format', new ParseEnumPipe(REPORT_FORMATS)) format: (typeof REPORT_FORMATS)[number],
    @Res() response: Response,
  ): Promise<void> {
    const report = await this.queries.execute(new BuildDisputeReport(allocationId, new Date()));
    if (format === 'json') response.json(report);
    else if (format === 'html') response.type('text/html').send(renderDisputeReportHtml(report));
    else
      response
        .type('application/pdf')
        .setHeader('Content-Disposition', `attachment; filename="dispute-${allocationId}.pdf"`)
        .send(await renderDisputeReportPdf(report));
  }

  @Post('replay')
  @Answers(ReplayAnswer, { description: 'The replay proof per market' })
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Replay proof: re-run every market's matching engine over the log in a scratch process and compare each output with the recorded one (digest, first divergence)",
    description: 'One replay runs at a time in the deployment; a request made meanwhile waits for its turn.',
  })
  replay(@Query() query: ReplayQuery) {
    return this.commands.execute(new ProveReplay(query.upTo));
  }

  @Post('replays')
  @Answers(ReplayRunAnswer, { status: 202, description: 'The replay, started (or queued behind another)' })
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start the replay proof in the background; watch it at the Location given',
    description:
      'The same proof as POST /v1/audit/replay, as a run: the answer comes at once, and GET /v1/audit/replays/{id} tells its state, how far it has read, and at the end the proof.',
  })
  async startReplay(
    @Query() query: ReplayQuery,
    @CurrentPrincipal() auditor: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const run = await this.commands.execute(new StartReplayRun(auditor.participantId, query.upTo));
    response.setHeader('Location', `/v1/audit/replays/${run.id}`);
    return run;
  }

  @Get('replays')
  @Answers(ReplayRunsAnswer, { description: 'The latest replay runs, newest first' })
  @ApiOperation({ summary: 'The latest 20 replay runs, newest first' })
  async replayRuns() {
    return { items: await this.queries.execute(new ListReplayRuns(20)) };
  }

  @Get('replays/:runId')
  @Answers(ReplayRunAnswer, { description: 'The run: its state, progress and, once done, the proof' })
  @ApiOperation({ summary: 'A replay run: its state, how far it has read, and the proof once done' })
  async replayRun(@IdParam('runId') runId: string) {
    const run = await this.queries.execute(new GetReplayRun(runId));
    if (!run) throw notFound(`Replay run ${runId}`);
    return run;
  }

  @Post('read-models/verify')
  @Answers(ReadModelsAnswer, { description: 'Each read model rebuilt and compared' })
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Rebuild every read model of the settlement app from the log into fresh tables and compare them with the live ones',
  })
  async verifyReadModels() {
    return this.commands.execute(new VerifyReadModels());
  }

  @Get('integrity')
  @Answers(IntegrityAnswer, { description: 'The integrity check of the hash chains' })
  @ApiOperation({ summary: "Verify every stream's hash chain; reports the first event that does not verify" })
  integrity(@Query() query: IntegrityQuery) {
    return this.queries.execute(new VerifyIntegrity(query.stream ? { streams: query.stream } : {}));
  }
}
