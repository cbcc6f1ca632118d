import { Inject, Injectable, Optional } from '@nestjs/common';
import { marketLocale, marketSettingsInForce, type MarketSettingsData } from '#lx/contracts';
import {
  comparePositions,
  EVENT_STORE,
  formatPosition,
  type EventStore,
  type IntegrityReport,
  type RecordedEvent,
} from '#lx/event-store';
import { DomainError } from '#lx/event-sourcing';
import { SEALED_TEXT_OPENER, showLeadTexts, type SealedTextOpener } from './lead-texts.js';
import { AuditTimelines, type TimelineEntry } from './timeline.js';
import { isOrderTerms, orderEventsAsOf } from './order-history.js';
import { ParticipantNames, type NamedParticipant } from './participant-names.js';
import { RETURN_REASONS } from '../domain/return-reasons.js';

/** How the audit library learns what the settlement app runs with beyond the market's settings. */
export const AUDIT_OPTIONS = Symbol('AUDIT_OPTIONS');
export interface AuditOptions {
  /** Development and tests shorten every return window; the report then states the shortened one. */
  returnWindowMsOverride?: number;
}

export type ReportParticipant = NamedParticipant;

export interface DisputeReport {
  allocationId: string;
  generatedAt: string;
  /** Everyone the report names, by id: seller, buyer, competing buyers, deciders and actors. */
  participants: Record<string, ReportParticipant>;
  market: { vertical: string; currency: string; locale: string };
  returnWindow: {
    hours: number;
    /** `market settings` in force at the allocation, or the exchange's default. */
    source: 'market settings' | 'default' | 'development override';
    opensAt: string;
    closesAt: string;
    requestedAt: string | null;
    /** Whether the buyer's return was filed before the window closed (null: no return). */
    filedInTime: boolean | null;
  };
  /** What the buyer got back after an accepted return, and where it went. */
  refund: { amount: number; creditedTo: string; position: string } | null;
  allocation: Record<string, unknown> & { position: string };
  lead: {
    leadId: string;
    listing: Record<string, unknown> | null;
    /** Never the personal data itself: erased data shows as erased, never reconstructed. */
    personalData: 'erased' | 'encrypted — not part of any report';
    erasedAt: string | null;
    erasureReason: string | null;
  };
  orderAsOfAllocation: { terms: Record<string, unknown>; position: string } | null;
  returnRequest: (Record<string, unknown> & { position: string }) | null;
  /** `answer`: the seller's accept/contest; `position`: the log position, as in every section. */
  sellerResponse: (Record<string, unknown> & { position: string; answer: unknown }) | null;
  escalation: (Record<string, unknown> & { position: string }) | null;
  /**
   * The automatic rules applied to the return, in log order: each rule checked that did not decide
   * (`passed`, `not-applicable`), the escalation to an auditor, and a decision an automatic rule made.
   */
  automaticRules: AutomaticRuleApplied[];
  decision: {
    outcome: 'accepted' | 'rejected';
    rule: string;
    decidedBy: string;
    rationale: string;
    position: string;
  } | null;
  settlement: (Record<string, unknown> & { position: string }) | null;
  finding: string;
  evidencePositions: string[];
  integrity: IntegrityReport;
  timeline: TimelineEntry[];
}

export interface AutomaticRuleApplied {
  rule: string;
  outcome: 'passed' | 'not-applicable' | 'escalated' | 'accepted' | 'rejected';
  detail: string;
  at: string;
  position: string;
}

/** What the exchange's automatic rules did on a return, read from its events. */
export function automaticRulesApplied(returnEvents: RecordedEvent[]): AutomaticRuleApplied[] {
  const applied: AutomaticRuleApplied[] = [];
  for (const event of returnEvents) {
    const where = { at: event.metadata.occurredAt, position: formatPosition(event.position) };
    const data = event.data as Record<string, unknown>;
    if (event.type === 'ReturnChecked')
      for (const check of data.checks as {
        rule: string;
        outcome: 'passed' | 'not-applicable';
        detail: string;
      }[])
        applied.push({ ...check, ...where });
    else if (event.type === 'ReturnEscalated' && data.escalatedBy === SYSTEM_ACTOR)
      applied.push({
        rule: 'escalation-to-auditor',
        outcome: 'escalated',
        detail: String(data.reason),
        ...where,
      });
    else if (
      (event.type === 'ReturnAccepted' || event.type === 'ReturnRejected') &&
      data.decidedBy === SYSTEM_ACTOR
    )
      applied.push({
        rule: String(data.rule),
        outcome: event.type === 'ReturnAccepted' ? 'accepted' : 'rejected',
        detail: String(data.rationale),
        ...where,
      });
  }
  return applied;
}

/** The actor of what the exchange decides on its own. */
const SYSTEM_ACTOR = 'system';

export class AllocationNotFoundError extends DomainError {
  readonly code = 'allocation-not-found';
}

const withPosition = (event: RecordedEvent | undefined) =>
  event ? { ...(event.data as Record<string, unknown>), position: formatPosition(event.position) } : null;

/**
 * SellerResponded has a `position` of its own (accept or contest), which the log position would
 * overwrite: the seller's answer is kept as `answer`.
 */
const sellerResponseOf = (event: RecordedEvent | undefined) =>
  event ? { ...withPosition(event)!, answer: (event.data as { position?: unknown }).position } : null;

/**
 * The facts of a dispute, taken from the log alone: the allocation and how it was priced, the
 * lead as listed, the order exactly as it stood when the lead was allocated, the return, the
 * seller's answer, the decision and its rule — each with the log position that proves it.
 */
@Injectable()
export class DisputeReports {
  constructor(
    private readonly timelines: AuditTimelines,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_OPTIONS) private readonly options: AuditOptions,
    @Optional() @Inject(SEALED_TEXT_OPENER) private readonly texts: SealedTextOpener | null = null,
  ) {}

  async build(allocationId: string, now: Date): Promise<DisputeReport> {
    const timeline = await this.timelines.timeline('allocation', allocationId);
    const allocated = await this.findEvent(timeline, 'LeadAllocated');
    if (!allocated) throw new AllocationNotFoundError(`Allocation ${allocationId} was not found`);
    const allocation = allocated.data as { leadId: string; orderId: string; buyerId: string };

    const leadEvents = await this.store.readStream(`lead-${allocation.leadId}`);
    const listed = leadEvents.find((e) => e.type === 'LeadListed');
    const erased = leadEvents.find((e) => e.type === 'LeadErased');
    const listing = listed ? { ...(listed.data as Record<string, unknown>) } : null;
    if (listing) delete listing.personalData;

    const returnEvents = await this.store.readStream(`return-${allocationId}`);
    const ofType = (type: string) => returnEvents.find((e) => e.type === type);
    const decided = returnEvents.find((e) => e.type === 'ReturnAccepted' || e.type === 'ReturnRejected');
    const decision = decided
      ? {
          outcome: decided.type === 'ReturnAccepted' ? ('accepted' as const) : ('rejected' as const),
          ...(decided.data as { rule: string; decidedBy: string; rationale: string }),
          position: formatPosition(decided.position),
        }
      : null;
    const settlementEvents = await this.store.readStream(`settlement-${allocationId}`);
    const requested = ofType('ReturnRequested');
    const allocatedAt = (allocated.data as { at: string }).at;
    const window = await this.returnWindowAsOf(allocated);
    const closesAt = new Date(Date.parse(allocatedAt) + window.ms).toISOString();
    const refunded = timeline.find((entry) => entry.type === 'RefundCredited');
    const order = await this.orderAsOf(allocation.buyerId, allocation.orderId, allocated);
    const streams = [allocated.streamName, `lead-${allocation.leadId}`, `buyer-${allocation.buyerId}`];
    if (returnEvents.length) streams.push(`return-${allocationId}`);
    if (settlementEvents.length) streams.push(`settlement-${allocationId}`);

    const report: DisputeReport = {
      allocationId,
      generatedAt: now.toISOString(),
      participants: await this.participantsNamedIn(allocated, returnEvents, timeline),
      market: {
        vertical: (allocated.data as { vertical: string }).vertical,
        currency: (allocated.data as { currency: string }).currency,
        locale: marketLocale((listing?.attributes as { country?: string } | undefined)?.country),
      },
      returnWindow: {
        hours: window.ms / 3_600_000,
        source: window.source,
        opensAt: allocatedAt,
        closesAt,
        requestedAt: requested?.metadata.occurredAt ?? null,
        filedInTime: requested ? Date.parse(requested.metadata.occurredAt) <= Date.parse(closesAt) : null,
      },
      refund: refunded
        ? {
            ...(refunded.data as { amount: number; creditedTo: string }),
            position: refunded.position,
          }
        : null,
      allocation: withPosition(allocated)!,
      lead: {
        leadId: allocation.leadId,
        listing,
        personalData: erased ? 'erased' : 'encrypted — not part of any report',
        erasedAt: erased ? erased.metadata.occurredAt : null,
        erasureReason: erased ? (erased.data as { reason: string }).reason : null,
      },
      orderAsOfAllocation: order,
      // Evidence and statements are sealed under the lead's key: opened, or erased with the lead.
      returnRequest: await showLeadTexts(withPosition(ofType('ReturnRequested')), !!erased, this.texts),
      sellerResponse: await showLeadTexts(sellerResponseOf(ofType('SellerResponded')), !!erased, this.texts),
      escalation: withPosition(ofType('ReturnEscalated')),
      automaticRules: automaticRulesApplied(returnEvents),
      decision,
      settlement: withPosition(settlementEvents.at(-1)),
      finding: '',
      evidencePositions: timeline.map((entry) => entry.position),
      integrity: await this.store.verifyIntegrity({ streams }),
      timeline,
    };
    report.finding = describeFinding(report);
    return report;
  }

  private async findEvent(timeline: TimelineEntry[], type: string): Promise<RecordedEvent | undefined> {
    const entry = timeline.find((candidate) => candidate.type === type);
    if (!entry) return undefined;
    const [event] = await this.store.readStream(entry.stream, { fromRevision: entry.revision, maxCount: 1 });
    return event;
  }

  /** The return window in force when the lead was allocated: the market's last settings before it. */
  private async returnWindowAsOf(
    allocated: RecordedEvent,
  ): Promise<{ ms: number; source: DisputeReport['returnWindow']['source'] }> {
    if (this.options.returnWindowMsOverride !== undefined)
      return { ms: this.options.returnWindowMsOverride, source: 'development override' };
    const vertical = (allocated.data as { vertical: string }).vertical;
    const settings = (await this.store.readStream(`marketSettings-${vertical}`)).filter(
      (event) => comparePositions(event.position, allocated.position) < 0,
    );
    const published = (settings.at(-1)?.data as Partial<MarketSettingsData> | undefined) ?? null;
    const { returnWindowHours } = marketSettingsInForce(published);
    return {
      ms: returnWindowHours * 3_600_000,
      source: published?.returnWindowHours === undefined ? 'default' : 'market settings',
    };
  }

  /** Names from each participant's registration: a report names organisations, never bare ids. */
  private async participantsNamedIn(
    allocated: RecordedEvent,
    returnEvents: RecordedEvent[],
    timeline: TimelineEntry[],
  ): Promise<Record<string, ReportParticipant>> {
    const data = allocated.data as {
      sellerId: string;
      buyerId: string;
      competingBids: { buyerId: string }[];
    };
    const ids = new Set<string>([
      data.sellerId,
      data.buyerId,
      ...data.competingBids.map((bid) => bid.buyerId),
    ]);
    for (const event of returnEvents) {
      const decidedBy = (event.data as { decidedBy?: string; escalatedBy?: string }).decidedBy;
      const escalatedBy = (event.data as { escalatedBy?: string }).escalatedBy;
      for (const id of [decidedBy, escalatedBy, event.metadata.actor]) if (id) ids.add(id);
    }
    for (const entry of timeline) ids.add(entry.actor);
    const names = new ParticipantNames(this.store);
    const participants: Record<string, ReportParticipant> = {};
    for (const id of ids) {
      const participant = await names.find(id);
      if (participant) participants[id] = participant;
    }
    return participants;
  }

  /** The order's terms as of the allocation: the last placement or amendment before it in the log. */
  private async orderAsOf(buyerId: string, orderId: string, allocated: RecordedEvent) {
    const events = await orderEventsAsOf(this.store, buyerId, orderId, { before: allocated.position });
    const last = events.filter(isOrderTerms).at(-1);
    return last
      ? { terms: last.data as Record<string, unknown>, position: formatPosition(last.position) }
      : null;
  }
}

export function describeFinding(report: DisputeReport): string {
  const integrity = report.integrity.ok
    ? 'The hash chains of every stream involved verify.'
    : `WARNING: the log does not verify at ${report.integrity.firstFailure.stream}@${report.integrity.firstFailure.revision} (${report.integrity.firstFailure.reason}).`;
  if (!report.returnRequest) return `No return was requested for this allocation. ${integrity}`;
  const reason = `${RETURN_REASONS[String(report.returnRequest.reason)] ?? report.returnRequest.reason}${report.returnRequest.text ? ` ("${String(report.returnRequest.text)}")` : ''}`;
  if (!report.decision)
    return `The buyer's return (${reason}) awaits a decision${report.escalation ? ' by an auditor' : ''}. ${integrity}`;
  const decidedBy = report.decision.decidedBy;
  const who =
    decidedBy === 'system' ? 'automatically' : `by ${report.participants[decidedBy]?.name ?? decidedBy}`;
  return (
    `The buyer's return (${reason}) was ${report.decision.outcome} ${who} under the rule ` +
    `"${report.decision.rule}" at log position ${report.decision.position}: ${report.decision.rationale} ${integrity}`
  );
}
