import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { eventCatalogue } from '#lx/contracts';
import { PostgresEventStore } from '#lx/event-store';
import { SeededRandom } from '#lx/market-generator';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { leadAllocated, leadListed, orderPlaced } from '../../../ledger/src/testing/settlement-fixtures.js';
import { compareBatchedWithPerEvent } from '../../../projections/src/testing/batched-vs-per-event.js';
import { auditIndexProjection } from './audit-index.projection.js';

jest.setTimeout(120_000);

/*
 * The audit index writes a page of events as one multi-row insert (`handleBatch`): over a mixed
 * log it must hold exactly the rows its per-event handler writes, page boundaries anywhere.
 */
describe('audit index, a page at a time', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('audit_index_pages');
    store = await PostgresEventStore.connect({ connectionString: database.url, registry: eventCatalogue });
    dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    const random = new SeededRandom(17);
    const sellers = ['s-1', 's-2', 's-3'];
    const buyers = ['b-1', 'b-2'];
    for (const buyerId of buyers)
      await store.appendToStream(
        `buyer-${buyerId}`,
        [orderPlaced({ orderId: `o-${buyerId}`, buyerId, budget: 10_000_000 })],
        { expectedRevision: 'any' },
      );
    const allocations: { type: string; data: unknown }[] = [];
    for (let i = 0; i < 400; i++) {
      const sellerId = random.pick(sellers);
      const leadId = `lead-${i}`;
      await store.appendToStream(`lead-${leadId}`, [leadListed({ leadId, sellerId })], {
        expectedRevision: 'any',
      });
      // The engine's allocations, several in one append (one transaction) now and then.
      if (random.int(0, 2) > 0) {
        const buyerId = random.pick(buyers);
        allocations.push(
          leadAllocated({
            allocationId: `a-${i}`,
            leadId,
            orderId: `o-${buyerId}`,
            buyerId,
            sellerId,
            price: 20_000,
            at: '2030-01-01T10:00:00.000Z',
          }),
        );
      }
      if (allocations.length >= random.int(1, 5)) {
        await store.appendToStream('market-eyewear', allocations.splice(0), { expectedRevision: 'any' });
      }
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await store?.close();
    await database?.drop();
  });

  it('holds the same rows as one event per transaction, in pages of 500, 7 and 2', async () => {
    const result = await compareBatchedWithPerEvent(auditIndexProjection, store, dataSource, [500, 7, 2]);
    expect(result.log).toEqual([]);
    for (const { comparison } of result.comparisons) {
      expect(comparison.tables).toHaveLength(1);
      expect(comparison.tables[0]).toMatchObject({ table: 'audit_reference', equal: true });
      // Each listing names its lead, seller and batch; each allocation its order and buyer too.
      expect(comparison.tables[0]!.liveRows).toBeGreaterThan(1_500);
    }
    expect(result.batchesApplied[500]).toBeGreaterThan(0);
    expect(result.batchesApplied[7]).toBeGreaterThan(50);
    expect(result.batchesApplied[2]).toBeGreaterThan(200);
  });
});
