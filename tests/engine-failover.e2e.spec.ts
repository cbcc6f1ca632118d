import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { leadRowsToCsv } from '#lx/market-generator';
import { startExchange, type AppInstance, type RunningExchange } from './support/exchange.js';
import { registerParticipant, upload, type Participant } from './support/sellers.js';
import { cleanEyewearRows, confirmDeposit, openMarket, waitUntil } from './support/scenarios.js';

// Four app processes on a 2-core machine shared with other work: generous, never a measure of speed.
jest.setTimeout(240_000);

const PRICE = 60_000;

/** This instance's `lx_engine_appends{market="eyewear"}` from /metrics. */
async function engineAppends(url: string): Promise<{ written: number; alreadyWritten: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (outcome: string) =>
    Number(
      new RegExp(`^lx_engine_appends\\{market="eyewear",outcome="${outcome}"\\} (\\d+)`, 'm').exec(
        text,
      )?.[1] ?? NaN,
    );
  return { written: value('written'), alreadyWritten: value('already_written') };
}

/**
 * Two settlement instances run the eyewear engine hot; the one that writes is killed with SIGKILL
 * (no shutdown hook runs) and the other carries on: every lead allocated once, none lost.
 */
describe('matching: the standby engine of a second settlement instance takes over after kill -9', () => {
  let exchange: RunningExchange;
  let second: AppInstance;
  let sql: pg.Client;
  let seller: Participant;

  beforeAll(async () => {
    exchange = await startExchange('engine_failover', { LX_RATE_LIMIT_PER_MINUTE: '100000' });
    second = await exchange.startInstance('settlement');
    sql = new pg.Client({ connectionString: exchange.database.url });
    await sql.connect();
    await openMarket(exchange, 'eyewear');
    seller = await registerParticipant(exchange, 'seller', 'Failover Leads');
    const buyer = await registerParticipant(exchange, 'buyer', 'Failover Buyer');
    await confirmDeposit(exchange, buyer, 100 * PRICE, 'failover-deposit');
    const placed = await exchange.call('buyers', 'POST', '/v1/orders', {
      key: buyer.apiKey,
      body: {
        vertical: 'eyewear',
        filters: {},
        bid: PRICE,
        modifiers: [],
        quantity: 100,
        budget: 100 * PRICE,
        exclusivity: 'any',
        delivery: 'pull',
      },
    });
    expect(placed.status).toBe(201);
  });
  afterAll(async () => {
    await sql?.end();
    await exchange?.stop();
  });

  async function uploadAndWaitAllocated(seed: string, expectedAllocations: number): Promise<void> {
    const uploaded = await upload(exchange, {
      key: seller.apiKey,
      body: leadRowsToCsv(cleanEyewearRows(seed, 15, 60)),
      idempotencyKey: seed,
    });
    expect(uploaded.status).toBe(202);
    await waitUntil(
      `${expectedAllocations} leads allocated`,
      async () => {
        const { rows } = await sql.query<{ n: number }>(
          `SELECT count(DISTINCT data->>'leadId')::int AS n FROM lx_events WHERE event_type = 'LeadAllocated'`,
        );
        return rows[0]!.n >= expectedAllocations;
      },
      150_000,
    );
  }

  it('allocates every lead listed after the kill, none twice, and the market stream has no gap', async () => {
    await uploadAndWaitAllocated('failover-before', 15);
    // Both instances fold every output: each wrote it or found it already written by the other.
    const [first, other] = await waitUntil('both engines at the same output', async () => {
      const counts = [await engineAppends(exchange.url('settlement')), await engineAppends(second.url)];
      const [a, b] = counts.map((c) => c.written + c.alreadyWritten);
      return a! > 0 && a === b && counts;
    });

    expect(first!.written + other!.written).toBe(first!.written + first!.alreadyWritten);
    const firstWrites = first!.written >= other!.written;
    if (firstWrites) await exchange.crashApp('settlement');
    else await second.crash();
    const survivorUrl = firstWrites ? second.url : exchange.url('settlement');
    const survivorBefore = firstWrites ? other! : first!;

    await uploadAndWaitAllocated('failover-after', 30);
    const survivorAfter = await engineAppends(survivorUrl);
    expect(survivorAfter.written).toBeGreaterThan(survivorBefore.written);

    const { rows: listed } = await sql.query<{ lead: string }>(
      `SELECT data->>'leadId' AS lead FROM lx_events WHERE event_type = 'LeadListed'`,
    );
    const { rows: allocated } = await sql.query<{ lead: string; n: number }>(
      `SELECT data->>'leadId' AS lead, count(*)::int AS n FROM lx_events
        WHERE event_type = 'LeadAllocated' GROUP BY 1`,
    );
    expect(listed).toHaveLength(30);
    expect(allocated.filter((row) => row.n !== 1)).toEqual([]);
    expect(new Set(allocated.map((row) => row.lead))).toEqual(new Set(listed.map((row) => row.lead)));
    const { rows: market } = await sql.query<{ n: number; last: number }>(
      `SELECT count(*)::int AS n, max(stream_version)::int AS last FROM lx_events WHERE stream_name = 'market-eyewear'`,
    );
    expect(market[0]!.n).toBe(market[0]!.last + 1);
  });
});
