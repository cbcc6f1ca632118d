import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import type { CatalogueEvents } from '#lx/contracts';
import type { EventFilter, EventStore } from '#lx/event-store';
import { liveSchemaOf, projectionWithHandlers, readCheckpoint, type Projection } from '#lx/projections';
import type { PendingSettlements, PendingSettlementsReader } from '../application/return-facts.port.js';
import { returnFactsProjection } from './return-facts.projection.js';

/*
 * What settlement still owes the log a scheduled job for (schema `rm_pending_settlements`): every
 * allocation not finalized yet (its return window must close), and every return nobody has
 * answered or decided yet (the seller's answering deadline). The BullMQ jobs live in Redis, which
 * keeps nothing on disk; this read model is what they are derived from again after Redis is lost.
 */

export const PENDING_SETTLEMENTS_SCHEMA = 'rm_pending_settlements';

export const pendingSettlementsProjection: Projection = projectionWithHandlers<CatalogueEvents>({
  name: 'pending_settlements',
  version: 1,
  entities: [],
  createTables: () => [
    `CREATE TABLE ps_open_allocation (allocation_id text PRIMARY KEY)`,
    `CREATE TABLE ps_unanswered_return (allocation_id text PRIMARY KEY, requested_at timestamptz NOT NULL)`,
  ],
  handlers: {
    LeadAllocated: (event, manager) =>
      manager.query(`INSERT INTO ps_open_allocation (allocation_id) VALUES ($1) ON CONFLICT DO NOTHING`, [
        event.data.allocationId,
      ]),
    SettlementFinalized: (event, manager) =>
      manager.query(`DELETE FROM ps_open_allocation WHERE allocation_id = $1`, [event.data.allocationId]),
    ReturnRequested: (event, manager) =>
      manager.query(
        `INSERT INTO ps_unanswered_return (allocation_id, requested_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [event.data.allocationId, event.metadata.occurredAt],
      ),
    // Each of these ends a return's wait for its seller.
    SellerResponded: (event, manager) => returnAnswered(event.data.allocationId, manager),
    ReturnAccepted: (event, manager) => returnAnswered(event.data.allocationId, manager),
    ReturnRejected: (event, manager) => returnAnswered(event.data.allocationId, manager),
    ReturnEscalated: (event, manager) => returnAnswered(event.data.allocationId, manager),
  },
});

async function returnAnswered(allocationId: string, manager: EntityManager): Promise<void> {
  await manager.query(`DELETE FROM ps_unanswered_return WHERE allocation_id = $1`, [allocationId]);
}

/** Reads both lists (the return statuses from `rm_return_facts`). */
export async function readPendingSettlements(
  dataSource: Pick<DataSource, 'query'>,
): Promise<PendingSettlements> {
  const open: { allocation_id: string; status: string | null }[] = await dataSource.query(
    `SELECT o.allocation_id, r.status FROM ${PENDING_SETTLEMENTS_SCHEMA}.ps_open_allocation o
       LEFT JOIN rm_return_facts.rf_return r ON r.allocation_id = o.allocation_id
      ORDER BY o.allocation_id`,
  );
  const unanswered: { allocation_id: string; requested_at: Date }[] = await dataSource.query(
    `SELECT allocation_id, requested_at FROM ${PENDING_SETTLEMENTS_SCHEMA}.ps_unanswered_return ORDER BY allocation_id`,
  );
  return {
    openAllocations: open.map((row) => ({
      allocationId: row.allocation_id,
      returnStatus: row.status as PendingSettlements['openAllocations'][number]['returnStatus'],
    })),
    unansweredReturns: unanswered.map((row) => ({
      allocationId: row.allocation_id,
      requestedAt: new Date(row.requested_at),
    })),
  };
}

/** The pending settlements as the two read models hold them, read once both have caught up with the log. */
export class PendingSettlementsReadModels implements PendingSettlementsReader {
  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  async caughtUp(): Promise<void> {
    // Both read models must have applied every event of theirs already in the log (a projection's
    // checkpoint stops at its own last event, so it is compared with the log through its filter).
    for (const projection of [pendingSettlementsProjection, returnFactsProjection])
      await this.projectionCaughtUp(liveSchemaOf(projection), projection.filter);
  }

  read(): Promise<PendingSettlements> {
    return readPendingSettlements(this.dataSource);
  }

  private async projectionCaughtUp(schema: string, filter: EventFilter, timeoutMs = 120_000): Promise<void> {
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
}
