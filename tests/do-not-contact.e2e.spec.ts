import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { leadRowsToCsv, type LeadRow } from '#lx/market-generator';
import { startExchange, type RunningExchange } from './support/exchange.js';
import {
  cleanEyewearRows,
  eyewearParties,
  openMarket,
  participantCalls,
  pullOrder,
  waitUntil,
  type Registered,
} from './support/scenarios.js';
import { allLeads, upload, waitForVerified } from './support/sellers.js';

/*
 * Do-not-contact lists and consent freshness (docs/architecture.md §4, §4.3) over HTTP: a list
 * added later withdraws the resting lead it matches (the engine does not sell it), a listed phone
 * is refused at verification with its own reason, an expired or ended list and another market's
 * list do not apply, and a market's consent limit refuses stale consent.
 */
const FLOOR = 50_000;

describe('do-not-contact lists and consent freshness', () => {
  let exchange: RunningExchange;
  let seller: Registered;
  let buyer: Registered;
  const operator = () => ({ participantId: 'operator', apiKey: exchange.operatorKey });
  const call = participantCalls(() => exchange);
  // Distinct people: r[0..2] resting in eyewear, the rest uploaded by the tests below.
  const r = cleanEyewearRows('do-not-contact-e2e', 12).filter((row) => row.phone);
  const phoneOf = (row: LeadRow) => ({ phone: row.phone!, country: row.country });

  const batch = async (rows: LeadRow[], vertical = 'eyewear') => {
    const uploaded = await upload(exchange, {
      key: seller.apiKey,
      body: leadRowsToCsv(rows),
      query: `vertical=${vertical}&floor=${FLOOR}&exclusivity=exclusive`,
    });
    expect(uploaded.status).toBe(202);
    const { batch: view } = await waitForVerified(exchange, seller.apiKey, uploaded.body.batchId);
    const verified = { ...view.progress, reasons: view.reasons };
    const rejections = await call(
      'sellers',
      seller,
      'GET',
      `/v1/batches/${uploaded.body.batchId}/rejections`,
    );
    expect(rejections.status).toBe(200);
    return { batchId: uploaded.body.batchId as string, verified, rejected: rejections.body.rows as any[] };
  };

  /** Creates a list, adds the people's phones, and waits until the sellers app has recorded them. */
  const listWith = async (body: Record<string, unknown>, people: LeadRow[]) => {
    const created = await call('sellers', operator(), 'POST', '/v1/do-not-contact-lists', body);
    expect(created.status).toBe(201);
    const listId = created.body.listId as string;
    const added = await call('sellers', operator(), 'POST', `/v1/do-not-contact-lists/${listId}/entries`, {
      entries: people.map(phoneOf),
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ listId, received: people.length, contacts: people.length, events: 1 });
    await waitUntil('the list recorded by the sellers app', async () => {
      const list = await call('sellers', operator(), 'GET', `/v1/do-not-contact-lists/${listId}`);
      return list.status === 200 && list.body.contacts === people.length;
    });
    return listId;
  };

  beforeAll(async () => {
    exchange = await startExchange('dnc', { LX_RATE_LIMIT_PER_MINUTE: '100000' });
    ({ seller, buyer } = await eyewearParties(exchange, 'DNC Optics', {
      amount: 1_000_000,
      reference: 'wire-dnc',
    }));
    await openMarket(exchange, 'furniture');
  });
  afterAll(async () => exchange?.stop());

  it('refuses bad phones and e-mails naming each entry, and non-operators', async () => {
    const created = await call('sellers', operator(), 'POST', '/v1/do-not-contact-lists', {
      name: 'bad input',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ vertical: null, status: 'active', contacts: 0 });
    const bad = await call(
      'sellers',
      operator(),
      'POST',
      `/v1/do-not-contact-lists/${created.body.listId}/entries`,
      {
        entries: [phoneOf(r[0]!), { phone: '123456', country: 'RU' }, { email: 'not-an-address' }],
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'entries.1.phone',
      'entries.2.email',
    ]);
    expect(JSON.stringify(bad.body)).not.toContain(r[0]!.phone);
    const past = await call('sellers', operator(), 'POST', '/v1/do-not-contact-lists', {
      name: 'past',
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    expect(past.status).toBe(422);
    const asSeller = await call('sellers', seller, 'GET', '/v1/do-not-contact-lists');
    expect(asSeller.status).toBe(403);
    const missing = await call(
      'sellers',
      operator(),
      'GET',
      `/v1/do-not-contact-lists/${crypto.randomUUID()}`,
    );
    expect(missing.status).toBe(404);
  });

  it('withdraws the resting lead a list added later matches, and the engine does not sell it', async () => {
    const resting = await batch(r.slice(0, 3));
    expect(resting.verified).toMatchObject({ accepted: 3, rejected: 0 });
    const leadOf = async (row: LeadRow) =>
      (await allLeads(exchange, seller.apiKey, resting.batchId)).find(
        (lead: any) => lead.personalData.externalId === row.external_id,
      );
    await listWith(
      { name: 'eyewear DNC', vertical: 'eyewear', expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      [r[0]!, r[3]!, r[4]!],
    );
    const withdrawn = await waitUntil('the listed resting lead withdrawn', async () => {
      const lead = await leadOf(r[0]!);
      return lead?.status === 'withdrawn' ? lead : undefined;
    });
    expect((await leadOf(r[1]!)).status).toBe('listed');

    const placed = await call('buyers', buyer, 'POST', '/v1/orders', pullOrder({ bid: FLOOR, quantity: 3 }));
    expect(placed.status).toBe(201);
    const bought = await waitUntil('the two leads still for sale bought', async () => {
      const page = await call('buyers', buyer, 'GET', '/v1/purchased-leads?limit=10');
      return page.body.items?.length >= 2 ? (page.body.items as { leadId: string }[]) : undefined;
    });
    expect(bought.map((purchase) => purchase.leadId)).not.toContain(withdrawn.leadId);
  });

  it('refuses a listed phone at verification with its reason and line; another market is not affected', async () => {
    const eyewear = await batch([r[5]!, r[3]!]);
    expect(eyewear.verified).toMatchObject({ accepted: 1, rejected: 1, reasons: { do_not_contact: 1 } });
    expect(eyewear.rejected).toEqual([expect.objectContaining({ line: 3, reasons: ['do_not_contact'] })]);

    const furniture = await batch([r[4]!], 'furniture');
    expect(furniture.verified).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('no longer applies a list once expired or ended', async () => {
    const expiring = await listWith(
      { name: 'short-lived', expiresAt: new Date(Date.now() + 4_000).toISOString() },
      [r[6]!, r[7]!],
    );
    const before = await batch([r[6]!]);
    expect(before.verified).toMatchObject({ accepted: 0, reasons: { do_not_contact: 1 } });
    await waitUntil(
      'the list expired',
      async () => {
        const list = await call('sellers', operator(), 'GET', `/v1/do-not-contact-lists/${expiring}`);
        return list.body.status === 'expired';
      },
      10_000,
    );
    const after = await batch([r[7]!]);
    expect(after.verified).toMatchObject({ accepted: 1, rejected: 0 });

    const ending = await listWith(
      { name: 'ended early', vertical: 'eyewear', expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      [r[8]!],
    );
    const ended = await call('sellers', operator(), 'POST', `/v1/do-not-contact-lists/${ending}/end`, {});
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ listId: ending, alreadyEnded: false });
    await waitUntil('the end recorded', async () => {
      const list = await call('sellers', operator(), 'GET', `/v1/do-not-contact-lists/${ending}`);
      return list.body.status === 'ended';
    });
    const addAfterEnd = await call(
      'sellers',
      operator(),
      'POST',
      `/v1/do-not-contact-lists/${ending}/entries`,
      {
        entries: [phoneOf(r[9]!)],
      },
    );
    expect(addAfterEnd.status).toBe(409);
    expect((await batch([r[8]!])).verified).toMatchObject({ accepted: 1, rejected: 0 });

    const lists = await call('sellers', operator(), 'GET', '/v1/do-not-contact-lists');
    expect(lists.status).toBe(200);
    expect(lists.body.items.map((list: { status: string }) => list.status).sort()).toEqual([
      'active',
      'active',
      'ended',
      'expired',
    ]);
  });

  it("refuses a lead whose consent is older than the market's limit", async () => {
    const settings = await call('settlement', operator(), 'POST', '/v1/markets/furniture/settings', {
      currency: 'RUB',
      consentMaxAgeDays: 30,
    });
    expect(settings.status).toBe(200);
    expect(settings.body.consentMaxAgeDays).toBe(30);
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const fresh = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const checked = await batch(
      [
        { ...r[9]!, consent_captured_at: old },
        { ...r[10]!, consent_captured_at: fresh },
      ],
      'furniture',
    );
    expect(checked.verified).toMatchObject({ accepted: 1, rejected: 1, reasons: { consent_stale: 1 } });
    expect(checked.rejected).toEqual([expect.objectContaining({ line: 2, reasons: ['consent_stale'] })]);
  });

  describe('lists sent as files', () => {
    // Other people than the tests above use: f[0..5] have a phone and an e-mail.
    const f = cleanEyewearRows('do-not-contact-files-e2e', 20)
      .filter((row) => row.phone && row.email)
      .slice(0, 6);
    const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
    /** POSTs a file as the whole body, the way an operator's script would. */
    const sendFile = async (
      path: string,
      body: string,
      { contentType = 'text/csv', key = exchange.operatorKey, idempotencyKey = '' } = {},
    ) => {
      const response = await fetch(`${exchange.url('sellers')}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': contentType,
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        body,
      });
      const text = await response.text();
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        body: text.startsWith('{') ? JSON.parse(text) : text,
      };
    };
    const listCount = async () =>
      ((await call('sellers', operator(), 'GET', '/v1/do-not-contact-lists')).body.items as unknown[]).length;
    const recorded = (listId: string, contacts: number) =>
      waitUntil(`list ${listId} recorded with ${contacts} contacts`, async () => {
        const list = await call('sellers', operator(), 'GET', `/v1/do-not-contact-lists/${listId}`);
        return list.status === 200 && list.body.contacts === contacts;
      });
    let listId: string;

    it('creates a list from a CSV file with headed columns, the terms in the query', async () => {
      const csv = [
        'Email;phone;country',
        `${f[0]!.email};${f[0]!.phone};${f[0]!.country}`,
        '',
        // An e-mail as a spreadsheet may have kept it: padded, in capitals.
        `  ${f[1]!.email!.toUpperCase()} ;;`,
      ].join('\r\n');
      const query = new URLSearchParams({
        name: 'regulator register',
        vertical: 'eyewear',
        expiresAt: inAnHour(),
      });
      const created = await sendFile(`/v1/do-not-contact-lists?${query}`, csv);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'regulator register',
        vertical: 'eyewear',
        status: 'active',
        contacts: 3,
        fingerprints: 3,
      });
      listId = created.body.listId;
      await recorded(listId, 3);
    });

    it('appends plain text, one entry a line, and one headerless CSV column', async () => {
      const text = await sendFile(
        `/v1/do-not-contact-lists/${listId}/entries?country=${f[2]!.country}`,
        `\n${f[2]!.phone}\n\n`,
        { contentType: 'text/plain; charset=utf-8' },
      );
      expect(text.status).toBe(200);
      expect(text.body).toEqual({ listId, received: 1, contacts: 1, events: 1 });
      const column = await sendFile(`/v1/do-not-contact-lists/${listId}/entries`, `${f[3]!.email}\n`);
      expect(column.status).toBe(200);
      expect(column.body).toEqual({ listId, received: 1, contacts: 1, events: 1 });
      await recorded(listId, 5);
    });

    it('refuses at verification the people the files named, by phone or by e-mail', async () => {
      const checked = await batch([f[0]!, f[1]!, f[2]!, f[3]!, f[4]!]);
      expect(checked.verified).toMatchObject({ accepted: 1, rejected: 4, reasons: { do_not_contact: 4 } });
      expect(checked.rejected.map((row) => row.line)).toEqual([2, 3, 4, 5]);
    });

    it('refuses a file with bad entries naming their lines, never their values, and writes nothing', async () => {
      const csv = [
        'phone,email',
        `${f[5]!.phone},`,
        '123456,',
        ',not-an-address',
        `${f[5]!.phone},x@y.ru,RU`,
      ].join('\n');
      const refused = await sendFile(`/v1/do-not-contact-lists/${listId}/entries`, csv);
      expect(refused.status).toBe(400);
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body.errors).toEqual([
        { field: 'line 3', line: 3, messages: ['phone: not a valid phone number'] },
        { field: 'line 4', line: 4, messages: ['email: not a valid e-mail address'] },
        { field: 'line 5', line: 5, messages: ['expected 2 columns, found 3'] },
      ]);
      expect(refused.body.detail).toMatch(
        /^3 entries are not valid: line 3, line 4, line 5; nothing was added$/,
      );
      expect(JSON.stringify(refused.body)).not.toContain('not-an-address');
      expect(JSON.stringify(refused.body)).not.toContain(f[5]!.phone);
      const before = await listCount();
      const query = new URLSearchParams({ name: 'half good', expiresAt: inAnHour() });
      const notCreated = await sendFile(`/v1/do-not-contact-lists?${query}`, `${f[5]!.email}\nnobody@\n`, {
        contentType: 'text/plain',
      });
      expect(notCreated.status).toBe(400);
      expect(notCreated.body.errors).toEqual([
        { field: 'line 2', line: 2, messages: ['email: not a valid e-mail address'] },
      ]);
      // Neither the list nor f[5]'s contacts were written: the list is as it was, and f[5] still lists.
      expect(await listCount()).toBe(before);
      expect(
        (await call('sellers', operator(), 'GET', `/v1/do-not-contact-lists/${listId}`)).body.contacts,
      ).toBe(5);
      expect((await batch([f[5]!])).verified).toMatchObject({ accepted: 1, rejected: 0 });
    });

    it('refuses a file it cannot read as a whole with a 4xx problem: header, type, size, count, terms, role', async () => {
      const entries = `/v1/do-not-contact-lists/${listId}/entries`;
      const header = await sendFile(entries, 'phone,name\n+79161234567,Anna\n');
      expect(header).toMatchObject({
        status: 422,
        body: { type: expect.stringContaining('invalid-header') },
      });
      expect(header.body.detail).toContain('unknown columns: "name"');
      const noHeader = await sendFile(entries, '+79161234567,anna@example.ru\n');
      expect(noHeader).toMatchObject({
        status: 422,
        body: { type: expect.stringContaining('missing-header') },
      });
      const empty = await sendFile(entries, '\n\n');
      expect(empty).toMatchObject({ status: 422, body: { type: expect.stringContaining('empty-upload') } });
      const spreadsheet = await sendFile(entries, 'PK\u0003\u0004', {
        contentType: 'application/vnd.ms-excel',
      });
      expect(spreadsheet).toMatchObject({
        status: 415,
        body: { type: expect.stringContaining('unsupported-media-type') },
      });
      const many = Array.from({ length: 20_001 }, (_, i) => `person${i}@example.ru`).join('\n');
      const tooMany = await sendFile(entries, many, { contentType: 'text/plain' });
      expect(tooMany).toMatchObject({
        status: 413,
        body: { type: expect.stringContaining('too-many-entries') },
      });
      const huge = await sendFile(entries, 'x'.repeat(1024 * 1024 + 1), { contentType: 'text/plain' });
      expect(huge.status).toBe(413);
      expect(huge.contentType).toContain('application/problem+json');
      const noName = await sendFile(`/v1/do-not-contact-lists?expiresAt=${inAnHour()}`, `${f[5]!.email}\n`);
      expect(noName.status).toBe(400);
      expect(noName.body.errors.map((error: { field: string }) => error.field)).toEqual(['name']);
      const asSeller = await sendFile(entries, `${f[5]!.email}\n`, { key: seller.apiKey });
      expect(asSeller.status).toBe(403);
      expect(
        (await call('sellers', operator(), 'GET', `/v1/do-not-contact-lists/${listId}`)).body.contacts,
      ).toBe(5);
    });

    it('an Idempotency-Key answers a repeated file once, and refuses another file under the same key', async () => {
      const first = await sendFile(`/v1/do-not-contact-lists/${listId}/entries`, `${f[4]!.email}\n`, {
        idempotencyKey: 'dnc-file-1',
      });
      expect(first.status).toBe(200);
      const again = await sendFile(`/v1/do-not-contact-lists/${listId}/entries`, `${f[4]!.email}\n`, {
        idempotencyKey: 'dnc-file-1',
      });
      expect(again).toMatchObject({ status: 200, body: first.body });
      const other = await sendFile(`/v1/do-not-contact-lists/${listId}/entries`, `${f[5]!.email}\n`, {
        idempotencyKey: 'dnc-file-1',
      });
      expect(other.status).toBe(422);
      await recorded(listId, 6);
    });
  });
});
