import type { Command } from 'commander';
import { createLogger, invalid } from '../../core/index.ts';
import type { TallyConfig } from '../config.ts';

/** `tally forecast --history <csv> --horizon <days> --out <csv>`: the forecast file contract. */
export function registerForecastCommand(program: Command, config: Pick<TallyConfig, 'logLevel'>): void {
  program
    .command('forecast')
    .description(
      'forecast every series of a long history CSV (series_id,date,qty[,covariates…]; .gz accepted)',
    )
    .requiredOption('--history <csv>', 'input history, long format')
    .option('--horizon <days>', 'days to forecast for series without future rows', '28')
    .requiredOption('--out <csv>', 'output: series_id,date,mean,p10,p50,p90')
    .option('--threads <n>', 'worker threads (0: in this thread)')
    .option('--models <list>', 'comma-separated candidate local models (default: tsb,ses,ses-dow,ets,snaive)')
    .option('--no-global', 'local models only (no global gradient-boosted model)')
    .action(
      async (o: {
        history: string;
        horizon: string;
        out: string;
        threads?: string;
        models?: string;
        global: boolean;
      }) => {
        const { runForecastFile } = await import('../../intel/forecast/index.ts');
        const horizon = Number(o.horizon);
        if (!Number.isInteger(horizon) || horizon < 1) throw invalid('horizon', 'must be a positive integer');
        const threads = o.threads === undefined ? undefined : Number(o.threads);
        if (threads !== undefined && !(Number.isInteger(threads) && threads >= 0)) {
          throw invalid('threads', 'must be a non-negative integer');
        }
        await runForecastFile({
          history: o.history,
          horizon,
          out: o.out,
          threads,
          models: o.models?.split(','),
          logger: createLogger('forecast', config.logLevel),
        });
      },
    );
}
