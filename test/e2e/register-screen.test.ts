import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTerminal } from '../../src/access/index.ts';
import { type RunningHq, startHq } from '../../src/apps/hq/server.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { buildRegisterScreen } from '../../src/apps/terminal/static.ts';
import { createLogger } from '../../src/core/log.ts';
import { seedDemoChain } from '../../src/demo/index.ts';
import { freePort, type RunningCli, startCli } from '../helpers/processes.ts';
import { signInAt, TEST_CASHIER } from '../helpers/till-session.ts';
import {
  blur,
  launchRegisterBrowser,
  pricesAtTill,
  type RegisterBrowser,
  scan,
  screenSession,
  signInOnScreen,
} from './register-browser.ts';

/**
 * The register screen in headless Chromium against a real till process (and an embedded HQ that goes
 * away halfway): open a shift, scan with the focus anywhere, discount, split tender, receipt, a return
 * against that receipt, bad input shown next to its cause, X report, close with a Z report.
 */
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const logger = createLogger('e2e', 'silent');

interface Cart {
  cartId: string;
  lines: { lineNo: number; sku: string; qty: number; grossMinor: number }[];
  totals: { grossMinor: number; discountMinor?: number };
}

let root: string;
let hq: RunningHq | undefined;
let till: RunningCli;
let browser: RegisterBrowser;
let page: Page;
let codes: { code: string; priceMinor: number }[];

/** The demo store is in Berlin: the screen writes amounts the German way (1.234,50 €). */
const euros = (minor: number) =>
  new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(minor / 100);

/** The test's API calls act in the screen's session (its cookie), so they end nobody's sign-in. */
async function tillApi<T>(path: string, init?: { method: string; body?: unknown }): Promise<T> {
  const signedIn = await screenSession(page, till.url);
  const res = await fetch(`${till.url}${path}`, {
    method: init?.method ?? 'GET',
    headers: init?.body === undefined ? signedIn : { ...signedIn, 'content-type': 'application/json' },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return (await res.json()) as T;
}

/** The cart the screen has open, read from the till: what the screen shows must match it. */
async function openCart(): Promise<Cart> {
  const id = await page.evaluate<string | null>("localStorage.getItem('tally.register.cartId')");
  expect(id).toBeTruthy();
  return await tillApi<Cart>(`/api/v1/carts/${id}`);
}

/** Waits for the screen (a 2-core CI machine shared with other tests can be slow to repaint). */
const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 50 });

const lastSeq = async () => (await tillApi<{ lastSeq: number }>('/api/v1/sync/status')).lastSeq;

beforeAll(async () => {
  await buildRegisterScreen({ log: () => undefined }); // no-op when dist/register is up to date
  root = mkdtempSync(join(tmpdir(), 'tally-screen-'));
  hq = await startHq({ port: await freePort(), logger, dataDir: join(root, 'hq') });
  await seedDemoChain(hq.db, hqEventRegistry, { stores: 1, products: 40 });
  const enrolled = await enrollTerminal(hq.db, { storeId: 'S001' });
  const rows = await hq.db.selectFrom('barcodes').select('code').orderBy('code').limit(2).execute();
  till = await startCli([
    'terminal',
    ...['--data', join(root, 'till'), '--port', String(await freePort())],
    ...['--hq', hq.url, '--store', 'S001', '--terminal', enrolled.terminalId, '--token', enrolled.token],
  ]);
  // A real till starts without a manager: add the first one with its local setup token.
  const setupToken = readFileSync(join(root, 'till', 'setup-token'), 'utf8').trim();
  const added = await fetch(`${till.url}/api/v1/managers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-setup-token': setupToken },
    body: JSON.stringify({ managerId: 'M1', name: 'Store manager', pin: '1234' }),
  });
  expect(added.status).toBe(201);
  // The manager signs in and adds the cashier who works the screen: she asks M1 for what a shift lead does.
  const manager = await signInAt(till.url, { code: 'M1', pin: '1234' });
  const cashier = await fetch(`${till.url}/api/v1/managers`, {
    method: 'POST',
    headers: { ...manager, 'content-type': 'application/json' },
    body: JSON.stringify({
      managerId: TEST_CASHIER.code,
      name: TEST_CASHIER.name,
      pin: TEST_CASHIER.pin,
      permissions: TEST_CASHIER.permissions,
    }),
  });
  expect(cashier.status).toBe(201);
  // Prices as the till has them (its catalog cache), which is what the screen must show.
  codes = await pricesAtTill(
    till.url,
    rows.map((r) => r.code),
    manager,
  );
  browser = await launchRegisterBrowser();
  page = browser.page;
  page.setDefaultTimeout(15_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await till?.stop();
  await hq?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** On the return screen: one more unit of the first line, as faulty, refunded. */
async function returnOneFaultyUnit(): Promise<void> {
  await page
    .getByRole('button', { name: /Return one more/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Faulty' }).click();
  await page.getByRole('button', { name: /^Refund/ }).click();
}

describe('register screen in Chromium', () => {
  it('sells with a scan, a discount and a split tender, returns against the receipt, closes with a Z', async () => {
    const [a, b] = codes;
    await page.goto(till.url);

    // Nobody is signed in: the sign-in view; a wrong PIN is refused on the spot.
    await signInOnScreen(page, { code: TEST_CASHIER.code, pin: '0000' });
    await eventually(() => page.locator('#sign-in-error').textContent()).toMatch(/wrong code or PIN/);
    await signInOnScreen(page, TEST_CASHIER);
    await eventually(() => page.getByTestId('signed-in').textContent()).toBe('Test cashier (C1)');

    // Open the shift with a float of 100.00; the cashier is whoever signed in.
    await page.fill('#float', '100');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('#scan').isVisible()).toBe(true);
    // Online, or still sending the shift's first event: anything but offline.
    await eventually(() => page.getByTestId('sync-badge').textContent()).toMatch(/Online|Sending/);

    // An unknown barcode: the message stands under the scan field and nothing is written.
    const seq0 = await lastSeq();
    await scan(page, '4006381333931');
    await eventually(() => page.locator('#scan-error').textContent()).toMatch(/not found|unknown/i);
    expect(await lastSeq()).toBe(seq0);

    // Scanner bursts with the focus in no field at all, then in the scan field: all land in the cart.
    await blur(page);
    await scan(page, a!.code);
    await blur(page);
    await scan(page, a!.code);
    await page.locator('#scan').focus();
    await scan(page, b!.code);
    await eventually(() => page.getByTestId('cart-lines').locator('li').count()).toBe(2);
    expect(await page.getByTestId('item-count').textContent()).toBe('3');
    const before = await openCart();
    expect(before.totals.grossMinor).toBe(2 * a!.priceMinor + b!.priceMinor);
    expect(await page.getByTestId('total').textContent()).toBe(euros(before.totals.grossMinor));
    expect(await page.locator('#scan').inputValue()).toBe('');

    // The cashier steps away: Lock puts up the sign-in view; signing in again brings the same cart back.
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await eventually(() => page.getByRole('heading', { name: /Locked/ }).isVisible()).toBe(true);
    await signInOnScreen(page, TEST_CASHIER);
    await eventually(() => page.getByRole('form', { name: 'Sign in' }).count()).toBe(0);
    await eventually(() => page.getByTestId('cart-lines').locator('li').count()).toBe(2);
    expect(await page.getByTestId('total').textContent()).toBe(euros(before.totals.grossMinor));

    // A quantity of zero (F3 on the selected line): refused next to the quantity field, cart unchanged.
    await page.keyboard.press('F3');
    await page.fill('#qty', '0');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('#qty-error').textContent()).toMatch(/qty/i);
    await page.keyboard.press('Escape');
    expect((await openCart()).totals.grossMinor).toBe(before.totals.grossMinor);

    // A 10% basket discount with a reason (F5), under the till's approval threshold.
    await page.keyboard.press('F5');
    await page.getByRole('button', { name: /Whole basket/ }).click();
    await page.fill('#discount-value', '10');
    await page.getByRole('button', { name: 'Damaged' }).click();
    await page.getByRole('button', { name: /Apply discount/ }).click();
    await eventually(async () => (await openCart()).totals.discountMinor ?? 0).toBeGreaterThan(0);
    const discounted = await openCart();
    expect(discounted.totals.grossMinor).toBeLessThan(before.totals.grossMinor);
    await expect
      .poll(() => page.getByTestId('total').textContent())
      .toBe(euros(discounted.totals.grossMinor));

    // A second discount of 50% on a line is over the threshold: the PIN pad, a wrong PIN, then the right one.
    await page.keyboard.press('F5');
    await page.fill('#discount-value', '50');
    await page.fill('#discount-reason', 'Last one on the shelf');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('#manager-pin').isVisible()).toBe(true);
    await page.locator('#manager-pin').pressSequentially('9999', { delay: 80 });
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('#pin-error').textContent()).toMatch(/PIN|denied|wrong/i);
    await page.locator('#manager-pin').pressSequentially('1234', { delay: 80 });
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('#manager-pin').count()).toBe(0);
    await expect
      .poll(async () => (await openCart()).totals.grossMinor)
      .toBeLessThan(discounted.totals.grossMinor);
    const cart = await openCart();
    await eventually(() => page.getByTestId('total').textContent()).toBe(euros(cart.totals.grossMinor));

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'register.png') });

    // Split tender (F9): 5.00 on the card (Alt+2), the rest in cash (Alt+1) with 50.00 handed over.
    const total = cart.totals.grossMinor;
    await page.keyboard.press('F9');
    await page.keyboard.press('Alt+2');
    await page.fill('#tender-amount', '5');
    await page.keyboard.press('Enter');
    await eventually(() => page.getByTestId('remaining').textContent()).toBe(euros(total - 500));
    await page.keyboard.press('Alt+1');
    await page.fill('#tender-amount', '50');
    await page.keyboard.press('Enter');

    // The receipt, with the change due from 5.00 + 50.00.
    const receipt = page.getByTestId('receipt');
    await eventually(() => receipt.textContent()).toMatch(/T\d*|[A-Z0-9]+-\d+/);
    expect(await page.getByTestId('change').textContent()).toBe(euros(5500 - total));
    const text = (await receipt.textContent()) ?? '';
    const receiptNo = /Sale complete · (\S+)/.exec(
      (await page.locator('.panel-header h2').textContent()) ?? '',
    )?.[1];
    expect(receiptNo).toBeTruthy();
    expect(text).toContain(receiptNo!);
    expect(text).toMatch(/card/i);
    expect(text).toMatch(/cash/i);
    await page.screenshot({ path: join(artifacts, 'register-receipt.png') });

    // HQ goes away: the badge says offline with the events not yet sent, and the till keeps working.
    await hq!.close();
    hq = undefined;
    await page.keyboard.press('Enter'); // new sale

    // Return one unit of the first line against the receipt, its barcode scanned (F7).
    await page.keyboard.press('F7');
    await scan(page, receiptNo!);
    await eventually(() => page.locator('.return-lines li').count()).toBe(2);
    await returnOneFaultyUnit();
    await eventually(() => page.getByTestId('refund-total').textContent()).toMatch(/\d+,\d\d\s€/);
    await page.keyboard.press('Enter');

    // Returning more than is left of that line: the message stands next to the line, the ledger is unchanged.
    const seq1 = await lastSeq();
    await page.keyboard.press('F7');
    await page.fill('#receipt-no', receiptNo!);
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('.return-lines li').count()).toBe(2);
    await page.getByRole('button', { name: 'All' }).first().click();
    await returnOneFaultyUnit();
    await eventually(() => page.locator('.return-lines li .field-error').count()).toBe(1);
    expect(await lastSeq()).toBe(seq1);
    await page.keyboard.press('Escape');

    await expect
      .poll(() => page.getByTestId('sync-badge').textContent(), { timeout: 20_000 })
      .toMatch(/Offline/);
    expect(
      Number(/(\d+) unsent/.exec((await page.getByTestId('unsent').textContent()) ?? '')?.[1]),
    ).toBeGreaterThan(0);

    // X report (F8): one sale and one return so far.
    await page.keyboard.press('F8');
    await eventually(() => page.getByTestId('x-report').textContent()).toMatch(/Sales \(1\)/);
    expect(await page.getByTestId('x-report').textContent()).toMatch(/Returns \(1\)/);
    await page.keyboard.press('Escape');

    // Close the shift (F10) with a blind count: one 50 note and two 20s; the Z report shows the difference.
    await page.keyboard.press('F10');
    await page.getByLabel(`Count of ${euros(5000)}`).fill('1');
    await page.getByLabel(`Count of ${euros(2000)}`).fill('2');
    expect(await page.getByTestId('counted').textContent()).toBe(euros(9000));
    await page.getByRole('button', { name: /Close shift and print Z report/ }).click();
    const z = page.getByTestId('z-report');
    await eventually(() => z.textContent()).toMatch(/Z report #1/);
    expect(await z.textContent()).toMatch(/Counted90,00\s€/);
    expect(await page.locator('#float').isVisible()).toBe(true); // ready for the next shift
    await page.screenshot({ path: join(artifacts, 'register-z-report.png') });

    // A Z report on a closed shift is refused by the API, and the screen offers only "open shift".
    const again = await fetch(`${till.url}/api/v1/shifts/current/close`, {
      method: 'POST',
      headers: { ...(await screenSession(page, till.url)), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(again.status).toBe(409);
  });
});

describe('register screen under the Content-Security-Policy', () => {
  it('ran every step above without a CSP refusal', () => {
    expect(browser.cspViolations).toEqual([]);
  });
});
