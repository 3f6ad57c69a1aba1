/**
 * Forecasts at HQ on the M5 subset, into an in-memory PGlite: `tally import m5` (catalog, prices, daily
 * and hourly facts), a forecast refresh of every series (90 days, holdout backtest, reconciled totals)
 * and replenishment from HQ's tables. Wall times on the shared 2-core machine are noisy; CPU time and
 * peak RSS are printed beside them. `npx tsx bench/hq-forecast.ts [stores]` (default: all 10).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { hqEventRegistry } from '../src/apps/shared/event-registry.ts';
import { hqMigrations } from '../src/apps/shared/hq-migrations.ts';
import { openHqDb } from '../src/db/hq-db.ts';
import { importM5 } from '../src/demo/m5-import.ts';
import { refreshHqForecasts } from '../src/intel/forecast/hq-refresh.ts';
import { defaultPolicy } from '../src/intel/replenish/engine.ts';
import { replenishFromHq } from '../src/intel/replenish/hq-inputs.ts';
import { printTable } from './stats.ts';

const M5 = fileURLToPath(new URL('../../shared/data/m5-subset', import.meta.url));

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; wall: string; cpu: string }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return {
    value,
    wall: `${((performance.now() - t0) / 1000).toFixed(1)} s`,
    cpu: `${((c.user + c.system) / 1e6).toFixed(1)} s`,
  };
}

export async function benchHqForecast(stores?: number): Promise<Record<string, string | number>[]> {
  if (!existsSync(M5)) {
    console.log(`(skipped: ${M5} not found)`);
    return [];
  }
  const logger = pino({ level: 'silent' });
  const { db, close } = await openHqDb({ migrations: hqMigrations, logger });
  try {
    const imp = await timed(() => importM5(db, hqEventRegistry, { dir: M5, ...(stores ? { stores } : {}) }));
    const ref = await timed(() => refreshHqForecasts(db, { horizonDays: 90, logger }));
    const rep = await timed(() => replenishFromHq(db, { policy: defaultPolicy }));
    const rss = `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`;
    return [
      {
        step: 'tally import m5',
        rows: `${imp.value.salesRows} daily + ${imp.value.hourlyRows ?? 0} hourly`,
        wall: imp.wall,
        'cpu (main thread)': imp.cpu,
        'rss after': '',
      },
      {
        step: 'forecast refresh (90 days, backtest)',
        rows: `${ref.value.series} series`,
        wall: ref.wall,
        'cpu (main thread)': ref.cpu,
        'rss after': '',
      },
      {
        step: 'replenish from HQ tables',
        rows: `${rep.value.rows.length} SKU-locations, ${rep.value.drafts.length} drafts`,
        wall: rep.wall,
        'cpu (main thread)': rep.cpu,
        'rss after': rss,
      },
    ];
  } finally {
    await close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const stores = process.argv[2] ? Number(process.argv[2]) : undefined;
  printTable('Forecasts at HQ on the M5 subset (in-memory PGlite)', await benchHqForecast(stores));
}
