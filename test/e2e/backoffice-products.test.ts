import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHq } from '../../src/apps/hq/server.ts';
import { withCheckDigit } from '../../src/catalog/index.ts';
import { ARTIFACTS, type BackOffice, HQ_ADMIN, openBackOffice, signInToDashboard } from './backoffice-hq.ts';

/**
 * The back office's products view in headless Chromium against a real HQ (PGlite in a temp folder)
 * with the demo chain: head office creates a product (a wrong check digit first, shown under the
 * barcode), edits its cost, finds it by search, raises its category by 5 % after a preview, and
 * archives it. Each step is checked at HQ's API too; screenshots go to test-artifacts/.
 */
const SKU = 'E2E-OAT';
const GOOD_EAN = withCheckDigit('400123456789');
const BAD_EAN = `${GOOD_EAN.slice(0, -1)}${(Number(GOOD_EAN.at(-1)) + 1) % 10}`;

let office: BackOffice;
let hq: RunningHq;
let page: Page;

const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });

/** HQ's answer to a GET from inside the page, with the session cookie, as the screen's own calls. */
const apiGet = <T>(path: string): Promise<T> =>
  page.evaluate(async (p) => (await fetch(p, { credentials: 'same-origin' })).json(), path) as Promise<T>;

interface Product {
  sku: string;
  category: string;
  priceMinor: number;
  costMinor: number | null;
  status: string;
  barcodes: string[];
  taxClass: string | null;
}

const shot = async (name: string) => {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
};

beforeAll(async () => {
  office = await openBackOffice('products', { stores: 2, products: 40 });
  ({ hq, page } = office);
}, 300_000);

afterAll(async () => {
  await office?.close();
});

describe('back office products in Chromium', () => {
  it('signs head office in and lists the catalog a page at a time', async () => {
    await signInToDashboard(page, hq.url, HQ_ADMIN);
    await page.getByTestId('ops-view').waitFor();
    await page
      .getByRole('tab', { name: 'Products' })
      .or(page.getByRole('link', { name: 'Products' }))
      .first()
      .click();
    await page.getByTestId('products-table').waitFor();
    expect(await page.getByTestId('page-text').textContent()).toBe('showing 1–40 of 40');
    await shot('products-list.png');
  });

  it('creates a product, first showing a wrong check digit under the barcode', async () => {
    await page.getByRole('button', { name: 'New product' }).click();
    const editor = page.getByTestId('product-editor');
    await editor.waitFor();
    await page.fill('#product-sku', SKU);
    await page.fill('#product-name', 'Oat Drink Barista 1 l');
    await page.selectOption('#product-category', 'Beverages');
    await page.fill('#product-price', '2.49');
    await page.fill('#product-cost', '1.20');
    await page.fill('#product-taxRate', '19');
    await page.selectOption('#product-taxClass', 'reduced');
    await editor.getByRole('button', { name: 'Add barcode' }).click();
    await page.fill('#barcode-0', BAD_EAN);
    await eventually(() => page.locator('#barcode-0-error').textContent()).toBe(
      `"${BAD_EAN}" has a wrong GTIN check digit`,
    );
    expect(await page.locator('#barcode-0').getAttribute('aria-invalid')).toBe('true');
    await editor.getByRole('button', { name: 'Create product' }).click();
    // Refused before HQ is asked, and nothing was created.
    await eventually(() => page.locator('#barcode-0-error').count()).toBe(1);
    expect((await apiGet<{ total: number }>(`/api/v1/catalog/products?q=${SKU}`)).total).toBe(0);
    await shot('product-editor-barcode-error.png');

    await page.fill('#barcode-0', GOOD_EAN);
    await eventually(() => page.locator('#barcode-0-error').count()).toBe(0);
    await editor.getByRole('button', { name: 'Create product' }).click();
    await eventually(() => editor.getByTestId('product-status').textContent()).toBe('Active');
    const created = await apiGet<Product>(`/api/v1/catalog/products/${SKU}`);
    expect(created).toMatchObject({
      category: 'Beverages',
      priceMinor: 249,
      costMinor: 120,
      barcodes: [GOOD_EAN],
      taxClass: 'reduced',
    });
  });

  it("edits the product's cost and shows the margin", async () => {
    const editor = page.getByTestId('product-editor');
    await page.fill('#product-cost', '1.35');
    await eventually(() => editor.getByTestId('margin').textContent()).toBe('margin 45.8 %');
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await eventually(async () => (await apiGet<Product>(`/api/v1/catalog/products/${SKU}`)).costMinor).toBe(
      135,
    );
    await editor.getByRole('button', { name: 'Close' }).click();
  });

  it('finds the product by words of its name in any order', async () => {
    await page.fill('#product-search', 'barista OAT');
    await eventually(() => page.url()).toContain('q=barista+OAT');
    await eventually(() => page.getByTestId('product-name').allTextContents()).toEqual([
      'Oat Drink Barista 1 l',
    ]);
    expect(await page.getByTestId('page-text').textContent()).toBe('showing 1–1 of 1');
    await page.fill('#product-search', GOOD_EAN.slice(1, 9));
    await eventually(() => page.url()).toContain(`q=${GOOD_EAN.slice(1, 9)}`);
    await eventually(() => page.getByTestId('product-name').allTextContents()).toEqual([
      'Oat Drink Barista 1 l',
    ]);
  });

  it('raises its category by 5 % after a preview, then applies the same prices', async () => {
    await page.fill('#product-search', '');
    await eventually(() => page.url()).not.toContain('q=');
    await page.selectOption('#filter-category', 'Beverages');
    await eventually(() => page.url()).toContain('category=Beverages');
    await eventually(async () =>
      (await page.getByTestId('product-name').allTextContents()).includes('Oat Drink Barista 1 l'),
    ).toBe(true);
    const inCategory = (await apiGet<{ total: number }>('/api/v1/catalog/products?category=Beverages')).total;
    await page.getByRole('button', { name: 'Change prices' }).click();
    const dialog = page.getByTestId('bulk-dialog');
    await page.fill('#bulk-value', '5');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await eventually(() => dialog.getByTestId('bulk-summary').textContent()).toMatch(
      new RegExp(`^Preview: ${inCategory} of ${inCategory} prices change`),
    );
    // 2.49 × 1.05 = 2.6145 → 2.61; nothing written yet.
    expect(await dialog.locator(`tr[data-sku="${SKU}"] [data-testid="bulk-new"]`).textContent()).toBe(
      '€2.61',
    );
    expect((await apiGet<Product>(`/api/v1/catalog/products/${SKU}`)).priceMinor).toBe(249);
    await shot('products-bulk-preview.png');

    await dialog.getByRole('button', { name: /^Apply/ }).click();
    await eventually(() => dialog.getByTestId('bulk-summary').textContent()).toMatch(/^Applied: /);
    expect((await apiGet<Product>(`/api/v1/catalog/products/${SKU}`)).priceMinor).toBe(261);
    const history = await apiGet<{ scope: string; priceMinor: number }[]>(
      `/api/v1/catalog/products/${SKU}/prices`,
    );
    expect(history).toMatchObject([{ scope: 'chain', priceMinor: 261 }]);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('archives the product: the list marks it, and HQ has it off sale', async () => {
    await page.locator(`[data-testid="open-product"]`, { hasText: SKU }).click();
    const editor = page.getByTestId('product-editor');
    await editor.getByRole('button', { name: 'Archive' }).click();
    await eventually(() => editor.getByTestId('product-status').textContent()).toBe('Archived');
    const archived = await apiGet<Product & { active: boolean }>(`/api/v1/catalog/products/${SKU}`);
    expect(archived).toMatchObject({ status: 'discontinued', active: false });
    await page.selectOption('#filter-status', 'discontinued');
    await eventually(() => page.getByTestId('product-name').allTextContents()).toEqual([
      'Oat Drink Barista 1 l',
    ]);
    await shot('products-archived.png');
  });
});
