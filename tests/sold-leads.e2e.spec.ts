import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { allLeads, listExclusiveEyewear } from './support/sellers.js';
import {
  waitUntil,
  type Registered,
  participantCalls,
  pullOrder,
  cleanEyewearRows,
  eyewearParties,
} from './support/scenarios.js';

/*
 * Sold leads over HTTP with the real engine: a sold-out lead reads `sold` and a batch
 * withdrawal leaves it alone; the buyer's export comes in a spreadsheet-safe and an RFC 4180
 * dialect; the auditor's explanation of a sale confirms it.
 */
const PRICE = 50_000;

describe('sold leads: status, withdrawal, export', () => {
  let exchange: RunningExchange;
  let seller: Registered;
  let buyer: Registered;
  let auditor: Registered;
  let batchId: string;
  let sold: string[];
  const rows = cleanEyewearRows('sold-leads-e2e', 6);
  for (const row of rows) row.first_name = 'Ivan;=1+2';

  const call = participantCalls(() => exchange);
  const download = async (who: Registered, app: 'buyers' | 'sellers' | 'settlement', path: string) => {
    const response = await fetch(`${exchange.url(app)}${path}`, {
      headers: { authorization: `Bearer ${who.apiKey}` },
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };

  beforeAll(async () => {
    exchange = await startExchange('soldleads', { LX_RATE_LIMIT_PER_MINUTE: '100000' });
    ({ seller, buyer, auditor } = await eyewearParties(exchange, 'Optika Export', {
      amount: 1_000_000,
      reference: 'wire-sold-leads',
    }));
    ({ batchId } = await listExclusiveEyewear(exchange, seller.apiKey, rows, PRICE));
    const placed = await call('buyers', buyer, 'POST', '/v1/orders', pullOrder({ bid: PRICE, quantity: 2 }));
    expect(placed.status).toBe(201);
    const purchases = await waitUntil('two purchases', async () => {
      const page = await call('buyers', buyer, 'GET', '/v1/purchased-leads?limit=10');
      return page.body.items?.length >= 2 ? (page.body.items as { leadId: string }[]) : undefined;
    });
    sold = purchases.map((p) => p.leadId).sort();
  });
  afterAll(async () => exchange?.stop());

  it('shows a sold exclusive lead as sold, and withdraws only the leads still on sale', async () => {
    const statuses = () =>
      allLeads(exchange, seller.apiKey, batchId).then((leads) =>
        Object.fromEntries(
          leads.map((lead: { leadId: string; status: string }) => [lead.leadId, lead.status]),
        ),
      );
    const before = await waitUntil('the sales in the seller read model', async () => {
      const now = await statuses();
      return sold.every((id) => now[id] === 'sold') ? now : undefined;
    });
    expect(Object.values(before).filter((status) => status === 'listed')).toHaveLength(4);

    const refused = await call('sellers', seller, 'POST', `/v1/leads/${sold[0]}/withdraw`, {});
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ status: 409, type: expect.stringContaining('lead-sold-out') });

    const withdrawn = await call('sellers', seller, 'POST', `/v1/batches/${batchId}/withdraw`, {});
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', leadsWithdrawn: 4 });
    const after = await waitUntil('the withdrawal in the seller read model', async () => {
      const now = await statuses();
      return Object.values(now).filter((status) => status === 'withdrawn').length === 4 ? now : undefined;
    });
    for (const id of sold) expect(after[id]).toBe('sold');
  });

  it('exports purchases for a spreadsheet (no formula, phones as text) and for a machine (values exactly)', async () => {
    const spreadsheet = await download(buyer, 'buyers', '/v1/purchased-leads/export.csv');
    expect(spreadsheet.status).toBe(200);
    expect(spreadsheet.type).toContain('text/csv');
    const machine = await download(buyer, 'buyers', '/v1/purchased-leads/export.csv?dialect=rfc4180');
    expect(machine.status).toBe(200);
    const records = parse(machine.text) as string[][];
    const [header, ...lines] = records;
    expect(lines).toHaveLength(2);
    const phones = lines.map((line) => line[header!.indexOf('phone')]!);
    for (const phone of phones) expect(phone).toMatch(/^\+7\d{10}$/);
    // Money in major units beside its currency, a date on every line.
    for (const line of lines) {
      expect(line[header!.indexOf('price')]).toBe('500.00');
      expect(line[header!.indexOf('currency')]).toBe('RUB');
      expect(line[header!.indexOf('allocated_at')]).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    const sheet = parse(spreadsheet.text, { bom: true }) as string[][];
    expect(sheet.slice(1).map((line) => line[header!.indexOf('phone')])).toEqual(phones.map((p) => `'${p}`));
    for (const separator of [',', ';', '\t'])
      for (const fragment of spreadsheet.text.split(/\r\n/).flatMap((line) => line.split(separator)))
        expect(fragment).not.toMatch(/^[\s"]*[=+\-@]/);
    const names = lines.map((line) => line[header!.indexOf('name')]!);
    for (const name of names) expect(name.startsWith('Ivan;=1+2 ')).toBe(true);
    expect(sheet.slice(1).map((line) => line[header!.indexOf('name')])).toEqual(
      names.map((name) => name.replace(';=', ";'=")),
    );

    const unknown = await download(buyer, 'buyers', '/v1/purchased-leads/export.csv?dialect=excel');
    expect(unknown.status).toBe(400);
  });

  it('exports the rejection report and statements in both dialects', async () => {
    for (const dialect of ['spreadsheet', 'rfc4180']) {
      const rejections = await download(
        seller,
        'sellers',
        `/v1/batches/${batchId}/rejections.csv?dialect=${dialect}`,
      );
      expect(rejections.status).toBe(200);
      expect(parse(rejections.text, { bom: true })).toEqual([
        ['Line in your file', 'Reason codes', 'What is wrong'],
      ]);
    }
    const statement = await download(
      buyer,
      'settlement',
      `/v1/statements/buyers/${buyer.participantId}?format=csv&dialect=rfc4180`,
    );
    expect(statement.status).toBe(200);
    expect(statement.text.startsWith('Date (UTC),Entry,Reference,Balance,Amount')).toBe(true);
  });

  it('explains a sale as of its position and confirms it', async () => {
    const purchases = await call('buyers', buyer, 'GET', '/v1/purchased-leads?limit=10');
    for (const { allocationId } of purchases.body.items as { allocationId: string }[]) {
      const explanation = await call(
        'settlement',
        auditor,
        'GET',
        `/v1/audit/allocations/${allocationId}/explanation`,
      );
      expect(explanation.status).toBe(200);
      expect(explanation.body.confirmed).toBe(true);
    }
  });
});
