import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildRegisterScreen } from '../src/apps/terminal/static.ts';
import { blur, CHROMIUM, launchRegisterBrowser, scan, shareSession } from '../test/e2e/register-browser.ts';
import { withBenchTill } from './bench-till.ts';
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
  return withBenchTill('screen', async ({ hq, till, signedIn }) => {
    const closeBrowser: (() => Promise<void>)[] = [];
    try {
      const codes = (
        await hq.db.selectFrom('barcodes').select('code').orderBy('code').limit(DISTINCT).execute()
      ).map((r) => r.code);
      till.register.openShift({ cashierId: 'bench', openingFloatMinor: 10_000 });

      const browser = await launchRegisterBrowser();
      closeBrowser.push(async () => await browser.close());
      const { page } = browser;
      await shareSession(page, till.url, signedIn);
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
      for (const c of closeBrowser) await c().catch(() => undefined);
    }
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { printTable } = await import('./stats.ts');
  printTable('Register screen: scan to total on screen (headless Chromium)', await benchRegisterScreen());
}
