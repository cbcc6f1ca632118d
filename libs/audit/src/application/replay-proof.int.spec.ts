import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { eventCatalogue } from '#lx/contracts';
import { PostgresEventStore, comparePositions, type LogPosition } from '#lx/event-store';
import { MarketEngineHost, type MarketInputEvent } from '#lx/matching';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import {
  appendMarketInput,
  leadListed,
  orderPlaced,
  pingReceived,
  settings,
  tick,
} from '../../../matching/src/testing/market-fixtures.js';
import { replayMarkets } from './replay-proof.js';
import { AllocationExplanations } from './allocation-explanation.js';

/*
 * The replay proof over a generated market: the live engine host trades, then a fresh engine
 * re-folds the log and must reproduce every recorded output exactly — until a row is altered.
 */
let database: TestDatabase;
let store: PostgresEventStore;
let host: MarketEngineHost;
let lastInput: LogPosition;

const minute = (n: number) => new Date(Date.parse('2030-01-01T10:00:00.000Z') + n * 60_000).toISOString();

/** A source's hold, verification or release, as the authenticity checks write them. */
function sourceEvent(
  type: 'AuthenticitySourceHeld' | 'AuthenticitySourceVerified' | 'AuthenticitySourceHoldDecided',
  source: string,
): MarketInputEvent {
  const facts = { sourceId: `source-${source}`, vertical: 'eyewear', sellerId: 'seller-1', source };
  const tally = { answered: 3, confirmed: 3, failed: 0, holdThresholdPercent: 20, holdMinAnswered: 3 };
  if (type === 'AuthenticitySourceHoldDecided')
    return {
      type,
      data: { ...facts, decision: 'released', operatorId: 'operator-1', note: 'checked again' },
    };
  return {
    type,
    data: { ...facts, ...tally, ...(type === 'AuthenticitySourceHeld' ? { confirmed: 0, failed: 3 } : {}) },
  };
}

async function drawSourceLead(leadId: string, source: string, at: string): Promise<void> {
  await store.appendToStream(
    `authenticity-source-source-${source}`,
    [
      {
        type: 'AuthenticitySourceLeadsDrawn',
        data: {
          sourceId: `source-${source}`,
          vertical: 'eyewear',
          sellerId: 'seller-1',
          source,
          rule: 'sha256-source-lead-v1',
          samplePercent: 2,
          sampleMin: 3,
          holdThresholdPercent: 20,
          holdMinAnswered: 3,
          leads: [{ leadId, batchId: 'batch-1', ordinal: 1, reason: 'first' }],
        },
        metadata: { occurredAt: at, actor: 'system:authenticity' },
      },
    ],
    { expectedRevision: 'any' },
  );
}

async function append(event: MarketInputEvent, at: string): Promise<void> {
  lastInput = await appendMarketInput(store, event, at);
}

beforeAll(async () => {
  database = await createTestDatabase('replay_proof');
  store = await PostgresEventStore.connect({ connectionString: database.url, registry: eventCatalogue });
  host = new MarketEngineHost({ store, vertical: 'eyewear', instance: 'audit-test', pollIntervalMs: 50 });
  await host.start();
  await append(settings({ commissionBps: 1500 }), minute(0));
  for (let i = 0; i < 10; i++)
    await append(
      orderPlaced(`o-${i}`, {
        buyerId: `b-${i % 4}`,
        bid: 40000 + i * 1500,
        quantity: 6,
        budget: 6 * 60000,
        // Delivery schedules and hourly caps are replayed too: the best bidder buys only from 10:30 to
        // 11:00 UTC (2030-01-01 is a Tuesday), the next one at most two leads an hour.
        ...(i === 9
          ? {
              schedule: {
                timeZone: 'UTC',
                windows: [{ days: ['tue' as const], from: '10:30', to: '11:00' }],
              },
            }
          : {}),
        ...(i === 8 ? { hourlyCapCount: 2 } : {}),
      }),
      minute(0),
    );
  // Authenticity per source (§4.1): an order that takes only sample-verified leads, which only a
  // verified source supplies here; one source held a while, then released.
  await append(
    orderPlaced('o-verified', {
      buyerId: 'b-9',
      bid: 70000,
      quantity: 3,
      budget: 3 * 70000,
      filters: { requireSampleVerified: true },
    }),
    minute(0),
  );
  for (let i = 0; i < 80; i++) {
    await append(
      leadListed(`lead-${i}`, {
        floor: 30000 + (i % 5) * 4000,
        person: `person-${i % 50}`,
        exclusivity: i % 4 === 0 ? { kind: 'shared', maxSales: 2 } : { kind: 'exclusive' },
        attributes: { source: i % 3 === 0 ? 'aff-x' : 'aff-y' },
      }),
      minute(1 + i),
    );
    // The draw that led to it is in the log too; it is no input of the engine (inputs are counted below).
    if (i === 20) await drawSourceLead(`lead-${i}`, 'aff-x', minute(1 + i));
    if (i === 20) await append(sourceEvent('AuthenticitySourceHeld', 'aff-x'), minute(1 + i));
    if (i === 30) await append(sourceEvent('AuthenticitySourceVerified', 'aff-y'), minute(1 + i));
    if (i === 45) await append(sourceEvent('AuthenticitySourceHoldDecided', 'aff-x'), minute(1 + i));
    if (i % 20 === 19) await append(tick(minute(1 + i)), minute(1 + i));
    // Real time (§5.2): a ping, and the lead posted with its id, some in time and some too late.
    if (i % 10 === 5) {
      await append(pingReceived(`ping-${i}`, { attributes: { age: 30 + (i % 40) } }), minute(1 + i));
      const postedAt = new Date(Date.parse(minute(1 + i)) + (i % 20 === 5 ? 5_000 : 30_000)).toISOString();
      await append(
        leadListed(`posted-${i}`, {
          batchId: `posted-${i}`,
          person: `walk-in-${i}`,
          attributes: { age: 30 + (i % 40) },
          posted: { pingId: `ping-${i}` },
        }),
        postedAt,
      );
    }
  }
  const deadline = Date.now() + 60_000;
  for (;;) {
    const handled = host.lastHandled();
    if (handled && comparePositions(handled, lastInput) >= 0) break;
    if (Date.now() > deadline) throw new Error('the engine host did not catch up');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await host.stop();
});

afterAll(async () => {
  await host?.stop();
  await store?.close();
  await database?.drop();
});

describe('replay proof', () => {
  it('reproduces every recorded output of the market, with equal digests', async () => {
    const proof = await replayMarkets(store, { verticals: ['eyewear'] });
    const [market] = proof.markets;
    expect(proof.ok).toBe(true);
    expect(market!.recordedOutputs).toBeGreaterThan(30);
    expect(market).toMatchObject({ identical: true, notYetWritten: 0, firstDivergence: null });
    expect(market!.recordedDigest).toBe(market!.replayedDigest);
    expect(market!.inputs).toBe(1 + 11 + 80 + 3 + 4 + 8 + 8);
  });

  it('covers the sources’ holds and verifications: the verified source sold to the order that requires it', async () => {
    const allocations = (await store.readStream('market-eyewear'))
      .filter((e) => e.type === 'LeadAllocated')
      .map((e) => e.data as { orderId: string; leadId: string });
    const verified = allocations.filter((a) => a.orderId === 'o-verified');
    expect(verified).toHaveLength(3);
    // Only aff-y leads (i % 3 !== 0) are verified.
    for (const { leadId } of verified) expect(Number(leadId.split('-')[1]) % 3).not.toBe(0);
  });

  it('covers the pings and the posted leads: their answers are replayed like every output', async () => {
    const recorded = await store.readStream('market-eyewear');
    const types = recorded.map((event) => event.type);
    expect(types.filter((type) => type === 'PingAnswered')).toHaveLength(8);
    expect(types.filter((type) => type === 'LeadPostOutcome')).toHaveLength(8);
    const pings = recorded
      .filter((event) => event.type === 'LeadPostOutcome')
      .map((event) => (event.data as { ping?: { honoured: boolean; refusal?: string } }).ping);
    expect(pings.filter((ping) => ping?.honoured)).not.toHaveLength(0);
    expect(pings.filter((ping) => ping?.refusal === 'ping_expired')).not.toHaveLength(0);
    const proof = await replayMarkets(store, { verticals: ['eyewear'] });
    expect(proof.markets[0]).toMatchObject({ identical: true, firstDivergence: null });
  });

  it('the scheduled order bought only inside its window, the capped one at most two an hour', async () => {
    const allocations = (await store.readStream('market-eyewear'))
      .filter((e) => e.type === 'LeadAllocated')
      .map((e) => e.data as { orderId: string; at: string });
    const scheduled = allocations.filter((a) => a.orderId === 'o-9');
    expect(scheduled.length).toBeGreaterThan(0);
    for (const a of scheduled) expect(a.at >= minute(30) && a.at < minute(60)).toBe(true);
    expect(allocations.filter((a) => a.orderId === 'o-8').length).toBeLessThanOrEqual(4);
  });

  it('replays a prefix of the log up to a position', async () => {
    const [firstAllocation] = (await store.readStream('market-eyewear')).filter(
      (e) => e.type === 'LeadAllocated',
    );
    const upTo = (firstAllocation!.data as { inputPosition: string }).inputPosition.split('/').map(BigInt);
    const proof = await replayMarkets(store, {
      verticals: ['eyewear'],
      upTo: { commit: upTo[0]!, prepare: upTo[1]! },
    });
    expect(proof.ok).toBe(true);
    expect(proof.markets[0]!.recordedOutputs).toBeGreaterThanOrEqual(1);
    expect(proof.markets[0]!.recordedOutputs).toBeLessThan(10);
  });

  it('explains an allocation as of its position and confirms it by hand and by re-running the engine', async () => {
    const allocations = (await store.readStream('market-eyewear')).filter((e) => e.type === 'LeadAllocated');
    const sample = allocations[Math.floor(allocations.length / 2)]!.data as {
      allocationId: string;
      orderId: string;
    };
    const explanation = await new AllocationExplanations(store).explain(sample.allocationId);
    expect(explanation.checks.filter((check) => !check.holds)).toEqual([]);
    expect(explanation.confirmed).toBe(true);
    expect(explanation.asOf.order).toMatchObject({ orderId: sample.orderId, status: 'open' });
    expect(explanation.asOf.order.budgetLeft).toBeGreaterThan(0);
    expect(explanation.asOf.commissionBps).toBe(1500);
  });

  it('explains each winner of a shared lead on the state before any of its allocations', async () => {
    const allocations = (await store.readStream('market-eyewear'))
      .filter((e) => e.type === 'LeadAllocated')
      .map((e) => e.data as { allocationId: string; orderId: string; leadId: string; price: number });
    const first = allocations.find(
      (a, i) => allocations[i + 1]?.leadId === a.leadId && allocations[i + 1]?.orderId !== a.orderId,
    )!;
    expect(first).toBeDefined();
    const second = allocations[allocations.indexOf(first) + 1]!;
    const [ofFirst, ofSecond] = await Promise.all(
      [first, second].map((a) => new AllocationExplanations(store).explain(a.allocationId)),
    );
    const firstAsSeenBySecond = ofSecond.asOf.competingOrders.find((o) => o.orderId === first.orderId)!;
    const secondAsSeenByFirst = ofFirst.asOf.competingOrders.find((o) => o.orderId === second.orderId)!;
    expect(firstAsSeenBySecond.spentBefore).toBe(ofFirst.asOf.order.spentBefore);
    expect(firstAsSeenBySecond.budgetLeft).toBe(ofFirst.asOf.order.budgetLeft);
    expect(secondAsSeenByFirst.spentBefore).toBe(ofSecond.asOf.order.spentBefore);
    expect(ofSecond.confirmed).toBe(true);
  });

  it('names the first recorded output that the replay does not reproduce', async () => {
    const outputs = await store.readStream('market-eyewear');
    const victim = outputs.findIndex((e) => e.type === 'LeadAllocated' && outputs.indexOf(e) > 5);
    const sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    await sql.query(
      `UPDATE lx_events SET data = jsonb_set(jsonb_set(data, '{price}', to_jsonb((data->>'price')::int + 100)), '{proceeds}', to_jsonb((data->>'proceeds')::int + 100))
       WHERE stream_name = 'market-eyewear' AND stream_version = $1`,
      [victim],
    );
    await sql.end();
    const proof = await replayMarkets(store, { verticals: ['eyewear'] });
    expect(proof.ok).toBe(false);
    expect(proof.markets[0]!.firstDivergence).toMatchObject({
      index: victim,
      recorded: { type: 'LeadAllocated' },
    });
    expect(proof.markets[0]!.recordedDigest).not.toBe(proof.markets[0]!.replayedDigest);

    const tampered = (outputs[victim]!.data as { allocationId: string }).allocationId;
    const explanation = await new AllocationExplanations(store).explain(tampered);
    expect(explanation.confirmed).toBe(false);
    expect(explanation.checks.find((check) => check.check.startsWith('price follows'))?.holds).toBe(false);
  });
});
