import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { leadRowsToCsv, scenarioOneOrder } from '#lx/market-generator';
import {
  confirmDeposit,
  openMarket,
  orderRequest,
  register,
  startWebhookReceiver,
  waitUntil,
  type Registered,
  type WebhookReceiver,
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

/** Text as a person reads it: every kind of space (ICU writes no-break ones in numbers) as one. */
const spaced = (text: string | null) => (text ?? '').replace(/\s/g, ' ');

/**
 * The buyer after the sale in Chromium, against the real apps: seed 001 (docs/scenarios.md) staged
 * through the API as tests/scenario-1.e2e.spec.ts does; then, as "Оптика Север" in the console:
 * funds, the webhook and its secret, the purchased leads appearing while the page is open, the
 * export, a return, 11 conversions, the order report's figures, the delivery log, a phone's screen.
 */
describe('the buyer after the sale in the console', () => {
  const rig = consoleJourney('console-after-sale', {
    LX_RATE_LIMIT_PER_MINUTE: '100000',
  });
  let seller: Registered;
  let optika: Registered;
  let receiver: WebhookReceiver;
  let context: BrowserContext;
  let page: Page;
  let orderId: string;

  // Scenario 1's upload: 60 RU eyewear people inside the order's filters, 150 near misses, 30 far off.
  const { inside, nearMisses, farOff } = scenarioOneRows();
  const rows = byExternalId([...inside, ...nearMisses, ...farOff]);

  /** The page from its top (the frame's header and navigation are fixed; a full-page shot shows them where the page was scrolled). */
  const shot = async (name: string, on = page) => {
    await on.evaluate(() => {
      const scope = globalThis as any; // evaluated in the page
      scope.scrollTo(0, 0);
      for (const viewport of scope.document.querySelectorAll('.mantine-ScrollArea-viewport'))
        viewport.scrollLeft = 0;
    });
    await screenshot(on, name);
  };
  const leadsTable = () => page.getByRole('table', { name: 'Your purchased leads, in allocation order' });
  const openPage = async (name: string) => {
    await page.getByRole('navigation').getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    // The pointer off the link it clicked (axe measures the active link's colours without hover).
    await page.mouse.move(700, 5);
    await page.waitForTimeout(300);
  };

  beforeAll(async () => {
    seller = await register(rig.exchange, 'seller', 'Moscow Leads LLC');
    optika = await register(rig.exchange, 'buyer', 'Оптика Север');
    receiver = await startWebhookReceiver();
    await openMarket(rig.exchange, 'eyewear');
    ({ context, page } = await openConsole(rig.browser, rig.consoleApp.url));
  });
  afterAll(async () => {
    await context?.close();
    await receiver?.close();
  });

  it('stages seed 001 through the API: the upload verified, the deposit confirmed', async () => {
    expect(inside).toHaveLength(60);
    const { batch } = await uploadVerified(rig.exchange, {
      key: seller.apiKey,
      body: leadRowsToCsv(rows),
      query: 'vertical=eyewear&floor=60000&exclusivity=exclusive',
    });
    expect(batch.progress).toMatchObject({ accepted: rows.length, rejected: 0 });
    await confirmDeposit(rig.exchange, optika, 5_000_000, 'bank-2025-06-01-0042');
  });

  it('funds: the balances and the confirmed deposit, and how to fund the account', async () => {
    await signIn(page, optika.apiKey);
    await openPage('Funds');
    const balances = page.getByRole('table', { name: 'Your balances per currency' });
    await balances.getByRole('cell', { name: '50,000.00 RUB' }).first().waitFor();
    const deposits = page.getByRole('table', { name: 'Your confirmed deposits, newest first' });
    await deposits.getByRole('cell', { name: 'bank-2025-06-01-0042' }).waitFor();
    expect(spaced(await deposits.textContent())).toContain('50,000.00 RUB');
    await page.getByText('How to fund the account').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await shot('buyer-funds-before');
  });

  it('delivery: sets the webhook URL, shows the secret once, rotates it', async () => {
    await openPage('Delivery');
    await page.getByText('No webhook is configured').waitFor();
    await page.getByLabel('Webhook URL').fill('not a url');
    await page.getByRole('button', { name: 'Save the webhook' }).click();
    await page.getByText('Enter a URL starting with http:// or https://.').waitFor();
    await page.getByLabel('Webhook URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Save the webhook' }).click();
    await page.getByText(`Current URL: ${receiver.url}`).waitFor();
    const first = await page.getByTestId('webhook-secret').textContent();
    expect(first).toMatch(/\S{16,}/);
    await page.getByRole('button', { name: 'Copy the secret' }).waitFor();

    await page.getByRole('button', { name: 'Rotate the secret' }).click();
    await page.getByText('The previous secret still signs deliveries until').waitFor();
    const rotated = await page.getByTestId('webhook-secret').textContent();
    expect(rotated).toMatch(/\S{16,}/);
    expect(rotated).not.toBe(first);
    await page.getByText('No webhook deliveries yet.').waitFor();
    await page.getByText('Pull API (without a webhook)').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('the purchased leads appear while the page is open, with names, phones and e-mails', async () => {
    await openPage('Purchased leads');
    await page.getByText('No purchased leads yet.').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // A mark on the page's window: a reload would wipe it.
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));

    const placed = await rig.exchange.call('buyers', 'POST', '/v1/orders', {
      key: optika.apiKey,
      body: orderRequest(scenarioOneOrder(), { delivery: 'webhook' }),
    });
    expect(placed.status).toBe(201);
    orderId = placed.body.orderId;

    await waitUntil(
      'the 50 leads on the open page',
      async () => (await leadsTable().locator('tbody tr').count()) === 50,
      120_000,
    );
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);

    // The people, as decrypted for their buyer, are in the table.
    const purchased = await rig.exchange.call(
      'buyers',
      'GET',
      `/v1/purchased-leads?orderId=${orderId}&limit=100`,
      {
        key: optika.apiKey,
      },
    );
    expect(purchased.body.items).toHaveLength(50);
    const detail = await rig.exchange.call(
      'buyers',
      'GET',
      `/v1/purchased-leads/${purchased.body.items[0].allocationId}`,
      { key: optika.apiKey },
    );
    const person = detail.body.lead.personalData;
    await leadsTable().getByRole('cell', { name: person.email, exact: true }).waitFor();
    await leadsTable().getByRole('cell', { name: person.phone, exact: true }).waitFor();
    await leadsTable()
      .getByRole('cell', { name: `${person.firstName} ${person.lastName}`, exact: true })
      .first()
      .waitFor();
    expect(spaced(await leadsTable().locator('tbody tr').first().textContent())).toContain('600.00 RUB');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('exports the purchased leads as CSV with their personal data', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('purchased-leads.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines).toHaveLength(51);
    expect(lines[0]).toContain('email');
    await page.getByText('The CSV is downloaded.').waitFor();
  });

  it('returns one lead with a reason and evidence; the exchange’s answer is shown', async () => {
    const last = leadsTable().locator('tbody tr').last();
    await last.getByRole('button', { name: 'Return' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason', { exact: true }).selectOption('invalid_phone');
    // Bad input gets its answer next to the field.
    await dialog.getByRole('button', { name: 'Request the return' }).click();
    await dialog.getByText('Required.').waitFor();
    await dialog.getByLabel('Evidence', { exact: true }).selectOption('call_log');
    await dialog
      .getByLabel('What the evidence shows')
      .fill('Called 3 times on 2 days, number not in service');
    await dialog.getByLabel('Where the proof is kept (optional)').fill('call-log-2025-06-02-17');
    await dialog.getByRole('button', { name: 'Request the return' }).click();
    await page.getByText('The return is requested (status: return requested)').waitFor();
    expect(spaced(await page.getByText('The return is requested').textContent())).toContain('600.00 RUB');
    const returns = page.getByRole('table', { name: 'Your returns, newest first' });
    await returns.getByText('Invalid phone').waitFor();
    await last.getByText('return requested').waitFor();
    expect(await last.getByRole('button', { name: 'Return' }).isDisabled()).toBe(true);
  });

  it('reports 11 conversions through the page', async () => {
    const enabledConversions = () =>
      leadsTable()
        .locator('tbody tr')
        .getByRole('button', { name: 'Conversion', exact: true, disabled: false });
    for (let reported = 0; reported < 11; reported++) {
      const before = await enabledConversions().count();
      await enabledConversions().first().click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Converted at').waitFor();
      await dialog.getByRole('button', { name: 'Report the conversion' }).click();
      await dialog.waitFor({ state: 'detached' });
      await waitUntil('the converted lead’s button to be disabled', async () =>
        (await enabledConversions().count()) === before - 1 ? true : undefined,
      );
    }
    await page.getByText(/The conversion of .+ is recorded\./).waitFor();
    expect(await leadsTable().getByText('Converted', { exact: true }).count()).toBe(11);
    await shot('buyer-leads');
  });

  it('the order report, reached from the order filter, reads seed 001’s figures exactly', async () => {
    await page.getByLabel('Order', { exact: true }).selectOption(orderId);
    await page.getByRole('link', { name: 'Order report' }).click();
    await page.getByRole('heading', { level: 1, name: 'Order report' }).waitFor();
    const figure = (name: string) => page.getByRole('group', { name, exact: true }).locator('p').last();
    await waitUntil('11 conversions in the report', async () =>
      (await figure('Conversions').textContent()) === '11' ? true : undefined,
    );
    expect(await figure('Leads bought').textContent()).toBe('50');
    expect(spaced(await figure('Spend').textContent())).toBe('30,000.00 RUB');
    expect(spaced(await figure('Cost per lead (CPL)').textContent())).toBe('600.00 RUB');
    expect(spaced(await figure('Conversion rate').textContent())).toBe('22%');
    expect(spaced(await figure('Cost per acquisition (CPA)').textContent())).toBe('2,727.27 RUB');
    expect(await figure('Returns requested').textContent()).toBe('1');
    await page.locator('.recharts-surface').first().waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await shot('buyer-report');

    await page.getByLabel('Language').selectOption('ru');
    await page.getByRole('heading', { level: 1, name: 'Отчёт по заказу' }).waitFor();
    expect(spaced(await figure('Расходы').textContent())).toBe('30 000,00 RUB');
    expect(spaced(await figure('Цена лида (CPL)').textContent())).toBe('600,00 RUB');
    expect(spaced(await figure('Коэффициент конверсии').textContent())).toBe('22 %');
    expect(spaced(await figure('Цена конверсии (CPA)').textContent())).toBe('2 727,27 RUB');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await shot('buyer-report-ru');
    await page.getByLabel('Язык').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Order report' }).waitFor();
  });

  it('delivery: the log shows the 50 webhook deliveries, delivered', async () => {
    await openPage('Delivery');
    const log = page.getByRole('table', { name: 'Each webhook delivery and its state' });
    await waitUntil(
      '50 delivered webhook deliveries in the log',
      async () => ((await log.getByText('delivered', { exact: true }).count()) === 50 ? true : undefined),
      60_000,
    );
    expect(receiver.received.length).toBeGreaterThanOrEqual(50);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await shot('buyer-delivery');
  });

  it('funds after the purchases: 30 000 RUB spent, nothing reserved once the order closed', async () => {
    await openPage('Funds');
    const balances = page.getByRole('table', { name: 'Your balances per currency' });
    await waitUntil('the closed order’s reserve released', async () =>
      spaced(await balances.textContent()).includes('20,000.00 RUB') ? true : undefined,
    );
    expect(spaced(await balances.textContent())).toContain('50,000.00 RUB');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await shot('buyer-funds');
  });

  it('fits a phone: the purchased leads scroll inside their table, not the page', async () => {
    const phone = await openConsole(rig.browser, rig.consoleApp.url, { viewport: PHONE });
    try {
      await signIn(phone.page, optika.apiKey);
      await phone.page.goto('/buyer/leads');
      await phone.page
        .getByRole('table', { name: 'Your purchased leads, in allocation order' })
        .locator('tbody tr')
        .nth(49)
        .waitFor();
      const overflow = await sidewaysOverflow(phone.page);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await seriousAccessibilityViolations(phone.page)).toEqual([]);
      await shot('buyer-leads-phone', phone.page);
    } finally {
      await phone.context.close();
    }
  });
});
