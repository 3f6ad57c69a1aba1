import type { Command } from 'commander';
import { invalid } from '../../core/index.ts';

/** `tally eval`: accuracy of the forecasting engine on the shared real data, against baselines. */
export function registerEvalCommand(program: Command): void {
  const evalCommand = program.command('eval');
  evalCommand
    .command('customers')
    .description(
      'churn and spend scores on Online Retail windows: ROC AUC, ECE, Brier, Spearman vs baselines',
    )
    .option('--data <dir>', 'shared data folder (default: ../shared/data or /work/shared/data)')
    .option('--windows <list>', 'as-of:days pairs, e.g. 2011-09-09:90,2011-11-01:30 (default: seven windows)')
    .option('--seed <n>', 'random seed of the boosted models', '7')
    .action(async (o: { data?: string; windows?: string; seed: string }) => {
      const { parseWindows, runCustomersEval } = await import('../../intel/customers/index.ts');
      const seed = Number(o.seed);
      if (!Number.isInteger(seed)) throw invalid('--seed', `expected an integer, got "${o.seed}"`);
      await runCustomersEval({
        data: o.data,
        windows: o.windows ? parseWindows(o.windows) : undefined,
        seed,
      });
    });
  evalCommand
    .command('baskets')
    .description(
      'hit rate of basket rules on Online Retail windows (hide one product, recommend ten) vs best sellers and pairwise rules',
    )
    .option('--data <dir>', 'shared data folder (default: ../shared/data or /work/shared/data)')
    .option('--windows <list>', 'as-of dates, e.g. 2011-09-09,2011-11-09 (default: four windows)')
    .action(async (o: { data?: string; windows?: string }) => {
      const { parseBasketWindows, runBasketsEval } = await import('../../intel/baskets/index.ts');
      await runBasketsEval({ data: o.data, windows: o.windows ? parseBasketWindows(o.windows) : undefined });
    });
  evalCommand
    .description(
      'score the forecasts on the M5 subset at a cutoff (WRMSSE, pinball, coverage) and on online-retail',
    )
    .option('--data <dir>', 'shared data folder (default: ../shared/data or /work/shared/data)')
    .option('--cutoff <date>', 'last observed day; the next --horizon days are scored', '2016-04-24')
    .option('--horizon <days>', 'days ahead', '28')
    .option('--history-days <days>', 'days of history given to the models', '1095')
    .option('--threads <n>', 'worker threads (0: in this thread)')
    .option('--models <list>', 'Tally candidate models (default: all)')
    .option('--m5-only', 'skip the online-retail check')
    .option('--no-global', 'local models only (no global gradient-boosted model)')
    .option('--seed <n>', "the global models' random seed (rows, features, horizons drawn; default 7)")
    .action(
      async (o: {
        data?: string;
        cutoff: string;
        horizon: string;
        historyDays: string;
        threads?: string;
        models?: string;
        m5Only?: boolean;
        global: boolean;
        seed?: string;
      }) => {
        const { runEval } = await import('../../intel/forecast/index.ts');
        const { parseModels } = await import('../../intel/forecast/index.ts');
        const horizon = Number(o.horizon);
        const historyDays = Number(o.historyDays);
        if (!Number.isInteger(horizon) || horizon < 1) throw invalid('horizon', 'must be a positive integer');
        if (!Number.isInteger(historyDays) || historyDays < 28)
          throw invalid('history-days', 'must be an integer ≥ 28');
        const seed = o.seed === undefined ? undefined : Number(o.seed);
        if (seed !== undefined && !Number.isInteger(seed)) throw invalid('seed', 'must be an integer');
        await runEval({
          data: o.data,
          cutoff: o.cutoff,
          horizon,
          historyDays,
          threads: o.threads === undefined ? undefined : Number(o.threads),
          models: parseModels(o.models?.split(',')),
          m5Only: o.m5Only ?? false,
          global: o.global,
          seed,
        });
      },
    );
}
