import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, everywhere, saveRole } from '../../src/access/index.ts';
import { type RunningHq, startHq } from '../../src/apps/hq/server.ts';
import { buildDashboard } from '../../src/apps/hq/static.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { catalogDb, createCategory } from '../../src/catalog/hq/index.ts';
import { PERMISSIONS } from '../../src/contracts/index.ts';
import { createLogger } from '../../src/core/log.ts';
import { seedDemoChain } from '../../src/demo/seed.ts';
import { signInToDashboard } from './backoffice-hq.ts';
import { launchRegisterBrowser, type RegisterBrowser } from './register-browser.ts';

/**
 * The back office's Prices view in headless Chromium against a real HQ (PGlite in a temp folder) with
 * the demo chain: a pricing manager (edit_prices + edit_promotions over the chain, no admin) adds a
 * store price effective now, creates 10 % off a category at one store, previews a cart with the
 * discount, and reads the promotion's history. Screenshots go to test-artifacts/.
 */
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const logger = createLogger('e2e', 'silent');
const PASSWORD = 'pricing-manager-password';

let root: string;
let hq: RunningHq;
let browser: RegisterBrowser;
let page: Page;
let sku: string;
let category: string;
let listMinor: number;

const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });

beforeAll(async () => {
  await buildDashboard({ log: () => undefined });
  mkdirSync(artifacts, { recursive: true });
  root = mkdtempSync(join(tmpdir(), 'tally-pricing-'));
  hq = await startHq({ port: 0, logger, dataDir: join(root, 'hq') });
  await seedDemoChain(hq.db, hqEventRegistry, { stores: 2, products: 12 });
  const product = await hq.db
    .selectFrom('products')
    .select(['sku', 'price_minor'])
    .orderBy('sku')
    .executeTakeFirstOrThrow();
  sku = product.sku;
  // The demo names categories in text only; a promotion targets a category of the tree.
  category = 'TEAS';
  await createCategory(hq.db, { id: category, name: 'Teas' });
  await catalogDb(hq.db)
    .updateTable('products')
    .set({ category_id: category })
    .where('sku', '=', sku)
    .execute();
  listMinor = Number(product.price_minor);
  await saveRole(hq.db, everywhere(PERMISSIONS, 'all'), 'pricing', {
    name: 'Pricing manager',
    permissions: ['edit_prices', 'edit_promotions', 'view_reports'],
  });
  await addUser(hq.db, {
    username: 'petra',
    displayName: 'Petra Preis',
    password: PASSWORD,
    grants: [{ role: 'pricing', scope: { kind: 'chain' } }],
  });
  browser = await launchRegisterBrowser();
  page = browser.page;
  page.setDefaultTimeout(30_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await hq?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('back office: prices and promotions in Chromium', () => {
  it('signs the pricing manager in and opens the Prices view', async () => {
    await signInToDashboard(page, hq.url, { username: 'petra', password: PASSWORD });
    await page.getByRole('link', { name: 'Prices' }).click();
    await page.getByTestId('pricing-view').waitFor();
  });

  it('adds a store price for S001 effective now and shows it in force', async () => {
    await page.fill('#price-search', sku);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByTestId('product-prices').waitFor();
    await page.selectOption('#price-scope', 'store');
    await page.selectOption('#price-scope-id', 'S001');
    // A typo first: the amount is refused under its field and nothing is sent.
    await page.fill('#price-amount', 'two');
    await page.getByRole('button', { name: 'Add price' }).click();
    await eventually(() => page.locator('[data-field="priceMinor"]').count()).toBe(1);
    await page.fill('#price-amount', ((listMinor + 100) / 100).toFixed(2));
    await page.getByRole('button', { name: 'Add price' }).click();
    const entry = page.locator('[data-testid=price-entry][data-scope="store:S001"]');
    await eventually(() => entry.getAttribute('data-status')).toBe('in force');
    await page.screenshot({ path: join(artifacts, 'backoffice-pricebook.png'), fullPage: true });
  });

  it('creates 10 % off a category at S001, previews a cart with the discount, and shows the history', async () => {
    await page.getByRole('button', { name: 'New promotion' }).click();
    const editor = page.getByTestId('promotion-editor');
    await editor.locator('#promo-id').fill('cat10');
    await editor.locator('#promo-name').fill('Category 10 %');
    await editor.locator('#promo-target-categoryIds').fill(category);
    // Out of range: the shared schema refuses it beside the field before anything is sent.
    await editor.locator('#promo-percent').fill('150');
    await eventually(() => editor.locator('[data-field-for="promo-percent"]').count()).toBe(1);
    await editor.locator('#promo-percent').fill('10');
    await editor.locator('input[name="store-S001"]').check();

    await page.fill('#preview-sku-0', sku);
    await page.fill('#preview-qty-0', '2');
    await page.getByRole('button', { name: 'Price it' }).click();
    const discounts = page.getByTestId('quote-discounts').first();
    await eventually(() => discounts.textContent()).toContain('Category 10 %');
    const expected = Math.round(((listMinor + 100) * 2) / 10);
    expect(await page.getByTestId('quote-discount').textContent()).toContain((expected / 100).toFixed(2));

    await editor.getByRole('button', { name: 'Publish' }).click();
    const row = page.locator('[data-testid=promotion-row][data-id="cat10"]');
    await eventually(() => row.getAttribute('data-state')).toBe('active');
    const versions = page.getByTestId('promotion-version');
    await eventually(() => versions.count()).toBe(1);
    expect(await versions.first().textContent()).toContain('petra');
    await page.screenshot({ path: join(artifacts, 'backoffice-promotions.png'), fullPage: true });
  });
});
