import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHq, startHq } from '../../src/apps/hq/server.ts';
import { buildDashboard } from '../../src/apps/hq/static.ts';
import { businessDate, fixedClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/log.ts';
import { DEMO_PASSWORD } from '../../src/demo/demo-history.ts';
import { OTHER_STORE_SUPPLIER, SECOND_SUPPLIER, seedDashboardDemo } from './dashboard-seed.ts';
import { launchRegisterBrowser, type RegisterBrowser } from './register-browser.ts';

/**
 * The manager's dashboard in headless Chromium against a real HQ (PGlite in a temp folder) seeded with
 * the demo's history: the store manager of S001 signs in, sees S001 and nothing else, approves a draft
 * purchase order, opens a forecast; the API refuses S002 to the same session. Screenshots of both views
 * go to test-artifacts/.
 */
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const logger = createLogger('e2e', 'silent');

let root: string;
let hq: RunningHq;
let browser: RegisterBrowser;
let page: Page;

/** Today at 06:00 in Berlin, the demo stores' zone: HQ's clock stands there for the whole run. */
const sixAm = (() => {
  const day = businessDate(new Date(), 'Europe/Berlin');
  const at = [4, 5].map((h) => new Date(`${day}T0${h}:00:00Z`));
  const hourIn = (d: Date) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' }).format(
      d,
    );
  return at.find((d) => hourIn(d) === '06') ?? (at[1] as Date);
})();
const weekdayOf = (date: string) =>
  new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });

interface Pace {
  date: string;
  compare: { lastWeek: string; through: string | null };
  hours: {
    hour: number;
    today: { transactions: number };
    lastWeek: { transactions: number };
    lastYear: { transactions: number };
  }[];
  totals: { today: { revenueMinor: number }; lastWeek: { revenueMinor: number } };
}

/** Waits for the screen (a shared 2-core machine can be slow to repaint); no timing is asserted. */
const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });

interface Fetched {
  status: number;
  body: { error?: string; field?: string; status?: string; decisions?: { action: string; actor: string }[] };
}

/** fetch from inside the page: the session cookie (httpOnly) goes along, exactly as the screen's own. */
const pageFetch = (path: string, method = 'GET', body?: unknown): Promise<Fetched> =>
  page.evaluate(
    async ([p, m, b]) => {
      const res = await fetch(p, {
        method: m,
        credentials: 'same-origin',
        headers: b === undefined ? {} : { 'content-type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: res.status, body: (await res.json()) as Fetched['body'] };
    },
    [path, method, body] as const,
  );

/** The whole page from its top (the header is sticky, so a scrolled page would show it mid-image). */
async function topScreenshot(opts: { path: string; fullPage: boolean }): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot(opts);
}

async function signIn(username: string): Promise<void> {
  await page.locator('#username').waitFor();
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByTestId('ops-view').waitFor();
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#username').waitFor();
}

/** Every store id shown in the rows of the inventory lists, tab by tab. */
async function inventoryStores(): Promise<string[]> {
  const panel = page.getByTestId('inventory-panel');
  const seen: string[] = [];
  for (const tab of await panel.getByRole('tab').all()) {
    await tab.click();
    await eventually(() => tab.getAttribute('aria-selected')).toBe('true');
    seen.push(...(await panel.getByTestId('row-store').allTextContents()));
  }
  return seen;
}

beforeAll(async () => {
  await buildDashboard({ log: () => undefined }); // no-op when dist/dashboard is up to date
  mkdirSync(artifacts, { recursive: true });
  root = mkdtempSync(join(tmpdir(), 'tally-dashboard-'));
  hq = await startHq({ port: 0, logger, dataDir: join(root, 'hq'), clock: fixedClock(sixAm) });
  await seedDashboardDemo(hq.db, logger, sixAm);
  browser = await launchRegisterBrowser();
  page = browser.page;
  page.setDefaultTimeout(30_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await hq?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('manager dashboard in Chromium', () => {
  it('signs the store manager in, with a wrong password shown under the password field', async () => {
    await page.goto(hq.url);
    await page.locator('#username').waitFor();
    expect(page.url()).toContain('/dashboard/');

    await page.fill('#username', 'sam');
    await page.fill('#password', 'not-the-password');
    await page.keyboard.press('Enter');
    await eventually(() => page.locator('#password-error').textContent()).toBeTruthy();
    expect(await page.locator('#password').getAttribute('aria-invalid')).toBe('true');

    await page.fill('#password', DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByTestId('ops-view').waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('Store manager');
  });

  it("shows S001's operations and nothing of any other store", async () => {
    const picker = page.getByTestId('store-picker');
    expect(
      await picker.locator('option').evaluateAll((os) => os.map((o) => o.getAttribute('value'))),
    ).toEqual(['S001']);

    // Pace chart drawn and KPI tiles filled from today's hourly sales.
    await page.getByTestId('pace-chart').locator('canvas').waitFor();
    await page.getByTestId('kpi-tiles').waitFor();
    expect(await page.getByTestId('kpi-transactions').locator('.kpi-value').textContent()).toMatch(/\d/);
    expect(await page.getByTestId('kpi-revenueMinor').getAttribute('title')).toMatch(
      /Source: .*sales_hourly/,
    );

    // At 06:00 the tiles set today so far against last week's same day up to 06:00, and say so.
    const pace = (await pageFetch('/api/v1/dashboard/ops/pace?store=S001')).body as unknown as Pace;
    expect(pace.compare.through).toBe('06:00');
    const revenue = page.getByTestId('kpi-revenueMinor');
    const words = `vs last ${weekdayOf(pace.compare.lastWeek)} by 06:00`;
    await eventually(() => revenue.getByTestId('kpi-lastWeek').textContent()).toContain(words);
    const { today, lastWeek } = pace.totals;
    if (lastWeek.revenueMinor > 0) {
      const pct = Math.round(((today.revenueMinor - lastWeek.revenueMinor) / lastWeek.revenueMinor) * 100);
      expect(await revenue.getByTestId('kpi-lastWeek').textContent()).toContain(`${Math.abs(pct)}% ${words}`);
    }
    // The chart's axis: every hour from the first sale of the three days (or now) to the last, none left out.
    const traded = pace.hours
      .filter((h) => h.today.transactions + h.lastWeek.transactions + h.lastYear.transactions > 0)
      .map((h) => h.hour)
      .concat(6);
    const [first, last] = [Math.min(...traded), Math.max(...traded)];
    const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
    expect(await page.getByTestId('pace-chart').getAttribute('aria-label')).toContain(
      `every hour from ${hh(first)} to ${hh(last)} (${last - first + 1} hours)`,
    );

    const stores = await inventoryStores();
    expect(stores.length).toBeGreaterThan(0);
    expect(new Set(stores)).toEqual(new Set(['S001']));

    const tills = await page
      .getByTestId('till-store')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-store')));
    expect(tills).toEqual(['S001']);

    // Each tab counts its whole list, not the rows sent; a cut list says so above its rows.
    const inv = (await pageFetch('/api/v1/dashboard/ops/inventory?store=S001')).body as unknown as {
      counts: Record<string, { total: number; truncated: boolean }>;
      slowMovers: unknown[];
    };
    const slowTab = page.getByTestId('inventory-panel').getByRole('tab', { name: /Slow movers/ });
    expect(await slowTab.locator('.count').textContent()).toBe(String(inv.counts.slowMovers?.total));
    await slowTab.click();
    const note = page.getByTestId('inventory-truncated');
    if (inv.counts.slowMovers?.truncated)
      await eventually(() => note.textContent()).toMatch(
        new RegExp(`Showing ${inv.slowMovers.length} of ${inv.counts.slowMovers.total}`),
      );
    else expect(await note.count()).toBe(0);

    await page.getByTestId('inventory-panel').getByRole('tab').first().click();
    await topScreenshot({ path: join(artifacts, 'dashboard-operations.png'), fullPage: true });
  });

  it("refuses S002's data to the store manager's session at the API (403)", async () => {
    for (const path of [
      '/api/v1/dashboard/ops/pace?store=S002',
      '/api/v1/dashboard/ops/inventory?store=S002',
      '/api/v1/dashboard/insights/forecast?store=S002&category=Bakery',
    ]) {
      const res = await pageFetch(path);
      expect(res.status, path).toBe(403);
      expect(res.body).toMatchObject({ error: 'forbidden', field: 'store' });
    }
    expect((await pageFetch('/api/v1/dashboard/ops/pace?store=S001')).status).toBe(200);
  });

  it("follows the morning briefing's first action to the panel behind it", async () => {
    await page.getByRole('link', { name: 'Insights' }).click();
    const action = page.getByTestId('briefing-actions').locator('a').first();
    await action.waitFor();
    const focus = /^#\/\w+\/(\w+)/.exec((await action.getAttribute('href')) ?? '')?.[1];
    expect(focus).toBeTruthy();
    await action.click();
    const inSight = `(() => {
      const el = document.querySelector('[data-focus="${focus}"]');
      if (!el) return false;
      const r = el.getBoundingClientRect();
      // Just under the sticky header, or as close as the page scrolls.
      const atBottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
      return r.top >= 0 && (r.top < 150 || atBottom);
    })()`;
    await eventually(() => page.evaluate<boolean>(inSight)).toBe(true);
  });

  it('approves a draft purchase order after fixing a quantity, and the decision names the manager', async () => {
    await page.getByRole('link', { name: 'Insights' }).click();
    await page.getByTestId('insights-view').waitFor();
    const drafts = page.getByTestId('drafts-panel');
    // The demo's draft (drafts are newest first, so it is the last open one).
    const open = drafts
      .locator('[data-testid=draft][data-status=draft]')
      .filter({ hasNotText: SECOND_SUPPLIER })
      .first();
    await open.waitFor();
    expect(await drafts.textContent()).not.toContain(OTHER_STORE_SUPPLIER);
    await eventually(() => open.getByTestId('draft-line').count()).toBeGreaterThan(0);
    expect(
      new Set(
        await open
          .getByTestId('draft-line')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-store'))),
      ),
    ).toEqual(new Set(['S001']));
    const id = await open.getAttribute('data-draft');
    // Lines name their product beside the SKU, as the API gives it.
    const detail = (await pageFetch(`/api/v1/replenish/drafts/${id}`)).body as unknown as {
      lineItems: { sku: string; name: string }[];
    };
    const firstLine = detail.lineItems[0]!;
    expect(firstLine.name).not.toBe(firstLine.sku);
    expect(await open.getByTestId('draft-product').first().textContent()).toBe(
      `${firstLine.name} ${firstLine.sku}`,
    );

    // A quantity that is no number is refused under its field; nothing is sent.
    const qty = open.getByTestId('draft-line').first().locator('input');
    const was = Number(await qty.inputValue());
    await qty.fill('lots');
    await qty.press('Enter');
    await eventually(() =>
      open.getByTestId('draft-line').first().locator('.field-error').textContent(),
    ).toMatch(/whole number/);

    // Enter, then leaving the field: one edit, one entry in the draft's history and one in the audit log.
    await qty.fill(String(was + 5));
    await qty.press('Enter');
    await qty.evaluate((el) => (el as unknown as { blur(): void }).blur());
    await eventually(async () =>
      (await pageFetch(`/api/v1/replenish/drafts/${id}`)).body.decisions?.map((d) => d.action),
    ).toContain('edited');
    await page.getByTestId('drafts-panel').click({ position: { x: 5, y: 5 } });
    const edits = async () =>
      (await pageFetch(`/api/v1/replenish/drafts/${id}`)).body.decisions?.filter((d) => d.action === 'edited')
        .length;
    const audited = async () =>
      (
        (await pageFetch('/api/v1/audit?action=purchase_order.line_changed')).body as unknown as {
          entries: { targetId: string | null }[];
        }
      ).entries.filter((e) => e.targetId === id).length;
    expect(await edits()).toBe(1);
    expect(await audited()).toBe(1);

    await open.getByRole('button', { name: 'Approve' }).click();
    const decided = page.locator(`[data-testid=draft][data-draft="${id}"]`);
    await eventually(() => decided.getAttribute('data-status')).toBe('approved');
    const stored = await pageFetch(`/api/v1/replenish/drafts/${id}`);
    expect(stored.body.status).toBe('approved');
    expect(stored.body.decisions?.find((d) => d.action === 'approved')?.actor).toBe('sam');
    await eventually(() => decided.getByTestId('decisions').textContent()).toMatch(/approved by sam/);
  });

  it('lists that edit and approval in the audit log, filtered to purchase orders, with a CSV export of the same', async () => {
    const panel = page.getByTestId('audit-panel');
    await panel.waitFor();
    await panel.getByLabel('Action').selectOption('purchase_order');
    await panel.getByRole('button', { name: 'Show' }).click();
    await eventually(async () => (await panel.getByTestId('audit-row').allTextContents()).join('\n')).toMatch(
      /purchase_order\.approved/,
    );
    const rows = await panel.getByTestId('audit-row').allTextContents();
    expect(rows.every((r) => r.includes('purchase_order.') && r.includes('sam'))).toBe(true);
    expect(rows.some((r) => r.includes('purchase_order.line_changed'))).toBe(true);
    expect(await panel.getByTestId('audit-csv').getAttribute('href')).toBe(
      '/api/v1/audit.csv?action=purchase_order',
    );
    await panel.screenshot({ path: join(artifacts, 'dashboard-audit.png') });
  });

  it("opens a product's forecast chart from the inventory list", async () => {
    await page.getByRole('link', { name: 'Operations' }).click();
    const inventory = page.getByTestId('inventory-panel');
    // The first list with rows: at-risk items normally, else slow movers or dead stock.
    for (const tab of await inventory.getByRole('tab').all()) {
      await tab.click();
      if ((await inventory.locator('a.product-link').count()) > 0) break;
    }
    // From the keyboard alone: Tab from the top of the page to the first product, Enter opens it.
    await page.evaluate('window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()');
    let presses = 0;
    while (!(await page.evaluate<boolean>("!!document.activeElement?.matches('a.product-link')"))) {
      expect(++presses, 'Tab presses to reach a product').toBeLessThan(60);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.getByTestId('insights-view').waitFor();
    expect(page.url()).toMatch(/#\/insights\/forecast\?store=S001&sku=/);
    const forecast = page.getByTestId('forecast-panel');
    await forecast.getByTestId('forecast-chart').locator('canvas').waitFor();
    // Two named numbers, each the API's: the band's ± and the backtest's mean absolute error.
    const trust = await forecast.getByTestId('trust').textContent();
    expect(trust).toMatch(/80 % likely range \(p10–p90\) ±[\d.]+ units? a day/);
    expect(trust).toMatch(
      /mean absolute error over the last 28 days \(backtest\) [\d.]+ units? a day|too little history/,
    );
    await topScreenshot({ path: join(artifacts, 'dashboard-insights.png'), fullPage: true });
  });

  it('fits a tablet and signs out', async () => {
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByTestId('pace-chart').locator('canvas').waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(820);
    await topScreenshot({ path: join(artifacts, 'dashboard-operations-tablet.png'), fullPage: true });

    await signOut();
    expect((await pageFetch('/api/v1/auth/me')).status).toBe(401);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('gives a district manager its stores and all of them at once; an associate reads drafts only', async () => {
    await signIn('dana');
    const options = await page
      .getByTestId('store-picker')
      .locator('option')
      .evaluateAll((os) => os.map((o) => o.getAttribute('value')));
    expect(options).toEqual(['all', 'S001', 'S002']);
    await signOut();

    await signIn('ana');
    expect(await page.getByTestId('role').textContent()).toBe('Shift lead');
    expect(await page.getByRole('link', { name: 'People' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Insights' }).click();
    const drafts = page.getByTestId('drafts-panel');
    const open = drafts.locator('[data-testid=draft][data-status=draft]').first();
    await open.waitFor();
    expect(await open.textContent()).toContain('Store managers and above approve orders');
    expect(await drafts.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    // Hidden is not enough: the API refuses the associate too.
    const refused = await pageFetch(
      `/api/v1/replenish/drafts/${await open.getAttribute('data-draft')}/approve`,
      'POST',
      {},
    );
    expect(refused.status).toBe(403);
    await signOut();
  });

  it('lets head office add a user with a store grant in People, a short password refused under its field', async () => {
    // Not signIn(): the last user left the screen on Insights, where head office lands too.
    await page.fill('#username', 'hq');
    await page.fill('#password', DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'People' }).click();
    const people = page.getByTestId('people-panel');
    await people.getByTestId('users-table').waitFor();
    const form = people.getByTestId('add-user');
    await form.locator('#add-username').fill('kim');
    await form.locator('#add-displayName').fill('Kim Berger');
    await form.locator('#add-password').fill('short');
    await form.getByRole('button', { name: 'Add user' }).click();
    await eventually(() => form.locator('#add-password-error').textContent()).toMatch(/8 characters/);

    await form.locator('#add-password').fill('kim-first-password');
    await form.getByLabel('Role').selectOption('cashier');
    await form.getByLabel('Scope').selectOption('store');
    await form.getByLabel('Store').selectOption('S002');
    await form.getByRole('button', { name: 'Add user' }).click();
    const row = people.locator('[data-testid=user-row][data-username=kim]');
    await eventually(
      async () => (await row.count()) > 0 && (await row.getByTestId('user-grants').textContent()),
    ).toMatch(/^Cashier @ store S002/);
    expect(await row.textContent()).toContain('Kim Berger');
    await topScreenshot({ path: join(artifacts, 'dashboard-people.png'), fullPage: true });
    await signOut();
  });

  it('holds off repeated wrong passwords and says how long to wait', async () => {
    await page.fill('#username', 'hq');
    const submit = page.locator('button[type=submit]');
    // Every try counts, a right one too (head office signed in above): stop once held off.
    for (let i = 0; i < 6 && !(await submit.isDisabled()); i++) {
      await page.fill('#password', `guess-${i}`);
      await Promise.all([page.waitForResponse((r) => r.url().endsWith('/auth/sign-in')), submit.click()]);
      await eventually(() => submit.textContent()).toBe('Sign in');
    }
    await eventually(() => page.getByTestId('rate-limited').textContent()).toMatch(/Try again in \d+ s/);
    expect(await submit.isDisabled()).toBe(true);
  });
});

describe('dashboard under the Content-Security-Policy', () => {
  it('ran every step above without a CSP refusal', () => {
    expect(browser.cspViolations).toEqual([]);
  });
});
