import { beforeAll, describe, expect, it } from '@jest/globals';
import { register } from '../support/scenarios.js';
import {
  openConsole,
  PHONE,
  seriousAccessibilityViolations,
  signIn,
  sidewaysOverflow,
  consoleJourney,
} from '../support/browser.js';

/**
 * The console's frame in Chromium: one origin with the APIs behind it, sign-in with a key kept in
 * session storage only, the role's pages, sign-out, the language picker, a phone's screen.
 */
describe('the console', () => {
  const rig = consoleJourney('console-frame');
  let seller: { participantId: string; apiKey: string };

  beforeAll(async () => {
    seller = await register(rig.exchange, 'seller', 'Óptica Sant Martí');
  });

  it('serves the built app and the three APIs on one origin, with a strict content security policy', async () => {
    const page = await fetch(`${rig.consoleApp.url}/seller/batches`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const app of ['sellers', 'buyers', 'settlement']) {
      const answer = await fetch(`${rig.consoleApp.url}/api/${app}/v1/me`, {
        headers: { authorization: `Bearer ${seller.apiKey}` },
      });
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { name: string }).name).toBe('Óptica Sant Martí');
    }
    const refused = await fetch(`${rig.consoleApp.url}/api/sellers/v1/me`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
  });

  it("serves the settlement app's queue dashboard on the console's origin, its scripts included", async () => {
    const headers = { authorization: `Bearer ${rig.exchange.operatorKey}` };
    const board = await fetch(`${rig.consoleApp.url}/admin/queues/`, { headers });
    expect(board.status).toBe(200);
    const html = await board.text();
    const script = /src="([^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(new URL(script!, `${rig.consoleApp.url}/admin/queues/`), { headers });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${rig.consoleApp.url}/admin/queues/`)).status).toBe(401);
  });

  it('refuses a wrong key, signs a seller in to the seller pages, keeps the key in session storage only, and forgets it', async () => {
    const { context, page } = await openConsole(rig.browser, rig.consoleApp.url);
    await page.getByLabel('API key').fill('sk_not-a-key-of-this-exchange-000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The exchange did not accept this key.').waitFor();

    await signIn(page, seller.apiKey);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    expect(page.url()).toContain('/seller/dashboard');
    await page.getByText('Signed in as Óptica Sant Martí (seller)').first().waitFor();
    const stored = await page.evaluate(() => {
      const browser = globalThis as any; // evaluated in the page
      return {
        session: Object.values(browser.sessionStorage) as string[],
        local: Object.values(browser.localStorage) as string[],
        cookies: browser.document.cookie as string,
      };
    });
    expect(stored.session).toContain(seller.apiKey);
    expect(stored.local.join()).not.toContain(seller.apiKey);
    expect(stored.cookies).not.toContain(seller.apiKey);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => Object.values((globalThis as any).sessionStorage).join())).not.toContain(
      seller.apiKey,
    );
    await context.close();
  });

  it('speaks Spanish and Russian when the person picks them, and fits a phone', async () => {
    const { context, page } = await openConsole(rig.browser, rig.consoleApp.url, { viewport: PHONE });
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('button', { name: 'Entrar' }).waitFor();
    await page.getByLabel('Idioma').selectOption('ru');
    await page.getByLabel('API-ключ').fill(seller.apiKey);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('heading', { level: 1, name: 'Сводка' }).waitFor();
    const overflow = await sidewaysOverflow(page);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
