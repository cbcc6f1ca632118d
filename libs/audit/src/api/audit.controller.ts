import { Controller, Get, HttpCode, Inject, Param, ParseEnumPipe, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { ApiOperation, ApiTags, ApiParam, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
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
import { AuditTimelines } from '../application/timeline.js';
import { ProveReplay, StartReplayRun, VerifyReadModels } from '../application/audit-commands.js';
import { DisputeReports } from '../application/dispute-report.js';
import { AllocationExplanations } from '../application/allocation-explanation.js';
import { AuditSearch } from '../application/audit-search.js';
import { ParticipantNames } from '../application/participant-names.js';
import { ReplayRuns } from '../infrastructure/replay-runs.js';
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

/** Fields of event data that hold a participant's id. */
const PARTICIPANT_FIELDS = ['buyerId', 'sellerId', 'participantId', 'decidedBy', 'escalatedBy', 'auditorId'];

/** The participant ids an event's data names (competing bids' buyers included). */
function participantsNamedIn(data: unknown): string[] {
  if (!data || typeof data !== 'object') return [];
  const record = data as Record<string, unknown>;
  const ids = PARTICIPANT_FIELDS.map((field) => record[field]);
  if (Array.isArray(record.competingBids))
    ids.push(...record.competingBids.map((bid) => (bid as { buyerId?: unknown }).buyerId));
  return [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
}

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
    private readonly timelines: AuditTimelines,
    private readonly disputes: DisputeReports,
    private readonly explanations: AllocationExplanations,
    private readonly finder: AuditSearch,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runs: ReplayRuns,
  ) {}

  @Get('search')
  @Answers(SearchAnswer, { description: 'What the id is, or who has the name' })
  @ApiOperation({
    summary:
      'Find an entity by its id (lead, order, allocation, batch, participant, payout) or a participant by name',
  })
  async search(@Query() query: SearchQuery) {
    return { items: await this.finder.search(query.q) };
  }

  @Get('timeline/:kind/:id')
  @Answers(TimelineAnswer, { description: 'Every event that touched the entity, in log order' })
  @ApiOperation({
    summary:
      'Every event that touched a lead, order, allocation (dispute), participant, batch or payout, in log order',
    description:
      'Paged: `?limit=` (default 500, at most 500) events per page; `hasMore` says whether more follow and `nextCursor` (present only then) fetches them with `?cursor=`.',
  })
  async timeline(
    @Param('kind', new ParseEnumPipe(ENTITY_KINDS)) kind: EntityKind,
    @IdParam('id', 'reference') id: string,
    @Query() query: PageQuery,
  ) {
    const after = decodeCursor(query.cursor, { c: 'position', p: 'position' });
    const page = await this.timelines.page(
      kind,
      id,
      query.limit ?? 500,
      after ? { commit: after.c, prepare: after.p } : null,
    );
    if (page.events.length === 0 && !after) throw notFound(`${kind} ${id}`);
    const names = new ParticipantNames(this.store);
    const events = [];
    const participants: Record<string, string> = {};
    for (const event of page.events) {
      events.push({ ...event, actorName: await names.of(event.actor) });
      for (const mentioned of participantsNamedIn(event.data)) {
        const found = await names.find(mentioned);
        if (found) participants[mentioned] = found.name;
      }
    }
    return {
      kind,
      id,
      events,
      participants,
      hasMore: page.next !== null,
      ...(page.next ? { nextCursor: encodeCursor({ c: page.next.commit, p: page.next.prepare }) } : {}),
    };
  }

  @Get('allocations/:allocationId/explanation')
  @Answers(ExplanationAnswer, { description: 'The allocation explained and re-run' })
  @ApiOperation({
    summary:
      'The allocation as of its log position (lead, order and budget left, competing orders), its price recomputed by hand, and the engine re-run up to the input that triggered it: confirmed or refuted',
  })
  async explain(@IdParam('allocationId') allocationId: string) {
    const explanation = await this.explanations.explain(allocationId);
    const { recorded } = explanation;
    const names = new ParticipantNames(this.store);
    const participants: Record<string, string> = {};
    const ids = [
      recorded.buyerId,
      (recorded as { sellerId?: string }).sellerId,
      ...recorded.competingBids.map((b) => b.buyerId),
    ];
    for (const id of ids) if (id && !(id in participants)) participants[id] = await names.of(id);
    return { ...explanation, participants };
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
    const report = await this.disputes.build(allocationId, new Date());
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
    return { items: await this.runs.recent(20) };
  }

  @Get('replays/:runId')
  @Answers(ReplayRunAnswer, { description: 'The run: its state, progress and, once done, the proof' })
  @ApiOperation({ summary: 'A replay run: its state, how far it has read, and the proof once done' })
  async replayRun(@IdParam('runId') runId: string) {
    const run = await this.runs.get(runId);
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
    return this.store.verifyIntegrity(query.stream ? { streams: query.stream } : {});
  }
}
