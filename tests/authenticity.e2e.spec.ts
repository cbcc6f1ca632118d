import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { leadRowsToCsv } from '#lx/market-generator';
import { startExchange, type RunningExchange } from './support/exchange.js';
import {
  cleanEyewearRows,
  confirmDeposit,
  openMarket,
  participantCalls,
  pullOrder,
  register,
  waitUntil,
  type Registered,
} from './support/scenarios.js';
import { allLeads, upload, waitForVerified } from './support/sellers.js';

/*
 * Selective authenticity checks over HTTP (docs/architecture.md §4.1): the exchange samples each
 * batch of a market that samples, the verification staff answer the tasks, a failing sample holds
 * the rest of the batch until an operator decides, and an order can require sample-verified leads.
 */
describe('authenticity: sampling, the staff task queue, holds and sample-verified orders', () => {
  let exchange: RunningExchange;
  let seller: Registered;
  let buyer: Registered;
  let auditor: Registered;
  let operator: Registered;
  const call = participantCalls(() => exchange);
  const batches: Record<
    'held' | 'passed' | 'open',
    { batchId: string; leadIds: string[]; phones: string[] }
  > = {} as never;

  const eventually = <T>(probe: () => Promise<T | undefined>, options: { timeoutMs: number; what: string }) =>
    waitUntil(options.what, probe, options.timeoutMs, 100);

  const rank = (batchId: string, leadId: string) =>
    createHash('sha256').update(`${batchId}|${leadId}`).digest('hex');

  async function listBatch(seed: string) {
    const rows = cleanEyewearRows(seed, 10);
    const uploaded = await upload(exchange, { key: seller.apiKey, body: leadRowsToCsv(rows) });
    expect(uploaded.status).toBe(202);
    const batchId = uploaded.body.batchId as string;
    await waitForVerified(exchange, seller.apiKey, batchId);
    const leads = await allLeads(exchange, seller.apiKey, batchId);
    expect(leads).toHaveLength(10);
    return {
      batchId,
      leadIds: leads.map((lead) => lead.leadId as string),
      phones: leads.map((lead) => lead.personalData.phone as string),
    };
  }

  const sampleOf = (batchId: string) =>
    eventually(
      async () => {
        const answer = await call('settlement', operator, 'GET', `/v1/authenticity/samples/${batchId}`);
        return answer.status === 200 ? answer.body : undefined;
      },
      { timeoutMs: 15_000, what: `the sample of ${batchId}` },
    );

  const answerTask = (leadId: string, outcome: string, who: Registered = operator) =>
    call('settlement', who, 'POST', `/v1/authenticity/tasks/${leadId}/answer`, {
      outcome,
      evidence: `Called at 10:05 and 10:40: ${outcome}`,
    });

  const purchases = async (orderId: string) => {
    const page = await call('buyers', buyer, 'GET', `/v1/purchased-leads?orderId=${orderId}&limit=100`);
    expect(page.status).toBe(200);
    return page.body.items.map((item: { leadId: string }) => item.leadId) as string[];
  };

  beforeAll(async () => {
    exchange = await startExchange('authenticity', { LX_RATE_LIMIT_PER_MINUTE: '100000' });
    [seller, buyer, auditor, operator] = await Promise.all([
      register(exchange, 'seller', 'Vera Leads'),
      register(exchange, 'buyer', 'Careful Optics'),
      register(exchange, 'auditor', 'Audit & Co'),
      register(exchange, 'operator', 'Verification Desk'),
    ]);
    // 10 % of a batch of 10 is one lead: the minimum of 3 sets the size; one failure in 3 holds it.
    await openMarket(exchange, 'eyewear', {
      currency: 'RUB',
      authenticitySamplePercent: 10,
      authenticitySampleMin: 3,
      authenticityHoldPercent: 20,
    });
    await confirmDeposit(exchange, buyer, 5_000_000, 'auth-deposit-1');
    [batches.held, batches.passed, batches.open] = await Promise.all([
      listBatch('authenticity-held'),
      listBatch('authenticity-passed'),
      listBatch('authenticity-open'),
    ]);
  });
  afterAll(async () => exchange?.stop());

  it('draws each batch’s sample by sha-256 of batch|lead, so anyone can draw it again, and queues its tasks with the contact', async () => {
    for (const { batchId, leadIds } of Object.values(batches)) {
      const { sample, tasks } = await sampleOf(batchId);
      expect(sample).toMatchObject({
        status: 'sampling',
        population: 10,
        sampled: 3,
        holdThresholdPercent: 20,
      });
      const expected = [...leadIds]
        .sort((a, b) => (rank(batchId, a) < rank(batchId, b) ? -1 : 1))
        .slice(0, 3);
      expect(tasks.map((task: { leadId: string }) => task.leadId)).toEqual(expected);
    }
    const queue = await call('settlement', operator, 'GET', '/v1/authenticity/tasks?limit=100');
    expect(queue.status).toBe(200);
    expect(queue.body.items).toHaveLength(9);
    const first = queue.body.items.find((task: { batchId: string }) => task.batchId === batches.held.batchId);
    expect(first).toMatchObject({ assignedTo: 'staff', outcome: null, contact: { status: 'available' } });
    const index = batches.held.leadIds.indexOf(first.leadId);
    expect(first.contact.phone).toBe(batches.held.phones[index]);
    // Personal data for operators only.
    for (const who of [seller, buyer, auditor])
      expect((await call('settlement', who, 'GET', '/v1/authenticity/tasks')).status).toBe(403);
    // Paged by cursor, in the same order.
    const page = await call('settlement', operator, 'GET', '/v1/authenticity/tasks?limit=4');
    const next = await call(
      'settlement',
      operator,
      'GET',
      `/v1/authenticity/tasks?limit=100&cursor=${page.body.nextCursor}`,
    );
    expect([...page.body.items, ...next.body.items].map((task: { leadId: string }) => task.leadId)).toEqual(
      queue.body.items.map((task: { leadId: string }) => task.leadId),
    );
  });

  it('a failure above the threshold holds the batch; a sample answered within it passes', async () => {
    const held = (await sampleOf(batches.held.batchId)).tasks.map((task: { leadId: string }) => task.leadId);
    const unreachable = await answerTask(held[0], 'unreachable');
    expect(unreachable.status).toBe(201);
    expect(unreachable.body.events.map((event: { type: string }) => event.type)).toEqual([
      'AuthenticityCheckAnswered',
      'AuthenticitySampleHeld',
    ]);
    expect(unreachable.body.events[0].data.evidence).toMatchObject({ algorithm: 'AES-256-GCM' });
    expect((await answerTask(held[0], 'confirmed')).status).toBe(409);
    expect(
      (
        await answerTask(
          batches.held.leadIds.find((id) => !held.includes(id))!,
          'confirmed',
        )
      ).status,
    ).toBe(404);
    expect((await answerTask(held[1], 'maybe')).status).toBe(400);
    expect((await answerTask(held[1], 'confirmed', seller)).status).toBe(403);

    const passing = (await sampleOf(batches.passed.batchId)).tasks.map(
      (task: { leadId: string }) => task.leadId,
    );
    const answers = [];
    for (const leadId of passing) answers.push(await answerTask(leadId, 'confirmed'));
    expect(answers.at(-1)!.body.events.map((event: { type: string }) => event.type)).toEqual([
      'AuthenticityCheckAnswered',
      'AuthenticitySamplePassed',
    ]);
    await eventually(
      async () => ((await sampleOf(batches.passed.batchId)).sample.status === 'passed' ? true : undefined),
      { timeoutMs: 10_000, what: 'the passed sample' },
    );
    const verified = await sampleOf(batches.passed.batchId);
    expect(verified.tasks[0]).toMatchObject({
      outcome: 'confirmed',
      answeredBy: { kind: 'staff', id: operator.participantId },
    });
    expect(verified.tasks[0].qualityChecked).toBeGreaterThan(verified.tasks[0].qualityListed);
    // Only a held batch is decided.
    const early = await call(
      'settlement',
      operator,
      'POST',
      `/v1/authenticity/samples/${batches.passed.batchId}/decision`,
      {
        decision: 'release',
        note: 'nothing to release',
      },
    );
    expect(early.status).toBe(409);
    const unknown = randomUUID();
    expect((await call('settlement', operator, 'GET', `/v1/authenticity/samples/${unknown}`)).status).toBe(
      404,
    );
    const none = await call('settlement', operator, 'POST', `/v1/authenticity/samples/${unknown}/decision`, {
      decision: 'withdraw',
      note: 'no such batch',
    });
    expect([none.status, none.body.type]).toEqual([
      404,
      expect.stringContaining('authenticity-sample-not-found'),
    ]);
  });

  it('an order requiring sample-verified leads buys only the passed batch; a plain order nothing of the held one', async () => {
    const verifiedOnly = await call('buyers', buyer, 'POST', '/v1/orders', {
      ...pullOrder({ bid: 60000, quantity: 30, filters: { requireSampleVerified: true } }),
    });
    expect(verifiedOnly.status).toBe(201);
    const verifiedOrder = verifiedOnly.body.orderId as string;
    const bought = await eventually(
      async () => {
        const leads = await purchases(verifiedOrder);
        return leads.length >= 10 ? leads : undefined;
      },
      { timeoutMs: 15_000, what: 'the verified-only order’s purchases' },
    );
    expect([...bought].sort()).toEqual([...batches.passed.leadIds].sort());

    const plain = await call('buyers', buyer, 'POST', '/v1/orders', pullOrder({ bid: 60000, quantity: 30 }));
    expect(plain.status).toBe(201);
    const plainOrder = plain.body.orderId as string;
    const plainBought = await eventually(
      async () => {
        const leads = await purchases(plainOrder);
        return leads.length >= 10 ? leads : undefined;
      },
      { timeoutMs: 15_000, what: 'the plain order’s purchases' },
    );
    expect([...plainBought].sort()).toEqual([...batches.open.leadIds].sort());

    // The operator releases the held batch: the plain order takes it, the verified-only one does not.
    const held = await call('settlement', operator, 'GET', '/v1/authenticity/samples?status=held');
    expect(held.body.items.map((sample: { batchId: string }) => sample.batchId)).toEqual([
      batches.held.batchId,
    ]);
    const released = await call(
      'settlement',
      operator,
      'POST',
      `/v1/authenticity/samples/${batches.held.batchId}/decision`,
      {
        decision: 'release',
        note: 'The seller showed the consent records of the campaign',
      },
    );
    expect(released.status).toBe(201);
    expect(released.body.events[0]).toMatchObject({
      type: 'AuthenticityHoldDecided',
      data: { decision: 'released' },
    });
    const afterRelease = await eventually(
      async () => {
        const leads = await purchases(plainOrder);
        return leads.length >= 20 ? leads : undefined;
      },
      { timeoutMs: 15_000, what: 'the released batch sold' },
    );
    expect(afterRelease.filter((leadId) => batches.held.leadIds.includes(leadId))).toHaveLength(10);
    expect(await purchases(verifiedOrder)).toHaveLength(10);
  });

  it('feeds the seller’s record, and the engine’s decisions replay from the log', async () => {
    const history = await eventually(
      async () => {
        const answer = await call(
          'settlement',
          auditor,
          'GET',
          `/v1/sellers/${seller.participantId}/history`,
        );
        // The record's sales and its checks come from different events: wait for both.
        const { sold, checksConfirmed, checksFailed } = answer.body;
        return sold === 30 && checksConfirmed === 3 && checksFailed === 1 ? answer.body : undefined;
      },
      { timeoutMs: 30_000, what: 'the seller’s sales and checks in its record' },
    );
    expect(history).toMatchObject({ sold: 30, checksConfirmed: 3, checksFailed: 1 });
    const proof = await call('settlement', auditor, 'POST', '/v1/audit/replay');
    expect(proof.status).toBe(200);
    expect(proof.body.ok).toBe(true);
  });
});
