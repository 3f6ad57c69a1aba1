import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createLogger, invalid } from '../../core/index.ts';
import { addStoreCountOption, parsePositiveInt, storeCount } from '../options.ts';
import { hqDbOptions, withHqDbCli } from './hq-db-cli.ts';
import { stepBars } from './progress-bars.ts';

interface M5Cli {
  data: string;
  db?: string;
  from: string;
  storeCount?: number;
  /** Deprecated spelling of storeCount. */
  stores?: number;
  days?: number;
  forecast?: boolean;
  horizon: number;
}

export const DEFAULT_M5_DIR = join('..', 'shared', 'data', 'm5-subset');

/**
 * `tally import m5 [dir]`: the Walmart M5 subset into HQ (stores, categories, products, prices, daily
 * sales, calendar, department suppliers, opening stock), optionally followed by a forecast refresh. A subcommand of `import`, whose own options stop at
 * the subcommand name so `m5 --data` is this command's.
 */
export function registerImportM5Command(program: Command): void {
  const parent = program.commands.find((c) => c.name() === 'import');
  if (!parent) throw new Error('register the import command before its m5 subcommand');
  // Both levels: the root otherwise moves every option after the operands, and the parent takes its own.
  program.enablePositionalOptions();
  parent.enablePositionalOptions();
  const m5 = hqDbOptions(
    parent
      .command('m5')
      .description(
        'load the Walmart M5 subset (stores, items, prices, daily sales, calendar, suppliers, opening stock) into HQ; re-import replaces it',
      )
      .argument('[dir]', 'the M5 subset folder (same as --from)'),
  ).option('--from <dir>', 'the M5 subset folder (read its SOURCE.md)', DEFAULT_M5_DIR);
  addStoreCountOption(m5, 'only the first N stores')
    .option('--days <n>', 'only the last N days of sales', parsePositiveInt('--days'))
    .option('--forecast', 'refresh the stored forecasts afterwards')
    .option('--horizon <days>', 'forecast horizon with --forecast', parsePositiveInt('--horizon'), 90)
    .action(async (dir: string | undefined, o: M5Cli) => {
      if (dir && o.from !== DEFAULT_M5_DIR && resolve(dir) !== resolve(o.from))
        throw invalid('--from', `give the folder once: "${dir}" and --from "${o.from}" differ`);
      const from = resolve(dir ?? o.from);
      const log = createLogger('tally-import', 'error');
      const {
        checkM5Folder,
        importM5,
        HOURLY_PROFILE,
        LOW_EVERY,
        M5_LEAD_DAYS,
        OPENING_COVER_DAYS,
        OPENING_RATE_DAYS,
      } = await import('../../demo/index.ts');
      await checkM5Folder(from);
      const { hqEventRegistry } = await import('../shared/event-registry.ts');
      await withHqDbCli(o, log, async (db) => {
        const bars = stepBars();
        const progress = bars.update;
        try {
          const t0 = performance.now();
          const r = await importM5(db, hqEventRegistry, {
            dir: from,
            ...(storeCount(o) ? { stores: storeCount(o) } : {}),
            ...(o.days ? { days: o.days } : {}),
            onProgress: progress,
          });
          bars.stop();
          const secs = ((performance.now() - t0) / 1000).toFixed(1);
          console.log(
            `imported M5 from ${from} in ${secs} s: ${r.stores} stores, ${r.categories} categories and ` +
              `departments, ${r.products} products, ${r.priceRows} store price rows, ` +
              `${r.salesRows.toLocaleString('en')} daily sales rows (${r.units.toLocaleString('en')} units, ${r.from} to ${r.to})`,
          );
          console.log(
            `calendar: ${r.calendarEvents.toLocaleString('en')} rows (events chain-wide, SNAP days per state); ` +
              `suppliers: ${r.suppliersAdded} new, one per department, lead times assumed ` +
              `(${Object.entries(M5_LEAD_DAYS)
                .map(([cat, d]) => `${cat} ${d} d`)
                .join(', ')}; change with \`tally suppliers set\`)`,
          );
          console.log(
            `opening stock: ${r.stockMovements} movements, ${r.stockUnits.toLocaleString('en')} units on hand at ${r.to}: ` +
              `${OPENING_COVER_DAYS} days of each item's last ${OPENING_RATE_DAYS} days of sales in whole cases; ` +
              `${r.lowStock} store × item lines left sold out (the first and every ${LOW_EVERY}th item of each store). M5 has no stock, so this is an assumption, not data`,
          );
          const first = HOURLY_PROFILE[0]?.[0] ?? 0;
          const last = HOURLY_PROFILE[HOURLY_PROFILE.length - 1]?.[0] ?? 23;
          console.log(
            r.hourlyRows === undefined
              ? 'sales_hourly: not in this HQ database, so no hourly facts were written'
              : `sales_hourly: ${r.hourlyRows.toLocaleString('en')} store-hour rows. M5 has daily sales only: each store-day ` +
                  `was spread over ${first}:00–${last}:59 by a fixed profile (a late-morning rise, an after-work peak), ` +
                  'so the hours are an assumption, not data',
          );
          if (o.forecast) {
            const { refreshHqForecasts } = await import('../../intel/forecast/index.ts');
            const f = await refreshHqForecasts(db, {
              horizonDays: o.horizon,
              logger: log,
              onProgress: (stage, done, total) => progress(stage, done, total),
            });
            bars.stop();
            console.log(
              `forecast run ${f.runId}: ${f.series} series, history to ${f.asOf}, ${o.horizon} days ahead, ` +
                `in ${(f.ms / 1000).toFixed(1)} s`,
            );
          }
        } finally {
          bars.stop();
        }
      });
    });
}
