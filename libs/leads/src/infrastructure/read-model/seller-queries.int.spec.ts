import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { eventCatalogue } from '#lx/contracts';
import { PostgresEventStore } from '#lx/event-store';
import { ProjectionRunner, readModelEntities, readModelSearchPath } from '#lx/projections';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { leadListed } from '../../../../matching/src/testing/market-fixtures.js';
import { SellerQueries } from './seller-queries.js';
import { sellerReadModel } from './seller-read-model.projection.js';

/*
 * What a batch withdrawal takes off the market, and how a sold lead reads: a lead that made all
 * its sales is `sold` (not `listed`), and only leads still on sale are withdrawn.
 */
describe('seller queries: sold-out leads', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let pool: pg.Pool;
  let queries: SellerQueries;
  const shared = { kind: 'shared', maxSales: 2 } as const;

  const append = (stream: string, type: string, data: unknown) =>
    store.appendToStream(
      stream,
      [{ type, data, metadata: { occurredAt: '2030-01-01T10:00:00.000Z', actor: 'test' } }],
      { expectedRevision: 'any' },
    );
  const list = async (leadId: string, overrides: Parameters<typeof leadListed>[1] = {}) => {
    const { data } = leadListed(leadId, overrides);
    await append(`lead-${leadId}`, 'LeadListed', data);
  };
  let sale = 0;
  const sell = async (leadId: string) => {
    sale++;
    await append('market-eyewear', 'LeadAllocated', {
      allocationId: `allocation-${sale}`,
      leadId,
      orderId: `order-${sale}`,
      buyerId: `buyer-${sale}`,
      sellerId: 'seller-1',
      vertical: 'eyewear',
      currency: 'RUB',
      price: 30000,
      commission: 3000,
      proceeds: 27000,
      rule: 'resting-lead-floor',
      competingBids: [{ orderId: `order-${sale}`, buyerId: `buyer-${sale}`, effectiveBid: 30000 }],
      inputPosition: '1/1',
      at: '2030-01-01T10:00:00.000Z',
    });
  };

  beforeAll(async () => {
    database = await createTestDatabase('seller_queries');
    store = await PostgresEventStore.connect({ connectionString: database.url, registry: eventCatalogue });
    await list('exclusive-sold');
    await list('shared-once', { exclusivity: shared });
    await list('unsold');
    await list('shared-twice', { exclusivity: shared });
    await list('sold-then-withdrawn');
    await sell('exclusive-sold');
    await sell('shared-once');
    await sell('shared-twice');
    await sell('shared-twice');
    await sell('sold-then-withdrawn');
    // A withdrawal that raced the last sale: the sale stands.
    await append('lead-sold-then-withdrawn', 'LeadWithdrawn', {
      leadId: 'sold-then-withdrawn',
      sellerId: 'seller-1',
    });
    dataSource = await new DataSource({
      type: 'postgres',
      url: database.url,
      entities: readModelEntities([sellerReadModel]) as never[],
      extra: { options: readModelSearchPath([sellerReadModel]) },
    }).initialize();
    const runner = await ProjectionRunner.start({ projection: sellerReadModel, store, dataSource });
    await runner.caughtUp;
    await runner.stop();
    pool = new pg.Pool({ connectionString: database.url });
    queries = new SellerQueries(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await dataSource?.destroy();
    await store?.close();
    await database?.drop();
  });

  it('reads a lead that made all its sales as sold, a shared lead with a sale left as listed', async () => {
    const status = async (leadId: string) => (await queries.lead('seller-1', leadId))?.market_status;
    expect(await status('exclusive-sold')).toBe('sold');
    expect(await status('shared-twice')).toBe('sold');
    expect(await status('sold-then-withdrawn')).toBe('sold');
    expect(await status('shared-once')).toBe('listed');
    expect(await status('unsold')).toBe('listed');
  });

  it('filters leads by that status', async () => {
    const ids = async (status: string) =>
      (await queries.leads('seller-1', { limit: 10, status })).map((row) => row.lead_id).sort();
    expect(await ids('sold')).toEqual(['exclusive-sold', 'shared-twice', 'sold-then-withdrawn']);
    expect(await ids('listed')).toEqual(['shared-once', 'unsold']);
  });

  it('offers a batch withdrawal only the leads still on sale', async () => {
    expect((await queries.listedLeadIdsOfBatch('batch-1')).sort()).toEqual(['shared-once', 'unsold']);
  });
});
