import { describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { LIGHT_TRADING, MarketLoad } from '../support/market-load.js';
import { leadRowsToCsv } from '#lx/market-generator';
import { cleanEyewearRows, openMarket, register, waitUntil } from '../support/scenarios.js';
import { uploadVerified } from '../support/sellers.js';
import {
  openConsole,
  PHONE,
  screenshot,
  seriousAccessibilityViolations,
  openConsoleAs,
  sidewaysOverflow,
  consoleJourney,
} from '../support/browser.js';

/**
 * The operator's console in Chromium against the real apps: an operator registers a seller and a
 * buyer, issues their keys and opens a market; confirms the buyer's deposit; sees the books
 * balanced; suspends and reinstates a participant; sees the three apps healthy.
 */
describe('the operator portal', () => {
  // A short return window: the trades of the ledger step post within the test.
  const rig = consoleJourney('operator-journey', {
    LX_RATE_LIMIT_PER_MINUTE: '1000000',
    LX_RETURN_WINDOW_MS: '3000',
  });
  const keys: Record<string, string> = {};

  const whoIs = async (apiKey: string) => {
    const answer = await fetch(`${rig.consoleApp.url}/api/sellers/v1/me`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    return { status: answer.status, body: (await answer.json()) as { name?: string } };
  };

  const checked = async (page: Page, name: string) => {
    await page.mouse.move(0, 0); // no hover styles in the way of the contrast check
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, name);
  };

  const pick = async (page: Page, label: string, option: string, within: Page | Locator = page) => {
    await within.getByRole('combobox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  const registerAndIssueKey = async (page: Page, role: string, name: string, shoot = false) => {
    await page.getByRole('link', { name: 'Participants', exact: true }).click();
    await page.getByRole('heading', { name: 'Register a participant' }).waitFor();
    await pick(page, 'Role', role);
    await page.getByRole('textbox', { name: /^Name/ }).fill(name);
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByText(`${name} is registered (${role}).`).waitFor();
    if (shoot) await checked(page, 'operator-participants');
    await page.getByRole('link', { name: `Open ${name} to issue its API key` }).click();
    await page.getByRole('heading', { name }).waitFor();
    await page.getByRole('button', { name: 'Issue a new key' }).click();
    await page.getByText('you will not see it again', { exact: false }).waitFor();
    const apiKey = (await page.getByTestId('issued-key').textContent())!.trim();
    await page.getByRole('button', { name: 'Copy key' }).waitFor();
    if (shoot) await checked(page, 'operator-participant');
    await page.getByRole('button', { name: 'I have stored it: hide the key' }).click();
    await page.getByTestId('issued-key').waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'working' }).waitFor();
    return apiKey;
  };

  it('registers a seller and a buyer, issues their keys and opens a market', async () => {
    const { context, page } = await openConsoleAs(rig.browser, rig.consoleApp.url, rig.exchange.operatorKey);
    await page.getByRole('heading', { name: 'Participants', level: 1 }).waitFor();
    expect(page.url()).toContain('/operator/participants');
    await page.getByText('Nobody is registered yet', { exact: false }).waitFor();

    // Bad input gets a clear answer next to the field, before anything is sent.
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByText('Pick the participant’s role.').waitFor();
    await page.getByText('Give the organisation’s name.').waitFor();

    keys.seller = await registerAndIssueKey(page, 'seller', 'Óptica Sant Martí', true);
    keys.buyer = await registerAndIssueKey(page, 'buyer', 'Clínica Visión Norte');
    expect(await whoIs(keys.seller)).toMatchObject({ status: 200, body: { name: 'Óptica Sant Martí' } });
    expect(await whoIs(keys.buyer)).toMatchObject({ status: 200, body: { name: 'Clínica Visión Norte' } });

    await page.getByRole('link', { name: 'Markets', exact: true }).click();
    await page.getByText('No market is open yet', { exact: false }).waitFor();
    await page.getByRole('textbox', { name: 'Market (vertical)' }).fill('Optics Premium');
    await page.getByRole('textbox', { name: 'Currency' }).fill('EUR');
    await page.getByRole('button', { name: 'Open the market' }).click();
    await page.getByText('Start with a letter; use lower-case letters', { exact: false }).waitFor();
    await page.getByRole('textbox', { name: 'Market (vertical)' }).fill('optics');
    await page.getByRole('textbox', { name: 'Commission' }).fill('12.5');
    await page.getByRole('button', { name: 'Open the market' }).click();
    await page.getByRole('heading', { name: 'Market optics' }).waitFor();
    await page.getByRole('table', { name: 'The settings of optics as published, newest first' }).waitFor();
    await page.getByRole('cell', { name: '12.5%' }).waitFor();
    await checked(page, 'operator-market');
    await page.getByRole('link', { name: 'All markets' }).click();
    await page.getByRole('link', { name: 'optics' }).waitFor();
    await checked(page, 'operator-markets');
    await context.close();
  });

  it('confirms a deposit for the buyer, picked by name, and sees the books balanced', async () => {
    const { context, page } = await openConsoleAs(rig.browser, rig.consoleApp.url, rig.exchange.operatorKey);
    await page.getByRole('link', { name: 'Funds', exact: true }).click();
    await page.getByRole('heading', { name: 'Confirm a deposit' }).waitFor();
    await page.getByRole('button', { name: 'Confirm the deposit' }).click();
    await page.getByText('Pick the buyer.').waitFor();
    await pick(page, 'Buyer', 'Clínica Visión Norte');
    await page.getByRole('textbox', { name: 'Amount' }).fill('5000.123');
    await pick(page, 'Currency', 'EUR', page.getByRole('form', { name: 'Confirm a deposit' }));
    await page.getByRole('textbox', { name: 'Payment reference' }).fill('wire-2026-0001');
    await page.getByRole('button', { name: 'Confirm the deposit' }).click();
    await page.getByText('A positive amount with at most the currency’s decimals.').waitFor();
    await page.getByRole('textbox', { name: 'Amount' }).fill('5000');
    await page.getByRole('button', { name: 'Confirm the deposit' }).click();
    await page.getByText('Deposit confirmed for Clínica Visión Norte').waitFor();
    await page.getByText('5,000.00 EUR').first().waitFor();

    // A payout with nothing to pay: the exchange's answer, shown.
    const payout = page.getByRole('form', { name: 'Pay a seller out' });
    await pick(page, 'Seller', 'Óptica Sant Martí', payout);
    await pick(page, 'Currency', 'EUR', payout);
    await page.getByRole('button', { name: 'Pay out now' }).click();
    await page.getByText('Óptica Sant Martí has no available EUR balance to pay out.').waitFor();
    await page.getByText('No payouts yet.').waitFor();
    await checked(page, 'operator-funds');

    // Some trading in another market (RUB), so the ledger has transfers to show.
    const load = await MarketLoad.prepare(rig.exchange, LIGHT_TRADING);
    try {
      load.start();
      await waitUntil(
        'posted transfers',
        async () => {
          const answer = await rig.exchange.call('settlement', 'GET', '/v1/ledger/transfers?status=posted', {
            key: rig.exchange.operatorKey,
          });
          return answer.body.items.length >= 3 || undefined;
        },
        90_000,
      );
    } finally {
      await load.stop();
      await load.close();
    }

    await page.getByRole('link', { name: 'Ledger', exact: true }).click();
    await page.getByRole('heading', { name: 'The books' }).waitFor();
    await page.getByTestId('books-EUR').getByText('Balanced').waitFor();
    await page.getByTestId('books-RUB').getByText('Balanced').waitFor();
    await page.getByRole('cell', { name: 'Clínica Visión Norte' }).first().waitFor();
    await page.getByRole('cell', { name: '5,000.00 EUR', exact: true }).first().waitFor();
    await page.getByRole('cell', { name: 'Load Seller' }).first().waitFor();
    await page.getByRole('radio', { name: 'voided' }).dispatchEvent('click');
    await page.getByText('No transfers with this status.').waitFor();
    await page.getByRole('radio', { name: 'posted' }).dispatchEvent('click');
    await page.getByRole('cell', { name: 'posted', exact: true }).first().waitFor();
    await page.getByRole('radio', { name: 'All', exact: true }).dispatchEvent('click');
    await page.getByRole('cell', { name: 'Load Seller' }).first().waitFor();
    await checked(page, 'operator-ledger');
    await context.close();
  }, 240_000);

  it('suspends a participant (its key stops working) and reinstates it (the key works again)', async () => {
    const { context, page } = await openConsoleAs(rig.browser, rig.consoleApp.url, rig.exchange.operatorKey);
    await page.getByRole('link', { name: 'Clínica Visión Norte' }).click();
    await page.getByRole('heading', { name: 'Suspension' }).waitFor();
    await page.getByRole('button', { name: 'Suspend', exact: true }).click();
    await page.getByText('Say why the participant is suspended.').waitFor();
    await page.getByRole('textbox', { name: 'Reason for suspending' }).fill('chargeback under review');
    await page.getByRole('button', { name: 'Suspend', exact: true }).click();
    await page.getByRole('button', { name: 'Reinstate', exact: true }).waitFor();
    await page.getByText('suspended', { exact: true }).first().waitFor();
    expect((await whoIs(keys.buyer!)).status).toBe(401);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Reinstate', exact: true }).click();
    await page.getByRole('button', { name: 'Suspend', exact: true }).waitFor();
    expect((await whoIs(keys.buyer!)).status).toBe(200);
    await page.getByRole('link', { name: 'All participants' }).click();
    await page.getByRole('table', { name: 'Participants, in the order they were registered' }).waitFor();
    expect(await page.getByRole('cell', { name: 'suspended' }).count()).toBe(0);
    await context.close();
  });

  it('shows the three apps healthy, the queues, and the suppression list', async () => {
    const { context, page } = await openConsoleAs(rig.browser, rig.consoleApp.url, rig.exchange.operatorKey);
    await page.getByRole('link', { name: 'System', exact: true }).click();
    for (const app of ['sellers', 'buyers', 'settlement'])
      await page.getByTestId(`health-${app}`).getByText('Health: up').waitFor();
    await page.getByRole('table', { name: 'Jobs of each queue by state' }).waitFor();
    await page.getByText('Nobody is on the suppression list.').waitFor();
    expect(await page.getByRole('link', { name: 'Open the queue dashboard' }).getAttribute('href')).toBe(
      '/admin/queues',
    );
    await checked(page, 'operator-system');
    await context.close();

    // Each app's health answers through the console's proxy, with the shape the page reads.
    for (const app of ['sellers', 'buyers', 'settlement']) {
      for (const path of ['/health', '/health/ready']) {
        const answer = await fetch(`${rig.consoleApp.url}/api/${app}${path}`);
        expect(answer.status).toBe(200);
        const body = (await answer.json()) as { status: string; details: Record<string, { status: string }> };
        expect(body.status).toBe('ok');
        for (const check of Object.values(body.details)) expect(check.status).toBe('up');
      }
    }
    // The queue dashboard's page answers through the proxy (the operator key as the Basic password);
    // its scripts and styles are addressed under /admin/queues/ (its <base>), outside the proxy's prefix.
    const dashboard = await fetch(`${rig.consoleApp.url}/api/settlement/admin/queues`, {
      headers: {
        authorization: `Basic ${Buffer.from(`operator:${rig.exchange.operatorKey}`).toString('base64')}`,
      },
    });
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<html');
  });

  it('opens a do-not-contact list with pasted contacts, adds to it, and ends another', async () => {
    const { context, page } = await openConsoleAs(rig.browser, rig.consoleApp.url, rig.exchange.operatorKey);
    await page.getByRole('link', { name: 'Do not contact', exact: true }).click();
    await page.getByRole('heading', { name: 'Do-not-contact lists', level: 1 }).waitFor();
    await page.getByText('No do-not-contact list yet.').waitFor();
    const name = 'Regulator register, December';
    await page.getByRole('textbox', { name: /^Name/ }).fill(name);
    await page.getByRole('textbox', { name: /^Market \(vertical\)/ }).fill('optics');
    await page.getByLabel(/^Applies until/).fill('2030-01-01T00:00');
    const contacts = page.getByRole('textbox', { name: /^Phones and e-mails/ });
    // A line that is no contact is named before anything is sent.
    await contacts.fill('+34 600 111 222\nana@example.es\nAna García');
    await page.getByRole('button', { name: 'Open the list' }).click();
    await page.getByText('Neither a phone nor an e-mail on lines 3.').waitFor();
    await contacts.fill('+34 600 111 222\nana@example.es\n+34 600 111 223; luis@example.es');
    await page.getByRole('button', { name: 'Open the list' }).click();
    await page.getByText(`List “${name}” opened`).waitFor();
    await page.getByText('Contacts added: 4.').waitFor();
    const row = page.getByRole('row').filter({ hasText: name });
    await row.getByText('in force').waitFor();
    await row.getByRole('cell', { name: '4', exact: true }).first().waitFor();

    // More contacts later; a phone the exchange cannot read is named by its line, never echoed.
    await page.getByRole('button', { name: `Add contacts to ${name}` }).click();
    const add = page.getByRole('dialog', { name: `Add contacts to “${name}”` });
    await add.getByRole('textbox', { name: /^Phones and e-mails/ }).fill('ana@example.es\n+34 12345');
    await add.getByRole('button', { name: 'Add the contacts' }).click();
    await add.getByText('Line 2: not a valid phone number').waitFor();
    await add.getByRole('textbox', { name: /^Phones and e-mails/ }).fill('600 111 224');
    await add.getByRole('textbox', { name: /^Country of phones/ }).fill('ES');
    await add.getByRole('button', { name: 'Add the contacts' }).click();
    await add.getByText('Contacts added: 1.').waitFor();
    await add.getByRole('button', { name: 'Close' }).first().click();
    await row.getByRole('cell', { name: '5', exact: true }).first().waitFor();

    // A global list, ended at once.
    await page.getByRole('textbox', { name: /^Name/ }).fill('Client opt-outs');
    await page.getByRole('radio', { name: 'Every market' }).dispatchEvent('click');
    await page.getByRole('textbox', { name: /^Market \(vertical\)/ }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Open the list' }).click();
    await page.getByText('List “Client opt-outs” opened').waitFor();
    const optOuts = page.getByRole('row').filter({ hasText: 'Client opt-outs' });
    await optOuts.getByRole('cell', { name: 'Every market' }).waitFor();
    await page.getByRole('button', { name: 'End now: Client opt-outs' }).click();
    await page
      .getByRole('dialog', { name: 'End “Client opt-outs” now?' })
      .getByRole('button', { name: 'End the list' })
      .click();
    await optOuts.getByText('ended').waitFor();
    await page.evaluate(() => (globalThis as any).scrollTo(0, 0)); // evaluated in the page
    await checked(page, 'operator-dnc');

    const lists = await rig.exchange.call('sellers', 'GET', '/v1/do-not-contact-lists', {
      key: rig.exchange.operatorKey,
    });
    expect(lists.body.items).toEqual([
      expect.objectContaining({ name: 'Client opt-outs', vertical: null, status: 'ended', contacts: 0 }),
      expect.objectContaining({ name, vertical: 'optics', status: 'active', contacts: 5 }),
    ]);
    await context.close();
  });

  it('answers the authenticity checks of a sampled batch and decides the batch its failures held', async () => {
    // The load's market now samples 10 % of each batch, at least 3 leads; one failure in 3 holds it.
    await openMarket(rig.exchange, 'eyewear', {
      currency: 'RUB',
      authenticitySamplePercent: 10,
      authenticitySampleMin: 3,
      authenticityHoldPercent: 20,
    });
    const seller = await register(rig.exchange, 'seller', 'Vera Leads');
    await uploadVerified(rig.exchange, {
      key: seller.apiKey,
      body: leadRowsToCsv(cleanEyewearRows('console-authenticity', 10)),
    });
    await waitUntil('the sample’s three checks', async () => {
      const tasks = await rig.exchange.call('settlement', 'GET', '/v1/authenticity/tasks', {
        key: rig.exchange.operatorKey,
      });
      return tasks.body.items.length === 3 || undefined;
    });

    const { context, page } = await openConsoleAs(rig.browser, rig.consoleApp.url, rig.exchange.operatorKey);
    await page.getByRole('link', { name: 'Authenticity', exact: true }).click();
    await page.getByRole('heading', { name: 'Authenticity checks', level: 1 }).waitFor();
    const tasks = page.getByTestId('authenticity-task');
    await tasks.nth(2).waitFor();
    const first = tasks.first();
    await first.getByText('Vera Leads').waitFor();
    expect(await first.getByTestId('task-contact').textContent()).toMatch(/Phone.*\d{3}/);
    await first.getByRole('button', { name: 'Record the answer' }).click();
    await first.getByText('Pick what you found.').waitFor();
    await first.getByRole('radio', { name: 'Denied: the person never asked' }).check();
    await first
      .getByRole('textbox', { name: /^Evidence/ })
      .fill('Called at 10:05 and 10:40: she never asked');
    await first.getByRole('button', { name: 'Record the answer' }).click();
    await page
      .getByTestId('authenticity-answer')
      .filter({ hasText: 'the rest of the batch is held from sale' })
      .waitFor();
    // The answered check leaves the queue; the other two stay open.
    await waitUntil(
      'the queue without the answered check',
      async () => (await tasks.count()) === 2 || undefined,
    );
    const sample = page.getByTestId('authenticity-sample');
    await sample.getByText('3 of 10 leads sampled; 1 answered: 0 confirmed, 1 failed.').waitFor();
    await sample.getByText('Vera Leads', { exact: false }).first().waitFor();
    await page.evaluate(() => (globalThis as any).scrollTo(0, 0)); // evaluated in the page
    await checked(page, 'operator-authenticity');

    await sample.getByRole('radio', { name: /^Release/ }).check();
    await sample
      .getByRole('textbox', { name: /^Note/ })
      .fill('The person had forgotten; the seller’s consent records hold');
    await sample.getByRole('button', { name: 'Record the decision' }).click();
    await page
      .getByTestId('authenticity-answer')
      .filter({ hasText: 'Batch released: its unsold leads are on sale again.' })
      .waitFor();
    await page.getByText('No sample in this state.').waitFor();
    const released = await rig.exchange.call(
      'settlement',
      'GET',
      '/v1/authenticity/samples?status=released',
      {
        key: rig.exchange.operatorKey,
      },
    );
    expect(released.body.items).toEqual([
      expect.objectContaining({
        status: 'released',
        failed: 1,
        decisionNote: expect.stringContaining('forgotten'),
      }),
    ]);
    await context.close();
  }, 180_000);

  it('fits a phone, in Spanish', async () => {
    const { context, page } = await openConsole(rig.browser, rig.consoleApp.url, { viewport: PHONE });
    await page.getByLabel('Language').selectOption('es');
    await page.getByLabel('Clave de API').fill(rig.exchange.operatorKey);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { name: 'Participantes', level: 1 }).waitFor();
    for (const [path, heading] of [
      ['/operator/participants', 'Participantes'],
      ['/operator/ledger', 'Contabilidad'],
      ['/operator/funds', 'Fondos'],
      ['/operator/system', 'Sistema'],
      ['/operator/markets', 'Mercados'],
      ['/operator/do-not-contact', 'Listas de no contactar'],
      ['/operator/authenticity', 'Comprobaciones de autenticidad'],
    ] as const) {
      await page.goto(path);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.getByText('Cargando…').first().waitFor({ state: 'detached' });
      const overflow = await sidewaysOverflow(page);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
    }
    await context.close();
  });
});
