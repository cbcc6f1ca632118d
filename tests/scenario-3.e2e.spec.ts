import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ANNA_STATEMENT, BORIS_STATEMENT } from '../libs/returns/src/testing/scenario-three-statements.js';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { participantCalls, waitUntil, type Registered } from './support/scenarios.js';
import {
  DUPLICATE_CLAIMS,
  NOT_INTERESTED,
  PHONE_CLAIMS,
  SCENARIO_THREE_DEPOSIT,
  SCENARIO_THREE_PRICE,
  SCENARIO_THREE_WINDOW_MS,
  ScenarioThree,
} from './support/scenario-three.js';

/*
 * Scenario 3, "the dispute" (docs/scenarios.md), over HTTP with the real engine: a buyer
 * who bought 50 leads (30 from Anna, 20 from Boris) returns 8 inside the return window —
 *   3 invalid_phone: the sellers contest them in the sellers app, settlement escalates them, an
 *     auditor decides (2 accepted, 1 rejected);
 *   2 duplicate: Anna's lead 05 is Irina, whom the buyer bought earlier from Boris; Boris's lead 05
 *     is nobody the buyer had — the first is accepted, the second rejected, by the rule;
 *   3 "was not interested" (reason other): rejected by the rule `reason-not-returnable`.
 * It ends in an exact ledger, the statements, and the dispute report.
 *
 * How the true duplicate can exist: inside one market it cannot. The sellers app refuses a person
 * already listed in the same vertical inside the market's dedupe window (duplicate_on_exchange),
 * and the engine never sells a buyer the same person twice inside that window. Both checks are per
 * vertical, while the return rule `duplicate-of-earlier-purchase` compares the lead's fingerprints
 * with ALL of the buyer's purchases inside the window (libs/returns return-facts.queries). So the
 * earlier purchase is staged in the insurance market: Boris lists Irina there and the buyer buys
 * her with a one-lead insurance order; then Anna lists Irina (same phone and e-mail) in eyewear.
 * "Last week" becomes "a minute ago": the allocation times come from the engine, not from us.
 */

const WINDOW_MS = SCENARIO_THREE_WINDOW_MS;
const PRICE = SCENARIO_THREE_PRICE;
const COMMISSION = 9_000; // 15 % of 600 RUB
const PROCEEDS = PRICE - COMMISSION;
const DEPOSIT = SCENARIO_THREE_DEPOSIT;

describe('scenario 3: the dispute', () => {
  let exchange: RunningExchange;
  let anna: Registered;
  let boris: Registered;
  let buyer: Registered;
  let auditor: Registered;
  let orderId: string;
  let earlierAllocation: string;

  const stage = new ScenarioThree(() => exchange);
  const { allocationOf } = stage;
  const { irina } = stage.rows;

  const call = participantCalls(() => exchange);
  const dispute = (allocationId: string) =>
    exchange.call('settlement', 'GET', `/v1/disputes/${allocationId}`, { key: auditor.apiKey });
  const eventTypes = (allocationId: string) => stage.eventTypes(allocationId);
  const decisionOf = async (allocationId: string) => {
    const response = await dispute(allocationId);
    if (response.status !== 200) return undefined;
    const event = response.body.events.find((e: { type: string }) =>
      ['ReturnAccepted', 'ReturnRejected'].includes(e.type),
    );
    return event ? { type: event.type as string, actor: event.actor as string, ...event.data } : undefined;
  };

  beforeAll(async () => {
    exchange = await startExchange('scenario3', {
      LX_RATE_LIMIT_PER_MINUTE: '100000',
      LX_RETURN_WINDOW_MS: String(WINDOW_MS),
    });
    ({ anna, boris, buyer, auditor } = await stage.open());
  });
  afterAll(async () => exchange?.stop());

  it('earlier: the buyer buys Irina from Boris in the insurance market', async () => {
    const placed = await stage.buyIrinaEarlier();
    const [earlier] = await stage.purchasesOf(placed.body.orderId, 1);
    expect(earlier).toMatchObject({ sellerId: boris.participantId, price: PRICE });
    earlierAllocation = earlier.allocationId;
  });

  it('now: Anna lists Irina again in eyewear (another vertical, so no duplicate_on_exchange); the buyer buys 50', async () => {
    const placed = await stage.placeTheOrderForFifty();
    orderId = placed.body.orderId;
    const items = await stage.purchasesOf(orderId, 50);
    expect(items).toHaveLength(50);
    expect(items.every((item) => item.price === PRICE)).toBe(true);
    expect(items.filter((item) => item.sellerId === anna.participantId)).toHaveLength(30);
    expect(allocationOf.has('anna-05') && allocationOf.has('irina-insurance')).toBe(true);
  });

  const phoneClaims = PHONE_CLAIMS;
  const duplicateClaims = DUPLICATE_CLAIMS;
  const notInterested = NOT_INTERESTED;

  it('the buyer returns 8 inside the window; the log decides the duplicates and the “not interested”', async () => {
    await stage.returnTheEight();

    const decided = async (id: string) => decisionOf(allocationOf.get(id)!);
    await waitUntil('the automatic decisions', async () =>
      (await Promise.all([...duplicateClaims, ...notInterested].map(decided))).every(Boolean),
    );
    const trueDuplicate = (await decided('anna-05'))!;
    expect(trueDuplicate).toMatchObject({
      type: 'ReturnAccepted',
      rule: 'duplicate-of-earlier-purchase',
      decidedBy: 'system',
    });
    // The rationale names the earlier purchase from the other seller.
    expect(trueDuplicate.rationale).toContain(earlierAllocation);
    expect(trueDuplicate.rationale).toContain(boris.participantId);
    expect(await decided('boris-05')).toMatchObject({
      type: 'ReturnRejected',
      rule: 'duplicate-of-earlier-purchase',
      decidedBy: 'system',
    });
    for (const id of notInterested)
      expect(await decided(id)).toMatchObject({
        type: 'ReturnRejected',
        rule: 'reason-not-returnable',
        decidedBy: 'system',
      });
    // Phone claims are for the seller to answer first, once the automatic rules have been applied.
    for (const id of phoneClaims)
      await waitUntil(
        'the rules applied to a phone claim',
        async () =>
          (await eventTypes(allocationOf.get(id)!)).join() === 'ReturnRequested,ReturnChecked' || undefined,
      );
    // The buyer follows its returns.
    const mine = await call('buyers', buyer, 'GET', '/v1/returns?limit=50');
    expect(mine.body.items).toHaveLength(8);
  });

  it('the sellers contest the phone claims in the sellers app; an auditor decides each once', async () => {
    for (const id of phoneClaims) {
      const response = await stage.contestPhoneClaim(id);
      expect([id, response.status, response.body.responded]).toEqual([id, 201, true]);
    }
    // Boris may not answer for Anna's lead.
    const foreign = await call(
      'sellers',
      boris,
      'POST',
      `/v1/returns/${allocationOf.get('anna-03')}/response`,
      {
        position: 'accept',
        statement: 'Not mine to accept',
      },
    );
    expect(foreign.status).toBeGreaterThanOrEqual(400);
    await stage.phoneClaimsEscalated();
    const decide = (id: string, outcome: 'accept' | 'reject', rationale: string) =>
      call('settlement', auditor, 'POST', `/v1/disputes/${allocationOf.get(id)}/decision`, {
        outcome,
        rationale,
      });
    expect(
      (await decide('anna-02', 'accept', 'Carrier records show the line disconnected before the sale'))
        .status,
    ).toBe(201);
    expect(
      (
        await decide(
          'anna-03',
          'reject',
          'The call log shows calls outside business hours only; the line is active',
        )
      ).status,
    ).toBe(201);
    expect(
      (await decide('boris-02', 'accept', 'The number belongs to a different person per carrier lookup'))
        .status,
    ).toBe(201);
    const again = await decide('anna-02', 'reject', 'Second thoughts about it');
    expect(again.status).toBe(409);
    // Neither a seller nor a buyer may decide.
    expect(
      (
        await call('settlement', anna, 'POST', `/v1/disputes/${allocationOf.get('anna-03')}/decision`, {
          outcome: 'accept',
          rationale: 'I am the seller, let me decide',
        })
      ).status,
    ).toBe(403);
    expect(await decisionOf(allocationOf.get('anna-02')!)).toMatchObject({
      type: 'ReturnAccepted',
      rule: 'auditor-decision',
      decidedBy: auditor.participantId,
    });
  });

  it('ends in an exact ledger: who was refunded, who was debited, what happened to the commission', async () => {
    const balances = await waitUntil(
      'every return window to close and every transfer to settle',
      async () => {
        const accounts = await exchange.call('settlement', 'GET', '/v1/ledger/accounts?currency=RUB', {
          key: auditor.apiKey,
        });
        if (accounts.status !== 200) return undefined;
        const byId = Object.fromEntries(
          accounts.body.items.map((a: { accountId: string; balance: number }) => [
            a.accountId,
            Number(a.balance),
          ]),
        );
        const pending = Object.entries(byId).filter(([id, balance]) => /pending/.test(id) && balance !== 0);
        return pending.length === 0 && byId['exchange_revenue:exchange'] ? byId : undefined;
      },
      WINDOW_MS + 60_000,
      1000,
    );
    const [a, b, me] = [anna.participantId, boris.participantId, buyer.participantId];
    expect(balances).toEqual({
      // 3 100 000 deposited; 51 leads at 600 RUB bought (1 insurance + 50 eyewear); the three accepted
      // returns (anna-02 by the auditor, anna-05 by the duplicate rule, boris-02 by the auditor)
      // refunded to the available balance; both orders filled, so nothing stays reserved.
      [`buyer_available:${me}`]: DEPOSIT - 51 * PRICE + 3 * PRICE,
      [`buyer_reserved:${me}`]: 0,
      // Anna sold 30 and was debited 2; Boris sold 21 (20 eyewear + Irina in insurance) and was debited 1.
      [`seller_pending:${a}`]: 0,
      [`seller_available:${a}`]: 28 * PROCEEDS,
      [`seller_pending:${b}`]: 0,
      [`seller_available:${b}`]: 20 * PROCEEDS,
      // The commission of the three voided sales is reversed; the other 48 sales' commission is revenue.
      'exchange_commission_pending:exchange': 0,
      'exchange_revenue:exchange': 48 * COMMISSION,
      'exchange_refunds_payable:exchange': 0,
      'external_cash:external': -DEPOSIT,
    });
    expect(Object.values(balances).reduce((sum: number, x) => sum + (x as number), 0)).toBe(0);

    const transfer = async (id: string) =>
      (
        await exchange.call('settlement', 'GET', `/v1/ledger/transfers/${allocationOf.get(id)}`, {
          key: auditor.apiKey,
        })
      ).body;
    for (const id of ['anna-02', 'anna-05', 'boris-02'])
      expect([id, (await transfer(id)).status]).toEqual([id, 'voided']);
    for (const id of ['anna-03', 'boris-05', ...notInterested, 'anna-10'])
      expect([id, (await transfer(id)).status]).toEqual([id, 'posted']);

    const statement = async (kind: 'sellers' | 'buyers', who: Registered) => {
      const response = await call(
        'settlement',
        who,
        'GET',
        `/v1/statements/${kind}/${who.participantId}?currency=RUB`,
      );
      expect(response.status).toBe(200);
      return response.body.items[0];
    };
    expect(await statement('sellers', anna)).toMatchObject(ANNA_STATEMENT);
    expect(await statement('sellers', boris)).toMatchObject(BORIS_STATEMENT);
    expect(await statement('buyers', buyer)).toMatchObject({
      deposits: DEPOSIT,
      spend: 51 * PRICE,
      refunds: 3 * PRICE,
    });
    // A seller sees only its own statement.
    expect(
      (await call('settlement', anna, 'GET', `/v1/statements/sellers/${boris.participantId}`)).status,
    ).toBe(403);
    // The buyer's own account agrees with the ledger.
    const account = await call('buyers', buyer, 'GET', '/v1/account');
    expect(account.body.balances[0]).toMatchObject({
      available: DEPOSIT - 51 * PRICE + 3 * PRICE,
      reserved: 0,
    });
    const report = await call('buyers', buyer, 'GET', `/v1/reports/orders/${orderId}`);
    expect(report.body).toMatchObject({
      leadsBought: 50,
      returnsRequested: 8,
      returnsAccepted: 3,
      refunded: 3 * PRICE,
    });
  });

  it('the dispute report of the true duplicate states the rule and the finding, as JSON, HTML and PDF', async () => {
    const allocationId = allocationOf.get('anna-05')!;
    const path = `/v1/audit/disputes/${allocationId}/report`;
    const json = await exchange.call('settlement', 'GET', `${path}.json`, { key: auditor.apiKey });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      allocationId,
      decision: { outcome: 'accepted', rule: 'duplicate-of-earlier-purchase', decidedBy: 'system' },
      settlement: { outcome: 'voided' },
      returnRequest: { reason: 'duplicate' },
    });
    expect(json.body.finding).toMatch(/duplicate-of-earlier-purchase/);
    expect(json.body.decision.rationale).toContain(earlierAllocation);
    expect(json.body.lead.personalData).not.toMatch(/@/);
    expect(JSON.stringify(json.body)).not.toContain(irina.email!);
    const html = await fetch(`${exchange.url('settlement')}${path}.html`, {
      headers: { authorization: `Bearer ${auditor.apiKey}` },
    });
    expect(html.headers.get('content-type')).toContain('text/html');
    const text = await html.text();
    expect(text).toContain('duplicate-of-earlier-purchase');
    expect(text).toContain(allocationId);
    const pdf = await fetch(`${exchange.url('settlement')}${path}.pdf`, {
      headers: { authorization: `Bearer ${auditor.apiKey}` },
    });
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    // And for the auditor's decision on a contested phone claim: the rule is the auditor's decision.
    const contested = await exchange.call(
      'settlement',
      'GET',
      `/v1/audit/disputes/${allocationOf.get('anna-03')}/report.json`,
      { key: auditor.apiKey },
    );
    // The automatic rules applied before the seller contested, each with what it found, then the escalation.
    expect(
      contested.body.automaticRules.map((applied: { rule: string; outcome: string }) => [
        applied.rule,
        applied.outcome,
      ]),
    ).toEqual([
      ['return-window-elapsed', 'passed'],
      ['reason-not-returnable', 'passed'],
      [expect.stringMatching(/^over-return-cap$/), expect.stringMatching(/^(passed|not-applicable)$/)],
      ['escalation-to-auditor', 'escalated'],
    ]);
    expect(contested.body.automaticRules[3].detail).toContain('contests');
    expect(contested.body).toMatchObject({
      decision: { outcome: 'rejected', rule: 'auditor-decision', decidedBy: auditor.participantId },
      sellerResponse: { answer: 'contest', statement: 'The number was verified by SMS at capture' },
      escalation: expect.any(Object),
      settlement: { outcome: 'posted' },
    });
    const contestedHtml = await fetch(
      `${exchange.url('settlement')}/v1/audit/disputes/${allocationOf.get('anna-03')}/report.html`,
      { headers: { authorization: `Bearer ${auditor.apiKey}` } },
    );
    const page = await contestedHtml.text();
    expect(page).toMatch(/answer[\s\S]{0,80}contest/);
    // A document for people: the auditor by name, never a bare participant id; the window judged.
    expect(contested.body.participants[auditor.participantId]).toMatchObject({ name: 'Audit & Co' });
    expect(page).toContain('Audit &amp; Co');
    expect(page).not.toContain(`Decided by</th><td>${auditor.participantId}`);
    expect(page).toMatch(/Filed in time<\/th><td>yes/);
    expect(page).toContain('<h2>Automatic rules applied</h2>');
  });
});
