import type { Command } from 'commander';
import { createLogger, invalid } from '../../core/index.ts';
import { parsePositiveInt } from '../options.ts';
import { hqDbOptions, withHqDbCli } from './hq-db-cli.ts';
import { stepBars } from './progress-bars.ts';

interface RefreshCli {
  data: string;
  db?: string;
  horizon: number;
  asOf?: string;
  keep: number;
  backtest: boolean;
  global: boolean;
  threads?: number;
}

/**
 * `tally forecast refresh`: the nightly refresh on demand. It hangs under `tally forecast` without changing
 * the file contract: the parent's required --history/--out are checked only when the parent itself runs
 * (commander would otherwise demand them for the subcommand too), and its options stop at the subcommand
 * name so `refresh --horizon` is the refresh's own.
 */
export function registerForecastRefreshCommand(program: Command): void {
  const forecast = program.commands.find((c) => c.name() === 'forecast');
  if (!forecast) throw new Error('register the forecast command before its refresh subcommand');
  // Both levels: the root otherwise moves every option after the operands, and the parent takes its own.
  program.enablePositionalOptions();
  forecast.enablePositionalOptions();
  const required = forecast.options.filter((o) => o.mandatory);
  for (const o of required) o.mandatory = false;
  forecast.hook('preAction', (_self, action) => {
    if (action !== forecast) return;
    for (const o of required)
      if (forecast.getOptionValue(o.attributeName()) === undefined)
        forecast.error(`error: required option '${o.flags}' not specified`, {
          code: 'commander.missingMandatoryOptionValue',
        });
  });

  hqDbOptions(
    forecast
      .command('refresh')
      .description("refresh the forecasts stored at HQ from its daily sales (what HQ's nightly job does)"),
  )
    .option('--horizon <days>', 'days to forecast', parsePositiveInt('--horizon'), 90)
    .option('--as-of <date>', 'last day of history (YYYY-MM-DD; default: the latest day with sales)')
    .option('--keep <n>', 'runs to keep; older ones are deleted', parsePositiveInt('--keep'), 3)
    .option('--no-backtest', 'skip the four-week holdout backtest (faster; no error shown per series)')
    .option('--no-global', 'per-series models only, without the global GBDT model (about half the time)')
    .option('--threads <n>', 'worker threads (0: in this thread)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0)
        throw invalid('--threads', `expected a whole number ≥ 0, got "${v}"`);
      return n;
    })
    .action(async (o: RefreshCli) => {
      if (o.horizon > 730) throw invalid('--horizon', `at most 730 days, got ${o.horizon}`);
      if (o.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.asOf))
        throw invalid('--as-of', `expected YYYY-MM-DD, got "${o.asOf}"`);
      const log = createLogger('tally-forecast', 'error');
      const { refreshHqForecasts } = await import('../../intel/forecast/index.ts');
      const { latestRun } = await import('../../intel/forecast/index.ts');
      await withHqDbCli(o, log, async (db) => {
        const bars = stepBars();
        try {
          const r = await refreshHqForecasts(db, {
            horizonDays: o.horizon,
            logger: log,
            keepRuns: o.keep,
            backtest: o.backtest,
            global: o.global,
            ...(o.asOf ? { asOf: o.asOf } : {}),
            ...(o.threads !== undefined ? { threads: o.threads } : {}),
            onProgress: bars.update,
          });
          bars.stop();
          const run = await latestRun(db);
          const bt = run?.backtest ?? {};
          const mae =
            typeof bt.mae === 'number' ? ` backtest MAE ${bt.mae.toFixed(2)} units/day per SKU` : '';
          console.log(
            `forecast run ${r.runId}: ${r.series} series, history to ${r.asOf}, ${o.horizon} days ahead,${mae} ` +
              `in ${(r.ms / 1000).toFixed(1)} s`,
          );
        } finally {
          bars.stop();
        }
      });
    });
}
