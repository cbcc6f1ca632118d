import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { leadRowsToCsv, type LeadRow } from '#lx/market-generator';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { listExclusiveEyewear, upload, waitForVerified } from './support/sellers.js';
import {
  cleanEyewearRows,
  eyewearParties,
  participantCalls,
  register,
  waitUntil,
  type Registered,
} from './support/scenarios.js';

/*
 * Quality by source over HTTP with the real engine (docs/architecture.md §4, §5, §6): a seller tags
 * its leads with its own sources and sub-sources; a buyer's order excluding one of them buys only the
 * others (and the preview counts the same), one including it buys only it; returns and conversions
 * then show per source in the seller's report, the buyer's report and the seller's statement.
 */

const PRICE = 50_000;
// 15 % commission (the eyewear market's default settings in eyewearParties).
const PROCEEDS = 42_500;

describe('quality by source', () => {
  let exchange: RunningExchange;
  let vera: Registered;
  let gleb: Registered;
  let buyer: Registered;
  let auditor: Registered;
  const call = participantCalls(() => exchange);

  const pool = cleanEyewearRows('sources-e2e', 12);
  const tagged = (row: LeadRow, source?: string, subSource?: string): LeadRow => ({
    ...row,
    ...(source ? { source } : {}),
    ...(subSource ? { sub_source: subSource } : {}),
  });
  // Vera: google/brand ×2, google/generic ×2, affiliates/aff-17 ×4, untagged ×2. Gleb: his own "google" ×2.
  const veraRows = [
    tagged(pool[0]!, 'google', 'brand'),
    tagged(pool[1]!, 'google', 'brand'),
    tagged(pool[2]!, 'google', 'generic'),
    tagged(pool[3]!, 'google', 'generic'),
    tagged(pool[4]!, 'affiliates', 'aff-17'),
    tagged(pool[5]!, 'affiliates', 'aff-17'),
    tagged(pool[6]!, 'affiliates', 'aff-17'),
    tagged(pool[7]!, 'affiliates', 'aff-17'),
    pool[8]!,
    pool[9]!,
  ];
  const glebRows = [tagged(pool[10]!, 'google'), tagged(pool[11]!, 'google')];

  let veraLeads: {
    leadId: string;
    attributes: { source?: string; subSource?: string };
    quality: { score: number };
  }[];
  let excluding: string;
  let including: string;
  type Purchase = { allocationId: string; leadId: string; sellerId: string; orderId: string };
  let purchases: Purchase[] = [];
  const sourceOf = (purchase: Purchase) =>
    veraLeads.find((lead) => lead.leadId === purchase.leadId)?.attributes ?? {};

  const order = (quantity: number, filters: Record<string, unknown>) =>
    call('buyers', buyer, 'POST', '/v1/orders', {
      vertical: 'eyewear',
      filters,
      bid: PRICE,
      modifiers: [],
      quantity,
      budget: quantity * PRICE,
      exclusivity: 'any',
      delivery: 'pull',
    });

  beforeAll(async () => {
    exchange = await startExchange('sources', { LX_RATE_LIMIT_PER_MINUTE: '100000' });
    ({
      seller: vera,
      buyer,
      auditor,
    } = await eyewearParties(exchange, 'Optika Sources', { amount: 1_000_000, reference: 'wire-sources' }));
    gleb = await register(exchange, 'seller', 'Gleb Media');
    const [listedVera, listedGleb] = await Promise.all([
      listExclusiveEyewear(exchange, vera.apiKey, veraRows, PRICE),
      listExclusiveEyewear(exchange, gleb.apiKey, glebRows, PRICE),
    ]);
    expect(listedVera.batch.progress).toMatchObject({ accepted: 10, rejected: 0 });
    expect(listedGleb.batch.progress).toMatchObject({ accepted: 2, rejected: 0 });
    veraLeads = listedVera.leads;
  });
  afterAll(async () => exchange?.stop());

  it('carries the tags into the listing, and rejects a malformed tag or a sub-source alone', async () => {
    const bySource = veraLeads.map((lead) => `${lead.attributes.source}/${lead.attributes.subSource}`).sort();
    expect(bySource).toEqual([
      ...Array(4).fill('affiliates/aff-17'),
      'google/brand',
      'google/brand',
      'google/generic',
      'google/generic',
      'undefined/undefined',
      'undefined/undefined',
    ]);
    const rows = [tagged(pool[0]!, 'google ads'), { ...pool[1]!, sub_source: 'brand' }];
    const bad = await upload(exchange, {
      key: vera.apiKey,
      body: leadRowsToCsv(rows),
      query: `vertical=eyewear&floor=${PRICE}&exclusivity=exclusive`,
    });
    expect(bad.status).toBe(202);
    const { batch } = await waitForVerified(exchange, vera.apiKey, bad.body.batchId);
    expect(batch.reasons).toEqual({ invalid_value: 2 });
    const refused = await order(1, { sourcesIncluded: [{ source: 'a b' }] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe('filters.sourcesIncluded.0.source');
    const repeated = await order(1, { sourcesIncluded: [{ source: 'google' }, { source: 'google' }] });
    expect(repeated.status).toBe(400);
  });

  it('an order excluding one of a seller’s sources buys only the others; one including it buys only it', async () => {
    const filters = { sourcesExcluded: [{ sellerId: vera.participantId, source: 'affiliates' }] };
    // The preview applies the engine's rule: 12 resting leads, 4 of them vera's affiliates.
    await waitUntil('the preview counting the other sources', async () => {
      const preview = await call('buyers', buyer, 'POST', '/v1/orders/preview', {
        vertical: 'eyewear',
        filters,
      });
      return preview.body.matching === 8 || undefined;
    });
    const placed = await order(12, filters);
    expect(placed.status).toBe(201);
    excluding = placed.body.orderId;
    const affiliates = { sellerId: vera.participantId, source: 'affiliates', subSource: 'aff-17' };
    const second = await order(2, { sourcesIncluded: [affiliates] });
    expect(second.status).toBe(201);
    including = second.body.orderId;
    purchases = await waitUntil('10 purchases', async () => {
      const page = await call('buyers', buyer, 'GET', '/v1/purchased-leads?limit=100');
      return page.body.items?.length >= 10 ? (page.body.items as Purchase[]) : undefined;
    });
    const bought = purchases.filter((p) => p.orderId === excluding);
    expect(bought).toHaveLength(8);
    expect(bought.filter((p) => p.sellerId === gleb.participantId)).toHaveLength(2);
    for (const purchase of bought) expect(sourceOf(purchase).source).not.toBe('affiliates');
    const included = purchases.filter((p) => p.orderId === including);
    expect(included.map((p) => `${sourceOf(p).source}/${sourceOf(p).subSource}`)).toEqual([
      'affiliates/aff-17',
      'affiliates/aff-17',
    ]);
  });

  it('returns and conversions show per source in the seller’s report, the buyer’s report and the statement', async () => {
    const veraSales = purchases.filter((p) => p.sellerId === vera.participantId);
    const returned = [
      veraSales.find((p) => sourceOf(p).subSource === 'brand')!,
      veraSales.find((p) => sourceOf(p).source === 'affiliates')!,
    ];
    const converted = [
      veraSales.find((p) => sourceOf(p).subSource === 'generic')!,
      veraSales.find((p) => sourceOf(p).source === 'affiliates' && p !== returned[1])!,
    ];
    for (const { allocationId } of returned) {
      const requested = await call('buyers', buyer, 'POST', `/v1/purchased-leads/${allocationId}/return`, {
        reason: 'invalid_phone',
        evidence: [{ kind: 'call_log', description: 'Number not in service on three calls' }],
      });
      expect(requested.status).toBe(201);
    }
    for (const { allocationId } of converted) {
      const reported = await call('buyers', buyer, 'POST', `/v1/purchased-leads/${allocationId}/conversion`, {
        at: new Date().toISOString(),
        value: { amount: 900_000, currency: 'RUB' },
      });
      expect(reported.status).toBe(201);
    }
    for (const { allocationId } of returned) {
      await waitUntil(`the return of ${allocationId} at the seller`, async () => {
        const mine = await call('sellers', vera, 'GET', '/v1/returns');
        return (
          mine.body.items?.some((r: { allocationId: string }) => r.allocationId === allocationId) || undefined
        );
      });
      const answered = await call('sellers', vera, 'POST', `/v1/returns/${allocationId}/response`, {
        position: 'accept',
        statement: 'Confirmed: the number was mistyped at capture',
      });
      expect(answered.status).toBe(201);
    }

    // The seller's report: every figure per source and sub-source.
    const average = (source: string | undefined, subSource?: string) => {
      const scores = veraLeads
        .filter(
          (lead) =>
            lead.attributes.source === source && (!subSource || lead.attributes.subSource === subSource),
        )
        .map((lead) => lead.quality.score);
      return Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10;
    };
    const report = await waitUntil('the seller’s report with the returns and conversions', async () => {
      const { body } = await call('sellers', vera, 'GET', '/v1/reports/sources');
      const items = body.items as { source: string | null; returned: number; conversions: number }[];
      const returns = items.reduce((sum, item) => sum + item.returned, 0);
      const conversions = items.reduce((sum, item) => sum + item.conversions, 0);
      return returns === 2 && conversions === 2 ? body.items : undefined;
    });
    expect(report).toEqual([
      {
        source: 'affiliates',
        currency: 'RUB',
        listed: 4,
        sold: 2,
        returned: 1,
        returnRateBps: 5000,
        conversions: 1,
        conversionRateBps: 5000,
        averageQuality: average('affiliates'),
        proceeds: PROCEEDS,
        subSources: [expect.objectContaining({ subSource: 'aff-17', listed: 4, sold: 2, returned: 1 })],
      },
      {
        source: 'google',
        currency: 'RUB',
        listed: 4,
        sold: 4,
        returned: 1,
        returnRateBps: 2500,
        conversions: 1,
        conversionRateBps: 2500,
        averageQuality: average('google'),
        proceeds: 3 * PROCEEDS,
        subSources: [
          expect.objectContaining({
            subSource: 'brand',
            sold: 2,
            returned: 1,
            conversions: 0,
            averageQuality: average('google', 'brand'),
            proceeds: PROCEEDS,
          }),
          expect.objectContaining({
            subSource: 'generic',
            sold: 2,
            returned: 0,
            conversions: 1,
            proceeds: 2 * PROCEEDS,
          }),
        ],
      },
      expect.objectContaining({ source: null, listed: 2, sold: 2, returned: 0, proceeds: 2 * PROCEEDS }),
    ]);

    // The buyer's report: per seller and source — Gleb's "google" is not Vera's.
    const buyerReport = await waitUntil('the buyer’s report with the returns accepted', async () => {
      const { body } = await call('buyers', buyer, 'GET', '/v1/reports/sources');
      const items = body.items as { sellerId: string; source: string | null; returnsAccepted: number }[];
      return items.reduce((sum, item) => sum + item.returnsAccepted, 0) === 2 ? items : undefined;
    });
    const entry = (sellerId: string, source: string | null) =>
      buyerReport.find((item) => item.sellerId === sellerId && item.source === source);
    expect(buyerReport).toHaveLength(4);
    expect(entry(vera.participantId, 'affiliates')).toMatchObject({
      leadsBought: 2,
      spend: 2 * PRICE,
      returnsAccepted: 1,
      returnRateBps: 5000,
      refunded: PRICE,
      conversions: 1,
      conversionValue: 900_000,
    });
    expect(entry(vera.participantId, 'google')).toMatchObject({
      leadsBought: 4,
      returnsAccepted: 1,
      conversions: 1,
      subSources: [
        expect.objectContaining({ subSource: 'brand', leadsBought: 2, returnsAccepted: 1 }),
        expect.objectContaining({ subSource: 'generic', leadsBought: 2, conversions: 1 }),
      ],
    });
    expect(entry(vera.participantId, null)).toMatchObject({ leadsBought: 2, returnsAccepted: 0 });
    expect(entry(gleb.participantId, 'google')).toMatchObject({ leadsBought: 2, spend: 2 * PRICE });

    // The seller's statement splits by source; the auditor reads the same.
    const statementPath = `/v1/statements/sellers/${vera.participantId}?currency=RUB`;
    const statement = await waitUntil('the statement with both returns voided', async () => {
      const { body } = await call('settlement', vera, 'GET', statementPath);
      const item = body.items?.[0];
      return item?.returned.count === 2 && item.bySource.length === 4 ? item : undefined;
    });
    expect(statement.bySource).toEqual([
      {
        source: 'affiliates',
        subSource: 'aff-17',
        sold: { count: 2, gross: 2 * PRICE, proceeds: 2 * PROCEEDS },
        returned: { count: 1, gross: PRICE, proceedsDebited: PROCEEDS },
        commission: PRICE - PROCEEDS,
        netProceeds: PROCEEDS,
      },
      expect.objectContaining({
        source: 'google',
        subSource: 'brand',
        returned: expect.objectContaining({ count: 1 }),
      }),
      expect.objectContaining({ source: 'google', subSource: 'generic', netProceeds: 2 * PROCEEDS }),
      expect.objectContaining({ source: null, subSource: null, sold: expect.objectContaining({ count: 2 }) }),
    ]);
    const audited = await call('settlement', auditor, 'GET', statementPath);
    expect(audited.body.items[0].bySource).toEqual(statement.bySource);
    const csv = await fetch(`${exchange.url('settlement')}${statementPath}&format=csv&dialect=rfc4180`, {
      headers: { authorization: `Bearer ${vera.apiKey}` },
    }).then((response) => response.text());
    const [header, ...lines] = parse(csv) as string[][];
    const column = (name: string) => header!.indexOf(name);
    expect(column('Source')).toBeGreaterThan(0);
    const sources = lines.map((line) => `${line[column('Source')]}/${line[column('Sub-source')]}`).sort();
    expect(sources).toEqual(
      [
        'affiliates/aff-17',
        'affiliates/aff-17',
        'google/brand',
        'google/brand',
        'google/generic',
        'google/generic',
        '/',
        '/',
      ].sort(),
    );
  });
});
