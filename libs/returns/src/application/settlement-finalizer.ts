import { SettlementFinalized, newEvent, uuidFromName } from '#lx/contracts';
import { WrongExpectedVersionError, type EventMetadata, type EventStore } from '#lx/event-store';
import type { AllocationFacts } from './return-facts.port.js';

export class SettlementOutcomeConflictError extends Error {
  readonly code = 'settlement-conflict';
  constructor(allocationId: string, wanted: string, found: string) {
    super(
      `Allocation ${allocationId} was finalized ${found}, not ${wanted}: the return stream and settlement disagree`,
    );
  }
}

/**
 * Closes an allocation's transfer exactly once: `SettlementFinalized` is appended to
 * `settlement-<allocationId>` only if that stream does not exist (no_stream), under an id derived
 * from the allocation, so a retried or duplicated job cannot finalize twice.
 */
export class SettlementFinalizer {
  constructor(private readonly store: EventStore) {}

  /** True when this call wrote the event; false when it was finalized already (same outcome). */
  async finalize(
    allocation: AllocationFacts,
    outcome: 'posted' | 'voided',
    metadata: Partial<EventMetadata>,
  ): Promise<boolean> {
    const { allocationId, sellerId, buyerId, currency, proceeds, commission } = allocation;
    const event = {
      id: uuidFromName(`lx:settlement:SettlementFinalized:${allocationId}`, '5'),
      ...newEvent(SettlementFinalized, {
        allocationId,
        sellerId,
        buyerId,
        outcome,
        currency,
        proceeds,
        commission,
      }),
      metadata,
    };
    try {
      const result = await this.store.appendToStream(`settlement-${allocationId}`, [event], {
        expectedRevision: 'no_stream',
      });
      return result.written;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const [existing] = await this.store.readStream(`settlement-${allocationId}`, { maxCount: 1 });
      const found = (existing?.data as { outcome?: string } | undefined)?.outcome ?? 'unknown';
      if (found !== outcome) throw new SettlementOutcomeConflictError(allocationId, outcome, found);
      return false;
    }
  }
}
