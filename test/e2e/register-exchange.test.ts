import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTerminal } from '../../src/access/index.ts';
import { type RunningHq, startHq } from '../../src/apps/hq/server.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { type RunningTerminal, startTerminal } from '../../src/apps/terminal/start.ts';
import { buildRegisterScreen } from '../../src/apps/terminal/static.ts';
import { createLogger } from '../../src/core/log.ts';
import { seedDemoChain } from '../../src/demo/index.ts';
import { signIn } from '../helpers/till-session.ts';
import {
  blur,
  launchRegisterBrowser,
  pricesAtTill,
  type RegisterBrowser,
  scan,
  shareSession,
} from './register-browser.ts';

/**
 * The exchange panel in headless Chromium: pick a line from the receipt, scan the new items, pay the
 * difference; then the refund slip and the new receipt on the screen. Also the gift card slip.
 */
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const logger = createLogger('e2e', 'silent');
/** The demo store is in Berlin: the screen writes amounts the German way (1.234,50 €). */
const euros = (minor: number) =>
  new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(minor / 100);
const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 50 });

let root: string;
let hq: RunningHq;
let till: RunningTerminal;
let browser: RegisterBrowser;
let page: Page;
let items: { code: string; priceMinor: number }[];

let cashier: Record<string, string> = {};

async function tillApi<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${till.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? cashier : { ...cashier, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

beforeAll(async () => {
  await buildRegisterScreen({ log: () => undefined });
  root = mkdtempSync(join(tmpdir(), 'tally-exchange-'));
  hq = await startHq({ port: 0, logger });
  await seedDemoChain(hq.db, hqEventRegistry, { stores: 1, products: 20 });
  till = await startTerminal({
    dataDir: join(root, 'till'),
    hqUrl: hq.url,
    ...(await enrollTerminal(hq.db, { storeId: 'S001' })),
    port: 0,
    logger,
  });
  cashier = await signIn(till);
  const rows = await hq.db.selectFrom('barcodes').select('code').orderBy('code').limit(6).execute();
  items = await pricesAtTill(
    till.url,
    rows.map((r) => r.code),
    cashier,
  );
  // The dearest item is the one brought back; a cheaper one is scanned in its place, until it costs more.
  items.sort((x, y) => y.priceMinor - x.priceMinor);
  browser = await launchRegisterBrowser();
  page = browser.page;
  page.setDefaultTimeout(15_000);
  // The screen works as the cashier the test signed in, so the two share one session.
  await shareSession(page, till.url, cashier);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await till?.close();
  await hq?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** F7, the receipt's barcode, one unit of its line, a reason, then "Exchange for new items". */
async function exchangeOneUnitOf(receiptNo: string): Promise<void> {
  await page.keyboard.press('F7');
  await scan(page, receiptNo);
  await eventually(() => page.locator('.return-lines li').count()).toBe(1);
  await page.getByRole('button', { name: /Return one more/ }).click();
  await page.getByRole('button', { name: 'Wrong size' }).click();
  await page.locator('#return-exchange').click();
}

describe('exchange on the register screen', () => {
  it('returns a line from the receipt, sells the scanned items, takes the difference in cash, shows both slips', async () => {
    const [back, other] = [items[0]!, items[items.length - 1]!];
    expect(other.priceMinor).toBeGreaterThan(0);
    await tillApi('/api/v1/shifts', { openingFloatMinor: 10_000 });
    const cart = await tillApi<{ cartId: string }>('/api/v1/carts', {});
    await tillApi(`/api/v1/carts/${cart.cartId}/lines`, { code: back.code, qty: 2 });
    const sale = await tillApi<{ receiptNo: string; grossMinor: number }>(
      `/api/v1/carts/${cart.cartId}/complete`,
      { tenders: [{ kind: 'cash', tenderedMinor: 2 * back.priceMinor }] },
    );
    expect(sale.receiptNo).toBeTruthy();

    await page.goto(till.url);
    await eventually(() => page.locator('#scan').isVisible()).toBe(true);

    // F7, the receipt's barcode, one unit of the line, a reason, then "Exchange for new items".
    await exchangeOneUnitOf(sale.receiptNo);
    await eventually(() => page.getByTestId('exchange-credit').textContent()).toBe(euros(back.priceMinor));

    // An unknown barcode is refused next to the item field; then the new items, scanned (a scanner works
    // with the focus anywhere; outside a field no typing speed is assumed, which a loaded CI box needs).
    await blur(page);
    await scan(page, '4006381333931');
    await eventually(() => page.locator('.exchange-panel .field-error').textContent()).toMatch(/not found/i);
    const n = Math.floor(back.priceMinor / other.priceMinor) + 1;
    for (let i = 0; i < n; i++) {
      await blur(page);
      await scan(page, other.code);
    }
    const newTotal = n * other.priceMinor;
    await eventually(() => page.getByTestId('exchange-new-total').textContent()).toBe(euros(newTotal));
    const due = newTotal - back.priceMinor;
    expect(await page.getByTestId('exchange-due').textContent()).toBe(euros(due));
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'register-exchange.png') });

    // The difference in cash: 100.00 handed over.
    await page.fill('#exchange-cash', '100');
    await page.keyboard.press('Enter');
    const slip = page.getByTestId('refund-slip');
    await eventually(() => slip.textContent()).toContain('EXCHANGE - RETURN');
    expect(await slip.textContent()).toContain(`Original receipt ${sale.receiptNo}`);
    expect(await slip.textContent()).toMatch(/Exchange \(new items\)/);
    await eventually(() => page.getByTestId('exchange-receipt').textContent()).toMatch(/Exchange credit/);
    expect(await page.getByTestId('exchange-change').textContent()).toBe(euros(10_000 - due));
    await page.screenshot({ path: join(artifacts, 'register-exchange-done.png') });

    // The till agrees: one unit of the line is back, one can still be returned.
    const after = await tillApi<{ lines: { returnedQty: number; returnableQty: number }[] }>(
      `/api/v1/sales/by-receipt/${encodeURIComponent(sale.receiptNo)}`,
    );
    expect(after.lines[0]).toMatchObject({ returnedQty: 1, returnableQty: 1 });
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('#scan').isVisible()).toBe(true);

    // An exchange left half way (Esc): the new items' cart is voided, on the record; the line stays returnable.
    await exchangeOneUnitOf(sale.receiptNo);
    await eventually(() => page.locator('#exchange-code').isVisible()).toBe(true);
    await blur(page);
    await scan(page, other.code);
    await eventually(() => page.getByTestId('exchange-new-total').textContent()).toBe(
      euros(other.priceMinor),
    );
    await page.keyboard.press('Escape');
    const voided = async () =>
      (await tillApi<{ voids: { sales: { count: number } } }>('/api/v1/shifts/current/x-report')).voids.sales
        .count;
    await eventually(voided).toBe(1);
    const still = await tillApi<{ lines: { returnableQty: number }[] }>(
      `/api/v1/sales/by-receipt/${encodeURIComponent(sale.receiptNo)}`,
    );
    expect(still.lines[0]!.returnableQty).toBe(1);
  });

  it('shows the gift card slip with the masked card and its new balance', async () => {
    await page.keyboard.press('Alt+g');
    await page.getByRole('button', { name: 'Sell a card' }).click();
    await page.fill('#gift-amount', '25');
    await page.getByRole('button', { name: /Sell card/ }).click();
    const slip = page.getByTestId('gift-slip');
    await eventually(() => slip.textContent()).toMatch(/NEW BALANCE\s+EUR 25,00/);
    const code = (await page.getByTestId('gift-code').textContent()) ?? '';
    expect(code).toMatch(/^\d{16}$/);
    expect(await slip.textContent()).toContain(`**** **** **** ${code.slice(-4)}`);
    expect(await slip.textContent()).not.toContain(code);
    await page.screenshot({ path: join(artifacts, 'register-gift-card-slip.png') });
  });
});
