import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type IntegrityReport, type VerifyOptions } from '#lx/event-store';
import type { EntityKind } from '../domain/entity-references.js';
import { AllocationExplanations, type AllocationExplanation } from './allocation-explanation.js';
import { AuditSearch, type SearchMatch } from './audit-search.js';
import { DisputeReports, type DisputeReport } from './dispute-report.js';
import { ParticipantNames } from './participant-names.js';
import type { ReplayRun } from './replay-run.js';
import { AuditTimelines, type TimelineCursor, type TimelineEntry } from './timeline.js';

/*
 * The auditor's reads, one query each: every one reads the log or the audit index and changes
 * nothing. Participants an answer mentions are named, so that an auditor reads names, not ids.
 * The replay runs' queries only read the runs table: their handlers are adapters, in
 * infrastructure/replay-handlers.ts.
 */

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

/** Finds an entity by its id, or a participant by name. */
export class SearchAudit extends Query<SearchMatch[]> {
  constructor(readonly text: string) {
    super();
  }
}

export interface NamedTimeline {
  events: (TimelineEntry & { actorName: string })[];
  /** The name of every participant the events' data mention, by id. */
  participants: Record<string, string>;
  /** Where the next page starts; null when this page holds the last event. */
  next: TimelineCursor | null;
}

/** Up to `limit` events that touched an entity, after a position, in log order. */
export class GetTimeline extends Query<NamedTimeline> {
  constructor(
    readonly kind: EntityKind,
    readonly id: string,
    readonly limit: number,
    readonly after: TimelineCursor | null,
  ) {
    super();
  }
}

/** An allocation explained and re-run, with the names of the buyers and seller it involves. */
export class ExplainAllocation extends Query<
  AllocationExplanation & { participants: Record<string, string> }
> {
  constructor(readonly allocationId: string) {
    super();
  }
}

export class BuildDisputeReport extends Query<DisputeReport> {
  constructor(
    readonly allocationId: string,
    readonly now: Date,
  ) {
    super();
  }
}

/** The latest replay runs, newest first. */
export class ListReplayRuns extends Query<ReplayRun[]> {
  constructor(readonly limit: number) {
    super();
  }
}

export class GetReplayRun extends Query<ReplayRun | null> {
  constructor(readonly runId: string) {
    super();
  }
}

/** Verifies the hash chain of every stream (or of those named). */
export class VerifyIntegrity extends Query<IntegrityReport> {
  constructor(readonly options: VerifyOptions) {
    super();
  }
}

@QueryHandler(SearchAudit)
export class SearchAuditHandler implements IQueryHandler<SearchAudit> {
  constructor(private readonly finder: AuditSearch) {}

  execute({ text }: SearchAudit): Promise<SearchMatch[]> {
    return this.finder.search(text);
  }
}

@QueryHandler(GetTimeline)
export class GetTimelineHandler implements IQueryHandler<GetTimeline> {
  constructor(
    private readonly timelines: AuditTimelines,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ kind, id, limit, after }: GetTimeline): Promise<NamedTimeline> {
    const page = await this.timelines.page(kind, id, limit, after);
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
    return { events, participants, next: page.next };
  }
}

@QueryHandler(ExplainAllocation)
export class ExplainAllocationHandler implements IQueryHandler<ExplainAllocation> {
  constructor(
    private readonly explanations: AllocationExplanations,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ allocationId }: ExplainAllocation) {
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
}

@QueryHandler(BuildDisputeReport)
export class BuildDisputeReportHandler implements IQueryHandler<BuildDisputeReport> {
  constructor(private readonly disputes: DisputeReports) {}

  execute({ allocationId, now }: BuildDisputeReport): Promise<DisputeReport> {
    return this.disputes.build(allocationId, now);
  }
}

@QueryHandler(VerifyIntegrity)
export class VerifyIntegrityHandler implements IQueryHandler<VerifyIntegrity> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ options }: VerifyIntegrity): Promise<IntegrityReport> {
    return this.store.verifyIntegrity(options);
  }
}

/** The handlers declared here; the replay runs' are infrastructure/replay-handlers.ts's. */
export const auditQueryHandlers = [
  SearchAuditHandler,
  GetTimelineHandler,
  ExplainAllocationHandler,
  BuildDisputeReportHandler,
  VerifyIntegrityHandler,
];
