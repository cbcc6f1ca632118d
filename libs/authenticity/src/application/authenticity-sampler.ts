import type { EventData, LeadBatchVerified } from '#lx/contracts';
import type { AggregateRepository } from '#lx/event-sourcing';
import type { RecordedEvent } from '#lx/event-store';
import { authenticitySampleDecider } from '../domain/authenticity-sample.decider.js';
import { drawSample, sampleSize } from '../domain/sampling.js';
import type { AuthenticityReads } from './authenticity-reads.port.js';
import type { AuthenticityVerifier } from './authenticity-verifier.port.js';

export const authenticityStream = (batchId: string) => `authenticity-${batchId}`;

/**
 * Draws the sample of each verified batch of a market that samples (docs/architecture.md §4.1):
 * once the read model has seen the batch's verification (and so every lead it listed before it),
 * the accepted leads are ranked by sha-256 of `<batchId>|<leadId>` and the first k drawn, k from
 * the market's settings in force at that point of the log. Drawn once per batch, however often
 * the subscription delivers the event.
 */
export class AuthenticitySampler {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly reads: AuthenticityReads,
    private readonly verifier: AuthenticityVerifier,
  ) {}

  async handle(event: RecordedEvent): Promise<void> {
    if (event.type !== 'LeadBatchVerified') return;
    const verified = event.data as EventData<typeof LeadBatchVerified>;
    if (verified.accepted === 0) return;
    await this.reads.waitFor(event.position);
    const leads = await this.reads.batchLeads(verified.batchId);
    const first = leads[0];
    if (!first) return; // the market did not sample when the batch was listed
    const settings = await this.reads.samplingSettings(first.vertical);
    if (!settings) return;
    const size = sampleSize(leads.length, settings);
    if (size === 0) return;
    const leadIds = drawSample(
      verified.batchId,
      leads.map((lead) => lead.leadId),
      size,
    );
    const result = await this.repository.handle(
      authenticityStream(verified.batchId),
      authenticitySampleDecider,
      {
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
      },
      {
        metadata: {
          actor: 'system:authenticity',
          correlationId: event.metadata.correlationId,
          causationId: event.id,
          occurredAt: event.metadata.occurredAt,
        },
      },
    );
    if (result.events.length > 0)
      await this.verifier.requestChecks(
        leadIds.map((leadId) => ({
          batchId: verified.batchId,
          leadId,
          sellerId: verified.sellerId,
          vertical: first.vertical,
        })),
      );
  }
}
