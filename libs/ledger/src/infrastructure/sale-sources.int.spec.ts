import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { eventCatalogue } from '#lx/contracts';
import { PostgresEventStore, type LogPosition } from '#lx/event-store';
import type { ProjectionRunner } from '#lx/projections';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { appendAt, leadAllocated, leadListed, orderPlaced } from '../testing/settlement-fixtures.js';
import { ledgerProjection } from './ledger.projection.js';
import { readSellerStatement } from './ledger.queries.js';
import { saleSourcesProjection } from './sale-sources.projection.js';
import { runProjection } from '../../../projections/src/testing/run-projection.js';

jest.setTimeout(120_000);

/*
 * The seller's statement by source: the sale-sources read model gives each sale of a tagged lead its
 * source and sub-source, beside the ledger's transfers; a sale of an untagged lead has none, and a
 * ledger without that read model (a process hosting the ledger alone) reads every sale as untagged.
 */
describe('the seller statement split by source', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  const runners: ProjectionRunner[] = [];
  let last: LogPosition;

  beforeAll(async () => {
    database = await createTestDatabase('ledger_sale_sources');
    store = await PostgresEventStore.connect({ connectionString: database.url, registry: eventCatalogue });
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      entities: [],
      extra: { options: '-c search_path=rm_ledger,public' },
    });
    await dataSource.initialize();
    const at = '2030-01-01T10:00:00.000Z';
    await appendAt(store, 'buyer-b-1', orderPlaced({ orderId: 'o-1', buyerId: 'b-1', budget: 300_000 }), at);
    const leads: [string, string, Record<string, string>][] = [
      ['lead-1', 's-1', { source: 'google', subSource: 'brand' }],
      ['lead-2', 's-1', { source: 'affiliates' }],
      ['lead-3', 's-1', {}],
      // Another seller's "google" is its own, and not on s-1's statement.
      ['lead-4', 's-2', { source: 'google', subSource: 'brand' }],
    ];
    for (const [leadId, sellerId, tags] of leads) {
      await appendAt(store, `lead-${leadId}`, leadListed({ leadId, sellerId, person: leadId }, tags), at);
      const sale = leadAllocated({
        allocationId: `a-${leadId}`,
        leadId,
        orderId: 'o-1',
        buyerId: 'b-1',
        sellerId,
        price: 60_000,
        at,
      });
      last = (await appendAt(store, 'market-eyewear', sale, at)).position;
    }
  });

  afterAll(async () => {
    for (const runner of runners) await runner.stop();
    await dataSource?.destroy();
    await store?.close();
    await database?.drop();
  });

  it('reads every sale as untagged before the sale-sources read model exists', async () => {
    const ledger = await runProjection(ledgerProjection, store, dataSource);
    runners.push(ledger);
    await ledger.waitForPosition(last, 60_000);
    const statement = await readSellerStatement(dataSource, 's-1', 'RUB');
    expect(statement.sales.map((sale) => sale.source)).toEqual([null, null, null]);
    expect(statement.bySource).toEqual([
      expect.objectContaining({ source: null, sold: expect.objectContaining({ count: 3 }) }),
    ]);
  });

  it('names each sale’s source and sub-source, and sums them per source', async () => {
    const sources = await runProjection(saleSourcesProjection, store, dataSource);
    runners.push(sources);
    await sources.waitForPosition(last, 60_000);
    const statement = await readSellerStatement(dataSource, 's-1', 'RUB');
    expect(
      Object.fromEntries(statement.sales.map((sale) => [sale.allocationId, [sale.source, sale.subSource]])),
    ).toEqual({
      'a-lead-1': ['google', 'brand'],
      'a-lead-2': ['affiliates', null],
      'a-lead-3': [null, null],
    });
    expect(
      statement.bySource.map((line) => [line.source, line.subSource, line.sold.count, line.sold.gross]),
    ).toEqual([
      ['affiliates', null, 1, 60_000],
      ['google', 'brand', 1, 60_000],
      [null, null, 1, 60_000],
    ]);
  });
});
