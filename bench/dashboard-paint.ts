import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startHq } from '../src/apps/hq/server.ts';
import { buildDashboard } from '../src/apps/hq/static.ts';
import { hqEventRegistry } from '../src/apps/shared/event-registry.ts';
import { createLogger } from '../src/core/log.ts';
import { DEMO_PASSWORD, seedDemoHistory } from '../src/demo/demo-history.ts';
import { seedDemoChain } from '../src/demo/index.ts';
import { CHROMIUM, launchRegisterBrowser } from '../test/e2e/register-browser.ts';
import { ms, summarise } from './stats.ts';

const LOADS = 12;

/**
 * Time to first meaningful paint of the operations view on the demo's data (5 stores, 300 products,
 * 420 days of history, as `npm start` seeds; no forecast run, which the pace and KPI tiles do not use):
 * from the start of navigation to the `tally:ops-painted` mark the screen sets once the pace chart has
 * drawn its first frame with the KPI tiles filled. Signed in already (the session cookie), so it is a
 * manager opening the dashboard in the morning: once with an empty cache, then reloads with the bundle
 * cached. Whole chain as head office (the heaviest pace query) and one store as its manager.
 */
export async function benchDashboardPaint(): Promise<Record<string, string | number>[]> {
  if (!existsSync(CHROMIUM)) return [{ what: `skipped: no Chromium at ${CHROMIUM}` }];
  await buildDashboard({ log: () => undefined });
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-dash-'));
  const logger = createLogger('bench', 'silent');
  const hq = await startHq({ port: 0, logger, dataDir: join(dir, 'hq') });
  const cleanups: (() => Promise<void>)[] = [async () => await hq.close()];
  try {
    await seedDemoChain(hq.db, hqEventRegistry, { stores: 5 });
    const seeded = await seedDemoHistory(hq.db, hqEventRegistry, { logger });
    const rows: Record<string, string | number>[] = [];
    for (const user of ['hq', 'sam']) {
      const browser = await launchRegisterBrowser();
      cleanups.unshift(async () => await browser.close());
      const { page } = browser;
      await signIn(page, hq.url, user);
      const cold = await paintOnce(page, hq.url, true);
      const warm: number[] = [];
      const pace: number[] = [];
      for (let i = 0; i < LOADS; i++) {
        const t = await paintOnce(page, hq.url, false);
        warm.push(t.painted);
        pace.push(t.paceApi);
      }
      const scope = user === 'hq' ? 'whole chain (hq, admin)' : 'store S001 (sam, store manager)';
      const w = summarise(warm);
      const p = summarise(pace);
      rows.push({ what: `${scope}: first load, empty cache`, n: 1, median: ms(cold.painted), p99: '' });
      rows.push({ what: `${scope}: reload, bundle cached`, n: w.n, median: ms(w.median), p99: ms(w.p99) });
      rows.push({
        what: `${scope}: …of which pace API answered`,
        n: p.n,
        median: ms(p.median),
        p99: ms(p.p99),
      });
    }
    rows.push({
      what: `data: ${seeded.dailyRows} daily / ${seeded.hourlyRows} hourly rows`,
      n: '',
      median: '',
      p99: '',
    });
    return rows;
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function signIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(`${url}/dashboard/`);
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByTestId('ops-view').waitFor({ timeout: 60_000 });
}

/** One navigation to the operations view; times are from navigation start, read in the page. */
async function paintOnce(
  page: Page,
  url: string,
  coldCache: boolean,
): Promise<{ painted: number; paceApi: number }> {
  if (coldCache) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
  }
  await page.goto('about:blank');
  await page.goto(`${url}/dashboard/#/ops`);
  // Strings: this file is type-checked without the DOM library.
  await page.waitForFunction("performance.getEntriesByName('tally:ops-painted').length > 0", undefined, {
    timeout: 60_000,
  });
  return await page.evaluate<{ painted: number; paceApi: number }>(`(() => {
    const painted = performance.getEntriesByName('tally:ops-painted')[0].startTime;
    const pace = performance.getEntriesByType('resource').find((e) => e.name.includes('/dashboard/ops/pace'));
    return { painted, paceApi: pace ? pace.responseEnd : NaN };
  })()`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { printTable } = await import('./stats.ts');
  printTable(
    'Dashboard: navigation to operations view painted (headless Chromium, demo data)',
    await benchDashboardPaint(),
  );
}
