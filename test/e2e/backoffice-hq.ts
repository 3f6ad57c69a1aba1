import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
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
 * The back office's browser tests share one setting: a real HQ (PGlite in a temp folder) with the demo
 * chain, head office's admin `hq` (password tally-demo), German VAT (standard 19 %, reduced 7 %, exempt)
 * over every seeded store, and headless Chromium. Screenshots go to test-artifacts/.
 */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
export const HQ_ADMIN = { username: 'hq', password: DEMO_PASSWORD } as const;

export interface BackOffice {
  root: string;
  hq: RunningHq;
  browser: RegisterBrowser;
  page: Page;
  close(): Promise<void>;
}

const vat = (code: string, ppm: number) => ({
  components: [{ code, name: `VAT ${ppm / 10_000} %`, ratePpm: ppm }],
});

export async function openBackOffice(
  name: string,
  chain: { stores: number; products: number },
): Promise<BackOffice> {
  await buildDashboard({ log: () => undefined }); // no-op when dist/dashboard is up to date
  mkdirSync(ARTIFACTS, { recursive: true });
  const root = mkdtempSync(join(tmpdir(), `tally-${name}-`));
  const hq = await startHq({ port: 0, logger: createLogger('e2e', 'silent'), dataDir: join(root, 'hq') });
  await seedDemoChain(hq.db, hqEventRegistry, chain);
  await addUser(hq.db, {
    username: HQ_ADMIN.username,
    displayName: 'Head Office',
    password: HQ_ADMIN.password,
    role: 'admin',
    stores: [],
  });
  const stores = await hq.db.selectFrom('stores').select('id').orderBy('id').execute();
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
      storeIds: stores.map((s) => s.id),
    },
  ]);
  const browser = await launchRegisterBrowser();
  browser.page.setDefaultTimeout(30_000);
  return {
    root,
    hq,
    browser,
    page: browser.page,
    close: async () => {
      await browser.close();
      await hq.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Signs a user in on the dashboard's sign-in page, as a person would: name, password, Enter. */
export async function signInToDashboard(
  page: Page,
  hqUrl: string,
  who: { username: string; password: string },
): Promise<void> {
  await page.goto(hqUrl);
  await page.locator('#username').waitFor();
  await page.fill('#username', who.username);
  await page.fill('#password', who.password);
  await page.keyboard.press('Enter');
}
