import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { leadRowsToCsv } from '#lx/market-generator';
import {
  confirmDeposit,
  openMarket,
  register,
  waitUntil,
  type Registered,
  participantCalls,
  pullOrder,
  eyewearLeads,
} from '../support/scenarios.js';
import {
  openConsole,
  PHONE,
  screenshot,
  seriousAccessibilityViolations,
  signIn,
  sidewaysOverflow,
  consoleJourney,
} from '../support/browser.js';

const PRICE = 60_000;

/**
 * The seller portal in Chromium against the real apps: a seller uploads a file through the page and
 * watches it verify, reads its rejections, finds a lead, answers a buyer's return, reads its
 * statement, withdraws the batch — and every page passes axe and fits a phone.
 */
describe('the seller portal', () => {
  const rig = consoleJourney('seller-journey', {
    LX_RATE_LIMIT_PER_MINUTE: '100000',
  });
  let seller: Registered;
  let buyer: Registered;
  let context: BrowserContext;
  let page: Page;

  const generated = eyewearLeads('seller-journey', 24, { badShare: 0.25 });
  const accepted = generated.expected.filter((e) => e.kind === 'good' || e.kind === 'partial').length;
  const rejected = generated.rows.length - accepted;
  // One person with a Catalan name, shown exactly as the seller sent it.
  const catalan = generated.expected.findIndex((e) => e.kind === 'good');
  // The seller's own sources (docs/architecture.md §4.2): google's brand campaign and a partner, in turn.
  generated.rows.forEach((row, index) => {
    generated.rows[index] =
      index % 2 === 0 ? { ...row, source: 'google', sub_source: 'brand' } : { ...row, source: 'partner_a' };
  });
  generated.rows[catalan] = {
    ...generated.rows[catalan]!,
    first_name: 'Àngels',
    last_name: 'Martí i Puig',
    source: 'google',
    sub_source: 'brand',
  };

  const call = participantCalls(() => rig.exchange);

  const checkPage = async (name: string) => {
    // Full-page screenshots from the top, where the fixed header belongs.
    await page.evaluate(() => (globalThis as any).scrollTo(0, 0));
    // The pointer off any control: axe reads the page as it rests, not a button being hovered.
    await page.mouse.move(0, 0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, `seller-${name}`);
  };
  const openFromNavigation = async (label: string, heading: string) => {
    await page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click();
    // Off the link again: axe reads the page as it rests, not a link under the pointer.
    await page.mouse.move(0, 0);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  beforeAll(async () => {
    await openMarket(rig.exchange, 'eyewear');
    seller = await register(rig.exchange, 'seller', 'Оптика Север');
    buyer = await register(rig.exchange, 'buyer', 'Òptica Sant Martí');
    await confirmDeposit(rig.exchange, buyer, 2_000_000, 'wire-seller-journey');
    ({ context, page } = await openConsole(rig.browser, rig.consoleApp.url));
  });
  afterAll(async () => {
    await context?.close();
  });

  it('opens on the dashboard, signed in by name', async () => {
    await signIn(page, seller.apiKey);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    expect(page.url()).toContain('/seller/dashboard');
    await page.getByText('Signed in as Оптика Север (seller)').first().waitFor();
    await page.getByText('No earnings yet.').waitFor();
    await checkPage('dashboard-empty');
  });

  it('uploads a file through the page and watches it verify, with the reasons for rejection', async () => {
    await openFromNavigation('Upload', 'Upload leads');
    // Terms the page refuses before sending anything.
    await page.getByLabel('Floor per lead').fill('0');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText('Enter a positive amount, e.g. 600 or 600.50.').waitFor();

    // The template comes with the key the browser cannot put on a plain link.
    const template = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the CSV template' }).click();
    expect((await template).suggestedFilename()).toBe('lead-template.csv');

    await page.getByLabel('File').setInputFiles({
      name: 'Оптика Север — leads.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(leadRowsToCsv(generated.rows)),
    });
    await page.getByText('Chosen: Оптика Север — leads.csv', { exact: false }).waitFor();
    await page.getByLabel('Market').fill('eyewear');
    await page.getByLabel('Floor per lead').fill('600');
    await page.getByLabel('Floor per lead').blur();
    await checkPage('upload-form');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText('Verification finished').waitFor({ timeout: 60_000 });
    const result = page.getByRole('region', { name: 'Result' });
    await expect(result.innerText()).resolves.toMatch(new RegExp(`Accepted\\s+${accepted}\\b`));
    await expect(result.innerText()).resolves.toMatch(new RegExp(`Rejected\\s+${rejected}\\b`));
    await page.getByText('Top reasons for rejection').waitFor();
    await checkPage('upload');
  });

  it('reads the batch’s rejections, line by line, and downloads them as CSV', async () => {
    await page.getByRole('link', { name: 'Open the batch and its rejections' }).click();
    await page.getByRole('heading', { level: 2, name: 'Rejected rows' }).waitFor();
    const table = page.getByRole('table', { name: 'Rejected rows by line of your file' });
    await table.waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBe(rejected);
    const badLines = generated.expected
      .map((e, index) => (e.kind === 'bad' ? index + 2 : null))
      .filter((line) => line !== null);
    await expect(table.locator('tbody tr td:first-child').allInnerTexts()).resolves.toEqual(
      badLines.map(String),
    );
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const csv = await downloading;
    expect(csv.suggestedFilename()).toMatch(/^rejections-.*\.csv$/);
    await checkPage('batch');

    await openFromNavigation('Batches', 'Batches');
    await page.getByRole('table', { name: 'Your batches, newest first' }).waitFor();
    await checkPage('batches');
  });

  it('finds a lead by name in the list and opens it', async () => {
    await openFromNavigation('Leads', 'Leads');
    const table = page.getByRole('table', { name: 'Your leads in listing order' });
    await table.waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBe(accepted);
    await checkPage('leads');
    await page.getByLabel('Filter the loaded leads').fill('Àngels');
    await expect(table.locator('tbody tr').count()).resolves.toBe(1);
    await table.getByRole('link', { name: 'Àngels Martí i Puig', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Lead Àngels Martí i Puig' }).waitFor();
    await page.getByRole('region', { name: 'Quality' }).waitFor();
    const attributes = page.getByRole('region', { name: 'Attributes' });
    await attributes.getByRole('row', { name: 'Your source google' }).waitFor();
    await attributes.getByRole('row', { name: 'Sub-source brand' }).waitFor();
    await checkPage('lead');
  });

  it('answers a buyer’s return in the inbox and sees the sales on the dashboard and statement', async () => {
    const placed = await call('buyers', buyer, 'POST', '/v1/orders', pullOrder({ bid: PRICE, quantity: 3 }));
    expect(placed.status).toBe(201);
    const purchases = await waitUntil('three purchases', async () => {
      const bought = await call('buyers', buyer, 'GET', `/v1/purchased-leads?orderId=${placed.body.orderId}`);
      return bought.body.items?.length >= 3 ? (bought.body.items as { allocationId: string }[]) : undefined;
    });
    const returned = await call(
      'buyers',
      buyer,
      'POST',
      `/v1/purchased-leads/${purchases[0]!.allocationId}/return`,
      {
        reason: 'invalid_phone',
        text: 'Телефон не обслуживается',
        evidence: [{ kind: 'call_log', description: 'Número fuera de servicio en tres llamadas' }],
      },
    );
    expect(returned.status).toBe(201);
    await waitUntil('the return and the sales in the seller’s read model', async () => {
      const [returns, activity] = await Promise.all([
        call('sellers', seller, 'GET', '/v1/returns'),
        call('sellers', seller, 'GET', '/v1/seller-activity'),
      ]);
      return returns.body.items?.length === 1 && activity.body.today?.sold === 3 ? true : undefined;
    });

    // The seller's deadline: the answering time settlement escalates after (48 h by default).
    const claimed = (await call('sellers', seller, 'GET', '/v1/returns')).body.items[0];
    expect(Date.parse(claimed.answerBy) - Date.parse(claimed.requestedAt)).toBe(48 * 3_600_000);
    await openFromNavigation('Returns', 'Returns');
    const claim = page.getByRole('article', { name: 'Invalid phone' });
    await claim.getByText('Телефон не обслуживается').waitFor();
    await claim.getByText('Número fuera de servicio en tres llamadas').waitFor();
    await claim.getByText(/^Answer by /).waitFor();
    await checkPage('returns');
    await claim.getByRole('button', { name: 'Send the answer' }).click();
    await claim.getByText('Write a statement (up to 4000 characters).').waitFor();
    await claim
      .getByLabel('Your statement')
      .fill('El número era correcto: la llamada de verificación fue contestada.');
    await claim.getByLabel('Evidence (what it shows)').fill('Verification call answered on capture day');
    await claim.getByRole('button', { name: 'Send the answer' }).click();
    await claim.getByText('The exchange recorded your answer (contest).').waitFor();

    await openFromNavigation('Dashboard', 'Dashboard');
    const today = page.getByRole('region', { name: 'Today' });
    const expected = new RegExp(`Listed\\s+${accepted}\\s+Sold\\s+3\\s+Returned\\s+0`);
    // The page shows what it had and refreshes on opening: wait for the fresh figures.
    await waitUntil(
      'today’s figures on the dashboard',
      async () => expected.test(await today.innerText()),
      10_000,
    );
    await page.getByRole('region', { name: 'Earnings' }).getByText('Pending').waitFor();
    await checkPage('dashboard');

    await openFromNavigation('Statement', 'Statement');
    const sales = page.getByRole('table', { name: 'Every sale of your leads' });
    await sales.waitFor();
    await expect(sales.locator('tbody tr').count()).resolves.toBe(3);
    await expect(sales.innerText()).resolves.toContain('600.00 RUB');
    // The statement's sale lines say when each lead was sold (soldAt, documented for the console).
    const statement = await call(
      'settlement',
      seller,
      'GET',
      `/v1/statements/sellers/${seller.participantId}`,
    );
    expect(statement.status).toBe(200);
    const soldAt = statement.body.items[0].sales.map((line: { soldAt: string }) => line.soldAt);
    expect(soldAt).toHaveLength(3);
    for (const instant of soldAt) expect(Date.now() - Date.parse(instant)).toBeLessThan(10 * 60_000);
    await sales.getByRole('columnheader', { name: 'Sold at' }).waitFor();
    // Each sale names its source; the sums by source add up to the three sales.
    await sales.getByRole('columnheader', { name: 'Source' }).waitFor();
    const bySource = page.getByRole('table', { name: 'Sales and returns by your source and sub-source' });
    await bySource.waitFor();
    const sums = statement.body.items[0].bySource as { sold: { count: number } }[];
    expect(sums.reduce((total, entry) => total + entry.sold.count, 0)).toBe(3);
    await expect(bySource.locator('tbody tr').count()).resolves.toBe(sums.length);
    await checkPage('statement');
  });

  it('withdraws the batch after a confirmation and shows what the exchange answered', async () => {
    await openFromNavigation('Batches', 'Batches');
    await page.getByRole('table', { name: 'Your batches, newest first' }).getByRole('link').first().click();
    await page.getByRole('button', { name: 'Withdraw the batch' }).click();
    const dialog = page.getByRole('dialog', { name: 'Withdraw this batch?' });
    await dialog.waitFor();
    // The modal fades in: axe measures colours once it is fully shown.
    await dialog.evaluate((element: any) =>
      Promise.all(element.ownerDocument.getAnimations().map((animation: any) => animation.finished)),
    );
    await page.mouse.move(0, 0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText(`The batch is withdrawn: ${accepted - 3} leads taken off sale.`).waitFor();
    await page.getByText('withdrawn', { exact: true }).first().waitFor();

    // The same page in Spanish: its messages, numbers and dates in Spanish too.
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { level: 2, name: 'Filas rechazadas' }).waitFor();
    await page.getByRole('button', { name: 'Descargar CSV' }).waitFor();
    const rejectionsEs = page.getByRole('table', { name: 'Filas rechazadas por línea de su archivo' });
    await rejectionsEs.getByText('La persona tenía menos de 18 años al captarse.').first().waitFor();
    await expect(rejectionsEs.innerText()).resolves.not.toMatch(/Under 18|Invalid e-mail|not a valid/);
    await expect(page.getByRole('region', { name: 'Condiciones' }).innerText()).resolves.toContain(
      '600,00 RUB',
    );
    await checkPage('batch-es');
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { level: 2, name: 'Rejected rows' }).waitFor();
  });

  it('fits a phone: no page of the portal scrolls sideways', async () => {
    const phone = await openConsole(rig.browser, rig.consoleApp.url, { viewport: PHONE });
    await signIn(phone.page, seller.apiKey);
    for (const [path, heading] of [
      ['upload', 'Upload leads'],
      ['dashboard', 'Dashboard'],
      ['batches', 'Batches'],
      ['leads', 'Leads'],
      ['returns', 'Returns'],
      ['statement', 'Statement'],
    ] as const) {
      await phone.page.goto(`/seller/${path}`);
      await phone.page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await phone.page.waitForLoadState('networkidle');
      const overflow = await sidewaysOverflow(phone.page);
      expect({ path, overflow: Math.max(0, overflow) }).toEqual({ path, overflow: 0 });
      if (path === 'upload') {
        expect(await seriousAccessibilityViolations(phone.page)).toEqual([]);
        await screenshot(phone.page, 'seller-upload-phone');
      }
    }
    await phone.context.close();
  });
});
