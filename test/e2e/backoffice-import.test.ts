import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHq } from '../../src/apps/hq/server.ts';
import { ARTIFACTS, type BackOffice, HQ_ADMIN, openBackOffice, signInToDashboard } from './backoffice-hq.ts';

/**
 * The Products view's CSV import in Chromium: head office uploads a Shopify export, reads the dry
 * run's report (nothing written yet), applies exactly that plan, and finds the products at HQ.
 */
const fixture = fileURLToPath(new URL('../fixtures/import/shopify-products.csv', import.meta.url));

let office: BackOffice;
let hq: RunningHq;
let page: Page;

const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });
const productCount = () =>
  hq.db
    .selectFrom('products')
    .select((e) => e.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  office = await openBackOffice('import-e2e', { stores: 1, products: 12 });
  ({ hq, page } = office);
}, 300_000);

afterAll(async () => {
  await office?.close();
});

describe('back office: importing a Shopify export from the Products view', () => {
  it('shows the dry run first and writes nothing', async () => {
    await signInToDashboard(page, hq.url, HQ_ADMIN);
    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('button', { name: /Import from Shopify/ }).click();
    const panel = page.getByTestId('import-panel');
    await panel.waitFor();
    await page.getByTestId('import-kind').selectOption('shopify');
    await page.getByTestId('import-files').setInputFiles(fixture);
    await page.getByTestId('import-tax-map').fill('*=standard');
    const before = (await productCount()).n;
    await page.getByTestId('import-dry-run').click();
    await eventually(() => page.getByTestId('import-status').textContent()).toContain(
      'Dry run: nothing written',
    );
    const created = page.getByTestId('import-created').locator('tr');
    expect(await created.count()).toBeGreaterThan(0);
    expect((await productCount()).n).toBe(before);
    await page.screenshot({ path: join(ARTIFACTS, 'backoffice-import-dry-run.png'), fullPage: true });
  });

  it('applies exactly that plan: the new products are at HQ', async () => {
    const skus = await page.getByTestId('import-created').locator('tr td:first-child').allTextContents();
    await page.getByTestId('import-apply').click();
    await eventually(() => page.getByTestId('import-status').textContent()).toContain('Applied');
    const rows = await hq.db.selectFrom('products').select('sku').where('sku', 'in', skus).execute();
    expect(rows.map((r) => r.sku).sort()).toEqual([...skus].sort());
    await page.screenshot({ path: join(ARTIFACTS, 'backoffice-import-applied.png'), fullPage: true });
  });
});
