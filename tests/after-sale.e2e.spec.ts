import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sellerHistoryScore } from '#lx/contracts';
import type { LeadRow } from '#lx/market-generator';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { listExclusiveEyewear } from './support/sellers.js';
import {
  register,
  waitUntil,
  type Registered,
  participantCalls,
  cleanEyewearRows,
  eyewearParties,
} from './support/scenarios.js';

/*
 * After the sale, over HTTP with the real engine:
 *  - replacement leads: a return accepted with `replace` gives the live order one unit and the price
 *    back, and the engine buys a replacement; for an order the engine has closed (filled) the refund
 *    funds a one-lead order on its terms. The buyer's account and the ledger agree to the unit.
 *  - seller history feeds back: accepted returns and reported conversions score the seller's next
 *    listings (the quality score's seller part), which buyers filter on with `minSellerQuality` —
 *    in the engine and in the order preview alike.
 */

const PRICE = 50_000;
const DEPOSIT = 2_000_000;

describe('after the sale: replacements and seller history', () => {
  let exchange: RunningExchange;
  let vera: Registered;
  let gleb: Registered;
  let buyer: Registered;
  let auditor: Registered;
  let firstOrder: string;

  const pool = cleanEyewearRows('after-sale-e2e', 40);
  const rows = (from: number, count: number): LeadRow[] => pool.slice(from, from + count);

  const call = participantCalls(() => exchange);

  const list = async (seller: Registered, batch: LeadRow[]) => {
    const listed = await listExclusiveEyewear(exchange, seller.apiKey, batch, PRICE);
    expect(listed.batch.progress).toMatchObject({ accepted: batch.length, rejected: 0 });
    return listed.leads;
  };
  const placeOrder = async (quantity: number, filters: Record<string, unknown> = {}) => {
    const placed = await call('buyers', buyer, 'POST', '/v1/orders', {
      vertical: 'eyewear',
      filters,
      bid: PRICE,
      modifiers: [],
      quantity,
      budget: quantity * PRICE,
      exclusivity: 'any',
      delivery: 'pull',
    });
    expect(placed.status).toBe(201);
    return placed.body.orderId as string;
  };
  const purchasesOf = (orderId: string, count: number) =>
    waitUntil(`${count} purchases of order ${orderId}`, async () => {
      const page = await call('buyers', buyer, 'GET', `/v1/purchased-leads?orderId=${orderId}&limit=100`);
      return page.body.items?.length >= count ? (page.body.items as any[]) : undefined;
    });
  const account = async () => (await call('buyers', buyer, 'GET', '/v1/account')).body.balances[0];
  const ledger = async () => {
    const accounts = await call('settlement', auditor, 'GET', '/v1/ledger/accounts?currency=RUB');
    expect(accounts.status).toBe(200);
    return Object.fromEntries(
      accounts.body.items.map((a: { accountId: string; balance: number }) => [
        a.accountId,
        Number(a.balance),
      ]),
    );
  };
  /** The buyer returns a purchase (phone dead) and the seller accepts it in the sellers app. */
  const returnAccepted = async (allocationId: string, replace: boolean) => {
    const requested = await call('buyers', buyer, 'POST', `/v1/purchased-leads/${allocationId}/return`, {
      reason: 'invalid_phone',
      evidence: [{ kind: 'call_log', description: 'Number not in service on three calls' }],
      replace,
    });
    expect(requested.status).toBe(201);
    await waitUntil(`the return of ${allocationId} in the seller's list`, async () => {
      const mine = await call('sellers', vera, 'GET', '/v1/returns');
      return mine.body.items?.some((r: any) => r.allocationId === allocationId) || undefined;
    });
    const answered = await call('sellers', vera, 'POST', `/v1/returns/${allocationId}/response`, {
      position: 'accept',
      statement: 'Confirmed: the number was mistyped at capture',
    });
    expect(answered.status).toBe(201);
  };
  const returnView = (allocationId: string) =>
    call('buyers', buyer, 'GET', `/v1/returns/${allocationId}`).then((response) => response.body);

  beforeAll(async () => {
    exchange = await startExchange('aftersale', { LX_RATE_LIMIT_PER_MINUTE: '100000' });
    ({
      seller: vera,
      buyer,
      auditor,
    } = await eyewearParties(exchange, 'Optika Replace', { amount: DEPOSIT, reference: 'wire-replace' }));
    gleb = await register(exchange, 'seller', 'Gleb Media');
  });
  afterAll(async () => exchange?.stop());

  it('a new seller’s listings carry the neutral seller score', async () => {
    firstOrder = await placeOrder(3);
    const leads = await list(vera, rows(0, 2));
    expect(leads.map((lead) => lead.quality.parts.sellerHistory)).toEqual([50, 50]);
    await purchasesOf(firstOrder, 2);
  });

  it('an accepted return with a replacement gives the live order a unit back, and the engine refills it', async () => {
    const [first] = await purchasesOf(firstOrder, 2);
    await returnAccepted(first.allocationId, true);
    const replaced = await waitUntil('the engine to grant the replacement', async () => {
      const view = await returnView(first.allocationId);
      return view.replacement === 'granted' ? view : undefined;
    });
    expect(replaced).toMatchObject({ status: 'accepted', replace: true });

    // The order had one unit left; with the replacement it takes both of Vera's next leads.
    await list(vera, rows(2, 2));
    const items = await purchasesOf(firstOrder, 4);
    expect(items).toHaveLength(4);
    const order = await waitUntil('the order to close as filled', async () => {
      const view = (await call('buyers', buyer, 'GET', `/v1/orders/${firstOrder}`)).body;
      return view.status === 'closed' ? view : undefined;
    });
    expect(order).toBeDefined();
    // Four leads bought, one refunded: three paid for, as the order's quantity and budget said.
    const balances = await waitUntil('the released budget', async () => {
      const now = await account();
      return now.reserved === 0 ? now : undefined;
    });
    expect(balances).toMatchObject({ available: DEPOSIT - 3 * PRICE, reserved: 0 });
    const books = await waitUntil('the ledger to agree', async () => {
      const now = await ledger();
      return now[`buyer_reserved:${buyer.participantId}`] === 0 &&
        now[`buyer_available:${buyer.participantId}`] === DEPOSIT - 3 * PRICE
        ? now
        : undefined;
    });
    expect(Object.values(books).reduce((sum: number, x) => sum + (x as number), 0)).toBe(0);
  });

  it('on an order the engine already closed, the refund funds a one-lead replacement order on its terms', async () => {
    const single = await placeOrder(1);
    await list(vera, rows(4, 1));
    const [bought] = await purchasesOf(single, 1);
    await waitUntil('the single order to close', async () => {
      const view = (await call('buyers', buyer, 'GET', `/v1/orders/${single}`)).body;
      return view.status === 'closed' || undefined;
    });
    await waitUntil('its budget to be released', async () => (await account()).reserved === 0 || undefined);
    await returnAccepted(bought.allocationId, true);
    const view = await waitUntil('the replacement order', async () => {
      const now = await returnView(bought.allocationId);
      return now.replacement === 'ordered' ? now : undefined;
    });
    const replacement = (await call('buyers', buyer, 'GET', `/v1/orders/${view.replacementOrderId}`)).body;
    expect(replacement).toMatchObject({
      status: 'open',
      reserved: PRICE,
      terms: { quantity: 1, budget: PRICE, bid: PRICE },
      replacementFor: { orderId: single, allocationId: bought.allocationId },
    });
    // The refund went to the available balance and straight into the replacement order.
    expect(await account()).toMatchObject({ available: DEPOSIT - 4 * PRICE, reserved: PRICE });
    await list(vera, rows(5, 1));
    await purchasesOf(view.replacementOrderId, 1);
    const balances = await waitUntil('the replacement order to close', async () => {
      const now = await account();
      return now.reserved === 0 ? now : undefined;
    });
    // The single order's lead was refunded and replaced: four leads paid for net (three on the
    // first order, one replacement), and the ledger says the same.
    expect(balances).toMatchObject({ available: DEPOSIT - 4 * PRICE });
    await waitUntil('the ledger to agree', async () => {
      const now = await ledger();
      return (
        now[`buyer_reserved:${buyer.participantId}`] === 0 &&
        now[`buyer_available:${buyer.participantId}`] === DEPOSIT - 4 * PRICE
      );
    });
  });

  it('returns and conversions score the seller’s next listings, and minSellerQuality filters on it', async () => {
    // Vera sold 6 and had 2 returns accepted; the buyer reports 3 of the kept leads converted.
    const kept = (await call('buyers', buyer, 'GET', '/v1/purchased-leads?limit=100')).body.items.filter(
      (item: any) => item.returnStatus !== 'accepted' && item.sellerId === vera.participantId,
    );
    expect(kept).toHaveLength(4);
    for (const item of kept.slice(0, 3)) {
      const converted = await call(
        'buyers',
        buyer,
        'POST',
        `/v1/purchased-leads/${item.allocationId}/conversion`,
        {
          at: new Date().toISOString(),
        },
      );
      expect(converted.status).toBe(201);
    }
    const record = { sold: 6, returned: 2, conversions: 3 };
    const expected = sellerHistoryScore(record);
    expect(expected).toBeGreaterThan(50);
    // The sellers app scores new listings from this record; settlement reports the same score.
    const history = await waitUntil('Vera’s record in the sellers app', async () => {
      const now = (await call('sellers', vera, 'GET', '/v1/seller-history')).body;
      return now.conversions === 3 && now.returned === 2 ? now : undefined;
    });
    expect(history).toMatchObject({
      ...record,
      score: expected,
      returnRatePercent: 33,
      conversionRatePercent: 50,
    });
    const reported = await waitUntil('Vera’s record in settlement', async () => {
      const now = (await call('settlement', buyer, 'GET', `/v1/sellers/${vera.participantId}/history`)).body;
      return now.conversions === 3 && now.returned === 2 ? now : undefined;
    });
    expect(reported.score).toBe(expected);

    const veras = await list(vera, rows(6, 2));
    expect(veras.map((lead) => lead.quality.parts.sellerHistory)).toEqual([expected, expected]);
    const glebs = await list(gleb, rows(8, 2));
    expect(glebs.map((lead) => lead.quality.parts.sellerHistory)).toEqual([50, 50]);

    const filters = { minSellerQuality: expected };
    const preview = async (body: Record<string, unknown>) =>
      (await call('buyers', buyer, 'POST', '/v1/orders/preview', { vertical: 'eyewear', ...body })).body;
    await waitUntil(
      'all four resting leads in the preview',
      async () => (await preview({ filters: {} })).matching === 4 || undefined,
    );
    expect((await preview({ filters })).matching).toBe(2);
    const picky = await placeOrder(10, filters);
    const bought = await purchasesOf(picky, 2);
    expect(bought.map((item) => item.sellerId)).toEqual([vera.participantId, vera.participantId]);
    // Gleb's leads keep resting: the order does not take them.
    expect((await preview({ filters: {} })).matching).toBe(2);
  });
});
