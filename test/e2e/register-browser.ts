import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Headless Chromium for the register screen's end-to-end test and benchmark: Debian's chromium
 * driven by playwright-core, a fresh profile each time, a 1280×800 till screen.
 */
export const CHROMIUM = process.env.TALLY_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RegisterBrowser {
  context: BrowserContext;
  page: Page;
  /** What Chromium refused under the page's Content-Security-Policy, as it said in the console. */
  cspViolations: string[];
  close(): Promise<void>;
}

export async function launchRegisterBrowser(
  viewport = { width: 1280, height: 800 },
): Promise<RegisterBrowser> {
  if (!existsSync(CHROMIUM)) {
    // Fail loudly: a skipped browser test would let a broken screen through CI.
    throw new Error(
      `Chromium is missing at ${CHROMIUM}; install it with "apt-get update && apt-get install -y chromium" ` +
        '(.ci/run does this) or point TALLY_CHROMIUM at a Chromium binary',
    );
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'tally-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    // Playwright passes the fresh profile as --user-data-dir itself.
    args: CHROMIUM_ARGS,
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const cspViolations: string[] = [];
  context.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  return {
    context,
    page,
    cspViolations,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** What a keyboard-wedge scanner does: the code's characters in a burst, then Enter. */
export async function scan(page: Page, code: string): Promise<void> {
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
}

/** Takes the focus out of every field, as when the cashier last tapped the cart. */
export async function blur(page: Page): Promise<void> {
  // A string: this file is type-checked without the DOM library.
  await page.evaluate('document.activeElement && document.activeElement.blur()');
}

/** Each code with the price the till answers for it (its catalog cache): what the screen must show. */
export async function pricesAtTill(
  tillUrl: string,
  codes: readonly string[],
  signedIn: Record<string, string>,
): Promise<{ code: string; priceMinor: number }[]> {
  const priced: { code: string; priceMinor: number }[] = [];
  for (const code of codes) {
    const res = await fetch(`${tillUrl}/api/v1/items/${code}`, { headers: signedIn });
    priced.push({ code, priceMinor: ((await res.json()) as { priceMinor: number }).priceMinor });
  }
  return priced;
}

/** Signs a cashier in on the screen's sign-in view: code, PIN, Enter. */
export async function signInOnScreen(page: Page, who: { code: string; pin: string }): Promise<void> {
  await page.locator('#sign-in-code').fill(who.code);
  await page.locator('#sign-in-pin').fill(who.pin);
  await page.keyboard.press('Enter');
}

/** The screen's session (its httpOnly cookie) as headers, so a test's API calls act as the screen's cashier. */
export async function screenSession(page: Page, tillUrl: string): Promise<Record<string, string>> {
  const c = (await page.context().cookies(tillUrl)).find((k) => k.name === 'tally_till_session');
  return c ? { authorization: `Bearer ${c.value}` } : {};
}

/** Hands a session the test signed in through the API to the screen, which then opens signed in. */
export async function shareSession(
  page: Page,
  tillUrl: string,
  signedIn: Record<string, string>,
): Promise<void> {
  const token = (signedIn.authorization ?? '').replace(/^Bearer /, '');
  await page
    .context()
    .addCookies([
      { name: 'tally_till_session', value: token, url: tillUrl, httpOnly: true, sameSite: 'Strict' },
    ]);
}
