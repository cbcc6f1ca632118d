import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { leadRowsToCsv } from '#lx/market-generator';
import {
  confirmDeposit,
  openMarket,
  register,
  waitUntil,
  type Registered,
  scenarioOneRows,
  byExternalId,
} from '../support/scenarios.js';
import { uploadVerified } from '../support/sellers.js';
import {
  openConsole,
  PHONE,
  screenshot,
  seriousAccessibilityViolations,
  signIn,
  sidewaysOverflow,
  consoleJourney,
} from '../support/browser.js';

/**
 * The buyer portal's orders in Chromium against the real apps: a retailer builds seed 001's order
 * (scenario 1) in the order builder with the live preview, places it, sees the budget reserved and
 * the order filled 50/50; pauses, resumes, amends and cancels a second order; reads its dashboard.
 */
describe('the buyer’s orders in the console', () => {
  const rig = consoleJourney('console-buyer-orders', {
    LX_RATE_LIMIT_PER_MINUTE: '100000',
  });
  let seller: Registered;
  let optika: Registered;
  let context: BrowserContext;
  let page: Page;

  // Staged as tests/scenario-1.e2e.spec.ts stages it: 60 leads inside the filters, near misses on each.
  const { inside, nearMisses } = scenarioOneRows();
  const rows = byExternalId([...inside, ...nearMisses]);

  // The pointer rests off the page's controls first: a hovered link is not what axe should judge.
  const accessible = async () => {
    await page.mouse.move(600, 30);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  };
  const heading = (name: string) => page.getByRole('heading', { name, level: 1 }).waitFor();

  beforeAll(async () => {
    seller = await register(rig.exchange, 'seller', 'Moscow Leads LLC');
    optika = await register(rig.exchange, 'buyer', 'Оптика Север');
    await openMarket(rig.exchange, 'eyewear');
    await confirmDeposit(rig.exchange, optika, 5_000_000, 'bank-2025-06-01-0042');
    await uploadVerified(rig.exchange, {
      key: seller.apiKey,
      body: leadRowsToCsv(rows),
      query: 'vertical=eyewear&floor=60000&exclusivity=exclusive',
    });
    await waitUntil('the listing to reach the buyers’ market depth', async () => {
      const response = await rig.exchange.call('buyers', 'POST', '/v1/orders/preview', {
        key: optika.apiKey,
        body: { vertical: 'eyewear', filters: {} },
      });
      return response.body.matching >= rows.length ? true : undefined;
    });
    ({ context, page } = await openConsole(rig.browser, rig.consoleApp.url));
    await signIn(page, optika.apiKey);
  }, 240_000);
  afterAll(async () => {
    await context?.close();
  });

  it('opens on the dashboard with the deposit available and nothing bought yet', async () => {
    await heading('Dashboard');
    expect(page.url()).toContain('/buyer/dashboard');
    await page.getByTestId('available-RUB').filter({ hasText: '50,000.00 RUB' }).waitFor();
    await page.getByText('No leads bought yet.').waitFor();
    await accessible();
  });

  it('builds seed 001’s order with the live preview, a delivery schedule and a source cut out, places it and sees the budget reserved', async () => {
    await page.getByRole('link', { name: 'New order' }).first().click();
    await heading('New order');
    // Every resting lead first, then fewer as the filters narrow (the preview follows the typing).
    await page
      .getByTestId('preview-matching')
      .filter({ hasText: String(rows.length) })
      .waitFor();
    await page.getByLabel('Minimum age').fill('30');
    const regions = page.getByRole('combobox', { name: 'Regions' });
    await regions.fill('RU-MOW');
    await regions.press('Enter');
    await regions.fill('RU-SPE');
    await regions.press('Enter');
    await page.getByRole('checkbox', { name: 'Phone' }).check();
    await page.getByRole('checkbox', { name: 'E-mail' }).check();
    await page.getByRole('checkbox', { name: 'Married' }).check();
    await page.getByRole('checkbox', { name: 'Partnered' }).check();
    const interests = page.getByRole('combobox', { name: 'Interests (at least one)' });
    await interests.fill('premium_glasses');
    await interests.press('Enter');
    await interests.fill('luxury_glasses');
    await interests.press('Enter');
    await page.getByLabel('Bid per lead (RUB)').fill('600');
    await page.getByLabel('Maximum bid with modifiers (RUB)').fill('600');
    await page.getByRole('button', { name: 'Add modifier' }).click();
    await page.getByLabel('Attribute (modifier 1)').selectOption('employment');
    await page.getByLabel('Values (modifier 1)').fill('employed, self_employed');
    await page.getByLabel('Added to the bid (RUB, modifier 1)').fill('50');
    await page.getByLabel('Quantity (leads)').fill('50');
    await page.getByLabel('Budget (RUB)').fill('30000');
    await page.getByLabel('Hourly cap (leads)').fill('50');
    // A cut-out of a source these untagged leads are not from, and a schedule open all week in the
    // buyer's own zone: the preview still counts all 60 and says the order would match now.
    await page.getByRole('button', { name: 'Add a source to refuse' }).click();
    await page.getByLabel('Source (Never these sources, 1)', { exact: true }).fill('spam_affiliate');
    await page.getByRole('combobox', { name: 'Time zone' }).fill('Europe/Mos');
    await page.getByRole('option', { name: 'Europe/Moscow', exact: true }).click();
    await page.getByRole('button', { name: 'Add a window' }).click();
    await page.getByRole('checkbox', { name: 'Sat' }).check();
    await page.getByRole('checkbox', { name: 'Sun' }).check();
    await page.getByLabel('Opens (window 1)').fill('00:00');
    await page.getByLabel('Closes (window 1)').fill('24:00');
    await page.getByTestId('preview-schedule').filter({ hasText: 'Open now' }).waitFor();
    await page
      .getByTestId('preview-schedule')
      .filter({ hasText: 'Mon–Sun 00:00–24:00 (Europe/Moscow)' })
      .waitFor();
    // Seed 001's 60 leads inside the filters, all at a floor the bid meets.
    await page.getByTestId('preview-matching').filter({ hasText: /^60$/ }).waitFor();
    await page
      .getByTestId('preview-at-bid')
      .filter({ hasText: 'Of those, at or below your bid: 60' })
      .waitFor();
    await page.getByRole('rowheader', { name: '600.00 RUB' }).waitFor({ state: 'attached' });
    await accessible();
    await page.evaluate(() => (globalThis as any).scrollTo(0, 0)); // evaluated in the page
    await screenshot(page, 'buyer-order-builder');

    await page.getByRole('button', { name: 'Place order' }).click();
    await page
      .getByTestId('order-reserved')
      .filter({ hasText: '30,000.00 RUB reserved from your balance for this order.' })
      .waitFor();
    await accessible();
    await page.getByRole('link', { name: 'Open the order' }).click();
    await page.getByRole('heading', { name: 'eyewear, 50 leads at 600.00 RUB', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'What this order cost and brought (report)' }).waitFor();
    await page.getByRole('cell', { name: 'RU-MOW, RU-SPE' }).waitFor();
    await page.getByRole('cell', { name: '+50.00 RUB when Employment is employed, self_employed' }).waitFor();
    await page
      .getByTestId('order-schedule')
      .filter({ hasText: 'Mon, Tue, Wed, Thu, Fri, Sat, Sun 00:00–24:00' })
      .filter({ hasText: 'time zone Europe/Moscow' })
      .waitFor();
    await page.getByRole('cell', { name: 'spam_affiliate', exact: true }).waitFor();
    await page.getByText('50 / 50').waitFor({ timeout: 90_000 });
    await accessible();
    await screenshot(page, 'buyer-order');
  }, 180_000);

  it('shows the order bought 50/50 on the orders page', async () => {
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await heading('Orders');
    const row = page.getByRole('row').filter({ hasText: 'eyewear, 50 leads at 600.00 RUB' });
    await row.getByText('50 / 50').waitFor({ timeout: 90_000 });
    await row.getByText('30,000.00 RUB / 30,000.00 RUB').waitFor();
    await row.getByText('closed').waitFor({ timeout: 60_000 });
    await accessible();
  }, 180_000);

  it('pauses, resumes, amends and cancels a second order, showing what the exchange answered', async () => {
    const placed = await rig.exchange.call('buyers', 'POST', '/v1/orders', {
      key: optika.apiKey,
      body: {
        vertical: 'eyewear',
        filters: { regions: ['RU-KDA'], ageMin: 90 },
        bid: 10000,
        modifiers: [],
        quantity: 10,
        budget: 100000,
        exclusivity: 'any',
        delivery: 'pull',
      },
    });
    expect(placed.status).toBe(201);
    const name = 'eyewear, 10 leads at 100.00 RUB';
    const row = page.getByRole('row').filter({ hasText: name });
    await row.waitFor();
    const answer = page.getByTestId('order-answer');

    await page.getByRole('button', { name: `Pause order ${name}` }).click();
    await answer.filter({ hasText: 'Order paused: it stops buying; 1,000.00 RUB stays reserved.' }).waitFor();
    await row.getByText('paused').waitFor();
    await screenshot(page, 'buyer-orders');
    await accessible();

    await page.getByRole('button', { name: `Resume order ${name}` }).click();
    await answer.filter({ hasText: 'Order resumed: it is buying again.' }).waitFor();

    await page.getByRole('button', { name: `Amend order ${name}` }).click();
    const amend = page.getByRole('dialog', { name: 'Amend the order' });
    await amend.getByLabel('Quantity (leads)').fill('12');
    await amend.getByLabel('Budget (RUB)').fill('1200');
    await accessible();
    await amend.getByRole('button', { name: 'Save the new terms' }).click();
    await answer
      .filter({ hasText: 'New terms saved: bid 100.00 RUB, 12 leads, budget 1,200.00 RUB.' })
      .waitFor();
    const amendedName = 'eyewear, 12 leads at 100.00 RUB';

    await page.getByRole('button', { name: `Cancel order ${amendedName}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Cancel this order?' });
    await confirm.getByText('(1,200.00 RUB)', { exact: false }).waitFor();
    await accessible();
    await confirm.getByRole('button', { name: 'Cancel order' }).click();
    await answer.filter({ hasText: /Order cancelled.*1,200\.00 RUB/ }).waitFor();
    await page
      .getByRole('row')
      .filter({ hasText: amendedName })
      .getByText(/cancelled|closed/)
      .waitFor();
    const order = await rig.exchange.call('buyers', 'GET', `/v1/orders/${placed.body.orderId}`, {
      key: optika.apiKey,
    });
    expect(['cancelled', 'closed']).toContain(order.body.status);
  }, 120_000);

  it('reads spend, leads, conversion figures and the daily series on the dashboard', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await heading('Dashboard');
    await page.getByTestId('spend-RUB').filter({ hasText: '30,000.00 RUB' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('leads-RUB').filter({ hasText: '50' }).waitFor();
    await page.getByRole('heading', { name: 'Spend and conversions by day, last 30 days (RUB)' }).waitFor();
    await accessible();
    await screenshot(page, 'buyer-dashboard');
  }, 60_000);

  it('answers the figures the console reads: order progress, floors histogram, daily series', async () => {
    const orders = await rig.exchange.call('buyers', 'GET', '/v1/orders', { key: optika.apiKey });
    expect(orders.body.items.at(-1)).toMatchObject({
      terms: {
        quantity: 50,
        hourlyCapCount: 50,
        schedule: {
          timeZone: 'Europe/Moscow',
          windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00' }],
        },
        filters: { sourcesExcluded: [{ source: 'spam_affiliate' }] },
      },
      progress: { leadsBought: 50, spend: 3_000_000 },
    });
    const preview = await rig.exchange.call('buyers', 'POST', '/v1/orders/preview', {
      key: optika.apiKey,
      body: { vertical: 'eyewear', filters: { regions: ['RU-MOW', 'RU-SPE'] }, bid: 60000 },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.floorHistogram).toEqual([{ from: 60000, to: 60000, leads: preview.body.matching }]);
    const daily = await rig.exchange.call('buyers', 'GET', '/v1/reports/account/daily?days=7', {
      key: optika.apiKey,
    });
    expect(daily.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(daily.body.items).toEqual([
      { day: today, currency: 'RUB', leadsBought: 50, spend: 3_000_000, conversions: 0 },
    ]);
    const refused = await rig.exchange.call('buyers', 'GET', '/v1/reports/account/daily?days=0', {
      key: optika.apiKey,
    });
    expect(refused.status).toBe(400);
  });

  it('fits the order builder on a phone', async () => {
    const phone = await openConsole(rig.browser, rig.consoleApp.url, { viewport: PHONE });
    await signIn(phone.page, optika.apiKey);
    await phone.page.goto('/buyer/orders/new');
    await phone.page.getByRole('heading', { name: 'New order', level: 1 }).waitFor();
    await phone.page.getByTestId('preview-matching').waitFor();
    const overflow = await sidewaysOverflow(phone.page);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(phone.page)).toEqual([]);
    await phone.context.close();
  }, 60_000);
});
