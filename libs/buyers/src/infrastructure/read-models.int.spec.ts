import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import {
  eventCatalogue,
  LeadWithdrawn,
  ListingExpired,
  newEvent,
  ReturnAccepted,
  ReturnRejected,
  SellerResponded,
} from '#lx/contracts';
import { comparePositions, PostgresEventStore, type LogPosition } from '#lx/event-store';
import { AggregateRepository } from '#lx/event-sourcing';
import { ProjectionRunner, readModelSearchPath } from '#lx/projections';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { conversionDecider } from '../domain/conversion.js';
import { returnRequestDecider } from '../domain/return-request.js';
import { conversionStream, returnStream } from '../application/buyer-account-stream.js';
import { leadAllocated, leadListed } from '../testing/catalogue-fixtures.js';
import { marketDepthProjection } from './market-depth.projection.js';
import { MarketDepthQueries } from './market-depth.queries.js';
import { purchasesProjection } from './purchases.projection.js';
import { PurchasesQueries } from './purchases.queries.js';

jest.setTimeout(120_000);

/** The read models fed with real catalogue events — exactly what they consume in production. */
describe('buyers read models', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let runners: ProjectionRunner[];
  let purchases: PurchasesQueries;
  let depth: MarketDepthQueries;
  let repository: AggregateRepository;
  const buyerId = randomUUID();
  const otherBuyer = randomUUID();
  const orderId = randomUUID();
  const allocations: string[] = [];
  const now = new Date();

  const append = async (stream: string, event: Parameters<PostgresEventStore['appendToStream']>[1][number]) =>
    (await store.appendToStream(stream, [event], { expectedRevision: 'any' })).position;

  /** Each projection has applied everything its filter selects up to the head (and so `position`). */
  const caughtUp = async (position: LogPosition) => {
    // The readable head stays below any transaction still open anywhere on the server (the xmin
    // horizon), so it can trail the position just appended for a moment: wait for it.
    for (;;) {
      const head = await store.headPosition();
      if (head && comparePositions(head, position) >= 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const runner of runners)
      while ((await runner.status()).lagging) await new Promise((resolve) => setTimeout(resolve, 25));
  };

  beforeAll(async () => {
    database = await createTestDatabase('buyers_read_models');
    store = await PostgresEventStore.connect({ connectionString: database.url, registry: eventCatalogue });
    repository = new AggregateRepository(store);
    const projections = [purchasesProjection, marketDepthProjection];
    dataSource = await new DataSource({
      type: 'postgres',
      url: database.url,
      extra: { options: readModelSearchPath(projections) },
    }).initialize();
    runners = await Promise.all(
      projections.map((projection) =>
        ProjectionRunner.start({ projection, store, dataSource, pollIntervalMs: 50 }),
      ),
    );
    purchases = new PurchasesQueries(dataSource);
    depth = new MarketDepthQueries(dataSource);

    // Scenario 1: 60 matching leads rest in the market, the order buys 50 at 600 RUB.
    for (let i = 0; i < 60; i++) await append(`lead-l${i}`, leadListed(`l${i}`, { floor: 40000 + i * 100 }));
    for (let i = 0; i < 50; i++) {
      const allocationId = `alloc-${i}`;
      allocations.push(allocationId);
      await append(
        'market-eyewear',
        leadAllocated({
          allocationId,
          leadId: `l${i}`,
          orderId,
          buyerId,
          price: 60000,
          at: now.toISOString(),
        }),
      );
    }
    // Another buyer's purchase, which must stay invisible to the first.
    await append('lead-x1', leadListed('x1', { attributes: { region: 'RU-SPE' } }));
    await append(
      'market-eyewear',
      leadAllocated({
        allocationId: 'alloc-x1',
        leadId: 'x1',
        orderId: randomUUID(),
        buyerId: otherBuyer,
        price: 50000,
      }),
    );
    // 11 of the 50 convert.
    for (const allocationId of allocations.slice(0, 11))
      await repository.handle(conversionStream(allocationId), conversionDecider, {
        conversion: { allocationId, buyerId, at: now.toISOString() },
        allocatedAt: now.toISOString(),
      });
    // Two returns: one accepted, one rejected with its rule and rationale.
    for (const allocationId of allocations.slice(48))
      await repository.handle(returnStream(allocationId), returnRequestDecider, {
        request: {
          allocationId,
          leadId: `l${allocations.indexOf(allocationId)}`,
          orderId,
          buyerId,
          sellerId: 'seller-1',
          reason: 'invalid_phone',
          evidence: [{ kind: 'call_log', description: 'number not in service' }],
        },
        allocatedAt: now.toISOString(),
        returnWindowHours: 72,
      });
    await append(
      returnStream('alloc-48'),
      newEvent(SellerResponded, {
        allocationId: 'alloc-48',
        sellerId: 'seller-1',
        position: 'accept',
        statement: 'agreed',
        evidence: [],
      }),
    );
    await append(
      returnStream('alloc-48'),
      newEvent(ReturnAccepted, {
        allocationId: 'alloc-48',
        decidedBy: 'seller-1',
        rule: 'seller-accepted',
        rationale: 'The seller accepted the claim',
      }),
    );
    const last = await append(
      returnStream('alloc-49'),
      newEvent(ReturnRejected, {
        allocationId: 'alloc-49',
        decidedBy: 'system',
        rule: 'return-window-elapsed',
        rationale: 'Requested after 72 h',
      }),
    );
    await caughtUp(last);
  });

  afterAll(async () => {
    await Promise.all((runners ?? []).map((runner) => runner.stop()));
    await dataSource?.destroy();
    await store?.close();
    await database?.drop();
  });

  it('reports scenario 1 exactly: 50 leads, 30 000 RUB, CPL 600, 22 %, CPA ≈ 2 727', async () => {
    const [report] = await purchases.report(buyerId, orderId);
    expect(report).toMatchObject({
      currency: 'RUB',
      leadsBought: 50,
      spend: 3_000_000,
      costPerLead: 60000,
      conversions: 11,
      conversionRatePercent: 22,
      conversionRateBps: 2200,
      costPerAcquisition: 272727,
      returnsRequested: 2,
      returnsAccepted: 1,
      refunded: 60000,
      netSpend: 2_940_000,
    });
    expect(await purchases.report(buyerId)).toHaveLength(1);
  });

  it('lists only the buyer’s own purchases, in log order, page by page', async () => {
    const first = await purchases.list(buyerId, {}, 20);
    expect(first.map((p) => p.allocationId)).toEqual(allocations.slice(0, 20));
    const [c, p] = first.at(-1)!.position.split('/');
    const next = await purchases.list(buyerId, { after: { commit: c!, prepare: p! } }, 100);
    expect(next.map((row) => row.allocationId)).toEqual(allocations.slice(20));
    expect(first[0]).toMatchObject({
      price: 60000,
      converted: true,
      attributes: { region: 'RU-MOW', age: 41 },
    });
    expect(await purchases.findOwn(buyerId, 'alloc-x1')).toBeNull();
    expect(await purchases.findOwn(otherBuyer, 'alloc-0')).toBeNull();
    expect(await purchases.list(buyerId, { region: 'RU-SPE' }, 10)).toEqual([]);
    expect(await purchases.list(otherBuyer, { region: 'RU-SPE' }, 10)).toHaveLength(1);
  });

  it('follows a return to its decision, with the rule and rationale', async () => {
    expect(await purchases.findReturn(buyerId, 'alloc-48')).toMatchObject({
      status: 'accepted',
      reason: 'invalid_phone',
      sellerResponse: { position: 'accept' },
      decision: { outcome: 'accepted', rule: 'seller-accepted', rationale: 'The seller accepted the claim' },
    });
    expect(await purchases.findReturn(buyerId, 'alloc-49')).toMatchObject({
      status: 'rejected',
      decision: { rule: 'return-window-elapsed', decidedBy: 'system' },
    });
    expect(await purchases.findReturn(otherBuyer, 'alloc-48')).toBeNull();
    expect(await purchases.listReturns(buyerId, null, 10)).toHaveLength(2);
  });

  it('previews an order against the resting leads only, with their floors', async () => {
    // l50…l59 still rest (floors 45 000 … 45 900); x1 and the 50 bought are gone.
    const scenario = {
      ageMin: 30,
      regions: ['RU-MOW', 'RU-SPE'],
      requiredContacts: ['phone', 'email'] as ('phone' | 'email')[],
    };
    expect(await depth.preview('eyewear', scenario, { bid: 45500, now })).toMatchObject({
      matching: 10,
      matchingAtOrBelowBid: 6,
      floors: { currency: 'RUB', min: 45000, max: 45900 },
      exclusive: 10,
    });
    expect((await depth.preview('eyewear', { ageMin: 50 }, { now })).matching).toBe(0);
    expect((await depth.preview('eyewear', {}, { exclusivity: 'shared_ok', now })).matching).toBe(0);

    await append('lead-l50', newEvent(LeadWithdrawn, { leadId: 'l50', sellerId: 'seller-1' }));
    const last = await append(
      'market-eyewear',
      newEvent(ListingExpired, { leadId: 'l51', sellerId: 'seller-1', salesMade: 0 }),
    );
    await caughtUp(last);
    expect((await depth.preview('eyewear', scenario, { now })).matching).toBe(8);
  });

  it('counts the inventory by segment and suppresses segments under 3 leads', async () => {
    const lastListed = await append(
      'lead-y1',
      leadListed('y1', { attributes: { region: 'RU-KDA', age: 22 } }),
    );
    await caughtUp(lastListed);
    const market = await depth.depth('eyewear', now);
    expect(market.segments).toEqual([
      { region: 'RU-MOW', ageBand: '35-44', contacts: 'phone+email', leads: 8 },
    ]);
    expect(market.suppressedSegments).toBe(1);
  });
});
