import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { enrollTerminal } from '../src/access/index.ts';
import { startHq } from '../src/apps/hq/server.ts';
import { hqEventRegistry } from '../src/apps/shared/event-registry.ts';
import { startTerminal } from '../src/apps/terminal/index.ts';
import { buildRegisterScreen } from '../src/apps/terminal/static.ts';
import { createLogger } from '../src/core/log.ts';
import { seedDemoChain } from '../src/demo/index.ts';
import { blur, CHROMIUM, launchRegisterBrowser, scan } from '../test/e2e/register-browser.ts';
import { ms, summarise } from './stats.ts';

const SCANS = 200;
const WARMUP = 10;
const DISTINCT = 20;

/**
 * What the cashier sees after a scan: a real till (in this process) serving the built register screen
 * to headless Chromium; each scan is a keyboard-wedge burst (13 digits, then Enter) with the focus in
 * no field, and the clock stops when the new total has been painted (the first animation frame after
 * the total's text changed). Measured in the page, from the first keystroke and from the Enter.
 * 20 distinct items, so the cart holds 20 lines and later scans add to existing lines.
 */
export async function benchRegisterScreen(): Promise<Record<string, string | number>[]> {
  if (!existsSync(CHROMIUM)) return [{ what: `skipped: no Chromium at ${CHROMIUM}` }];
  await buildRegisterScreen({ log: () => undefined });
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-screen-'));
  const logger = createLogger('bench', 'silent');
  const hq = await startHq({ port: 0, logger });
  const cleanups: (() => Promise<void>)[] = [async () => await hq.close()];
  try {
    await seedDemoChain(hq.db, hqEventRegistry, { stores: 1, products: 300 });
    const enrolled = await enrollTerminal(hq.db, { storeId: 'S001' });
    const till = await startTerminal({
      dataDir: dir,
      hqUrl: hq.url,
      ...enrolled,
      port: 0,
      logger,
      syncIntervalMs: 3_600_000, // keep the outbox quiet: only the scan path is measured
    });
    cleanups.unshift(async () => await till.close());
    const codes = (
      await hq.db.selectFrom('barcodes').select('code').orderBy('code').limit(DISTINCT).execute()
    ).map((r) => r.code);
    till.register.openShift({ cashierId: 'bench', openingFloatMinor: 10_000 });

    const browser = await launchRegisterBrowser();
    cleanups.unshift(async () => await browser.close());
    const { page } = browser;
    await page.goto(till.url);
    await page.locator('#scan').waitFor();
    // In-page probes (strings: this file is type-checked without the DOM library). The capture
    // listener on window runs before the screen's own one on document.
    await page.evaluate(`(() => {
      window.__scan = { first: null, enter: null };
      window.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') window.__scan.enter = e.timeStamp;
        else if (window.__scan.first === null) window.__scan.first = e.timeStamp;
      }, true);
    })()`);
    const armScript = `(() => {
      window.__scan = { first: null, enter: null };
      const el = document.querySelector('[data-testid=total]');
      const before = el.textContent;
      window.__painted = new Promise((resolve) => {
        const obs = new MutationObserver(() => {
          if (el.textContent === before) return;
          obs.disconnect();
          requestAnimationFrame(() => resolve(performance.now()));
        });
        obs.observe(el, { characterData: true, childList: true, subtree: true });
      });
    })()`;

    const fromFirst: number[] = [];
    const fromEnter: number[] = [];
    for (let i = 0; i < WARMUP + SCANS; i++) {
      await blur(page);
      await page.evaluate(armScript);
      await scan(page, codes[i % codes.length]!);
      const painted = await page.evaluate<number>('window.__painted');
      const t = await page.evaluate<{ first: number; enter: number }>('window.__scan');
      if (i < WARMUP) continue;
      fromFirst.push(painted - t.first);
      fromEnter.push(painted - t.enter);
    }
    const row = (what: string, s: ReturnType<typeof summarise>) => ({
      what,
      n: s.n,
      median: ms(s.median),
      p99: ms(s.p99),
    });
    return [
      row('first keystroke → new total painted', summarise(fromFirst)),
      row('Enter → new total painted', summarise(fromEnter)),
    ];
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { printTable } = await import('./stats.ts');
  printTable('Register screen: scan to total on screen (headless Chromium)', await benchRegisterScreen());
}
