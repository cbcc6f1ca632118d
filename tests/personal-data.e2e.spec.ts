import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { listExclusiveEyewear } from './support/sellers.js';
import {
  waitUntil,
  type Registered,
  participantCalls,
  pullOrder,
  cleanEyewearRows,
  eyewearParties,
} from './support/scenarios.js';

/*
 * Free text about a lead quotes the person: the buyer's evidence ("called +7… three times"), the
 * seller's statement ("the e-mail … bounced"), and the consent page's query string. None of it is
 * in the log in clear; buyer, seller and auditor read the texts while the lead exists, and see them
 * as erased — in both APIs, the dispute report and the timeline — once the lead is erased.
 */

const PRICE = 50_000;

describe('personal data in free text', () => {
  let exchange: RunningExchange;
  let seller: Registered;
  let buyer: Registered;
  let auditor: Registered;
  const [row] = cleanEyewearRows('personal-data-e2e', 1, 1440);
  const phone = row!.phone!;
  const email = row!.email!;
  const evidence = `Called ${phone} three times: not in service`;
  const statement = `Confirmed with the person at ${email} before the sale`;
  const call = participantCalls(() => exchange);

  beforeAll(async () => {
    exchange = await startExchange('personaldata', { LX_RATE_LIMIT_PER_MINUTE: '100000' });
    ({ seller, buyer, auditor } = await eyewearParties(exchange, 'Optika Texts', {
      amount: 1_000_000,
      reference: 'wire-texts',
    }));
  });
  afterAll(async () => exchange?.stop());

  it('seals evidence and statements under the lead key, and erases them with the lead', async () => {
    const placed = await call('buyers', buyer, 'POST', '/v1/orders', pullOrder({ bid: PRICE, quantity: 1 }));
    expect(placed.status).toBe(201);
    const prefilled = `https://shop.example.ru/form?phone=${encodeURIComponent(phone)}#thanks`;
    const consented = { ...row!, consent_page_url: prefilled };
    const {
      leads: [lead],
    } = await listExclusiveEyewear(exchange, seller.apiKey, [consented], PRICE);
    const purchase = await waitUntil('the purchase', async () => {
      const page = await call('buyers', buyer, 'GET', `/v1/purchased-leads?orderId=${placed.body.orderId}`);
      return page.body.items?.[0];
    });
    const allocationId = purchase.allocationId as string;

    const requested = await call('buyers', buyer, 'POST', `/v1/purchased-leads/${allocationId}/return`, {
      reason: 'invalid_phone',
      evidence: [{ kind: 'call_log', description: evidence, reference: `CDR for ${phone}` }],
    });
    expect(requested.status).toBe(201);
    await waitUntil('the return in the seller list', async () => {
      const mine = await call('sellers', seller, 'GET', '/v1/returns');
      return (
        mine.body.items?.some((r: { allocationId: string }) => r.allocationId === allocationId) || undefined
      );
    });
    const answered = await call('sellers', seller, 'POST', `/v1/returns/${allocationId}/response`, {
      position: 'contest',
      statement,
      evidence: [{ kind: 'email_bounce', description: `No bounce from ${email}` }],
    });
    expect(answered.status).toBe(201);

    // The log holds neither the phone nor the e-mail in clear, nor the consent page's query.
    const client = new pg.Client({ connectionString: exchange.database.url });
    await client.connect();
    const { rows: events } = await client.query<{ data: string }>('SELECT data::text AS data FROM lx_events');
    await client.end();
    const log = events.map((event) => event.data).join('\n');
    expect(log).toContain('https://shop.example.ru/form"');
    for (const secret of [phone, encodeURIComponent(phone), email, 'three times', 'before the sale'])
      expect(log).not.toContain(secret);

    // While the lead exists its buyer, its seller and the auditor read the texts.
    const buyersView = await waitUntil('the seller response in the buyer view', async () => {
      const view = (await call('buyers', buyer, 'GET', `/v1/returns/${allocationId}`)).body;
      return view.sellerResponse ? view : undefined;
    });
    expect(buyersView).toMatchObject({
      evidence: [{ description: evidence, reference: `CDR for ${phone}` }],
      sellerResponse: { statement },
    });
    const sellersView = await waitUntil('the seller response in the seller view', async () => {
      const mine = await call('sellers', seller, 'GET', '/v1/returns');
      const found = mine.body.items?.find((r: { allocationId: string }) => r.allocationId === allocationId);
      return found?.response ? found : undefined;
    });
    expect(sellersView).toMatchObject({ evidence: [{ description: evidence }], response: { statement } });
    const report = async () =>
      (await call('settlement', auditor, 'GET', `/v1/audit/disputes/${allocationId}/report.json`)).body;
    const before = await waitUntil('the report with the response', async () => {
      const body = await report();
      return body.sellerResponse ? body : undefined;
    });
    expect(before).toMatchObject({
      returnRequest: { evidence: [{ description: evidence }] },
      sellerResponse: { statement, evidence: [{ description: `No bounce from ${email}` }] },
    });

    const erased = await call('sellers', seller, 'POST', `/v1/leads/${lead.leadId}/erase`);
    expect(erased.status).toBe(200);

    await waitUntil('the buyer view to show the texts erased', async () => {
      const view = (await call('buyers', buyer, 'GET', `/v1/returns/${allocationId}`)).body;
      return view.evidence?.[0]?.description === '(erased)' ? view : undefined;
    }).then((view) =>
      expect(view).toMatchObject({
        evidence: [{ description: '(erased)', reference: '(erased)' }],
        sellerResponse: { statement: '(erased)' },
      }),
    );
    const sellersAfter = (await call('sellers', seller, 'GET', '/v1/returns')).body.items.find(
      (r: { allocationId: string }) => r.allocationId === allocationId,
    );
    expect(sellersAfter).toMatchObject({
      evidence: [{ description: '(erased)' }],
      response: { statement: '(erased)' },
    });
    const after = await report();
    expect(after).toMatchObject({
      lead: { personalData: 'erased' },
      returnRequest: { evidence: [{ description: '(erased)' }] },
      sellerResponse: { statement: '(erased)', evidence: [{ description: '(erased)' }] },
    });
    const timeline = await call(
      'settlement',
      auditor,
      'GET',
      `/v1/audit/timeline/allocation/${allocationId}`,
    );
    const text = JSON.stringify(timeline.body);
    expect(text).toContain('(erased)');
    for (const secret of [phone, email, 'three times', 'before the sale']) expect(text).not.toContain(secret);
  });
});
