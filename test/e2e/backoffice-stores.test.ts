import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, enrollTerminal } from '../../src/access/index.ts';
import { type RunningHq, startHq } from '../../src/apps/hq/server.ts';
import { buildDashboard } from '../../src/apps/hq/static.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { saveTaxJurisdictions } from '../../src/catalog/hq/index.ts';
import { createLogger } from '../../src/core/log.ts';
import { seedDemoChain } from '../../src/demo/seed.ts';
import { launchRegisterBrowser, type RegisterBrowser } from './register-browser.ts';

/**
 * The back office in headless Chromium against a real HQ (PGlite in a temp folder): head office opens
 * "Leipzig" in Europe/Berlin and finds it in the store picker, issues a till enrollment code (text, QR,
 * command), revokes a till with a reason, invites a user who sets their password with the link, and
 * deactivates them so their sign-in is refused. Screenshots go to test-artifacts/.
 */
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const logger = createLogger('e2e', 'silent');
const PASSWORD = 'head-office-pass-1';

let root: string;
let hq: RunningHq;
let browser: RegisterBrowser;
let page: Page;

const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });

async function signIn(username: string, password: string): Promise<void> {
  await page.locator('#username').waitFor();
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.keyboard.press('Enter');
}

const shot = async (name: string) => {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(artifacts, name), fullPage: true });
};

beforeAll(async () => {
  await buildDashboard({ log: () => undefined });
  mkdirSync(artifacts, { recursive: true });
  root = mkdtempSync(join(tmpdir(), 'tally-backoffice-'));
  hq = await startHq({ port: 0, logger, dataDir: join(root, 'hq') });
  await seedDemoChain(hq.db, hqEventRegistry, { stores: 2, products: 10 });
  const vat = (id: string, name: string, storeIds: string[]) => ({
    id,
    name,
    pricesIncludeTax: true,
    rounding: 'line' as const,
    classes: { standard: { components: [{ code: 'VAT', name: 'MwSt', ratePpm: 190_000 }] } },
    storeIds,
  });
  await saveTaxJurisdictions(hq.db, [vat('DE-BE', 'Berlin', ['S001', 'S002']), vat('DE-SN', 'Sachsen', [])]);
  await addUser(hq.db, { username: 'hq', displayName: 'Head Office', password: PASSWORD, role: 'admin' });
  await enrollTerminal(hq.db, { storeId: 'S001', terminalId: 'S001-T01' });
  browser = await launchRegisterBrowser();
  page = browser.page;
  page.setDefaultTimeout(30_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await hq?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('back office in Chromium', () => {
  it('opens Leipzig in Europe/Berlin, with a bad currency shown under its field first, and finds it in the picker', async () => {
    await page.goto(hq.url);
    await signIn('hq', PASSWORD);
    await page.getByTestId('ops-view').waitFor();
    await page.getByRole('link', { name: 'Stores' }).click();
    const form = page.getByTestId('add-store');
    await form.waitFor();
    await form.locator('#store-storeId').fill('S010');
    await form.locator('#store-name').fill('Leipzig');
    await form.locator('#store-address').fill('Grimmaische Str. 1, 04109 Leipzig');
    await form.locator('#store-timeZone').selectOption('Europe/Berlin');
    expect(await form.locator('#store-locale').getAttribute('placeholder')).toBe('de-DE');
    await form.locator('#store-currency').fill('EUX');
    await form.locator('#store-taxJurisdictionId').selectOption('DE-SN');
    await form.getByRole('button', { name: 'Open store' }).click();
    await eventually(() => form.locator('#store-currency-error').textContent()).toMatch(/ISO 4217/);
    expect(await form.locator('#store-currency').getAttribute('aria-invalid')).toBe('true');

    await form.locator('#store-currency').fill('EUR');
    await form.getByRole('button', { name: 'Open store' }).click();
    const row = page.locator('[data-testid=store-row][data-store=S010]');
    await row.waitFor();
    expect(await row.textContent()).toContain('Sachsen');
    await eventually(() =>
      page
        .getByTestId('store-picker')
        .locator('option')
        .evaluateAll((os) => os.map((o) => o.getAttribute('value'))),
    ).toContain('S010');
  });

  it('issues a till code shown as text, as a QR code and with the command to run at the till', async () => {
    await page
      .locator('[data-testid=store-row][data-store=S010]')
      .getByRole('button', { name: 'Tills' })
      .click();
    const tills = page.locator('[data-testid=store-tills][data-store=S010]');
    await tills.getByRole('button', { name: 'Enroll a till' }).click();
    const code = tills.getByTestId('enroll-code-text');
    await eventually(() => code.textContent()).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const qr = tills.getByTestId('enroll-qr');
    expect(await qr.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
    expect(await qr.locator('rect').count()).toBeGreaterThan(100);
    expect(await tills.getByTestId('enroll-command').textContent()).toBe(
      `npx tally terminal --hq ${hq.url.replace(/\/+$/, '')} --enroll-code -`,
    );
    expect(await tills.getByTestId('enroll-expires').getAttribute('datetime')).toMatch(/^\d{4}-/);
    await shot('backoffice-stores-enroll.png');
  });

  it('revokes a till only after a reason and a second click', async () => {
    await page
      .locator('[data-testid=store-row][data-store=S001]')
      .getByRole('button', { name: 'Tills' })
      .click();
    const till = page.locator('[data-testid=terminal-row][data-terminal=S001-T01]');
    await till.waitFor();
    await till.getByRole('button', { name: 'Revoke' }).click();
    const confirm = page.getByTestId('revoke-confirm');
    await confirm.locator('input').fill('reported stolen');
    await confirm.getByRole('button', { name: 'Revoke S001-T01' }).click();
    await eventually(() => till.getByTestId('terminal-status').textContent()).toMatch(
      /revoked .*reported stolen/,
    );
  });

  it('invites a user who sets their password with the link; deactivated, their sign-in is refused', async () => {
    await page.getByRole('link', { name: 'People' }).click();
    const form = page.getByTestId('add-user');
    await form.waitFor();
    await form.locator('#add-username').fill('lena');
    await form.locator('#add-displayName').fill('Lena Vogel');
    await form.locator('#add-invite').check();
    await form.getByRole('button', { name: 'Invite user' }).click();
    await eventually(() => form.getByTestId('password-link-url').inputValue()).toMatch(
      /\/dashboard\/#\/set-password\?token=/,
    );
    const url = await form.getByTestId('password-link-url').inputValue();
    await shot('backoffice-people-invite.png');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#username').waitFor();

    await page.goto(url);
    await page.locator('#new-password').fill('lena-chose-this');
    await page.locator('#new-password-again').fill('lena-chose-this');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByTestId('password-set').waitFor();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await signIn('lena', 'lena-chose-this');
    // Signed in as Lena (what she sees depends on the grant given; the header says who she is).
    await eventually(() => page.getByRole('banner').textContent()).toContain('Lena Vogel');
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signIn('hq', PASSWORD);
    await page.getByRole('link', { name: 'People' }).click();
    const row = page.locator('[data-testid=user-row][data-username=lena]');
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('button', { name: 'Deactivate lena' }).click();
    await eventually(() => row.textContent()).toContain('deactivated');
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signIn('lena', 'lena-chose-this');
    await eventually(() => page.locator('#password-error').textContent()).toBeTruthy();
    await shot('backoffice-deactivated-sign-in.png');
  });
});
