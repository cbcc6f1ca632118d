import type { EventData, LeadBatchVerified, LeadListed } from '#lx/contracts';
import type { AggregateRepository, DomainEvent } from '#lx/event-sourcing';
import type { EventStore, RecordedEvent } from '#lx/event-store';
import { authenticitySampleDecider } from '../domain/authenticity-sample.decider.js';
import { authenticitySourceDecider, type SourceLeadsDrawn } from '../domain/authenticity-source.decider.js';
import { drawSample, sampleSize } from '../domain/sampling.js';
import type { AuthenticityReads, SamplingLeadRow } from './authenticity-reads.port.js';
import type { AuthenticityVerifier, CheckRequest } from './authenticity-verifier.port.js';
import { decideTogether, onStream, type StreamDecision } from './decide-together.js';

export const authenticityStream = (batchId: string) => `authenticity-${batchId}`;
export const authenticitySourceStream = (sourceId: string) => `authenticity-source-${sourceId}`;

/**
 * Draws the checks (docs/architecture.md §4.1). A verified batch of a market that samples
 * batches: once the read model has seen its verification (and so every lead it listed before
 * it), the accepted leads are ranked by sha-256 of `<batchId>|<leadId>` and the first k drawn, k
 * from the market's settings in force at that point of the log; drawn once per batch, however
 * often the subscription delivers the event. Per source: each lead listed while its market
 * samples sources is judged by the source rule (`sourceDrawReason`) from its place among its
 * source's leads and the settings at its listing, both kept by the read model in log order — a
 * batch's leads with the batch's draw, in the same write; a posted lead on its own.
 */
export class AuthenticitySampler {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly store: EventStore,
    private readonly reads: AuthenticityReads,
    private readonly verifier: AuthenticityVerifier,
  ) {}

  async handle(event: RecordedEvent): Promise<void> {
    if (event.type !== 'LeadBatchVerified') return;
    const verified = event.data as EventData<typeof LeadBatchVerified>;
    if (verified.accepted === 0) return;
    await this.reads.waitFor(event.position);
    const decisions: StreamDecision[] = [];
    const batchDrawn = await this.batchDecision(verified, decisions);
    const bySource = await this.reads.sourceLeads({ batchId: verified.batchId });
    decisions.push(...sourceDecisions(bySource));
    if (decisions.length === 0) return;
    const decided = await decideTogether(this.repository, this.store, decisions, metadataOf(event));
    const requests: CheckRequest[] = [];
    if (batchDrawn && (decided[0]?.length ?? 0) > 0)
      requests.push(
        ...batchDrawn.leadIds.map((leadId) => ({
          batchId: verified.batchId,
          leadId,
          sellerId: verified.sellerId,
          vertical: batchDrawn.vertical,
        })),
      );
    const already = new Set(requests.map((request) => request.leadId));
    requests.push(...checksOf(decided.slice(batchDrawn ? 1 : 0).flat(), already));
    if (requests.length > 0) await this.verifier.requestChecks(requests);
  }

  /**
   * Posted leads (one-lead "batches" without a verification event): a page of listings at a time,
   * once the read model has applied the page, each posted lead judged by its source's rule.
   */
  async handlePostedLeads(events: readonly RecordedEvent[]): Promise<void> {
    const posted = events.filter(
      (event) => event.type === 'LeadListed' && (event.data as EventData<typeof LeadListed>).posted,
    );
    const last = posted.at(-1);
    if (!last) return;
    await this.reads.waitFor(last.position);
    const leads = await this.reads.sourceLeads({
      leadIds: posted.map((event) => (event.data as EventData<typeof LeadListed>).leadId),
    });
    for (const decision of sourceDecisions(leads)) {
      const [events] = await decideTogether(this.repository, this.store, [decision], metadataOf(last));
      const requests = checksOf(events ?? [], new Set());
      if (requests.length > 0) await this.verifier.requestChecks(requests);
    }
  }

  private async batchDecision(verified: EventData<typeof LeadBatchVerified>, decisions: StreamDecision[]) {
    const leads = await this.reads.batchLeads(verified.batchId);
    const first = leads[0];
    if (!first) return null; // the market did not sample batches when the batch was listed
    const settings = await this.reads.samplingSettings(first.vertical);
    if (!settings) return null;
    const size = sampleSize(leads.length, settings);
    if (size === 0) return null;
    const leadIds = drawSample(
      verified.batchId,
      leads.map((lead) => lead.leadId),
      size,
    );
    decisions.push(
      onStream(authenticityStream(verified.batchId), authenticitySampleDecider, {
        type: 'DrawSample',
        drawn: {
          batchId: verified.batchId,
          sellerId: verified.sellerId,
          vertical: first.vertical,
          rule: 'sha256-batch-lead-v1',
          population: leads.length,
          samplePercent: settings.samplePercent,
          sampleMin: settings.sampleMin,
          holdThresholdPercent: settings.holdPercent,
          leadIds,
        },
      }),
    );
    return { leadIds, vertical: first.vertical };
  }
}

/** One draw per source and settings (a market's settings may change between two listings). */
function sourceDecisions(leads: readonly SamplingLeadRow[]): StreamDecision[] {
  const groups = new Map<string, { lead: SamplingLeadRow; candidates: SamplingLeadRow[] }>();
  for (const lead of leads) {
    const by = lead.bySource;
    if (!by) continue;
    const key = [by.sourceId, by.samplePercent, by.sampleMin, by.holdThresholdPercent].join('|');
    const group = groups.get(key);
    if (group) group.candidates.push(lead);
    else groups.set(key, { lead, candidates: [lead] });
  }
  return [...groups.values()].map(({ lead, candidates }) => {
    const by = lead.bySource!;
    return onStream(authenticitySourceStream(by.sourceId), authenticitySourceDecider, {
      type: 'DrawSourceLeads',
      source: {
        sourceId: by.sourceId,
        vertical: lead.vertical,
        sellerId: lead.sellerId,
        source: lead.source,
      },
      settings: {
        samplePercent: by.samplePercent,
        sampleMin: by.sampleMin,
        holdThresholdPercent: by.holdThresholdPercent,
      },
      candidates: candidates.map((candidate) => ({
        leadId: candidate.leadId,
        batchId: candidate.batchId,
        ordinal: candidate.bySource!.ordinal,
      })),
    });
  });
}

/** The checks a source's draws ask for, less those its batch's sample asked for already. */
function checksOf(events: readonly DomainEvent[], already: ReadonlySet<string>): CheckRequest[] {
  return events
    .filter((event) => event.type === 'AuthenticitySourceLeadsDrawn')
    .flatMap((event) => {
      const drawn = event.data as SourceLeadsDrawn;
      return drawn.leads
        .filter((lead) => !already.has(lead.leadId))
        .map((lead) => ({
          batchId: lead.batchId,
          leadId: lead.leadId,
          sellerId: drawn.sellerId,
          vertical: drawn.vertical,
        }));
    });
}

function metadataOf(event: RecordedEvent) {
  return {
    actor: 'system:authenticity',
    correlationId: event.metadata.correlationId,
    causationId: event.id,
    occurredAt: event.metadata.occurredAt,
  };
}
