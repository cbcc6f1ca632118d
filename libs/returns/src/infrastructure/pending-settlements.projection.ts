import type { DataSource, EntityManager } from 'typeorm';
import type { CatalogueEvents } from '#lx/contracts';
import { projectionWithHandlers, type Projection } from '#lx/projections';

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

export interface PendingSettlements {
  /** Allocations not finalized, with the status of their return if one was requested. */
  openAllocations: { allocationId: string; returnStatus: 'requested' | 'accepted' | 'rejected' | null }[];
  unansweredReturns: { allocationId: string; requestedAt: Date }[];
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
