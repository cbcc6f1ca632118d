import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventCatalogue } from '#lx/contracts';
import {
  PostgresEventStore,
  comparePositions,
  supervisionStatuses,
  type EventStore,
  type LogPosition,
  type RecordedEvent,
} from '#lx/event-store';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { digestOutputs } from '../domain/market-digest.js';
import { MarketEngine } from '../domain/market-engine.js';
import type { MarketInputEvent, MarketOutput } from '../domain/market-model.js';
import { appendMarketInput, leadListed, orderPlaced, settings, tick } from '../testing/market-fixtures.js';
import { MARKET_INPUT_CATEGORIES, marketStream, toMarketInput } from './market-inputs.js';
import { MarketEngineHost } from './market-engine-host.js';

/*
 * Two engine hosts against one PostgreSQL event store: both fold the same log; only identical
 * outputs are ever written, once. The leader is killed mid-stream; the standby carries on.
 */

let database: TestDatabase;
const stores: PostgresEventStore[] = [];
/** Every host a test started: stopped before the stores close, even when the test failed. */
const hosts: MarketEngineHost[] = [];
const connect = async () => {
  const store = await PostgresEventStore.connect({
    connectionString: database.url,
    registry: eventCatalogue,
  });
  stores.push(store);
  return store;
};

beforeAll(async () => {
  database = await createTestDatabase('matching_host');
});

afterAll(async () => {
  await Promise.all(hosts.map((host) => host.stop().catch(() => undefined)));
  await Promise.all(stores.map((store) => store.close().catch(() => undefined)));
  await database.drop();
});

const minute = (n: number) => new Date(Date.parse('2030-01-01T10:00:00.000Z') + n * 60_000).toISOString();

/** Appends one input event to the stream its writer owns, at domain time `at`. */
let lastInput: LogPosition | null = null;

async function appendInput(store: EventStore, event: MarketInputEvent, at: string): Promise<void> {
  lastInput = await appendMarketInput(store, event, at);
}

function marketInputs(): { event: MarketInputEvent; at: string }[] {
  const inputs: { event: MarketInputEvent; at: string }[] = [
    { event: settings({ commissionBps: 1200 }), at: minute(0) },
  ];
  for (let i = 0; i < 12; i++)
    inputs.push({
      event: orderPlaced(`o-${i}`, {
        buyerId: `b-${i % 5}`,
        bid: 40000 + i * 1000,
        quantity: 8,
        budget: 8 * 52000,
      }),
      at: minute(0),
    });
  for (let i = 0; i < 160; i++) {
    const shared = i % 3 === 0;
    inputs.push({
      event: leadListed(`lead-${i}`, {
        floor: 30000 + (i % 7) * 3000,
        person: `person-${i % 60}`,
        exclusivity: shared ? { kind: 'shared', maxSales: 3 } : { kind: 'exclusive' },
      }),
      at: minute(1 + i),
    });
    if (i % 40 === 39)
      inputs.push({
        event: orderPlaced(`late-${i}`, { buyerId: `b-late-${i}`, quantity: 20 }),
        at: minute(1 + i),
      });
    if (i % 25 === 0) inputs.push({ event: tick(minute(1 + i)), at: minute(1 + i) });
  }
  return inputs;
}

async function waitUntil(condition: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The host has folded the last input appended (outputs come after it in the log, unread by it). */
function caughtUp(host: MarketEngineHost): boolean {
  const handled = host.lastHandled();
  return lastInput !== null && handled !== null && comparePositions(handled, lastInput) >= 0;
}

/** What a single engine, folding the whole log once, says the market stream must hold. */
async function expectedOutputs(store: EventStore): Promise<MarketOutput[]> {
  const engine = new MarketEngine({ vertical: 'eyewear' });
  const outputs: MarketOutput[] = [];
  let after = null;
  for (;;) {
    const page = await store.readAll({
      after,
      maxCount: 1000,
      filter: { streamCategories: MARKET_INPUT_CATEGORIES },
    });
    for (const event of page.events) {
      const input = toMarketInput(event, 'eyewear');
      if (input) outputs.push(...engine.apply(input));
    }
    after = page.nextAfter;
    if (page.isEnd) return outputs;
  }
}

const asOutputs = (events: RecordedEvent[]) =>
  events.map((event) => ({ type: event.type, data: event.data }) as MarketOutput);

describe('two engine hosts on one market', () => {
  it('write every output exactly once, and the standby carries on when the leader is killed', async () => {
    const writer = await connect();
    /*
     * Neither instance is the leader by configuration: whichever appends an output first writes
     * it, and one that falls behind finds its outputs already written for as long as it stays
     * behind — which can be the whole first half of the inputs (seen: one instance folded all of
     * them and wrote none of 69 outputs). The leader killed is the instance that wrote the last
     * output before the kill; the other is the standby.
     */
    let lastWriter = null as MarketEngineHost | null;
    const host = async (instance: string): Promise<MarketEngineHost> => {
      const created: MarketEngineHost = new MarketEngineHost({
        store: await connect(),
        vertical: 'eyewear',
        instance,
        pollIntervalMs: 20,
        onWritten: () => (lastWriter = created),
      });
      hosts.push(created);
      return created;
    };
    const a = await host('a');
    const b = await host('b');
    await a.start();
    await b.start();

    const inputs = marketInputs();
    const killAt = Math.floor(inputs.length / 2);
    let leader!: MarketEngineHost;
    let standby!: MarketEngineHost;
    for (const [index, { event, at }] of inputs.entries()) {
      await appendInput(writer, event, at);
      if (index === killAt) {
        await waitUntil(() => lastWriter !== null);
        leader = lastWriter!;
        standby = leader === a ? b : a;
        leader.kill();
      }
    }
    await waitUntil(() => caughtUp(standby));

    const recorded = await writer.readStream(marketStream('eyewear'));
    const allocations = recorded.filter((event) => event.type === 'LeadAllocated');
    const data = allocations.map(
      (event) => event.data as { allocationId: string; leadId: string; buyerId: string },
    );
    // Nothing allocated twice, no lead beyond its limit.
    expect(new Set(data.map((a) => a.allocationId)).size).toBe(data.length);
    expect(new Set(data.map((a) => `${a.leadId}/${a.buyerId}`)).size).toBe(data.length);
    const perLead = new Map<string, number>();
    for (const a of data) perLead.set(a.leadId, (perLead.get(a.leadId) ?? 0) + 1);
    for (const [leadId, sales] of perLead)
      expect(sales).toBeLessThanOrEqual(Number(leadId.slice(5)) % 3 === 0 ? 3 : 1);
    // Nothing lost: the stream is exactly what one engine folding the whole log produces.
    const expected = await expectedOutputs(writer);
    expect(allocations.length).toBeGreaterThan(100);
    expect(recorded).toHaveLength(expected.length);
    expect(digestOutputs(asOutputs(recorded))).toBe(digestOutputs(expected));
    // Both wrote some of it: the leader before it died, the standby after.
    expect(leader.stats.appends).toBeGreaterThan(0);
    expect(standby.stats.appends).toBeGreaterThan(0);
    expect(leader.stats.appends + standby.stats.appends).toBe(
      new Set(recorded.map((event) => (event.data as { inputPosition: string }).inputPosition)).size,
    );
    // Every output names its cause.
    for (const event of recorded) expect(event.metadata.causationId).not.toBeNull();

    // A restart recovers from the tail and writes nothing already written.
    await standby.stop();
    const restarted = await host('c');
    await restarted.start();
    await waitUntil(() => caughtUp(restarted));
    expect(restarted.stats.appends + restarted.stats.alreadyWritten).toBe(0);
    // Its lag is on /metrics like every subscription's: nothing left to fold.
    const [status] = (await supervisionStatuses()).filter((s) => s.name === 'matching eyewear/c');
    expect(status).toMatchObject({ running: true, restarts: 0, lagEvents: 0 });
    // …and carries on with new inputs.
    await appendInput(
      writer,
      orderPlaced('after-restart', { buyerId: 'b-new', quantity: 500, budget: 500 * 50000 }),
      minute(200),
    );
    await waitUntil(() => restarted.stats.appends > 0);
    await restarted.stop();
    const after = await writer.readStream(marketStream('eyewear'));
    expect(digestOutputs(asOutputs(after))).toBe(digestOutputs(await expectedOutputs(writer)));
  });
});
