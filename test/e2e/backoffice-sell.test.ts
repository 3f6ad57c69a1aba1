import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTerminal } from '../../src/access/index.ts';
import type { RunningHq } from '../../src/apps/hq/server.ts';
import { type RunningTerminal, startTerminal } from '../../src/apps/terminal/start.ts';
import { buildRegisterScreen } from '../../src/apps/terminal/static.ts';
import { withCheckDigit } from '../../src/catalog/index.ts';
import { createLogger } from '../../src/core/log.ts';
import { addHqCashier, HQ_CASHIER, signInAt } from '../helpers/till-session.ts';
import { ARTIFACTS, type BackOffice, HQ_ADMIN, openBackOffice, signInToDashboard } from './backoffice-hq.ts';
import { scan, screenSession, signInOnScreen } from './register-browser.ts';

/**
 * The back office's whole point, in Chromium: head office creates a product on the dashboard, prices
 * it for one store (S001) on the Prices view, and the product then sells at S001's till at that price,
 * scanned on the register screen, and the sale comes back to HQ. The other store keeps the list price.
 */
const SKU = 'E2E-LERCHE';
const EAN = withCheckDigit('400765432101');

let back: BackOffice;
let hq: RunningHq;
let till: RunningTerminal;
let office: Page;

const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });

beforeAll(async () => {
  await buildRegisterScreen({ log: () => undefined });
  back = await openBackOffice('office-sell', { stores: 2, products: 12 });
  ({ hq, page: office } = back);
  await addHqCashier(hq.db, 'S001');
  const enrolled = await enrollTerminal(hq.db, { storeId: 'S001' });
  till = await startTerminal({
    dataDir: join(back.root, 'till'),
    hqUrl: hq.url,
    token: enrolled.token,
    storeId: 'S001',
    terminalId: enrolled.terminalId,
    port: 0,
    logger: createLogger('e2e', 'silent'),
    syncIntervalMs: 200,
    catalogIntervalMs: 3_600_000,
  });
  expect(await till.pullCatalog()).toBe(true);
}, 300_000);

afterAll(async () => {
  await till?.close();
  await back?.close();
});

describe('create a product, price it for one store, see it sell at that store', () => {
  it('head office creates the product on the Products view', async () => {
    await signInToDashboard(office, hq.url, HQ_ADMIN);
    await office.getByRole('link', { name: 'Products' }).click();
    await office.getByRole('button', { name: 'New product' }).click();
    const editor = office.getByTestId('product-editor');
    await editor.waitFor();
    await office.fill('#product-sku', SKU);
    await office.fill('#product-name', 'Leipziger Lerche');
    await office.fill('#product-price', '2.00');
    await office.fill('#product-taxRate', '7');
    await office.selectOption('#product-taxClass', 'reduced');
    await editor.getByRole('button', { name: 'Add barcode' }).click();
    await office.fill('#barcode-0', EAN);
    await editor.getByRole('button', { name: 'Create product' }).click();
    await eventually(() => editor.getByTestId('product-status').textContent()).toBe('Active');
  });

  it('prices it at 3.50 for S001 only on the Prices view', async () => {
    await office.getByRole('link', { name: 'Prices' }).click();
    await office.getByTestId('pricing-view').waitFor();
    await office.fill('#price-search', SKU);
    await office.getByRole('button', { name: 'Find' }).click();
    await office.getByTestId('product-prices').waitFor();
    await office.selectOption('#price-scope', 'store');
    await office.selectOption('#price-scope-id', 'S001');
    await office.fill('#price-amount', '3.50');
    await office.getByRole('button', { name: 'Add price' }).click();
    const entry = office.locator('[data-testid=price-entry][data-scope="store:S001"]');
    await eventually(() => entry.getAttribute('data-status')).toBe('in force');
    await office.screenshot({ path: join(ARTIFACTS, 'backoffice-sell-price.png'), fullPage: true });
    // HQ quotes each store its own price: S001 the new one, S002 the list price.
    const quote = (store: string) =>
      office.evaluate(
        async ([s, sku]) => {
          const res = await fetch('/api/v1/catalog/quote', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ storeId: s, lines: [{ sku, qty: 1 }] }),
          });
          return ((await res.json()) as { grossMinor: number }).grossMinor;
        },
        [store, SKU] as const,
      );
    expect(await quote('S001')).toBe(350);
    expect(await quote('S002')).toBe(200);
  });

  it("sells at S001's till at 3.50 when scanned on the register, and the sale reaches HQ", async () => {
    expect(await till.pullCatalog()).toBe(true);
    const cashier = await signInAt(till.url, HQ_CASHIER);
    const shift = await fetch(`${till.url}/api/v1/shifts`, {
      method: 'POST',
      headers: { ...cashier, 'content-type': 'application/json' },
      body: JSON.stringify({ openingFloatMinor: 10_000 }),
    });
    expect(shift.status).toBeLessThan(300);
    const register = await back.browser.context.newPage();
    await register.goto(till.url);
    await signInOnScreen(register, HQ_CASHIER);
    await register.locator('#scan').waitFor({ state: 'visible' });
    await scan(register, EAN);
    const lines = register.getByTestId('cart-lines');
    await eventually(() => lines.textContent()).toContain('Leipziger Lerche');
    // A Berlin store writes amounts the German way.
    expect(await lines.textContent()).toContain('3,50');
    await register.screenshot({ path: join(ARTIFACTS, 'backoffice-sell-till.png') });

    const cartId = await register.evaluate<string | null>("localStorage.getItem('tally.register.cartId')");
    expect(cartId).toBeTruthy();
    // Paid in the screen's own session (signing in on the screen ended the one the test opened).
    const onScreen = await screenSession(register, till.url);
    const done = await fetch(`${till.url}/api/v1/carts/${cartId}/complete`, {
      method: 'POST',
      headers: { ...onScreen, 'content-type': 'application/json' },
      body: JSON.stringify({ tenders: [{ kind: 'cash', tenderedMinor: 500 }] }),
    });
    expect(done.status).toBeLessThan(300);
    const sold = () =>
      hq.db
        .selectFrom('sales_daily')
        .select(['qty', 'gross_minor'])
        .where('store_id', '=', 'S001')
        .where('sku', '=', SKU)
        .execute();
    await eventually(async () => (await sold()).map((r) => [Number(r.qty), Number(r.gross_minor)])).toEqual([
      [1, 350],
    ]);
  });
});
