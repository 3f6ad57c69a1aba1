import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTerminal } from '../../src/access/index.ts';
import { type RunningHq, startHq } from '../../src/apps/hq/server.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { buildRegisterScreen } from '../../src/apps/terminal/static.ts';
import { createLogger } from '../../src/core/log.ts';
import { seedDemoChain } from '../../src/demo/index.ts';
import { freePort, type RunningCli, startCli } from '../helpers/processes.ts';
import { signInAt } from '../helpers/till-session.ts';
import {
  launchRegisterBrowser,
  type RegisterBrowser,
  screenSession,
  signInOnScreen,
} from './register-browser.ts';

/**
 * The register's first hour (issue 18), at the two screens tills have (1024×768 and 1280×800): a name
 * typed in the scan field and Enter finds the product; Pay stays on screen with a 30-line cart, a
 * customer and the sync banner; a chosen tender stays readable under the pointer; the return and
 * report panels get the working area; a store-credit voucher prints; a Berlin store writes German
 * dates and 24-hour times. One HQ and one till for all of it; one browser per screen size.
 */
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const logger = createLogger('e2e', 'silent');
const MANAGER = { code: 'M1', pin: '1234' };
// 14:05 on 2 December 2026 in Berlin: what the top bar's clock must read.
const NOW = new Date('2026-12-02T13:05:00Z');

let root: string;
let hq: RunningHq | undefined;
let till: RunningCli;
let manager: Record<string, string>;
let products: { sku: string; name: string }[];

const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 50 });

beforeAll(async () => {
  await buildRegisterScreen({ log: () => undefined });
  mkdirSync(artifacts, { recursive: true });
  root = mkdtempSync(join(tmpdir(), 'tally-first-hour-'));
  hq = await startHq({ port: await freePort(), logger, dataDir: join(root, 'hq') });
  await seedDemoChain(hq.db, hqEventRegistry, { stores: 1, products: 40 });
  const enrolled = await enrollTerminal(hq.db, { storeId: 'S001' });
  products = await hq.db.selectFrom('products').select(['sku', 'name']).orderBy('sku').execute();
  till = await startCli([
    'terminal',
    ...['--data', join(root, 'till'), '--port', String(await freePort())],
    ...['--hq', hq.url, '--store', 'S001', '--terminal', enrolled.terminalId, '--token', enrolled.token],
  ]);
  const setupToken = readFileSync(join(root, 'till', 'setup-token'), 'utf8').trim();
  const added = await fetch(`${till.url}/api/v1/managers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-setup-token': setupToken },
    body: JSON.stringify({ managerId: MANAGER.code, name: 'Store manager', pin: MANAGER.pin }),
  });
  expect(added.status).toBe(201);
  manager = await signInAt(till.url, MANAGER);
  // The till has pulled the catalog from HQ before anything is rung up.
  for (let i = 0; !(await api<{ catalog: { loaded: boolean } }>('/api/v1/terminal')).catalog.loaded; i++) {
    if (i > 200) throw new Error('the till never loaded the catalog');
    await new Promise((r) => setTimeout(r, 100));
  }
  await api('/api/v1/shifts', { method: 'POST', body: { openingFloatMinor: 10_000 } });
}, 180_000);

afterAll(async () => {
  await till?.stop();
  await hq?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function api<T>(
  path: string,
  init?: { method: string; body?: unknown },
  as: Record<string, string> = manager,
): Promise<T> {
  const res = await fetch(`${till.url}${path}`, {
    method: init?.method ?? 'GET',
    headers: init?.body === undefined ? as : { ...as, 'content-type': 'application/json' },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** WCAG contrast of two computed CSS colours ("rgb(r, g, b)"). */
function contrast(fg: string, bg: string): number {
  const lum = (c: string) => {
    const [r, g, b] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a! + 0.05) / (b! + 0.05);
}

/** The element's computed text and background colour (this file is type-checked without the DOM library). */
type Styled = { getComputedStyle(el: unknown): { color: string; backgroundColor: string } };
const colours = (l: Locator) =>
  l.evaluate((el) => {
    const s = (globalThis as unknown as Styled).getComputedStyle(el);
    return { color: s.color, background: s.backgroundColor };
  });

/** A word in exactly one product's name (one match: added at once) and one in several (a list to pick). */
function searchWords(): { unique: { word: string; sku: string }; shared: string } {
  const words = (name: string) => name.split(/\s+/).filter((w) => /^[A-Za-zÄÖÜäöüß-]{4,}$/.test(w));
  const count = new Map<string, Set<string>>();
  for (const p of products)
    for (const w of words(p.name)) {
      const k = w.toLowerCase();
      count.set(k, (count.get(k) ?? new Set()).add(p.sku));
    }
  // The till searches for the longest word, as part of a name, SKU or barcode: a one-word query is that word.
  const hits = (w: string) => products.filter((p) => p.name.toLowerCase().includes(w)).length;
  const unique = [...count].find(([w]) => hits(w) === 1);
  const shared = [...count].find(([w]) => hits(w) >= 2 && hits(w) <= 8);
  if (!unique || !shared) throw new Error('the demo catalog has no unique and no shared name word');
  return { unique: { word: unique[0], sku: [...unique[1]][0]! }, shared: shared[0] };
}

for (const viewport of [
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
]) {
  const size = `${viewport.width}x${viewport.height}`;
  const shot = (page: Page, what: string) =>
    page.screenshot({ path: join(artifacts, `register-${what}-${size}.png`) });

  describe(`register's first hour at ${size}`, () => {
    let browser: RegisterBrowser;
    let page: Page;
    const cartId = () => page.evaluate<string | null>("localStorage.getItem('tally.register.cartId')");
    const side = () => page.locator('main.register .side');
    const backToSale = async () => {
      await page.keyboard.press('Escape');
      await eventually(() => page.locator('#scan').isVisible()).toBe(true);
    };

    beforeAll(async () => {
      browser = await launchRegisterBrowser(viewport);
      page = browser.page;
      page.setDefaultTimeout(15_000);
      // The screen's clock reads NOW; the print dialog is counted instead of opened.
      await page.clock.setFixedTime(NOW);
      await page.addInitScript('window.__printed = 0; window.print = () => { window.__printed += 1; };');
      await page.goto(till.url);
      await signInOnScreen(page, MANAGER);
      await page.locator('#scan').waitFor({ state: 'visible' });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
    });

    it('a product name typed in the scan field and Enter adds it, or lists the matches to pick from', async () => {
      const { unique, shared } = searchWords();
      // Typed as fast as a scanner: Enter comes before any search result could have shown.
      await page.locator('#scan').focus();
      await page.keyboard.type(unique.word);
      await page.keyboard.press('Enter');
      await eventually(async () => {
        const id = await cartId();
        return id
          ? (
              await api<{ lines: { sku: string }[] }>(
                `/api/v1/carts/${id}`,
                undefined,
                await screenSession(page, till.url),
              )
            ).lines.map((l) => l.sku)
          : [];
      }).toContain(unique.sku);
      expect(await page.locator('#scan-error').count()).toBe(0);

      // Several names match: the list stays for a pick; ↓ and Enter take the second.
      await page.keyboard.type(shared);
      await page.keyboard.press('Enter');
      const results = page.getByRole('list', { name: 'Search results' }).getByRole('button');
      await eventually(() => results.count()).toBeGreaterThan(1);
      await shot(page, 'name-search');
      const second = (await results.nth(1).locator('.sku').textContent())!;
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await eventually(async () =>
        (
          await api<{ lines: { sku: string }[] }>(
            `/api/v1/carts/${await cartId()}`,
            undefined,
            await screenSession(page, till.url),
          )
        ).lines.map((l) => l.sku),
      ).toContain(second);
      expect(await page.locator('#scan').inputValue()).toBe('');
    });

    it('Pay stays inside the screen with 30 lines, a customer and the sync banner; the cart scrolls', async () => {
      const as = await screenSession(page, till.url);
      const id = (await cartId())!;
      for (const p of products.slice(0, 30))
        await api(`/api/v1/carts/${id}/lines`, { method: 'POST', body: { code: p.sku, qty: 1 } }, as);
      const customer = await api<{ customerId: string }>(
        '/api/v1/customers',
        { method: 'POST', body: { name: `Anna Becker ${size}`, phone: `+49301234${viewport.width}` } },
        as,
      );
      await api(
        `/api/v1/carts/${id}/customer`,
        { method: 'PUT', body: { customerId: customer.customerId } },
        as,
      );
      // Head office refused an event: the sync banner shows (answered here, so it cannot flicker away).
      await page.route('**/api/v1/sync/status', async (route) => {
        const real = (await (await route.fetch()).json()) as Record<string, unknown>;
        await route.fulfill({
          json: {
            ...real,
            state: 'conflict',
            conflicts: [{ seq: 7, reason: 'test' }],
            action: 'Call head office.',
          },
        });
      });
      await page.reload();
      await eventually(() => page.getByTestId('cart-lines').locator('li').count()).toBeGreaterThanOrEqual(30);
      await eventually(() => page.getByTestId('sync-banner').isVisible()).toBe(true);
      // The sale panel at its fullest: the last item rung up and a name being searched, matches listed.
      await page.locator('#scan').fill(products[31]!.sku);
      await page.locator('#scan').press('Enter');
      await eventually(() => page.getByTestId('last-added').isVisible()).toBe(true);
      await page.locator('#scan').fill(searchWords().shared);
      await eventually(() => page.getByRole('list', { name: 'Search results' }).isVisible()).toBe(true);
      await shot(page, 'long-cart');

      const pay = page.getByRole('button', { name: /^Pay/ });
      const box = (await pay.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      expect(await pay.isEnabled()).toBe(true);
      // The cart scrolls inside its own area, and its last line can be brought into view.
      const lines = page.getByTestId('cart-lines');
      expect(await lines.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
      const last = lines.locator('li').last();
      await last.scrollIntoViewIfNeeded();
      const lastBox = (await last.boundingBox())!;
      expect(lastBox.y + lastBox.height).toBeLessThanOrEqual(viewport.height);
      expect(await page.evaluate('document.documentElement.scrollHeight')).toBeLessThanOrEqual(
        viewport.height,
      );
      await page.locator('#scan').fill('');
      await page.unroute('**/api/v1/sync/status');
    });

    it('a chosen tender keeps readable colours under the pointer', async () => {
      await page.getByRole('button', { name: /^Pay/ }).click();
      const chosen = page.locator('.tender-panel .btn.method[aria-pressed="true"]').first();
      await eventually(() => chosen.isVisible()).toBe(true);
      const before = await colours(chosen);
      await chosen.hover();
      const hovered = await colours(chosen);
      expect(contrast(hovered.color, hovered.background)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(before.color, before.background)).toBeGreaterThanOrEqual(4.5);
      // An unchosen one under the pointer reads as well.
      const other = page.locator('.tender-panel .btn.method[aria-pressed="false"]').first();
      await other.hover();
      const o = await colours(other);
      expect(contrast(o.color, o.background)).toBeGreaterThanOrEqual(4.5);
      await chosen.hover();
      await shot(page, 'tender-hover');
      await backToSale();
    });

    it('return, X report, gift card and customer panels take the working area', async () => {
      const working = async () => (await page.locator('main.register').boundingBox())!.width;
      for (const [key, label] of [
        ['F7', 'Return'],
        ['F8', 'X report'],
        ['Alt+g', 'Gift card'],
        ['Alt+c', 'Kunde'],
      ] as const) {
        await page.locator('#scan').focus();
        await page.keyboard.press(key);
        const panel = side().locator(`section[aria-label="${label}"]`);
        await eventually(() => panel.isVisible()).toBe(true);
        const width = (await panel.boundingBox())!.width;
        expect(width / (await working()), `${label} panel share of the working width`).toBeGreaterThanOrEqual(
          0.7,
        );
        await shot(page, `panel-${label.toLowerCase().replace(/\s+/g, '-')}`);
        await backToSale();
      }
    });

    it('a store-credit voucher prints: the slip holds its code; Berlin dates and 24-hour times throughout', async () => {
      // A sale to return, paid in cash (through the API, in the screen's session).
      const as = await screenSession(page, till.url);
      const cart = await api<{ cartId: string }>('/api/v1/carts', { method: 'POST', body: {} }, as);
      await api(
        `/api/v1/carts/${cart.cartId}/lines`,
        { method: 'POST', body: { code: products[35]!.sku, qty: 1 } },
        as,
      );
      const sale = await api<{ receiptNo: string }>(
        `/api/v1/carts/${cart.cartId}/complete`,
        { method: 'POST', body: { tenders: [{ kind: 'cash', tenderedMinor: 100_000 }] } },
        as,
      );

      // The top bar's clock: the store's date and 24-hour time.
      expect(await page.getByTestId('clock').textContent()).toBe('02.12.2026 14:05');

      await page.locator('#scan').focus();
      await page.keyboard.press('F7');
      const receiptField = page.locator('#receipt-no');
      await receiptField.fill(sale.receiptNo);
      await receiptField.press('Enter');
      await page
        .getByRole('button', { name: /Return one more/ })
        .first()
        .click();
      await page.getByRole('button', { name: 'Faulty' }).click();
      await page.getByRole('button', { name: 'Store credit' }).click();
      await page.getByRole('button', { name: /^Refund/ }).click();
      const code = (await page.getByTestId('store-credit-code').textContent())!;
      expect(code.length).toBeGreaterThan(8);
      // The refund slip (the till's text) writes the store's date and time.
      await eventually(() => page.getByTestId('refund-slip').textContent()).toMatch(
        /\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/,
      );
      expect(await page.getByTestId('refund-slip').textContent()).not.toMatch(/\b[AP]M\b/);

      await page.getByRole('button', { name: 'Print voucher' }).click();
      const slip = page.getByTestId('voucher-slip');
      await eventually(() => slip.isVisible()).toBe(true);
      expect(await page.getByTestId('voucher-slip-code').textContent()).toBe(code);
      expect(await slip.textContent()).toMatch(/02\.12\.2026 14:05/);
      await eventually(() => page.evaluate<number>('window.__printed')).toBeGreaterThanOrEqual(1);
      // Printed, the slip is all there is on the page.
      await page.emulateMedia({ media: 'print' });
      expect(await slip.isVisible()).toBe(true);
      expect(await page.locator('#root').isVisible()).toBe(false);
      await shot(page, 'voucher-print');
      await page.emulateMedia({ media: 'screen' });
      await page.getByRole('button', { name: 'Done' }).click();
      await eventually(() => slip.count()).toBe(0);
      await backToSale();

      // The X report: when the shift opened and how far it runs, German style, no AM/PM.
      await page.locator('#scan').focus();
      await page.keyboard.press('F8');
      const x = side().locator('section[aria-label="X report"]');
      await eventually(() => x.textContent()).toMatch(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} – \d{2}:\d{2}/);
      expect(await x.textContent()).not.toMatch(/\b[AP]M\b/);
      await shot(page, 'berlin-dates');
      await backToSale();
    });
  });
}
