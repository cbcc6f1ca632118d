import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { EventFilter, EventStore } from '#lx/event-store';
import { liveSchemaOf, readCheckpoint } from '#lx/projections';
import {
  pendingSettlementsProjection,
  readPendingSettlements,
} from '../infrastructure/pending-settlements.projection.js';
import { returnFactsProjection } from '../infrastructure/return-facts.projection.js';
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
  private async caughtUp(schema: string, filter: EventFilter, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stored = await readCheckpoint(this.dataSource, schema);
      const ahead = await this.store.readAll({ after: stored?.position ?? null, maxCount: 1, filter });
      if (ahead.events.length === 0) return;
      if (Date.now() > deadline)
        throw new Error(`Read model ${schema} is still behind the log after ${timeoutMs} ms`);
      await sleep(200);
    }
  }

  private lastFullPass = 0;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
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
    // Both read models must have applied every event of theirs already in the log (a projection's
    // checkpoint stops at its own last event, so it is compared with the log through its filter).
    for (const projection of [pendingSettlementsProjection, returnFactsProjection])
      await this.caughtUp(liveSchemaOf(projection), projection.filter);
    // Marked first: a flush during the pass removes the mark, and the next pass starts over.
    await this.scheduler.markDerived();
    const pending = await readPendingSettlements(this.dataSource);
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
