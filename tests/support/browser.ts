import { afterAll, beforeAll } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { startConsole, startExchange, type RunningConsole, type RunningExchange } from './exchange.js';

export type { RunningConsole, RunningExchange };

/**
 * Chromium for the console's browser tests: Debian's build (`.ci/run` installs it), headless, with
 * the flags that keep it off the network this machine does not have.
 */
export const CHROMIUM = process.env.LX_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** What every console journey runs against: the three apps, the console in front of them, Chromium. */
export interface ConsoleRig {
  exchange: RunningExchange;
  consoleApp: RunningConsole;
  browser: Browser;
}

/** Starts the rig; what started is stopped again when a later part fails to start. */
export async function startConsoleRig(
  label: string,
  extraEnv: Record<string, string> = {},
): Promise<ConsoleRig> {
  const exchange = await startExchange(label, extraEnv);
  try {
    const consoleApp = await startConsole(exchange);
    try {
      return { exchange, consoleApp, browser: await launchBrowser() };
    } catch (error) {
      await consoleApp.stop();
      throw error;
    }
  } catch (error) {
    await exchange.stop();
    throw error;
  }
}

/** Stops the rig, browser first; a part a failed beforeAll never got is skipped. */
export async function stopConsoleRig(rig: Partial<ConsoleRig>): Promise<void> {
  await rig.browser?.close();
  await rig.consoleApp?.stop();
  await rig.exchange?.stop();
}

/**
 * The rig of one console journey, for the describe block that calls this first: started in a
 * beforeAll that runs before the journey's own, stopped in an afterAll (closing the browser closes
 * every page the journey opened). Its parts are there from the journey's beforeAll on.
 */
export function consoleJourney(label: string, extraEnv: Record<string, string> = {}): ConsoleRig {
  let rig: ConsoleRig | undefined;
  beforeAll(async () => {
    rig = await startConsoleRig(label, extraEnv);
  });
  afterAll(async () => {
    if (rig) await stopConsoleRig(rig);
  });
  const started = (): ConsoleRig => {
    if (!rig) throw new Error(`the console rig of ${label} has not started`);
    return rig;
  };
  return {
    get exchange() {
      return started().exchange;
    },
    get consoleApp() {
      return started().consoleApp;
    },
    get browser() {
      return started().browser;
    },
  };
}

export const LAPTOP = { width: 1366, height: 860 };
export const PHONE = { width: 390, height: 844 };

/** A fresh browser context (its own session storage) on the console, in English, in Madrid's time zone. */
export async function openConsole(
  browser: Browser,
  consoleUrl: string,
  options: { viewport?: { width: number; height: number }; locale?: string; timezoneId?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: consoleUrl,
    viewport: options.viewport ?? LAPTOP,
    locale: options.locale ?? 'en-GB',
    timezoneId: options.timezoneId ?? 'Europe/Madrid',
    // No transitions (the console honours the setting): a page is checked as it is, not half faded in.
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  await page.goto('/');
  return { context, page };
}

/** A fresh context on the console (as `openConsole`), signed in with `apiKey`. */
export async function openConsoleAs(
  browser: Browser,
  consoleUrl: string,
  apiKey: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await openConsole(browser, consoleUrl);
  await signIn(opened.page, apiKey);
  return opened;
}

/** Signs in with an API key, as a person does, and waits for the role's first page. */
export async function signIn(page: Page, apiKey: string): Promise<void> {
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** How many pixels the page is wider than its window: above 0, it scrolls sideways (no page may on a phone). */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const scope = globalThis as any; // evaluated in the page
    return scope.document.documentElement.scrollWidth - scope.innerWidth;
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's WCAG 2.1 AA rules on the page as it is now: the serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // A dialog still fading in has half-transparent text: check the page once nothing moves.
  await page
    .waitForFunction(() => (globalThis as any).document.getAnimations().length === 0, undefined, {
      timeout: 5_000,
    })
    .catch(() => undefined);
  // Evaluated over the DevTools protocol: the console's CSP (rightly) refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // Runs in the page (this file has no DOM types): the page's axe and document.
    const scope = globalThis as unknown as {
      document: unknown;
      axe: { run: (context: unknown, options: object) => Promise<{ violations: AxeViolation[] }> };
    };
    const result = await scope.axe.run(scope.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map((node) => ({ target: node.target as string[] })),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** A screenshot of the page for docs/console/ (only when LX_CONSOLE_SCREENSHOTS is set: CI does not rewrite the docs). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.LX_CONSOLE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}
