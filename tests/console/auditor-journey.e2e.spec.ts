import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { waitUntil, type Registered, participantCalls } from '../support/scenarios.js';
import {
  openConsole,
  PHONE,
  screenshot,
  seriousAccessibilityViolations,
  signIn,
  openConsoleAs,
  sidewaysOverflow,
  consoleJourney,
} from '../support/browser.js';
import {
  PHONE_CLAIMS,
  SCENARIO_THREE_PRICE,
  SCENARIO_THREE_WINDOW_MS,
  ScenarioThree,
} from '../support/scenario-three.js';

/*
 * An auditor settles scenario 3's escalated claim in the browser. Scenario 3 (docs/scenarios.md,
 * tests/scenario-3.e2e.spec.ts) is staged through the APIs as that test does it, up to the three
 * contested phone claims escalated to an auditor; then, in Chromium against the real apps, the
 * auditor finds anna-02's allocation with the search box, reads its timeline and the explanation
 * of its price, opens the disputes queue, accepts the return with a rationale, sees the transfer
 * voided and the ledger balanced, reads the dispute report, and runs the replay proof.
 */

const PRICE = SCENARIO_THREE_PRICE;

describe('the auditor portal: settling scenario 3’s escalated claim', () => {
  const rig = consoleJourney('auditor-journey', {
    LX_RATE_LIMIT_PER_MINUTE: '100000',
    LX_RETURN_WINDOW_MS: String(SCENARIO_THREE_WINDOW_MS),
  });
  let anna: Registered;
  let buyer: Registered;
  let auditor: Registered;
  const stage = new ScenarioThree(() => rig.exchange);
  const { allocationOf } = stage;
  const phoneClaims = PHONE_CLAIMS;

  const call = participantCalls(() => rig.exchange);

  /** Every page the auditor sees: no serious accessibility violation, and a picture for the docs. */
  const checkPage = async (page: Page, name: string) => {
    expect([name, await seriousAccessibilityViolations(page)]).toEqual([name, []]);
    // A full-page picture from the top, so the fixed header sits where it belongs.
    await page.evaluate(() => (globalThis as any).scrollTo(0, 0));
    await screenshot(page, name);
  };

  beforeAll(async () => {
    ({ anna, buyer, auditor } = await stage.open());
  });

  it('stages scenario 3 through the APIs up to the three escalated phone claims', async () => {
    // Earlier: the buyer buys Irina from Boris in the insurance market.
    const earlier = await stage.buyIrinaEarlier();
    await stage.purchasesOf(earlier.body.orderId, 1);
    // Now: Anna and Boris list 50 leads in eyewear; the buyer buys all 50.
    const placed = await stage.placeTheOrderForFifty();
    expect(await stage.purchasesOf(placed.body.orderId, 50)).toHaveLength(50);
    // The buyer returns 8 inside the window.
    await stage.returnTheEight();
    // The sellers contest the phone claims; settlement escalates them to an auditor.
    for (const id of phoneClaims) {
      const response = await stage.contestPhoneClaim(id);
      expect([id, response.status]).toEqual([id, 201]);
    }
    await stage.phoneClaimsEscalated();
  });

  it('answers what the console asks: open escalations, search by id and name, actors by name, a balanced ledger', async () => {
    const queue = await waitUntil('the three escalations in the queue', async () => {
      const response = await call('settlement', auditor, 'GET', '/v1/disputes?state=escalated&limit=2');
      return response.status === 200 && response.body.items.length === 2 ? response.body : undefined;
    });
    expect(queue.items[0]).toMatchObject({
      buyer: { participantId: buyer.participantId, name: 'Optika Premium' },
      reason: 'invalid_phone',
      price: PRICE,
      currency: 'RUB',
      overdue: false,
    });
    // The auditors' deadline: the escalation plus LX_DISPUTE_DECISION_HOURS (72 h by default).
    expect(Date.parse(queue.items[0].decideBy) - Date.parse(queue.items[0].escalatedAt)).toBe(72 * 3_600_000);
    const rest = await call(
      'settlement',
      auditor,
      'GET',
      `/v1/disputes?state=escalated&limit=2&cursor=${queue.nextCursor}`,
    );
    expect(rest.body.nextCursor).toBeUndefined();
    expect(
      [...queue.items, ...rest.body.items].map((item: { allocationId: string }) => item.allocationId).sort(),
    ).toEqual(phoneClaims.map((id) => allocationOf.get(id)).sort());
    expect((await call('settlement', auditor, 'GET', '/v1/disputes?state=open')).status).toBe(400);
    expect((await call('settlement', buyer, 'GET', '/v1/disputes?state=escalated')).status).toBe(403);

    const allocationId = allocationOf.get('anna-02')!;
    const byId = await call('settlement', auditor, 'GET', `/v1/audit/search?q=${allocationId}`);
    expect(byId.body.items).toEqual([{ kind: 'allocation', id: allocationId, label: 'LeadAllocated' }]);
    const byName = await call('settlement', auditor, 'GET', '/v1/audit/search?q=optika');
    expect(byName.body.items).toEqual([
      { kind: 'participant', id: buyer.participantId, label: 'Optika Premium (buyer)' },
    ]);
    expect((await call('settlement', auditor, 'GET', '/v1/audit/search?q=')).status).toBe(400);

    const timeline = await call(
      'settlement',
      auditor,
      'GET',
      `/v1/audit/timeline/allocation/${allocationId}`,
    );
    const requested = timeline.body.events.find((e: { type: string }) => e.type === 'ReturnRequested');
    expect(requested).toMatchObject({ actor: buyer.participantId, actorName: 'Optika Premium' });
    expect(timeline.body.participants).toMatchObject({
      [buyer.participantId]: 'Optika Premium',
      [anna.participantId]: 'Anna Leads',
    });
    const explained = await call(
      'settlement',
      auditor,
      'GET',
      `/v1/audit/allocations/${allocationId}/explanation`,
    );
    expect(explained.body.participants[buyer.participantId]).toBe('Optika Premium');
    const status = await call('settlement', auditor, 'GET', '/v1/ledger/status');
    expect(status.body).toMatchObject({ name: 'ledger', balanced: true });
  });

  it('in the browser: finds the allocation, reads its timeline and the explanation of its price', async () => {
    const { context, page } = await openConsoleAs(rig.browser, rig.consoleApp.url, auditor.apiKey);
    await page.getByRole('heading', { name: 'Find anything' }).waitFor();
    await checkPage(page, 'auditor-find');

    const allocationId = allocationOf.get('anna-02')!;
    await page.getByLabel('Id or name').fill(allocationId);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('heading', { name: 'Allocation: its history' }).waitFor();
    expect(page.url()).toContain(`/auditor/timeline/allocation/${allocationId}`);
    await page.getByText('by Optika Premium').first().waitFor();
    await page.getByText('by Anna Leads').first().waitFor();
    for (const type of ['LeadAllocated', 'ReturnRequested', 'SellerResponded', 'ReturnEscalated'])
      await page.getByRole('article', { name: type }).first().waitFor();
    // Money in major units, never minor; the raw JSON one click away.
    const allocated = page.getByRole('article', { name: 'LeadAllocated' }).first();
    await allocated.getByText('600.00 RUB').first().waitFor();
    await allocated.getByText('Raw JSON').click();
    await allocated.getByText('"type": "LeadAllocated"').waitFor();
    await checkPage(page, 'auditor-timeline');

    await page.getByRole('link', { name: 'Explain this allocation' }).first().click();
    await page.getByRole('heading', { name: 'Allocation explained' }).waitFor();
    await page.getByText('Confirmed', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('table', { name: 'Every bid for the lead, in rank order' }).waitFor();
    await page.getByText(/^Rule: [a-z-]+\./).waitFor();
    await page.getByText('Sold by Anna Leads to Optika Premium', { exact: false }).waitFor();
    await checkPage(page, 'auditor-explanation');
    // In Spanish: every word of the page, money in Spanish conventions.
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { name: 'Asignación explicada' }).waitFor();
    await page.getByText('Confirmada', { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Pujas en competencia' }).waitFor();
    await page.getByText('600,00 RUB').first().waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // A phone's screen: the explanation fits without sideways scrolling of the page.
    const phone = await openConsole(rig.browser, rig.consoleApp.url, { viewport: PHONE });
    await signIn(phone.page, auditor.apiKey);
    await phone.page.goto(`/auditor/allocations/${allocationId}`);
    await phone.page.getByText('Confirmed', { exact: true }).waitFor({ timeout: 60_000 });
    const overflow = await sidewaysOverflow(phone.page);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.context.close();
    await context.close();
  });

  it('in the browser: decides the escalated claim with a rationale, and sees the transfer voided and the ledger balanced', async () => {
    const { context, page } = await openConsoleAs(rig.browser, rig.consoleApp.url, auditor.apiKey);
    await page.getByRole('link', { name: 'Disputes' }).click();
    await page.getByRole('heading', { name: 'Disputes' }).waitFor();
    await page.getByRole('table', { name: 'Waiting for an auditor, oldest escalation first' }).waitFor();
    const allocationId = allocationOf.get('anna-02')!;
    await page.locator(`button[data-allocation="${allocationId}"]`).click();
    await page.getByRole('heading', { name: 'The buyer’s claim (Optika Premium)' }).waitFor();
    await page.getByRole('heading', { name: 'The seller’s answer (Anna Leads)' }).waitFor();
    await page.getByText('Five calls over two days, number not answering').waitFor();
    await page.getByText('The number was verified by SMS at capture').waitFor();
    // The deadline, and each automatic rule applied with what it found.
    await page.getByText('Deadline for the decision').waitFor();
    const rules = page.getByRole('list', { name: 'Automatic rules' });
    await rules.getByText('Return window', { exact: true }).waitFor();
    await rules.getByText(/^Requested at .*, before the return window closed at /).waitFor();
    await rules.getByText('Return cap', { exact: true }).waitFor();
    await rules.getByText('handed to an auditor').waitFor();

    // Bad input gets a clear answer next to its field.
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.getByText('Choose accept or reject.').waitFor();
    await page.getByText('Write at least 10 characters.').waitFor();
    await page.getByLabel('Accept the return (refund the buyer, void the sale)').check();
    await page.getByLabel('Rationale').fill('Carrier records show the line disconnected before the sale');
    await checkPage(page, 'auditor-disputes');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.getByText('Decision recorded').waitFor();
    await page.getByText('voided', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByText('balanced', { exact: true }).waitFor();
    await checkPage(page, 'auditor-decided');

    const decided = await call('settlement', auditor, 'GET', `/v1/disputes/${allocationId}`);
    expect(decided.body.events.at(-1)).toMatchObject({
      type: 'ReturnAccepted',
      actor: auditor.participantId,
      data: {
        rule: 'auditor-decision',
        rationale: 'Carrier records show the line disconnected before the sale',
      },
    });
    const transfer = await call('settlement', auditor, 'GET', `/v1/ledger/transfers/${allocationId}`);
    expect(transfer.body.status).toBe('voided');
    // Decided: it left the queue.
    await waitUntil('the decided claim to leave the queue', async () => {
      const queue = await call('settlement', auditor, 'GET', '/v1/disputes?state=escalated');
      return queue.body.items.length === 2 || undefined;
    });
    await context.close();
  });

  it('in the browser: reads the dispute report and downloads its PDF', async () => {
    const { context, page } = await openConsoleAs(rig.browser, rig.consoleApp.url, auditor.apiKey);
    const allocationId = allocationOf.get('anna-02')!;
    await page.goto(`/auditor/disputes/${allocationId}/report`);
    await page.getByRole('heading', { name: 'Dispute report' }).waitFor();
    const frame = page.frameLocator('iframe[title="The dispute report as the exchange wrote it"]');
    await frame.getByText('auditor-decision').first().waitFor();
    const [download] = await Promise.all([
      // The PDF is rendered on request: slow on a busy machine.
      page.waitForEvent('download', { timeout: 100_000 }),
      page.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`dispute-${allocationId}.pdf`);
    await checkPage(page, 'auditor-report');
    await context.close();
  }, 200_000);

  it('in the browser: runs the replay proof and the integrity check, and sees them confirmed', async () => {
    const { context, page } = await openConsoleAs(rig.browser, rig.consoleApp.url, auditor.apiKey);
    await page.getByRole('link', { name: 'Proofs' }).click();
    await page.getByRole('heading', { name: 'Proofs', exact: true }).waitFor();
    // A position that is not one gets a clear answer next to the field.
    await page.getByLabel('Up to log position (optional)').fill('yesterday');
    await page.getByRole('button', { name: 'Run the replay proof' }).click();
    await page.getByText('A log position looks like 812/4711.').waitFor();
    await page.getByLabel('Up to log position (optional)').fill('');
    await page.getByRole('button', { name: 'Run the replay proof' }).click();
    const replay = page.getByRole('region', { name: 'Replay proof' });
    await replay.getByRole('table', { name: 'The result per market' }).waitFor({ timeout: 110_000 });
    await replay.getByText('Confirmed', { exact: true }).first().waitFor();
    for (const vertical of ['eyewear', 'insurance'])
      await replay.getByRole('cell', { name: vertical, exact: true }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      replay.getByRole('button', { name: 'Download JSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('replay-proof.json');
    // The replay is a run on the server: its address outlives the page, and its progress ended where it read to.
    const runId = new URL(page.url()).searchParams.get('run');
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    const run = await rig.exchange.call('settlement', 'GET', `/v1/audit/replays/${runId}`, {
      key: auditor.apiKey,
    });
    expect(run.body).toMatchObject({ state: 'done', proof: { ok: true } });
    expect(run.body.progress.eventsRead).toBe(run.body.proof.eventsRead);
    await page.reload();
    await replay.getByRole('table', { name: 'The result per market' }).waitFor();

    await page.getByRole('button', { name: 'Check integrity' }).click();
    const integrity = page.getByRole('region', { name: 'Integrity of the log' });
    const verdict = integrity
      .getByText('Verified', { exact: true })
      .or(integrity.getByText('Broken', { exact: true }))
      .or(integrity.getByRole('alert'));
    await verdict.waitFor({ timeout: 150_000 });
    const shown = await verdict.textContent();
    if (shown !== 'Verified') {
      // Say which event did not verify (the page shows it too, but a failing test should say it).
      const report = await rig.exchange.call('settlement', 'GET', '/v1/audit/integrity', {
        key: auditor.apiKey,
      });
      expect({ shown, report: report.body }).toEqual({ shown: 'Verified' });
    }
    await checkPage(page, 'auditor-proofs');
    await context.close();
  }, 330_000);
});
