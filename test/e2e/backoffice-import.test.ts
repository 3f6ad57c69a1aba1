import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/access/index.ts';
import { type RunningHq, startHq } from '../../src/apps/hq/server.ts';
import { buildDashboard } from '../../src/apps/hq/static.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { saveTaxJurisdictions } from '../../src/catalog/hq/index.ts';
import { createLogger } from '../../src/core/log.ts';
import { DEMO_PASSWORD } from '../../src/demo/demo-history.ts';
import { seedDemoChain } from '../../src/demo/index.ts';
import { launchRegisterBrowser, type RegisterBrowser } from './register-browser.ts';

/**
 * The Products view's CSV import in Chromium: head office uploads a Shopify export, reads the dry
 * run's report (nothing written yet), applies exactly that plan, and finds the products at HQ.
 */
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/import/shopify-products.csv', import.meta.url));
const logger = createLogger('e2e', 'silent');

let root: string;
let hq: RunningHq;
let browser: RegisterBrowser;
let page: Page;

const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });
const productCount = () =>
  hq.db
    .selectFrom('products')
    .select((e) => e.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  await buildDashboard({ log: () => undefined });
  mkdirSync(artifacts, { recursive: true });
  root = mkdtempSync(join(tmpdir(), 'tally-import-e2e-'));
  hq = await startHq({ port: 0, logger, dataDir: join(root, 'hq') });
  await seedDemoChain(hq.db, hqEventRegistry, { stores: 1, products: 12 });
  await addUser(hq.db, {
    username: 'hq',
    displayName: 'Head Office',
    password: DEMO_PASSWORD,
    role: 'admin',
    stores: [],
  });
  const vat = (code: string, ppm: number) => ({
    components: [{ code, name: `VAT ${ppm / 10_000} %`, ratePpm: ppm }],
  });
  await saveTaxJurisdictions(hq.db, [
    {
      id: 'DE',
      name: 'Germany',
      pricesIncludeTax: true,
      rounding: 'line',
      classes: {
        standard: vat('DE-VAT-19', 190_000),
        reduced: vat('DE-VAT-7', 70_000),
        exempt: { components: [], exempt: true },
      },
      storeIds: ['S001'],
    },
  ]);
  browser = await launchRegisterBrowser();
  page = browser.page;
  page.setDefaultTimeout(30_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await hq?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('back office: importing a Shopify export from the Products view', () => {
  it('shows the dry run first and writes nothing', async () => {
    await page.goto(hq.url);
    await page.fill('#username', 'hq');
    await page.fill('#password', DEMO_PASSWORD);
    await page.keyboard.press('Enter');
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
    await page.screenshot({ path: join(artifacts, 'backoffice-import-dry-run.png'), fullPage: true });
  });

  it('applies exactly that plan: the new products are at HQ', async () => {
    const skus = await page.getByTestId('import-created').locator('tr td:first-child').allTextContents();
    await page.getByTestId('import-apply').click();
    await eventually(() => page.getByTestId('import-status').textContent()).toContain('Applied');
    const rows = await hq.db.selectFrom('products').select('sku').where('sku', 'in', skus).execute();
    expect(rows.map((r) => r.sku).sort()).toEqual([...skus].sort());
    await page.screenshot({ path: join(artifacts, 'backoffice-import-applied.png'), fullPage: true });
  });
});
