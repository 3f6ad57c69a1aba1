import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { buildHqApp } from '../src/apps/hq/server.ts';
import { hqEventRegistry } from '../src/apps/shared/event-registry.ts';
import { hqMigrations } from '../src/apps/shared/hq-migrations.ts';
import { createStore } from '../src/catalog/hq/stores.ts';
import { DASHBOARD_PATHS as P } from '../src/contracts/dashboard.ts';
import { businessDate } from '../src/core/clock.ts';
import { seededRandom } from '../src/core/random.ts';
import { openHqDb } from '../src/db/hq-db.ts';
import { demoProducts, insertHistory } from '../src/demo/demo-history.ts';
import { seedDemoChain } from '../src/demo/seed.ts';
import { addDays } from '../src/reports/common.ts';
import { printTable } from './stats.ts';

const ADMIN = 'bench-admin-token-dashboard';

const rank = (s: number[], p: number): number =>
  s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? Number.NaN;

/**
 * API latency of the dashboard's operations queries on a year of history for 10 stores (daily facts per
 * SKU and hourly facts per store, seeded into in-memory PGlite): pace for the whole chain against last
 * week and last year (the heaviest the issue names), and the other panels for comparison. Measured
 * through HTTP inject with the admin token, so routing, scope, validation and serialisation count.
 */
export async function benchDashboardApi(
  o: { stores?: number; days?: number; products?: number; runs?: number } = {},
) {
  const stores = o.stores ?? 10;
  const days = o.days ?? 365;
  const runs = o.runs ?? 30;
  const logger = pino({ level: 'warn' });
  const h = await openHqDb({ migrations: hqMigrations, logger });
  try {
    const t0 = performance.now();
    await seedDemoChain(h.db, hqEventRegistry, { stores: 5, products: o.products ?? 300 });
    for (let i = 6; i <= stores; i++)
      await createStore(h.db, {
        storeId: `S${String(i).padStart(3, '0')}`,
        name: `Tally Markt ${i}`,
        address: '',
        currency: 'EUR',
        timeZone: 'Europe/Berlin',
        taxInclusive: true,
      });
    const ids = Array.from({ length: stores }, (_, i) => `S${String(i + 1).padStart(3, '0')}`);
    const today = businessDate(new Date(), 'Europe/Berlin');
    const products = await demoProducts(h.db, seededRandom(3));
    const seeded = await insertHistory(
      h.db,
      {
        products,
        stores: ids.map((storeId, i) => ({
          storeId,
          from: addDays(today, -days),
          size: 0.7 + (i % 4) * 0.2,
        })),
        today,
        todayHour: 14,
      },
      { merge: false },
    );
    const seedSeconds = (performance.now() - t0) / 1000;
    const app = await buildHqApp({ db: h.db, logger, adminToken: ADMIN });
    const headers = { authorization: `Bearer ${ADMIN}` };
    const rows: Record<string, string | number>[] = [];
    for (const [name, url] of [
      ['pace, whole chain (today vs last week vs last year)', P.pace],
      ['pace, one store', `${P.pace}?store=S001`],
      ['inventory health, whole chain', P.inventory],
      ['drill-down, chain → stores', P.drill],
      ['morning briefing, whole chain', P.briefing],
    ] as const) {
      const samples: number[] = [];
      for (let i = 0; i < runs + 3; i++) {
        const t = performance.now();
        const res = await app.inject({ url, headers });
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
        if (i >= 3) samples.push(performance.now() - t);
      }
      samples.sort((a, b) => a - b);
      rows.push({
        query: name,
        runs,
        'median ms': rank(samples, 0.5).toFixed(1),
        'p95 ms': rank(samples, 0.95).toFixed(1),
      });
    }
    await app.close();
    console.log(
      `dashboard data: ${stores} stores × ${days} days, ${products.length} products: ${seeded.dailyRows} sales_daily and ` +
        `${seeded.hourlyRows} sales_hourly rows seeded in ${seedSeconds.toFixed(1)} s (PGlite, in memory)`,
    );
    return rows;
  } finally {
    await h.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string): number | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  printTable(
    'Dashboard API latency on a year of history (PGlite; shared 2-core machine, noisy)',
    await benchDashboardApi({
      stores: arg('stores'),
      days: arg('days'),
      products: arg('products'),
      runs: arg('runs'),
    }),
  );
}
