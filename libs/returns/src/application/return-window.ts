import type { AggregateRepository } from '#lx/event-sourcing';
import { returnCaseDecider } from '../domain/return-case.decider.js';
import { windowEndsAt } from '../domain/return-terms.js';
import { AllocationNotProjectedError, returnTermsOf, type ReturnFactsReader } from './return-facts.port.js';
import type { ReturnsOptions } from './returns-options.js';
import type { SettlementFinalizer } from './settlement-finalizer.js';

export type WindowCloseOutcome =
  'posted' | 'already-finalized' | 'voided' | 'return-open' | 'window-not-ended';

/**
 * The job run when an allocation's return window ends. At least once (BullMQ may run it twice, or
 * again after its worker died), but it finalizes once: the window is closed on the return stream
 * (ordered with any decision by that stream's version), then SettlementFinalized is appended with
 * expectedRevision no_stream.
 */
export class ReturnWindow {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly facts: ReturnFactsReader,
    private readonly finalizer: SettlementFinalizer,
    private readonly options: ReturnsOptions,
    /** Test hook: runs between closing the window and finalizing (to kill a worker mid-job). */
    private readonly beforeFinalize: () => Promise<void> = async () => undefined,
  ) {}

  /** When the window of this allocation ends (null if the allocation is not known yet). */
  async endsAt(allocationId: string): Promise<Date | null> {
    const allocation = await this.facts.allocation(allocationId);
    if (!allocation) return null;
    return new Date(windowEndsAt(allocation.at, await returnTermsOf(this.facts, allocation, this.options)));
  }

  async close(allocationId: string, now: Date): Promise<WindowCloseOutcome> {
    const allocation = await this.facts.allocation(allocationId);
    if (!allocation) throw new AllocationNotProjectedError(allocationId);
    const ends = windowEndsAt(allocation.at, await returnTermsOf(this.facts, allocation, this.options));
    if (now.getTime() < Date.parse(ends)) return 'window-not-ended';
    const { state } = await this.repository.handle(
      `return-${allocationId}`,
      returnCaseDecider,
      { kind: 'close-window', allocationId, closedAt: ends },
      {
        metadata: { actor: 'system', occurredAt: now.toISOString() },
        context: { now, newId: () => allocationId },
      },
    );
    const metadata = { actor: 'system', occurredAt: now.toISOString() };
    if (state.status === 'accepted') {
      // Normally voided by the decision's own reaction; finishing it here is harmless (once).
      await this.finalizer.finalize(allocation, 'voided', metadata);
      return 'voided';
    }
    if (!state.windowClosed) return 'return-open';
    await this.beforeFinalize();
    return (await this.finalizer.finalize(allocation, 'posted', metadata)) ? 'posted' : 'already-finalized';
  }
}
