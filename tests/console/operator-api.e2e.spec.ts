import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startExchange, type RunningExchange } from '../support/exchange.js';
import { LIGHT_TRADING, MarketLoad } from '../support/market-load.js';
import { confirmDeposit, openMarket, register, waitUntil, type Registered } from '../support/scenarios.js';

/**
 * The read endpoints the console's operator pages needed and the API did not have: the list of
 * participants, reinstating a suspended one, the markets and their settings' history, transfers
 * and payouts as lists, the queues as JSON, and the suppression list.
 */
describe('the operator API for the console', () => {
  let exchange: RunningExchange;
  let seller: Registered;
  let buyer: Registered;
  const operator = () => ({ key: exchange.operatorKey });

  beforeAll(async () => {
    // A short return window, so sales post and sellers have money to pay out within the test.
    exchange = await startExchange('operator-api', {
      LX_RATE_LIMIT_PER_MINUTE: '1000000',
      LX_RETURN_WINDOW_MS: '3000',
      LX_SCHEDULE_RECONCILE_SECONDS: '1',
    });
    seller = await register(exchange, 'seller', 'Óptica Sant Martí');
    buyer = await register(exchange, 'buyer', 'Клиника Зрение');
    await register(exchange, 'auditor', 'Auditoría Norte');
  });
  afterAll(async () => {
    await exchange?.stop();
  });

  it('lists participants in registration order, page by page, by role; refuses a forged cursor and other roles', async () => {
    const all = await exchange.call('settlement', 'GET', '/v1/participants', operator());
    expect(all.status).toBe(200);
    expect(all.body.items.map((item: { name: string }) => item.name)).toEqual([
      'Óptica Sant Martí',
      'Клиника Зрение',
      'Auditoría Norte',
    ]);
    expect(all.body.items[0]).toMatchObject({
      participantId: seller.participantId,
      role: 'seller',
      suspended: false,
      apiKeys: [{ revoked: false }],
    });
    expect(Date.parse(all.body.items[0].registeredAt)).not.toBeNaN();
    expect(all.body.nextCursor).toBeUndefined();

    const first = await exchange.call('settlement', 'GET', '/v1/participants?limit=2', operator());
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await exchange.call(
      'settlement',
      'GET',
      `/v1/participants?limit=2&cursor=${first.body.nextCursor}`,
      operator(),
    );
    expect(second.body.items.map((item: { name: string }) => item.name)).toEqual(['Auditoría Norte']);
    expect(second.body.nextCursor).toBeUndefined();

    const buyers = await exchange.call('settlement', 'GET', '/v1/participants?role=buyer', operator());
    expect(buyers.body.items.map((item: { participantId: string }) => item.participantId)).toEqual([
      buyer.participantId,
    ]);

    const forged = await exchange.call('settlement', 'GET', '/v1/participants?cursor=abc', operator());
    expect(forged.status).toBe(400);
    const badRole = await exchange.call('settlement', 'GET', '/v1/participants?role=king', operator());
    expect(badRole.status).toBe(400);
    const asSeller = await exchange.call('settlement', 'GET', '/v1/participants', { key: seller.apiKey });
    expect(asSeller.status).toBe(403);
  });

  it('reinstates a suspended participant: its keys work again; reinstating an active one changes nothing', async () => {
    const suspended = await exchange.call(
      'settlement',
      'POST',
      `/v1/participants/${buyer.participantId}/suspend`,
      { ...operator(), body: { reason: 'chargeback under review' } },
    );
    expect(suspended.body.suspended).toBe(true);
    expect((await exchange.call('buyers', 'GET', '/v1/me', { key: buyer.apiKey })).status).toBe(401);

    const reinstated = await exchange.call(
      'settlement',
      'POST',
      `/v1/participants/${buyer.participantId}/reinstate`,
      { ...operator(), body: { reason: 'chargeback cleared' } },
    );
    expect(reinstated.status).toBe(200);
    expect(reinstated.body).toMatchObject({ participantId: buyer.participantId, suspended: false });
    expect((await exchange.call('buyers', 'GET', '/v1/me', { key: buyer.apiKey })).status).toBe(200);

    const again = await exchange.call(
      'settlement',
      'POST',
      `/v1/participants/${buyer.participantId}/reinstate`,
      { ...operator(), body: {} },
    );
    expect(again.status).toBe(200);
    expect(again.body.suspended).toBe(false);

    const timeline = await exchange.call(
      'settlement',
      'GET',
      `/v1/audit/timeline/participant/${buyer.participantId}`,
      operator(),
    );
    expect(timeline.body.events.map((event: { type: string }) => event.type)).toEqual([
      'ParticipantRegistered',
      'ApiKeyIssued',
      'ParticipantSuspended',
      'ParticipantReinstated',
    ]);

    const unknown = await exchange.call(
      'settlement',
      'POST',
      '/v1/participants/6f1c8a52-3a47-4c7e-9d4b-1b2a3c4d5e6f/reinstate',
      { ...operator(), body: {} },
    );
    expect(unknown.status).toBe(404);
    const tooLong = await exchange.call(
      'settlement',
      'POST',
      `/v1/participants/${buyer.participantId}/reinstate`,
      { ...operator(), body: { reason: 'x'.repeat(1001) } },
    );
    expect(tooLong.status).toBe(400);
  });

  it('lists the markets with their settings in force, and a market’s settings over time, newest first', async () => {
    expect((await exchange.call('settlement', 'GET', '/v1/markets', operator())).body).toEqual({ items: [] });
    await openMarket(exchange, 'optics');
    await openMarket(exchange, 'dental', { currency: 'EUR', commissionBps: 1000 });
    await openMarket(exchange, 'optics', { currency: 'RUB', commissionBps: 1200 });

    const markets = await exchange.call('settlement', 'GET', '/v1/markets', operator());
    expect(markets.status).toBe(200);
    expect(markets.body.items).toMatchObject([
      { vertical: 'dental', currency: 'EUR', commissionBps: 1000, revision: 0 },
      { vertical: 'optics', currency: 'RUB', commissionBps: 1200, returnWindowHours: 72, revision: 1 },
    ]);

    const history = await exchange.call(
      'settlement',
      'GET',
      '/v1/markets/optics/settings/history',
      operator(),
    );
    expect(history.status).toBe(200);
    expect(
      history.body.items.map((item: { commissionBps: number; revision: number }) => [
        item.revision,
        item.commissionBps,
      ]),
    ).toEqual([
      [1, 1200],
      [0, 1500],
    ]);
    expect(Date.parse(history.body.items[0].changedAt)).not.toBeNaN();
    expect(history.body.items[0].changedBy).toEqual(expect.any(String));

    expect(
      (await exchange.call('settlement', 'GET', '/v1/markets/nowhere/settings/history', operator())).status,
    ).toBe(404);
    expect(
      (await exchange.call('settlement', 'GET', '/v1/markets/Bad-Slug/settings/history', operator())).status,
    ).toBe(400);
  });

  it('lists transfers and payouts as pages, filterable, and refuses bad filters and cursors', async () => {
    await confirmDeposit(exchange, buyer, 500_000, 'wire-1');
    const transfers = await exchange.call(
      'settlement',
      'GET',
      '/v1/ledger/transfers?status=posted',
      operator(),
    );
    expect(transfers.status).toBe(200);
    expect(transfers.body).toEqual({ items: [] });
    expect(
      (await exchange.call('settlement', 'GET', '/v1/ledger/transfers?status=lost', operator())).status,
    ).toBe(400);
    expect(
      (await exchange.call('settlement', 'GET', '/v1/ledger/transfers?cursor=abc', operator())).status,
    ).toBe(400);

    const payouts = await exchange.call(
      'settlement',
      'GET',
      `/v1/payouts?sellerId=${seller.participantId}`,
      operator(),
    );
    expect(payouts.status).toBe(200);
    expect(payouts.body).toEqual({ items: [] });
    expect((await exchange.call('settlement', 'GET', '/v1/payouts?currency=rub', operator())).status).toBe(
      400,
    );
    expect((await exchange.call('settlement', 'GET', '/v1/payouts', { key: buyer.apiKey })).status).toBe(403);
  });

  it('gives the settlement app’s queues as JSON, to operators only', async () => {
    const queues = await exchange.call('settlement', 'GET', '/v1/system/queues', operator());
    expect(queues.status).toBe(200);
    expect(queues.body.items.length).toBeGreaterThan(0);
    for (const queue of queues.body.items)
      expect(queue).toEqual({
        queue: expect.any(String),
        waiting: expect.any(Number),
        active: expect.any(Number),
        delayed: expect.any(Number),
        failed: expect.any(Number),
        completed: expect.any(Number),
        reachable: true,
      });
    expect(
      (await exchange.call('settlement', 'GET', '/v1/system/queues', { key: seller.apiKey })).status,
    ).toBe(403);
  });

  it('lists the suppression list as fingerprints, newest first, page by page', async () => {
    expect((await exchange.call('sellers', 'GET', '/v1/suppressions', operator())).body).toEqual({
      items: [],
    });
    const added = await exchange.call('sellers', 'POST', '/v1/suppressions', {
      ...operator(),
      body: {
        reason: 'do_not_contact',
        entries: [{ phone: '+7 916 123-45-67' }, { email: 'ana@example.com' }],
      },
    });
    expect(added.status).toBe(200);
    const first = await exchange.call('sellers', 'GET', '/v1/suppressions?limit=1', operator());
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0]).toEqual({
      fingerprint: expect.any(String),
      reason: 'do_not_contact',
      addedAt: expect.any(String),
    });
    expect(JSON.stringify(first.body)).not.toContain('ana@example.com');
    const second = await exchange.call(
      'sellers',
      'GET',
      `/v1/suppressions?limit=1&cursor=${first.body.nextCursor}`,
      operator(),
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].fingerprint).not.toBe(first.body.items[0].fingerprint);
    expect((await exchange.call('sellers', 'GET', '/v1/suppressions', { key: seller.apiKey })).status).toBe(
      403,
    );
  });

  it('lists real transfers newest first, by status and page, and a payout once it is issued', async () => {
    const load = await MarketLoad.prepare(exchange, LIGHT_TRADING);
    try {
      load.start();
      const posted = await waitUntil(
        'posted transfers',
        async () => {
          const answer = await exchange.call(
            'settlement',
            'GET',
            '/v1/ledger/transfers?status=posted',
            operator(),
          );
          return answer.body.items.length >= 2 ? answer.body.items : undefined;
        },
        90_000,
      );
      await load.stop();
      for (const transfer of posted)
        expect(transfer).toMatchObject({
          status: 'posted',
          sellerId: load.seller.participantId,
          buyerId: load.buyer.participantId,
          currency: 'RUB',
        });
      expect(Date.parse(posted[0].openedAt)).not.toBeNaN();
      expect(posted[0].openedAt >= posted.at(-1).openedAt).toBe(true);

      const all = await exchange.call('settlement', 'GET', '/v1/ledger/transfers?limit=500', operator());
      const first = await exchange.call('settlement', 'GET', '/v1/ledger/transfers?limit=1', operator());
      expect(first.body.items).toEqual([all.body.items[0]]);
      const second = await exchange.call(
        'settlement',
        'GET',
        `/v1/ledger/transfers?limit=1&cursor=${first.body.nextCursor}`,
        operator(),
      );
      expect(second.body.items).toEqual([all.body.items[1]]);
      const ofOthers = await exchange.call(
        'settlement',
        'GET',
        `/v1/ledger/transfers?sellerId=${seller.participantId}`,
        operator(),
      );
      expect(ofOthers.body.items).toEqual([]);

      const payout = await exchange.call('settlement', 'POST', '/v1/payouts', {
        ...operator(),
        body: { sellerId: load.seller.participantId, currency: 'RUB' },
      });
      expect(payout.status).toBe(201);
      const payouts = await waitUntil(
        'the payout listed',
        async () => {
          const answer = await exchange.call(
            'settlement',
            'GET',
            `/v1/payouts?sellerId=${load.seller.participantId}`,
            operator(),
          );
          return answer.body.items.length > 0 ? answer.body.items : undefined;
        },
        30_000,
      );
      expect(payouts[0]).toMatchObject({
        payoutId: payout.body.payoutId,
        sellerId: load.seller.participantId,
        currency: 'RUB',
        amount: payout.body.amount,
      });
      expect(payout.body.amount).toBeGreaterThan(0);
    } finally {
      await load.stop();
      await load.close();
    }
  }, 180_000);
});
