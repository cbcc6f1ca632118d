import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { sourceSampleId } from '#lx/authenticity';
import { leadRowsToCsv, type LeadRow } from '#lx/market-generator';
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
 * Authenticity checks per source over HTTP (docs/architecture.md §4.1): a seller's source is
 * sampled across its posted leads and its batches (its first leads, then a share); a lead its
 * batch's sample drew too is one task whose answer counts for both; failures hold the source — a
 * matching order buys neither its resting leads nor its next one, while another source sells —
 * until an operator releases it; a verified source's posted leads meet `requireSampleVerified`;
 * and the engine's decisions still replay from the log.
 */
describe('authenticity per source: draws across posts and batches, holds, releases, verified sources', () => {
  let exchange: RunningExchange;
  let seller: Registered;
  let buyer: Registered;
  let auditor: Registered;
  let operator: Registered;
  const call = participantCalls(() => exchange);
  const rows = cleanEyewearRows('authenticity-sources', 30);
  const terms = { vertical: 'eyewear', floor: 30000, exclusivity: 'exclusive' };
  const posted: Record<'bad' | 'verified', string[]> = { bad: [], verified: [] };
  let batch: { batchId: string; leadIds: string[] };

  type Task = { leadId: string; batchId: string; drawnBy: string[]; source: string | null; sourceId: string };

  const eventually = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000) =>
    waitUntil(what, probe, timeoutMs, 100);
  const sourceId = (source: string) => sourceSampleId('eyewear', seller.participantId, source);
  const post = (row: LeadRow, source: string) =>
    call('sellers', seller, 'POST', '/v1/leads', {
      ...terms,
      externalId: row.external_id,
      lead: { ...row, source },
    });
  const recordOf = (source: string, drawn: number) =>
    eventually(`the record of ${source} with ${drawn} drawn`, async () => {
      const answer = await call(
        'settlement',
        operator,
        'GET',
        `/v1/authenticity/sources/${sourceId(source)}`,
      );
      return answer.status === 200 && answer.body.source.drawn >= drawn ? answer.body : undefined;
    });
  const answerTask = (leadId: string, outcome: string) =>
    call('settlement', operator, 'POST', `/v1/authenticity/tasks/${leadId}/answer`, {
      outcome,
      evidence: `Called at 10:05 and 10:40: ${outcome}`,
    });
  const types = (answer: { body: { events: { type: string }[] } }) => answer.body.events.map((e) => e.type);
  const purchases = async (orderId: string) => {
    const page = await call('buyers', buyer, 'GET', `/v1/purchased-leads?orderId=${orderId}&limit=100`);
    expect(page.status).toBe(200);
    return page.body.items.map((item: { leadId: string }) => item.leadId) as string[];
  };
  const bought = (orderId: string, count: number) =>
    eventually(`${count} purchases of ${orderId}`, async () => {
      const leads = await purchases(orderId);
      return leads.length >= count ? leads : undefined;
    });

  beforeAll(async () => {
    exchange = await startExchange('authenticity_sources', { LX_RATE_LIMIT_PER_MINUTE: '100000' });
    [seller, buyer, auditor, operator] = await Promise.all([
      register(exchange, 'seller', 'Vera Leads'),
      register(exchange, 'buyer', 'Careful Optics'),
      register(exchange, 'auditor', 'Audit & Co'),
      register(exchange, 'operator', 'Verification Desk'),
    ]);
    // Each source's first 3 leads are checked, then 1 % of them; a batch's sample is all of it, so
    // that every lead its source draws is drawn by both.
    await openMarket(exchange, 'eyewear', {
      currency: 'RUB',
      authenticitySamplePercent: 100,
      authenticitySourceSamplePercent: 1,
      authenticitySampleMin: 3,
      authenticityHoldPercent: 20,
    });
    await confirmDeposit(exchange, buyer, 5_000_000, 'auth-sources-deposit');
    // No order yet: every lead rests.
    for (const row of rows.slice(0, 3)) {
      const answer = await post(row, 'aff-bad');
      expect([answer.status, answer.body.status]).toEqual([200, 'resting']);
      posted.bad.push(answer.body.leadId);
    }
    for (const row of rows.slice(3, 6)) {
      const answer = await post(row, 'aff-verified');
      expect([answer.status, answer.body.status]).toEqual([200, 'resting']);
      posted.verified.push(answer.body.leadId);
    }
    const tagged = rows.slice(6, 16).map((row) => ({ ...row, source: 'aff-good' }));
    const uploaded = await upload(exchange, { key: seller.apiKey, body: leadRowsToCsv(tagged) });
    expect(uploaded.status).toBe(202);
    await waitForVerified(exchange, seller.apiKey, uploaded.body.batchId);
    const leads = await allLeads(exchange, seller.apiKey, uploaded.body.batchId);
    batch = { batchId: uploaded.body.batchId, leadIds: leads.map((lead) => lead.leadId as string) };
    expect(batch.leadIds).toHaveLength(10);
  });
  afterAll(async () => exchange?.stop());

  it('draws each source’s first leads, posted or in a batch; a lead its batch drew too is one task for both', async () => {
    for (const [source, leadIds] of [
      ['aff-bad', posted.bad],
      ['aff-verified', posted.verified],
    ] as const) {
      const { source: record, tasks } = await recordOf(source, 3);
      expect(record).toMatchObject({
        sourceId: sourceId(source),
        sellerId: seller.participantId,
        vertical: 'eyewear',
        source,
        status: 'sampling',
        listed: 3,
        drawn: 3,
        holdThresholdPercent: 20,
        holdMinAnswered: 3,
      });
      expect(tasks.map((task: Task) => task.leadId)).toEqual(leadIds);
      // A posted lead is its own batch: only its source draws it.
      for (const task of tasks) expect(task).toMatchObject({ drawnBy: ['source'], batchId: task.leadId });
    }
    const good = await recordOf('aff-good', 3);
    expect(good.source).toMatchObject({ listed: 10 });
    const sample = await eventually('the batch’s sample', async () => {
      const answer = await call('settlement', operator, 'GET', `/v1/authenticity/samples/${batch.batchId}`);
      return answer.status === 200 ? answer.body : undefined;
    });
    const bySample = sample.tasks.map((task: Task) => task.leadId) as string[];
    const bySource = good.tasks.map((task: Task) => task.leadId) as string[];
    expect(bySample).toHaveLength(10);
    expect(bySource.length).toBeGreaterThanOrEqual(3);
    const queue = await call('settlement', operator, 'GET', '/v1/authenticity/tasks?limit=100');
    const ofBatch = (queue.body.items as Task[]).filter((task) => batch.leadIds.includes(task.leadId));
    // One task per lead, whichever samples drew it, and it says which.
    expect(ofBatch.map((task) => task.leadId).sort()).toEqual(
      [...new Set([...bySample, ...bySource])].sort(),
    );
    for (const task of ofBatch)
      expect(task.drawnBy).toEqual([
        ...(bySample.includes(task.leadId) ? ['batch'] : []),
        ...(bySource.includes(task.leadId) ? ['source'] : []),
      ]);
    expect(queue.body.items).toHaveLength(6 + ofBatch.length);
    // Sources are for operators and auditors.
    for (const who of [seller, buyer])
      expect((await call('settlement', who, 'GET', '/v1/authenticity/sources')).status).toBe(403);
  });

  it('holds a source whose checks fail, verifies one whose checks pass, and counts a shared check for both', async () => {
    const [first, second, third] = posted.bad;
    expect(types(await answerTask(first!, 'unreachable'))).toEqual(['AuthenticityCheckAnswered']);
    expect(types(await answerTask(second!, 'denied'))).toEqual(['AuthenticityCheckAnswered']);
    const holding = await answerTask(third!, 'unreachable');
    expect(types(holding)).toEqual(['AuthenticityCheckAnswered', 'AuthenticitySourceHeld']);
    expect(holding.body.events[1].data).toMatchObject({ answered: 3, failed: 3, source: 'aff-bad' });
    expect((await answerTask(third!, 'confirmed')).status).toBe(409);

    const verifying = [];
    for (const leadId of posted.verified) verifying.push(await answerTask(leadId, 'confirmed'));
    expect(types(verifying.at(-1)!)).toEqual(['AuthenticityCheckAnswered', 'AuthenticitySourceVerified']);

    const sample = await call('settlement', operator, 'GET', `/v1/authenticity/samples/${batch.batchId}`);
    const good = await recordOf('aff-good', 3);
    const shared = (good.tasks as Task[]).filter((task) => task.drawnBy.length === 2).map((t) => t.leadId);
    expect(shared).toHaveLength(good.tasks.length);
    const all = [
      ...new Set([...sample.body.tasks.map((t: Task) => t.leadId), ...good.tasks.map((t: Task) => t.leadId)]),
    ];
    const answered = [];
    for (const leadId of all)
      answered.push({ leadId, types: types(await answerTask(leadId as string, 'confirmed')) });
    for (const { leadId, types: appended } of answered)
      if (shared.includes(leadId as string))
        // Recorded once, on the batch's stream; counted by the source's record.
        // (the batch's stream's events come first: the answer, and the pass it may cause).
        expect(
          appended.filter(
            (type) => type !== 'AuthenticitySamplePassed' && type !== 'AuthenticitySourceVerified',
          ),
        ).toEqual(['AuthenticityCheckAnswered', 'AuthenticitySourceCheckCounted']);
    expect(answered.flatMap((answer) => answer.types)).toEqual(
      expect.arrayContaining(['AuthenticitySamplePassed', 'AuthenticitySourceVerified']),
    );
    const record = await eventually('the good source verified', async () => {
      const answer = await call(
        'settlement',
        auditor,
        'GET',
        `/v1/authenticity/sources/${sourceId('aff-good')}`,
      );
      return answer.body.source?.status === 'verified' ? answer.body.source : undefined;
    });
    expect(record).toMatchObject({ answered: good.tasks.length, confirmed: good.tasks.length, failed: 0 });

    const held = await eventually('the held source listed', async () => {
      const answer = await call('settlement', operator, 'GET', '/v1/authenticity/sources?status=held');
      return answer.body.items.length > 0 ? answer.body.items : undefined;
    });
    expect(held.map((item: { sourceId: string }) => item.sourceId)).toEqual([sourceId('aff-bad')]);
    // Only a held source is decided; an unknown one is not found; a bad status is a 400.
    const early = await call(
      'settlement',
      operator,
      'POST',
      `/v1/authenticity/sources/${sourceId('aff-good')}/decision`,
      {
        decision: 'release',
        note: 'nothing to release',
      },
    );
    expect([early.status, early.body.type]).toEqual([
      409,
      expect.stringContaining('authenticity-source-not-held'),
    ]);
    const unknown = randomUUID();
    expect((await call('settlement', operator, 'GET', `/v1/authenticity/sources/${unknown}`)).status).toBe(
      404,
    );
    const none = await call('settlement', operator, 'POST', `/v1/authenticity/sources/${unknown}/decision`, {
      decision: 'withdraw',
      note: 'no such source',
    });
    expect([none.status, none.body.type]).toEqual([
      404,
      expect.stringContaining('authenticity-source-not-found'),
    ]);
    expect((await call('settlement', operator, 'GET', '/v1/authenticity/sources?status=gone')).status).toBe(
      400,
    );
  });

  it('a held source sells nothing, resting or new, while another source sells; released, it sells', async () => {
    // Verified sources only: the verified source's posted leads and the passed batch, not the held source.
    const verifiedOnly = await call(
      'buyers',
      buyer,
      'POST',
      '/v1/orders',
      pullOrder({ bid: 70000, quantity: 13, filters: { requireSampleVerified: true } }),
    );
    expect(verifiedOnly.status).toBe(201);
    const verifiedBought = await bought(verifiedOnly.body.orderId, 13);
    expect([...verifiedBought].sort()).toEqual([...posted.verified, ...batch.leadIds].sort());

    const plain = await call('buyers', buyer, 'POST', '/v1/orders', pullOrder({ bid: 60000, quantity: 30 }));
    expect(plain.status).toBe(201);
    const plainOrder = plain.body.orderId as string;
    const next = await post(rows[20]!, 'aff-bad');
    expect([next.status, next.body.status]).toEqual([200, 'resting']);
    const other = await post(rows[21]!, 'aff-new');
    expect(other.body).toMatchObject({ status: 'sold', buyers: 1 });
    // The buyers app learns the sale from the log: wait for it.
    expect(await bought(plainOrder, 1)).toEqual([other.body.leadId]);

    const released = await call(
      'settlement',
      operator,
      'POST',
      `/v1/authenticity/sources/${sourceId('aff-bad')}/decision`,
      { decision: 'release', note: 'The affiliate showed its consent records' },
    );
    expect(released.status).toBe(201);
    expect(released.body.events[0]).toMatchObject({
      type: 'AuthenticitySourceHoldDecided',
      data: { decision: 'released', source: 'aff-bad', sellerId: seller.participantId },
    });
    const afterRelease = await bought(plainOrder, 5);
    expect([...afterRelease].sort()).toEqual([...posted.bad, next.body.leadId, other.body.leadId].sort());
    const record = await eventually('the released source’s record', async () => {
      const answer = await call(
        'settlement',
        auditor,
        'GET',
        `/v1/authenticity/sources/${sourceId('aff-bad')}`,
      );
      return answer.body.source?.status === 'released' ? answer.body.source : undefined;
    });
    // Its record starts again.
    expect(record).toMatchObject({ answered: 0, failed: 0, decidedBy: operator.participantId });
  });

  it('the engine’s decisions, with the sources’ holds and verifications among its inputs, replay from the log', async () => {
    const proof = await call('settlement', auditor, 'POST', '/v1/audit/replay');
    expect(proof.status).toBe(200);
    expect(proof.body.ok).toBe(true);
  });

  it('the authenticity read model, sources’ places and records included, rebuilds from the log equal to the live one', async () => {
    const check = await call('settlement', auditor, 'POST', '/v1/audit/read-models/verify');
    expect(check.status).toBe(200);
    const authenticity = check.body.projections.find(
      (projection: { projection: string }) => projection.projection === 'authenticity',
    );
    expect(authenticity).toMatchObject({ equal: true });
    expect(authenticity.tables.map((table: { table: string }) => table.table)).toEqual(
      expect.arrayContaining(['au_source', 'au_lead', 'au_task']),
    );
    expect(check.body.equal).toBe(true);
  });
});
