import type { DataSource, EntityManager } from 'typeorm';
import { projectionWithHandlers, type Projection } from '#lx/projections';
import { sellerHistory, type CatalogueEvents, type SellerHistory } from '#lx/contracts';

/**
 * Per seller: leads sold, returns accepted, conversions reported (schema `rm_seller_history`).
 * Other libraries read it through `readSellerHistory` (quality score, minimum seller quality).
 */
export const sellerHistoryProjection: Projection = projectionWithHandlers<CatalogueEvents>({
  name: 'seller_history',
  // 2: authenticity checks of the seller's leads (docs/architecture.md §4.1).
  version: 2,
  entities: [],
  createTables: () => [
    `CREATE TABLE sh_allocation (
       allocation_id text PRIMARY KEY, seller_id text NOT NULL,
       returned boolean NOT NULL DEFAULT false, converted boolean NOT NULL DEFAULT false)`,
    `CREATE TABLE sh_seller (
       seller_id text PRIMARY KEY, sold int NOT NULL DEFAULT 0, returned int NOT NULL DEFAULT 0,
       conversions int NOT NULL DEFAULT 0, checks_confirmed int NOT NULL DEFAULT 0,
       checks_failed int NOT NULL DEFAULT 0)`,
  ],
  handlers: {
    async LeadAllocated(event, manager) {
      const { allocationId, sellerId } = event.data;
      await manager.query(`INSERT INTO sh_allocation (allocation_id, seller_id) VALUES ($1, $2)`, [
        allocationId,
        sellerId,
      ]);
      await manager.query(
        `INSERT INTO sh_seller (seller_id, sold) VALUES ($1, 1)
         ON CONFLICT (seller_id) DO UPDATE SET sold = sh_seller.sold + 1`,
        [sellerId],
      );
    },
    // Each allocation counts once as returned and once as converted, however often it is reported.
    ReturnAccepted: (event, manager) => count(manager, event.data.allocationId, 'returned', 'returned'),
    ConversionReported: (event, manager) =>
      count(manager, event.data.allocationId, 'converted', 'conversions'),
    // Each check is answered once (its stream refuses a second answer).
    async AuthenticityCheckAnswered(event, manager) {
      const column = event.data.outcome === 'confirmed' ? 'checks_confirmed' : 'checks_failed';
      await manager.query(
        `INSERT INTO sh_seller (seller_id, ${column}) VALUES ($1, 1)
         ON CONFLICT (seller_id) DO UPDATE SET ${column} = sh_seller.${column} + 1`,
        [event.data.sellerId],
      );
    },
  },
});

async function count(
  manager: EntityManager,
  allocationId: string,
  flag: string,
  counter: string,
): Promise<void> {
  const [rows] = await manager.query(
    `UPDATE sh_allocation SET ${flag} = true WHERE allocation_id = $1 AND NOT ${flag} RETURNING seller_id`,
    [allocationId],
  );
  const sellerId = (rows as { seller_id: string }[])[0]?.seller_id;
  if (sellerId)
    await manager.query(`UPDATE sh_seller SET ${counter} = ${counter} + 1 WHERE seller_id = $1`, [sellerId]);
}

export async function readSellerHistory(
  executor: Pick<DataSource | EntityManager, 'query'>,
  sellerId: string,
): Promise<SellerHistory> {
  const [row] = await executor.query(
    `SELECT sold, returned, conversions, checks_confirmed, checks_failed FROM sh_seller WHERE seller_id = $1`,
    [sellerId],
  );
  return sellerHistory(sellerId, {
    sold: row?.sold ?? 0,
    returned: row?.returned ?? 0,
    conversions: row?.conversions ?? 0,
    checksConfirmed: row?.checks_confirmed ?? 0,
    checksFailed: row?.checks_failed ?? 0,
  });
}
