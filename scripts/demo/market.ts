import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ageOn, generateLeadRows, leadRowsToCsv, scenarioOneOrder, type LeadRow } from '#lx/market-generator';
import { DemoError, waitFor, waitUntilSettled, type Actor, type DemoClient } from './exchange-client.js';
import { heading, line, money, note, short, table, topReasons } from './print.js';
import { printSourceReports, tagWithSources } from './sources.js';
import { realTimeSelling } from './realtime.js';

export interface MarketOptions {
  outputDir: string;
  windowSeconds: number;
}

const VERTICAL = 'eyewear';
const CURRENCY = 'RUB';
const COMMISSION_BPS = 1500;
const RU_FLOOR = 60_000; // 600 RUB: the retailer's bid
const ES_FLOOR = 10_000; // 100 RUB
const NEWSLETTER_BID = 15_000; // 150 RUB
const RU_ROWS = 1200;
const ES_ROWS = 300;
const RESOLD_ROWS = 5;

/** What every scene needs: the exchange, the options, and the cast the first scene registers. */
interface Market {
  client: DemoClient;
  options: MarketOptions;
  /** The operator's key. */
  op: string;
  cast: Cast;
  /** Participant id → name, to print names instead of ids. */
  names: Map<string, string>;
}

interface Cast {
  ruSeller: Actor;
  esSeller: Actor;
  retailer: Actor;
  newsletter: Actor;
  auditor: Actor;
}

/** The buyers app's answer to a placed order, as far as the demo reads it. */
interface PlacedOrder {
  orderId: string;
}

/** The two standing orders, once the engine has traded them. */
interface Orders {
  eyewearOrder: PlacedOrder;
  newsletterOrder: PlacedOrder;
  /** How many leads the scenario 1 order got when the engine went quiet. */
  eyewearLeads: number;
}

/** The two standing orders and what the engine sold to each. */
interface Trades {
  eyewearOrder: PlacedOrder;
  newsletterOrder: PlacedOrder;
  /** The retailer's leads; the conceded claim's replacement joins them. */
  bought: any[];
  newsletterBought: any[];
}

/** A return the retailer files: the request body and how the demo labels it. */
interface Claim {
  allocationId: string;
  body: object;
  label: string;
}

/** The returns once every one is decided. */
interface Decisions {
  decided: any[];
  accepted: any[];
  contestedA: Claim;
}

/**
 * Scenario 1, 2 and 3 of docs/scenarios.md, played in one market, one function a scene (each
 * prints its own heading); answers the participants it registered (the console's sign-in keys).
 */
export async function playMarket(client: DemoClient, options: MarketOptions): Promise<Actor[]> {
  const names = new Map<string, string>();
  const cast = await registerParticipants(client, names);
  const market: Market = { client, options, op: client.operatorKey, cast, names };
  await openEyewearMarket(market);
  await fundBuyers(market);
  await uploadBatches(market);
  const trades = await tradedAllocations(market, await placeOrders(market));
  const claims = await fileReturns(market, trades.bought);
  await reportConversions(market, trades);
  const phoneClaims = await automaticDecisions(market, claims);
  const [conceded, contestedA, contestedB] = await sellerAnswers(market, phoneClaims);
  const decisions = await auditorDecides(market, trades, claims, { conceded, contestedA, contestedB });
  await settle(market, trades);
  await showLedger(market);
  await statements(market);
  await printSourceReports(client, cast.ruSeller, cast.retailer, names);
  const reported = await auditorsProof(market, decisions);
  await realTimeSelling(client, market.op, { retailer: cast.retailer, newsletter: cast.newsletter }, names);
  heading('Done');
  line(
    `${trades.bought.length + trades.newsletterBought.length} leads traded, ${decisions.accepted.length} returns refunded, ` +
      `ledger balanced, log verified.`,
  );
  line(`try: npm run audit -- timeline allocation ${reported}`);
  const { ruSeller, esSeller, retailer, newsletter, auditor } = cast;
  return [ruSeller, esSeller, retailer, newsletter, auditor];
}

async function registerParticipants(client: DemoClient, names: Map<string, string>): Promise<Cast> {
  heading('The operator registers the participants and issues their API keys');
  const ruSeller = await client.register('seller', 'Lidy Stolitsy LLC', 'RU');
  const esSeller = await client.register('seller', 'Leads Ibéricos SL', 'ES');
  const retailer = await client.register('buyer', 'Optika Premium LLC', 'RU');
  const newsletter = await client.register('buyer', 'Glasses Weekly (newsletter)', 'RU');
  const auditor = await client.register('auditor', 'Independent Audit & Co', 'RU');
  for (const actor of [ruSeller, esSeller, retailer, newsletter, auditor]) {
    names.set(actor.id, actor.name);
    line(`${actor.role.padEnd(8)} ${actor.name.padEnd(30)} ${actor.id}`);
  }
  return { ruSeller, esSeller, retailer, newsletter, auditor };
}

async function openEyewearMarket({ client, op, options }: Market): Promise<void> {
  heading('The operator opens the eyewear market');
  const settings = await client.call('settlement', 'POST', `/v1/markets/${VERTICAL}/settings`, {
    key: op,
    body: {
      currency: CURRENCY,
      commissionBps: COMMISSION_BPS,
      returnWindowHours: 72,
      dedupeWindowDays: 30,
      listingLifetimeHours: 72,
      returnCapPercent: 20,
    },
  });
  line(
    `currency ${settings.currency ?? CURRENCY}, commission ${COMMISSION_BPS / 100} %, return window 72 h ` +
      `(${options.windowSeconds} s in this demo), dedupe window 30 days, return cap 20 %`,
  );
}

async function fundBuyers({ client, op, cast }: Market): Promise<void> {
  heading('The buyers fund their accounts (operator-confirmed deposits)');
  for (const [buyer, amount] of [
    [cast.retailer, 4_000_000],
    [cast.newsletter, 2_000_000],
  ] as const) {
    const account = await client.call('buyers', 'POST', `/v1/buyers/${buyer.id}/deposits`, {
      key: op,
      body: { amount, currency: CURRENCY, reference: `demo-wire-${short(buyer.id)}` },
      expect: [200, 201],
    });
    const balance = account.balances.find((b: { currency: string }) => b.currency === CURRENCY);
    line(`${buyer.name.padEnd(30)} deposited ${money(amount)}, available ${money(balance?.available)}`);
  }
}

async function uploadBatches({ client, cast }: Market): Promise<void> {
  const { ruSeller, esSeller } = cast;
  heading('The sellers upload generated batches; the exchange verifies every row');
  const now = new Date();
  const ru = generateLeadRows({
    seed: 'demo/ru',
    count: RU_ROWS,
    country: 'RU',
    vertical: VERTICAL,
    capturedAround: now,
    captureWindowMinutes: 12 * 60,
  });
  const es = generateLeadRows({
    seed: 'demo/es',
    count: ES_ROWS,
    country: 'ES',
    vertical: VERTICAL,
    capturedAround: now,
    captureWindowMinutes: 12 * 60,
    partialShare: 0.4,
  });
  // The Spanish seller also tries to resell a few people the Russian seller already listed.
  const resold: LeadRow[] = ru.rows
    .filter((_, i) => ru.expected[i]!.kind === 'good')
    .slice(0, RESOLD_ROWS)
    .map((row, i) => ({ ...row, external_id: `es-resold-${i + 1}` }));
  const scenarioOneMatches = ru.rows.filter(
    (row, i) => ru.expected[i]!.kind === 'good' && fitsScenarioOne(row, now),
  );
  line(
    `${ruSeller.name}: ${RU_ROWS} Russian rows (${scenarioOneMatches.length} fit the retailer's order), floor ${money(RU_FLOOR)}, exclusive`,
  );
  line(
    '  each tagged with one of its sources: yandex-direct (brand, generic), vk-ads, affiliates (aff-101, aff-202)',
  );
  await uploadAndVerify(client, ruSeller, leadRowsToCsv(tagWithSources(ru.rows)), RU_FLOOR);
  line(
    `${esSeller.name}: ${ES_ROWS} Spanish rows (40 % partial: e-mail or phone only) + ${RESOLD_ROWS} resold Russian people, floor ${money(ES_FLOOR)}`,
  );
  const esBatch = await uploadAndVerify(client, esSeller, leadRowsToCsv([...es.rows, ...resold]), ES_FLOOR);
  if (!esBatch.reasons?.duplicate_on_exchange)
    note('the resold people were not flagged duplicate_on_exchange — check the dedupe window');
}

/** Places both standing orders and waits until the engine has traded them. */
async function placeOrders({ client, cast }: Market): Promise<Orders> {
  const { retailer, newsletter } = cast;
  heading('The buyers place their standing orders');
  const { currency: _currency, ...scenarioOne } = scenarioOneOrder();
  const preview = await client.call('buyers', 'POST', '/v1/orders/preview', {
    key: retailer.key,
    body: { vertical: VERTICAL, filters: scenarioOne.filters, bid: scenarioOne.bid, exclusivity: 'any' },
  });
  line(
    `preview of scenario 1's filters: ${preview.matching} resting leads match, ${preview.matchingAtOrBelowBid} at or below 600 RUB`,
  );
  const eyewearOrder = await client.call('buyers', 'POST', '/v1/orders', {
    key: retailer.key,
    body: scenarioOne,
    expect: [200, 201],
  });
  line(
    `${retailer.name}: order ${short(eyewearOrder.orderId)} — age 30+, Moscow/St Petersburg, phone AND e-mail, ` +
      `married/partnered, premium/luxury glasses, employed +50 RUB (capped at 600), 50 leads at ${money(scenarioOne.bid)}, budget ${money(scenarioOne.budget)}`,
  );
  const eyewearLeads = await waitUntilSettled(
    'the engine to fill the scenario 1 order',
    async () => (await purchases(client, retailer, eyewearOrder.orderId)).length,
    { atLeast: 50, timeoutMs: 90_000, quietMs: 1_000 },
  );

  const newsletterOrder = await client.call('buyers', 'POST', '/v1/orders', {
    key: newsletter.key,
    body: {
      vertical: VERTICAL,
      filters: { requiredContacts: ['email'] },
      bid: NEWSLETTER_BID,
      modifiers: [],
      quantity: 120,
      budget: 120 * NEWSLETTER_BID,
      exclusivity: 'any',
      delivery: 'pull',
    },
    expect: [200, 201],
  });
  line(
    `${newsletter.name}: order ${short(newsletterOrder.orderId)} — any lead with an e-mail (e-mail-only welcome), 120 leads at ${money(NEWSLETTER_BID)}`,
  );
  await waitUntilSettled(
    'the engine to trade the newsletter order',
    async () => (await purchases(client, newsletter, newsletterOrder.orderId)).length,
    { timeoutMs: 60_000 },
  );
  return { eyewearOrder, newsletterOrder, eyewearLeads };
}

/** Shows what the engine sold to each order, and checks scenario 1's filters held. */
async function tradedAllocations({ client, cast, names }: Market, orders: Orders): Promise<Trades> {
  const { eyewearOrder, newsletterOrder } = orders;
  heading('The engine trades: allocations per order');
  const bought = await purchases(client, cast.retailer, eyewearOrder.orderId);
  const newsletterBought = await purchases(client, cast.newsletter, newsletterOrder.orderId);
  if (orders.eyewearLeads !== 50 || bought.length !== 50)
    throw new DemoError(`the scenario 1 order got ${bought.length} leads, not 50`);
  table(
    ['order', 'buyer', 'leads', 'price each', 'spend', 'rule', 'from'],
    [
      allocationRow(eyewearOrder.orderId, cast.retailer, bought, names),
      allocationRow(newsletterOrder.orderId, cast.newsletter, newsletterBought, names),
    ],
    ['l', 'l', 'r', 'l', 'r', 'l', 'l'],
  );
  const outside = bought.filter(
    (p) =>
      !p.attributes ||
      !fitsScenarioOneAttributes(p.attributes) ||
      !hasContact(p, 'phone') ||
      !hasContact(p, 'email'),
  );
  const emailOnly = newsletterBought.filter((p) => hasContact(p, 'email') && !hasContact(p, 'phone')).length;
  line(
    `scenario 1: ${bought.length - outside.length}/50 inside every filter, max price ${money(Math.max(...bought.map((p) => Number(p.price))))}, ` +
      `none without phone or e-mail`,
  );
  line(
    `scenario 2: the newsletter bought ${emailOnly} e-mail-only leads; the retailer ${bought.filter((p) => !hasContact(p, 'phone')).length}`,
  );
  if (outside.length) throw new DemoError(`${outside.length} allocations outside scenario 1's filters`);
  const sample = bought[0]!;
  line(
    `e.g. allocation ${short(sample.allocationId)}: lead ${short(sample.leadId)}, ${sample.attributes?.region}, age ${sample.attributes?.age}, ` +
      `${sample.attributes?.maritalStatus}, quality ${sample.quality}, ${money(Number(sample.price))} by rule "${sample.rule}"`,
  );
  return { eyewearOrder, newsletterOrder, bought, newsletterBought };
}

/** Files the 8 returns of scenario 3 (first: they must fall inside the return window). */
async function fileReturns({ client, cast }: Market, bought: any[]): Promise<Claim[]> {
  heading('The retailer calls its leads and files 8 returns (scenario 3)');
  const returned = bought.slice(11, 19);
  const claims: Claim[] = [
    ...returned.slice(0, 3).map((p, i) => ({
      allocationId: p.allocationId,
      label: i === 0 ? 'invalid phone, replace' : 'invalid phone',
      body: {
        reason: 'invalid_phone',
        evidence: [
          { kind: 'call_log', description: 'Called 5 times over 2 days: the number does not answer' },
        ],
        // The first claim also asks for a replacement lead if the return is accepted.
        ...(i === 0 ? { replace: true } : {}),
      },
    })),
    ...returned.slice(3, 5).map((p) => ({
      allocationId: p.allocationId,
      label: 'duplicate',
      body: {
        reason: 'duplicate',
        evidence: [{ kind: 'note', description: 'We think we already had this person in our CRM' }],
      },
    })),
    ...returned.slice(5, 8).map((p) => ({
      allocationId: p.allocationId,
      label: 'not interested',
      body: { reason: 'other', text: 'The person was not interested in new glasses', evidence: [] },
    })),
  ];
  for (const claim of claims)
    await client.call('buyers', 'POST', `/v1/purchased-leads/${claim.allocationId}/return`, {
      key: cast.retailer.key,
      body: claim.body,
      expect: [200, 201],
    });
  line(
    `3 × invalid_phone (one asking for a replacement), 2 × duplicate, 3 × other ("not interested") filed within the return window`,
  );
  return claims;
}

async function reportConversions({ client, cast }: Market, trades: Trades): Promise<void> {
  const { retailer } = cast;
  heading('The retailer reports that 11 leads placed an order');
  const converted = trades.bought.slice(0, 11);
  for (const p of converted)
    await client.call('buyers', 'POST', `/v1/purchased-leads/${p.allocationId}/conversion`, {
      key: retailer.key,
      body: { at: new Date().toISOString(), value: { amount: 4_500_000, currency: CURRENCY } },
      expect: [200, 201],
    });
  const report = await waitFor('the order report to count 11 conversions', async () => {
    const r = await client.call('buyers', 'GET', `/v1/reports/orders/${trades.eyewearOrder.orderId}`, {
      key: retailer.key,
    });
    return r.conversions === 11 ? r : undefined;
  });
  line(`leads bought      ${report.leadsBought}`);
  line(`spend             ${money(report.spend)}`);
  line(`cost per lead     ${money(report.costPerLead)}`);
  line(`conversions       ${report.conversions} (rate ${report.conversionRatePercent} %)`);
  line(`cost per acquis.  ${money(report.costPerAcquisition)}`);
}

/** The retailer's view of one return (404 until the buyers app has it). */
async function returnStatus({ client, cast }: Market, allocationId: string) {
  return client.call('buyers', 'GET', `/v1/returns/${allocationId}`, {
    key: cast.retailer.key,
    expect: [200, 404],
  });
}

/** Waits for the exchange's own decisions; answers the phone claims, which it leaves to the seller. */
async function automaticDecisions(market: Market, claims: Claim[]): Promise<Claim[]> {
  const { client, cast } = market;
  heading('The exchange decides what the log can prove');
  const automatic = claims.slice(3);
  await waitFor(
    'the automatic decisions',
    async () => {
      const views = await Promise.all(automatic.map((c) => returnStatus(market, c.allocationId)));
      return views.every((v) => v?.decision) ? views : undefined;
    },
    { timeoutMs: 60_000 },
  ).then((views) =>
    views.forEach((view, i) =>
      line(
        `${automatic[i]!.label.padEnd(15)} ${short(view.allocationId)} → ${view.decision.outcome} (rule ${view.decision.rule})`,
      ),
    ),
  );
  const phoneClaims = claims.slice(0, 3);
  await waitFor('the phone claims to reach the seller', async () => {
    const list = await client.call('sellers', 'GET', '/v1/returns', { key: cast.ruSeller.key });
    const ids = new Set(list.items.map((r: { allocationId: string }) => r.allocationId));
    return phoneClaims.every((c) => ids.has(c.allocationId)) ? true : undefined;
  });
  line(`3 invalid-phone claims await the seller: only the seller or an auditor can judge them`);
  return phoneClaims;
}

/** The seller concedes the first phone claim and contests the other two. */
async function sellerAnswers(market: Market, phoneClaims: Claim[]): Promise<[Claim, Claim, Claim]> {
  const { client, cast } = market;
  heading('The seller answers the phone claims');
  const [conceded, contestedA, contestedB] = phoneClaims as [Claim, Claim, Claim];
  await client.call('sellers', 'POST', `/v1/returns/${conceded.allocationId}/response`, {
    key: cast.ruSeller.key,
    body: {
      position: 'accept',
      statement: 'Our carrier lookup shows this number was disconnected: refund it.',
    },
    expect: [200, 201],
  });
  line(`${short(conceded.allocationId)}: accepted by the seller`);
  for (const claim of [contestedA, contestedB]) {
    await client.call('sellers', 'POST', `/v1/returns/${claim.allocationId}/response`, {
      key: cast.ruSeller.key,
      body: {
        position: 'contest',
        statement: 'The number was verified by SMS at capture; the person answered our confirmation call.',
        evidence: [{ kind: 'call_log', description: 'Confirmation call, 42 s, on the day of capture' }],
      },
      expect: [200, 201],
    });
    line(`${short(claim.allocationId)}: contested with a call log → escalated to an auditor`);
  }
  await waitFor('the contested claims to be escalated', async () => {
    const views = await Promise.all(
      [contestedA, contestedB].map((c) => returnStatus(market, c.allocationId)),
    );
    return views.every((v) => v?.status === 'escalated') ? true : undefined;
  });
  return [conceded, contestedA, contestedB];
}

/**
 * The auditor decides the two disputes; then every return is decided, and the conceded claim's
 * replacement lead joins the retailer's purchases.
 */
async function auditorDecides(
  market: Market,
  trades: Trades,
  claims: Claim[],
  { conceded, contestedA, contestedB }: { conceded: Claim; contestedA: Claim; contestedB: Claim },
): Promise<Decisions> {
  const { client, cast, names } = market;
  heading('The auditor reads the disputes and decides');
  const dispute = await client.call('settlement', 'GET', `/v1/disputes/${contestedA.allocationId}`, {
    key: cast.auditor.key,
  });
  line(
    `dispute ${short(contestedA.allocationId)}: ${dispute.events.map((e: { type: string }) => e.type).join(' → ')}`,
  );
  await client.call('settlement', 'POST', `/v1/disputes/${contestedA.allocationId}/decision`, {
    key: cast.auditor.key,
    body: {
      outcome: 'accept',
      rationale:
        "The buyer's five unanswered calls over two days outweigh one confirmation call on the day of capture.",
    },
    expect: 201,
  });
  line(`${short(contestedA.allocationId)} → accept (the buyer's call log outweighs one confirmation call)`);
  await client.call('settlement', 'POST', `/v1/disputes/${contestedB.allocationId}/decision`, {
    key: cast.auditor.key,
    body: {
      outcome: 'reject',
      rationale: 'The seller shows a confirmation call; the buyer shows no call log reference for its claim.',
    },
    expect: 201,
  });
  line(`${short(contestedB.allocationId)} → reject (the seller's evidence stands)`);

  const decided = await waitFor('every return to be decided', async () => {
    const views = await Promise.all(claims.map((c) => returnStatus(market, c.allocationId)));
    return views.every((v) => v?.decision) ? views : undefined;
  });
  table(
    ['allocation', 'claim', 'outcome', 'decided by', 'rule'],
    decided.map((view, i) => [
      short(view.allocationId),
      claims[i]!.label,
      view.decision.outcome,
      names.get(view.decision.decidedBy) ?? view.decision.decidedBy,
      view.decision.rule,
    ]),
  );
  const accepted = decided.filter(
    (v) => v.decision.outcome === 'accepted' || v.decision.outcome === 'accept',
  );
  // The conceded claim asked for a replacement. Its order is filled (closed), so the refund funds a
  // one-lead order on the same terms, at most the returned lead's price.
  const replaced = await waitFor('the replacement of the conceded claim', async () => {
    const view = await returnStatus(market, conceded.allocationId);
    return view?.replacement && view.replacement !== 'pending' ? view : undefined;
  });
  if (replaced.replacement === 'ordered') {
    const [replacement] = await waitFor('the replacement lead', async () => {
      const got = await purchases(client, cast.retailer, replaced.replacementOrderId);
      return got.length > 0 ? got : undefined;
    });
    line(
      `${short(conceded.allocationId)} (replace): the order was filled, so the refund placed a one-lead order ` +
        `${short(replaced.replacementOrderId)} on its terms; it bought lead ${short(replacement.leadId)} for ${money(Number(replacement.price))}`,
    );
    trades.bought.push(replacement);
  } else line(`${short(conceded.allocationId)} (replace): replacement ${replaced.replacement}`);
  note(
    'the 2 duplicate claims are both false here: verification and the engine keep one person from being sold ' +
      'twice to a buyer inside the 30-day dedupe window (the resold rows above were refused at upload)',
  );
  return { decided, accepted, contestedA };
}

/** Waits out the return window until every sale is posted or voided, then pays the seller out. */
async function settle({ client, op, options, cast }: Market, trades: Trades): Promise<void> {
  const { ruSeller, esSeller, auditor } = cast;
  const { bought, newsletterBought } = trades;
  heading(`Settlement: the return window (${options.windowSeconds} s here, 72 h in the market) closes`);
  const lastSale = Math.max(
    ...[...bought, ...newsletterBought].map((p: { allocatedAt: string }) => Date.parse(p.allocatedAt)),
  );
  const countdown = windowCountdown(lastSale + options.windowSeconds * 1000);
  const settled = await waitFor(
    'every sale to be settled (posted or voided)',
    async () => {
      countdown.tick();
      const statements = await Promise.all(
        [ruSeller, esSeller].map((s) =>
          client.call('settlement', 'GET', `/v1/statements/sellers/${s.id}?currency=${CURRENCY}`, {
            key: auditor.key,
          }),
        ),
      );
      const sales = statements.flatMap((s) =>
        s.items.flatMap((item: { sales: { status: string }[] }) => item.sales),
      );
      return sales.length >= bought.length + newsletterBought.length &&
        sales.every((s) => s.status !== 'pending')
        ? sales
        : undefined;
    },
    { timeoutMs: (options.windowSeconds + 90) * 1000, intervalMs: 1000 },
  );
  countdown.done();
  const posted = settled.filter((s: { status: string }) => s.status === 'posted').length;
  const voided = settled.filter((s: { status: string }) => s.status === 'voided').length;
  line(`${posted} transfers posted, ${voided} voided by accepted returns`);
  const payout = await client.call('settlement', 'POST', '/v1/payouts', {
    key: op,
    body: { currency: CURRENCY, sellerId: ruSeller.id },
    expect: 201,
  });
  line(`payout to ${ruSeller.name}: ${money(payout.amount)}`);
  await waitFor('the ledger to book the payout', async () => {
    const statement = await client.call(
      'settlement',
      'GET',
      `/v1/statements/sellers/${ruSeller.id}?currency=${CURRENCY}`,
      { key: auditor.key },
    );
    return statement.items[0]?.paidOut === payout.amount ? true : undefined;
  });
}

async function showLedger({ client, cast, names }: Market): Promise<void> {
  heading('The ledger (double entry; each currency sums to zero)');
  const accounts = await client.call('settlement', 'GET', `/v1/ledger/accounts?currency=${CURRENCY}`, {
    key: cast.auditor.key,
  });
  table(
    ['account', 'owner', 'balance'],
    accounts.items.map((a: { kind: string; ownerId: string; balance: number }) => [
      a.kind,
      names.get(a.ownerId) ?? a.ownerId,
      money(a.balance),
    ]),
    ['l', 'l', 'r'],
  );
  const total = accounts.items.reduce((sum: number, a: { balance: number }) => sum + a.balance, 0);
  line(`sum of all accounts: ${money(total)}${total === 0 ? ' ✓' : ' ✗ DOES NOT BALANCE'}`);
  if (total !== 0) throw new DemoError('the ledger does not balance');
}

/** Prints the seller's and the buyer's statements and writes them as CSV. */
async function statements({ client, options, cast }: Market): Promise<void> {
  const { ruSeller, retailer } = cast;
  heading(`Statements`);
  const sellerStatement = (
    await client.call('settlement', 'GET', `/v1/statements/sellers/${ruSeller.id}?currency=${CURRENCY}`, {
      key: ruSeller.key,
    })
  ).items[0];
  printSellerStatement(ruSeller, sellerStatement);
  const buyerStatement = (
    await client.call('settlement', 'GET', `/v1/statements/buyers/${retailer.id}?currency=${CURRENCY}`, {
      key: retailer.key,
    })
  ).items[0];
  printBuyerStatement(retailer, buyerStatement);
  const sellerCsv = await client.text(
    'settlement',
    `/v1/statements/sellers/${ruSeller.id}?currency=${CURRENCY}&format=csv`,
    ruSeller.key,
  );
  const buyerCsv = await client.text(
    'settlement',
    `/v1/statements/buyers/${retailer.id}?currency=${CURRENCY}&format=csv`,
    retailer.key,
  );
  const sellerCsvPath = join(options.outputDir, 'statement-seller.csv');
  const buyerCsvPath = join(options.outputDir, 'statement-buyer.csv');
  writeFileSync(sellerCsvPath, sellerCsv);
  writeFileSync(buyerCsvPath, buyerCsv);
  line(`CSV: ${sellerCsvPath} (${sellerCsv.trim().split('\n').length} lines)`);
  line(`CSV: ${buyerCsvPath} (${buyerCsv.trim().split('\n').length} lines)`);
}

/**
 * The auditor's proof: hash chains, read models rebuilt, the engine's replay, and the dispute
 * report of one decided return. Answers the allocation the report is about.
 */
async function auditorsProof(
  { client, options, cast, names }: Market,
  decisions: Decisions,
): Promise<string> {
  const { auditor } = cast;
  const { decided, accepted, contestedA } = decisions;
  heading("The auditor's proof");
  const integrity = await client.call('settlement', 'GET', '/v1/audit/integrity', { key: auditor.key });
  line(
    `integrity: ${integrity.ok ? 'every hash chain verifies' : `BROKEN at ${JSON.stringify(integrity.firstFailure)}`} ` +
      `(${integrity.eventsChecked} events in ${integrity.streamsChecked} streams)`,
  );
  const readModels = await client.call('settlement', 'POST', '/v1/audit/read-models/verify', {
    key: auditor.key,
    expect: 200,
  });
  line(
    `read models rebuilt from the log and compared: ${readModels.equal ? 'identical' : 'DIFFERENT'} — ` +
      readModels.projections
        .map(
          (p: { projection: string; equal: boolean; eventsApplied: number }) =>
            `${p.projection} ${p.equal ? '✓' : '✗'}`,
        )
        .join(', '),
  );
  const replay = await client.call('settlement', 'POST', '/v1/audit/replay', {
    key: auditor.key,
    expect: [200, 404],
  });
  line(
    'A log position (commit/sequence, e.g. 812/4711) is the place of one event in the exchange’s single ordered log;',
  );
  line('every sale, return and payout above is an event at such a position, and the proofs below cite them.');
  if (replay && typeof replay === 'object' && 'markets' in replay) {
    const markets = replay.markets as {
      vertical: string;
      inputs: number;
      compared: number;
      recordedOutputs: number;
      identical: boolean;
      replayedDigest: string;
      firstDivergence: unknown;
    }[];
    // The engine runs every configured market; only those that traded have anything to prove.
    const traded = markets.filter((market) => market.recordedOutputs > 0 || !market.identical);
    if (traded.length < markets.length)
      line(`(${markets.length - traded.length} other markets the engine runs had no trade in this demo)`);
    for (const market of traded)
      line(
        `replay proof ${market.vertical}: ${market.inputs} inputs re-run, ${market.compared} outputs compared, ` +
          `${market.identical ? 'identical' : `DIVERGES: ${JSON.stringify(market.firstDivergence).slice(0, 300)}`} ` +
          `(digest ${market.replayedDigest.slice(0, 16)}…)`,
      );
  } else note('no replay endpoint in this build (POST /v1/audit/replay): skipped');

  const reported = accepted.find((v) => v.allocationId === contestedA.allocationId) ?? decided[0]!;
  const base = `/v1/audit/disputes/${reported.allocationId}/report`;
  const html = await client.text('settlement', `${base}.html`, auditor.key);
  const pdf = await client.bytes('settlement', `${base}.pdf`, auditor.key);
  const htmlPath = join(options.outputDir, `dispute-${reported.allocationId}.html`);
  const pdfPath = join(options.outputDir, `dispute-${reported.allocationId}.pdf`);
  writeFileSync(htmlPath, html);
  writeFileSync(pdfPath, pdf);
  const json = await client.call('settlement', 'GET', `${base}.json`, { key: auditor.key });
  line(`dispute report of ${short(reported.allocationId)}: ${summariseFinding(json, names)}`);
  line(`  ${htmlPath}`);
  line(`  ${pdfPath} (${Math.round(pdf.length / 1024)} KiB)`);
  if (!integrity.ok || !readModels.equal || replay?.ok === false)
    throw new DemoError("the auditor's proof failed (see above)");
  return reported.allocationId;
}

/**
 * The settlement wait made visible: the seconds left of the return window, on one updating line
 * on a terminal, every ten seconds otherwise.
 */
function windowCountdown(closesAt: number) {
  const live = process.stdout.isTTY;
  let lastPrinted = Number.POSITIVE_INFINITY;
  return {
    tick() {
      const left = Math.ceil((closesAt - Date.now()) / 1000);
      if (left <= 0 || left >= lastPrinted) return;
      if (live) process.stdout.write(`\r        return window closes in ${String(left).padStart(3)} s `);
      else if (lastPrinted === Number.POSITIVE_INFINITY || lastPrinted - left >= 10)
        line(`return window closes in ${left} s`);
      else return;
      lastPrinted = left;
    },
    done() {
      if (live) process.stdout.write('\r');
      line('return window closed; settlement posted every sale not returned');
    },
  };
}

async function uploadAndVerify(client: DemoClient, seller: Actor, csv: string, floor: number) {
  const { batchId } = await client.upload(
    seller,
    csv,
    `vertical=${VERTICAL}&floor=${floor}&exclusivity=exclusive`,
  );
  let lastShare = -1;
  const batch = await waitFor(
    `batch ${batchId} to be verified`,
    async () => {
      const view = await client.call('sellers', 'GET', `/v1/batches/${batchId}`, { key: seller.key });
      const share = Math.floor((view.progress.share ?? 0) * 4);
      if (share !== lastShare && view.status !== 'verified' && share > 0) {
        lastShare = share;
        line(`  … ${Math.round(view.progress.share * 100)} % verified`);
      }
      return view.status === 'verified' ? view : undefined;
    },
    { timeoutMs: 150_000, intervalMs: 500 },
  );
  line(
    `  batch ${short(batchId)}: ${batch.progress.accepted} accepted, ${batch.progress.rejected} rejected — top reasons: ${topReasons(batch.reasons)}`,
  );
  return batch;
}

async function purchases(client: DemoClient, buyer: Actor, orderId: string): Promise<any[]> {
  return client.all('buyers', `/v1/purchased-leads?orderId=${orderId}`, buyer.key);
}

function allocationRow(orderId: string, buyer: Actor, bought: any[], names: Map<string, string>) {
  const prices = bought.map((p) => Number(p.price));
  const distinct = [...new Set(prices)].sort((a, b) => a - b);
  const rules = [...new Set(bought.map((p) => p.rule))].join(', ');
  const sellers = [...new Set(bought.map((p) => names.get(p.sellerId) ?? short(p.sellerId)))].join(', ');
  return [
    short(orderId),
    buyer.name,
    bought.length,
    distinct.length === 1 ? money(distinct[0]) : `${money(distinct[0])}–${money(distinct.at(-1))}`,
    money(prices.reduce((a, b) => a + b, 0)),
    rules || '—',
    sellers || '—',
  ];
}

function hasContact(purchase: any, kind: 'phone' | 'email'): boolean {
  return purchase.attributes?.contacts?.[kind]?.present === true;
}

const SCENARIO_ONE = scenarioOneOrder().filters;

function fitsScenarioOne(row: LeadRow, now: Date): boolean {
  const age = row.age ?? (row.date_of_birth ? ageOn(row.date_of_birth, now) : 0);
  return (
    age >= SCENARIO_ONE.ageMin! &&
    SCENARIO_ONE.regions!.includes(row.region) &&
    !!row.phone &&
    !!row.email &&
    SCENARIO_ONE.maritalStatus!.includes(row.marital_status!) &&
    (row.interests ?? []).some((interest) => SCENARIO_ONE.interestsAny!.includes(interest))
  );
}

function fitsScenarioOneAttributes(attributes: any): boolean {
  return (
    attributes.age >= SCENARIO_ONE.ageMin! &&
    SCENARIO_ONE.regions!.includes(attributes.region) &&
    SCENARIO_ONE.maritalStatus!.includes(attributes.maritalStatus) &&
    (attributes.interests ?? []).some((interest: string) => SCENARIO_ONE.interestsAny!.includes(interest))
  );
}

function printSellerStatement(seller: Actor, s: any): void {
  line(`Seller statement — ${seller.name} (${s.currency})`);
  line(
    `  sold              ${String(s.sold.count).padStart(3)} leads  gross ${money(s.sold.gross)}, proceeds ${money(s.sold.proceeds)}`,
  );
  line(
    `  returned          ${String(s.returned.count).padStart(3)} leads  gross ${money(s.returned.gross)}, proceeds debited ${money(s.returned.proceedsDebited)}, commission reversed ${money(s.returned.commissionReversed)}`,
  );
  line(`  commission kept             ${money(s.commission)}`);
  line(`  paid out                    ${money(s.paidOut)}`);
  line(
    `  balances                    pending ${money(s.balances.pending)}, available ${money(s.balances.available)}`,
  );
}

function printBuyerStatement(buyer: Actor, s: any): void {
  line(`Buyer statement — ${buyer.name} (${s.currency})`);
  line(`  deposits                    ${money(s.deposits)}`);
  line(`  spend                       ${money(s.spend)}`);
  line(`  refunds                     ${money(s.refunds)}`);
  line(
    `  balances                    available ${money(s.balances.available)}, reserved ${money(s.balances.reserved)}`,
  );
  line(`  ${s.lines.length} ledger lines`);
}

function summariseFinding(report: any, names: Map<string, string>): string {
  let finding = typeof report.finding === 'string' ? report.finding : 'written';
  for (const [id, name] of names) finding = finding.replaceAll(id, name);
  return finding.length > 400 ? `${finding.slice(0, 400)}…` : finding;
}
