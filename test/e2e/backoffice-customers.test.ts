import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/access/index.ts';
import type { RunningHq } from '../../src/apps/hq/server.ts';
import { appendToHqLog } from '../../src/apps/shared/event-registry.ts';
import { createCustomerAtHq, customerProfile } from '../../src/customers/hq/index.ts';
import { ARTIFACTS, type BackOffice, HQ_ADMIN, openBackOffice, signInToDashboard } from './backoffice-hq.ts';

/**
 * The Customers view in Chromium against a real HQ: head office finds a customer by email, grants a
 * consent and sees it saved in the history, downloads the subject-access export, merges a probable
 * duplicate and undoes it, and erases a customer, reading the report of every place checked. Then the
 * rights: a district manager over the chain reads but cannot erase or merge; a store manager (customer
 * data at one store only, while HQ's routes ask for the chain) sees no Customers tab and is refused by
 * the API.
 */
const PASSWORD = 'a-long-password-for-people';

let back: BackOffice;
let hq: RunningHq;
let page: Page;
let ana: string;
let ana2: string;
let ben: string;

const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });

async function find(text: string): Promise<void> {
  await page.locator('#customer-search').fill(text);
  await page.getByTestId('customer-search-panel').getByRole('button', { name: 'Search' }).click();
}

async function signInAs(who: { username: string; password: string }): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInToDashboard(page, hq.url, who);
  await page.getByTestId('ops-view').waitFor();
}

beforeAll(async () => {
  back = await openBackOffice('customers', { stores: 2, products: 4 });
  ({ hq, page } = back);
  const register = (input: Parameters<typeof createCustomerAtHq>[2]) =>
    createCustomerAtHq(hq.db, appendToHqLog, input, new Date());
  ana = await register({
    storeId: 'S001',
    name: 'Ana Lima',
    email: 'ana.lima@gmail.com',
    phone: '0151 23456789',
  });
  ana2 = await register({
    storeId: 'S002',
    name: 'Ana Lima',
    email: 'ana.lima@gmial.com',
    phone: '0151 23456788',
  });
  ben = await register({
    storeId: 'S002',
    name: 'Ben Okafor',
    email: 'ben@example.org',
    cardNumber: '9900123',
  });
  await addUser(hq.db, {
    username: 'dora',
    displayName: 'Dora District',
    password: PASSWORD,
    grants: [{ role: 'district_manager', scope: { kind: 'chain' } }],
  });
  await addUser(hq.db, {
    username: 'sven',
    displayName: 'Sven Store',
    password: PASSWORD,
    grants: [{ role: 'store_manager', scope: { kind: 'store', id: 'S001' } }],
  });
}, 300_000);

afterAll(async () => {
  await back?.close();
});

describe('customers on the dashboard', { timeout: 120_000 }, () => {
  it('finds Ana by email, grants email offers and sees it saved, and downloads everything held on her', async () => {
    await signInToDashboard(page, hq.url, HQ_ADMIN);
    await page.getByRole('link', { name: 'Customers' }).click();
    await find('ana.lima@gmail.com');
    const results = page.getByTestId('customer-results');
    await eventually(() => results.locator('tbody tr').count()).toBe(1);
    expect(await results.textContent()).toContain('ana.lima@gmail.com');
    await results.getByRole('button', { name: 'Open' }).click();

    const profile = page.getByTestId('customer-profile');
    await eventually(() => profile.getByTestId('customer-profile-body').getAttribute('data-customer')).toBe(
      ana,
    );
    expect(await profile.locator('h2').textContent()).toBe('Ana Lima');
    const email = profile.getByRole('checkbox', { name: 'Offers by email' });
    expect(await email.isChecked()).toBe(false);
    await email.click();
    await profile.getByTestId('consent-saved').waitFor();
    await eventually(() => profile.getByTestId('consent-history').textContent()).toMatch(
      /Offers by email.*granted.*hq/,
    );
    expect(await email.isChecked()).toBe(true);
    expect((await customerProfile(hq.db, ana, { withPersonal: false }))?.consents.marketing_email).toBe(true);
    // A reload reads it back from HQ.
    await page.reload();
    await eventually(() =>
      page.getByTestId('customer-profile').getByRole('checkbox', { name: 'Offers by email' }).isChecked(),
    ).toBe(true);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('customer-export').click(),
    ]);
    const exported = JSON.parse(readFileSync((await download.path()) as string, 'utf8')) as Record<
      string,
      unknown
    >;
    expect(JSON.stringify(exported)).toContain(ana);
    expect(JSON.stringify(exported)).toContain('ana.lima@gmail.com');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(ARTIFACTS, 'customers-profile.png'), fullPage: true });
  });

  it('lists Ana twice as a probable duplicate, merges her and undoes the merge from her profile', async () => {
    await page.getByRole('button', { name: 'Find probable duplicates' }).click();
    const pair = page.locator(`[data-testid=duplicate-pair][data-pair="${[ana, ana2].sort().join('|')}"]`);
    await pair.waitFor();
    expect(await pair.textContent()).toMatch(/Score \d+%/);
    expect(await pair.textContent()).toContain('ana.lima@gmial.com');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(ARTIFACTS, 'customers-duplicates.png'), fullPage: true });
    await pair.getByRole('button', { name: 'Merge, keep Ana Lima (S001)' }).click();
    await page.getByTestId('duplicates-panel').getByText('No probable duplicates to review.').waitFor();

    const merged = page.getByTestId('merged-profiles');
    await eventually(() => merged.textContent()).toContain(ana2);
    await merged.getByLabel('Reason').fill('two people after all');
    await merged.getByRole('button', { name: 'Unmerge' }).click();
    await eventually(() => merged.count()).toBe(0);
    await pair.waitFor();
  });

  it('erases Ben only once his short code is typed, and shows every place checked', async () => {
    await find('ben');
    await page.getByTestId('customer-results').getByRole('button', { name: 'Open' }).click();
    await eventually(() => page.getByTestId('customer-profile-body').getAttribute('data-customer')).toBe(ben);
    await page.getByRole('button', { name: 'Erase this customer…' }).click();
    const confirm = page.getByTestId('erase-confirm');
    const go = confirm.getByRole('button', { name: 'Erase for good' });
    expect(await go.isDisabled()).toBe(true);
    await confirm.locator('#erase-code').fill('00000000');
    expect(await go.isDisabled()).toBe(true);
    await confirm.locator('#erase-code').fill(ben.slice(0, 8));
    await go.click();

    const report = page.getByTestId('erasure-report');
    await report.waitFor();
    expect(await report.locator('h2').textContent()).toContain(ben);
    const places = await report.locator('tbody tr td:first-child').allTextContents();
    expect(places.length).toBeGreaterThanOrEqual(3);
    expect(places).toContain('stored value: accounts linked to the customer');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(ARTIFACTS, 'customers-erased.png'), fullPage: true });
    expect(await customerProfile(hq.db, ben, { withPersonal: false })).toBeUndefined();
    await find('9900123');
    await page.getByTestId('customer-results-empty').waitFor();
  });

  it('lets a district manager read customers but not erase or merge, and shows a store manager none', async () => {
    await signInAs({ username: 'dora', password: PASSWORD });
    await page.getByRole('link', { name: 'Customers' }).click();
    await find('Lima');
    await eventually(() => page.getByTestId('customer-results').locator('tbody tr').count()).toBe(2);
    await page.getByTestId('customer-results').getByRole('button', { name: 'Open' }).first().click();
    await page.getByTestId('customer-profile-body').waitFor();
    expect(await page.getByRole('button', { name: 'Erase this customer…' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Find probable duplicates' }).click();
    await page.getByTestId('duplicate-pair').first().waitFor();
    expect(
      await page
        .getByTestId('duplicates-panel')
        .getByRole('button', { name: /^Merge/ })
        .count(),
    ).toBe(0);

    await signInAs({ username: 'sven', password: PASSWORD });
    expect(await page.getByRole('link', { name: 'Customers' }).count()).toBe(0);
    await page.goto(`${hq.url.replace(/\/+$/, '')}/dashboard/#/customers?customer=${ana}`);
    await page.getByTestId('ops-view').waitFor();
    expect(await page.getByTestId('customers-view').count()).toBe(0);
    expect(await page.content()).not.toContain('ana.lima');
    const refused = (await page.evaluate(
      `fetch('/api/v1/customers/search?name=Lima').then((r) => r.status)`,
    )) as number;
    expect(refused).toBe(403);
  });
});
