import type { PendingSettlementsReader } from './return-facts.port.js';
import type { ReturnWindowScheduler } from './return-decisions.js';
import type { ReturnWindow } from './return-window.js';
import { sellerResponseMs, type ReturnsOptions } from './returns-options.js';

/** Tells whether the scheduler's store still holds what was derived into it (Redis loses it all at once). */
export interface DerivedSchedulesMarker {
  stillDerived(): Promise<boolean>;
  markDerived(): Promise<void>;
}

export interface RederivedSchedules {
  windowClosings: number;
  sellerDeadlines: number;
}

/** A full pass at least this often, even when Redis seems intact (a job lost some other way). */
export const FULL_PASS_MS = 3_600_000;

/**
 * Derives settlement's scheduled jobs again from the log (through its read models): the closing
 * of every allocation's return window not finalized yet, and the answering deadline of every
 * return nobody answered. Scheduling is idempotent (one job id per allocation and cause), so a
 * pass over jobs that still exist changes nothing; after Redis was flushed or restarted it puts
 * back what was lost. Runs at start, whenever the marker is gone, and at least every FULL_PASS_MS.
 */
export class SchedulesFromTheLog {
  private lastFullPass = 0;

  constructor(
    private readonly pending: PendingSettlementsReader,
    private readonly window: ReturnWindow,
    private readonly scheduler: ReturnWindowScheduler & DerivedSchedulesMarker,
    private readonly options: ReturnsOptions,
  ) {}

  /** One reconciliation: a full pass if due (returns what it scheduled), else null. */
  async reconcile(now = Date.now()): Promise<RederivedSchedules | null> {
    if (now - this.lastFullPass < FULL_PASS_MS && (await this.scheduler.stillDerived())) return null;
    this.lastFullPass = 0; // until this pass succeeds, the next reconciliation makes a full pass too
    const passed = await this.rederive();
    this.lastFullPass = now;
    return passed;
  }

  /** Schedules every pending job again, from read models that have seen the log up to now. */
  async rederive(): Promise<RederivedSchedules> {
    await this.pending.caughtUp();
    // Marked first: a flush during the pass removes the mark, and the next pass starts over.
    await this.scheduler.markDerived();
    const pending = await this.pending.read();
    let windowClosings = 0;
    for (const { allocationId, returnStatus } of pending.openAllocations) {
      // A requested return waits for its answer or decision; an accepted one is voided by the
      // reaction to its acceptance (a subscription, whose checkpoint is in PostgreSQL).
      if (returnStatus === 'requested' || returnStatus === 'accepted') continue;
      const ends = await this.window.endsAt(allocationId);
      if (!ends) continue;
      await this.scheduler.scheduleClose(
        allocationId,
        ends,
        returnStatus === 'rejected' ? 'return-rejected' : 'allocated',
      );
      windowClosings++;
    }
    const answeringTime = sellerResponseMs(this.options);
    for (const { allocationId, requestedAt } of pending.unansweredReturns)
      await this.scheduler.scheduleSellerResponseDue(
        allocationId,
        new Date(requestedAt.getTime() + answeringTime),
      );
    return { windowClosings, sellerDeadlines: pending.unansweredReturns.length };
  }
}
