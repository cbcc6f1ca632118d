import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { eventCatalogue } from '#lx/contracts';
import { PostgresEventStore } from '#lx/event-store';
import {
  generateLeadRows,
  leadRowsToCsv,
  leadRowsToNdjson,
  type LeadExpectation,
  type LeadRow,
} from '#lx/market-generator';
import { startExchange, type RunningExchange } from './support/exchange.js';
import {
  allLeads,
  registerParticipant,
  upload,
  uploadVerified,
  waitForVerified,
  type Participant,
} from './support/sellers.js';

/** Scenario 2 over HTTP: partial leads are listed at a lower score; good, partial, duplicate and bad rows get their verdicts. */
describe('sellers: upload, verification, listing and the personal-data vault', () => {
  let exchange: RunningExchange;
  let seller: Participant;
  let otherSeller: Participant;
  let buyer: Participant;
  const now = new Date();
  const generated = generateLeadRows({
    seed: 'scenario-2',
    count: 400,
    vertical: 'eyewear',
    capturedAround: now,
    country: 'mixed',
    partialShare: 0.3,
    duplicateShare: 0.08,
    badShare: 0.12,
  });
  let batchId: string;
  let leads: any[];

  beforeAll(async () => {
    exchange = await startExchange('sellers', {
      LX_RATE_LIMIT_PER_MINUTE: '100000',
      LX_VERIFICATION_CHUNK_ROWS: '50',
    });
    seller = await registerParticipant(exchange, 'seller', 'Landing Pages SL');
    otherSeller = await registerParticipant(exchange, 'seller', 'Other Seller LLC');
    buyer = await registerParticipant(exchange, 'buyer', 'Newsletter Builder');
  });
  afterAll(async () => exchange?.stop());

  it('verifies an upload on the worker with live progress and lists every good and partial row', async () => {
    const uploaded = await upload(exchange, {
      key: seller.apiKey,
      body: leadRowsToCsv(generated.rows, { delimiter: ';', bom: true }),
    });
    expect(uploaded.status).toBe(202);
    batchId = uploaded.body.batchId;
    expect(uploaded.body.progress.totalRows).toBe(400);
    const { batch, seen } = await waitForVerified(exchange, seller.apiKey, batchId);
    expect(seen.at(-1)).toBe(1);
    const listable = generated.expected.filter((e) => e.kind === 'good' || e.kind === 'partial').length;
    expect(batch.progress).toMatchObject({
      totalRows: 400,
      processed: 400,
      accepted: listable,
      rejected: 400 - listable,
    });
    leads = await allLeads(exchange, seller.apiKey, batchId);
    expect(leads).toHaveLength(listable);
    expect(leads.every((lead) => lead.status === 'listed' && lead.floor === 60000)).toBe(true);
  });

  it('gives every rejected row its line and the reason the generator planted', async () => {
    const report = await exchange.call('sellers', 'GET', `/v1/batches/${batchId}/rejections`, {
      key: seller.apiKey,
    });
    expect(report.status).toBe(200);
    const byLine = new Map<number, string[]>(report.body.rows.map((row: any) => [row.line, row.reasons]));
    generated.expected.forEach((expectation: LeadExpectation, index) => {
      const line = index + 2;
      if (expectation.kind === 'bad') expect([line, byLine.get(line)]).toEqual([line, [expectation.reason]]);
      else if (expectation.kind === 'duplicate')
        expect([line, byLine.get(line)]).toEqual([line, ['duplicate_in_batch']]);
      else expect(byLine.has(line)).toBe(false);
    });
    const csv = await fetch(`${exchange.url('sellers')}/v1/batches/${batchId}/rejections.csv`, {
      headers: { authorization: `Bearer ${seller.apiKey}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(report.body.rows.length + 1);
  });

  it('lists e-mail-only leads with a lower quality score, their parts visible, their personal data for the seller only', async () => {
    const emailOnly = leads.filter((lead) => !lead.attributes.contacts.phone.present);
    const full = leads.filter(
      (lead) => lead.attributes.contacts.phone.present && lead.attributes.contacts.email.present,
    );
    expect(emailOnly.length).toBeGreaterThan(10);
    const mean = (xs: any[]) => xs.reduce((total, lead) => total + lead.quality.score, 0) / xs.length;
    expect(mean(emailOnly)).toBeLessThan(mean(full) - 10);
    for (const lead of emailOnly) {
      expect(lead.quality.parts).toEqual(expect.objectContaining({ sellerHistory: 50 }));
      expect(lead.personalData.phone).toBeUndefined();
      expect(lead.personalData.email).toMatch(/@/);
    }
    const rowsById = new Map(generated.rows.map((row) => [row.external_id, row]));
    const sample = full[0];
    const row = rowsById.get(sample.personalData.externalId)!;
    expect(sample.personalData.email).toBe(row.email!.trim().toLowerCase());
    expect(sample.personalData.phone).toMatch(/^\+\d{10,12}$/);
  });

  it('rejects a person already listed on the exchange inside the window, from NDJSON too', async () => {
    const again: LeadRow[] = generated.rows
      .filter((_, index) => generated.expected[index]!.kind === 'good')
      .slice(0, 5)
      .map((row, index) => ({ ...row, external_id: `again-${index}` }));
    const { batch } = await uploadVerified(exchange, {
      key: seller.apiKey,
      body: leadRowsToNdjson(again),
      contentType: 'application/x-ndjson',
    });
    expect(batch.progress).toMatchObject({ accepted: 0, rejected: 5 });
    expect(batch.reasons).toEqual({ duplicate_on_exchange: 5 });
  });

  it('keeps sellers apart (404) and buyers out of uploads (403)', async () => {
    expect(
      (await exchange.call('sellers', 'GET', `/v1/batches/${batchId}`, { key: otherSeller.apiKey })).status,
    ).toBe(404);
    expect(
      (await exchange.call('sellers', 'GET', `/v1/leads/${leads[0].leadId}`, { key: otherSeller.apiKey }))
        .status,
    ).toBe(404);
    expect(
      (
        await exchange.call('sellers', 'GET', `/v1/batches/${batchId}/rejections`, {
          key: otherSeller.apiKey,
        })
      ).status,
    ).toBe(404);
    const listOfOther = await exchange.call('sellers', 'GET', '/v1/batches', { key: otherSeller.apiKey });
    expect(listOfOther.body.items).toEqual([]);
    expect(
      (await upload(exchange, { key: buyer.apiKey, body: leadRowsToCsv(generated.rows.slice(0, 2)) })).status,
    ).toBe(403);
  });

  it('withdraws a lead', async () => {
    const lead = leads[1];
    const withdrawn = await exchange.call('sellers', 'POST', `/v1/leads/${lead.leadId}/withdraw`, {
      key: seller.apiKey,
      body: {},
    });
    expect(withdrawn.status).toBe(200);
    await eventually(async () => {
      const view = await exchange.call('sellers', 'GET', `/v1/leads/${lead.leadId}`, { key: seller.apiKey });
      expect(view.body.status).toBe('withdrawn');
    });
  });

  it('erases a person on revocation: no plaintext left in the database dump or any event, the log still reads and verifies', async () => {
    const lead = leads.find(
      (l) => l.attributes.contacts.phone.present && l.personalData.lastName && l.leadId !== leads[1].leadId,
    );
    const person = lead.personalData;
    const revoked = await exchange.call('sellers', 'POST', '/v1/consumer-revocations', {
      key: exchange.operatorKey,
      body: { phone: person.phone },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.leadsErased).toContain(lead.leadId);
    await eventually(async () => {
      const view = await exchange.call('sellers', 'GET', `/v1/leads/${lead.leadId}`, { key: seller.apiKey });
      expect(view.body).toMatchObject({ status: 'erased', personalData: null });
    });

    const secrets = [
      person.phone,
      person.phone.slice(1),
      person.email,
      person.lastName,
      person.address,
    ].filter((value): value is string => typeof value === 'string' && value.length >= 6);
    const dump = execFileSync('pg_dump', ['--data-only', exchange.database.url], {
      maxBuffer: 1 << 30,
    }).toString('utf8');
    expect(dump).toContain(lead.leadId);
    for (const secret of secrets) expect([secret, dump.includes(secret)]).toEqual([secret, false]);

    const client = new pg.Client({ connectionString: exchange.database.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT data::text AS data, metadata::text AS metadata FROM lx_events',
      );
      const log = rows.map((row) => row.data + row.metadata).join('\n');
      for (const secret of secrets) expect(log.includes(secret)).toBe(false);
      const { rows: erased } = await client.query(
        'SELECT event_type FROM lx_events WHERE stream_name = $1 ORDER BY stream_version',
        [`lead-${lead.leadId}`],
      );
      expect(erased.map((row) => row.event_type)).toEqual(['LeadListed', 'LeadErased']);
    } finally {
      await client.end();
    }
    const store = await PostgresEventStore.connect({
      connectionString: exchange.database.url,
      registry: eventCatalogue,
    });
    try {
      const integrity = await store.verifyIntegrity();
      // On a failure, the report says which stream and revision, and why.
      expect(integrity.ok ? 'verifies' : JSON.stringify(integrity)).toBe('verifies');
      const [listed] = await store.readStream(`lead-${lead.leadId}`);
      expect(listed!.data).toMatchObject({ leadId: lead.leadId, personalData: { algorithm: 'AES-256-GCM' } });
    } finally {
      await store.close();
    }

    // Suppressed from now on: the same person uploaded again is refused.
    const row = generated.rows.find((r) => r.external_id === person.externalId)!;
    const again = await upload(exchange, {
      key: otherSeller.apiKey,
      body: leadRowsToCsv([{ ...row, external_id: 'after-revocation' }]),
    });
    const { batch } = await waitForVerified(exchange, otherSeller.apiKey, again.body.batchId);
    expect(batch.reasons).toMatchObject({ suppressed: 1 });
  });
  it('the upload template downloads and uploads as it is: its one row is listed', async () => {
    const template = await fetch(`${exchange.url('sellers')}/v1/upload-format/template.csv`, {
      headers: { authorization: `Bearer ${otherSeller.apiKey}` },
    });
    expect(template.status).toBe(200);
    const { batch } = await uploadVerified(exchange, {
      key: otherSeller.apiKey,
      body: await template.text(),
    });
    expect(batch.progress).toMatchObject({ accepted: 1, rejected: 0 });
  });
});

async function eventually(check: () => Promise<void>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
