import type { Command } from 'commander';
import { createLogger, invalid } from '../../core/index.ts';
import { parsePositiveInt } from '../options.ts';
import { hqDbOptions, withHqDbCli } from './hq-db-cli.ts';
import { stepBars } from './progress-bars.ts';

interface CustomersRefreshCli {
  data: string;
  db?: string;
  horizon: number;
  asOf?: string;
  keep: number;
}

/**
 * `tally customers refresh`: HQ's nightly customer scoring on demand, from HQ's own sales by customer
 * (the file contract stays `tally customers score --transactions`). Joins the existing `customers` command.
 */
export function registerCustomersRefreshCommand(program: Command): void {
  const customers = program.commands.find((c) => c.name() === 'customers');
  if (!customers) throw new Error('register the customers command before its refresh subcommand');
  hqDbOptions(
    customers
      .command('refresh')
      .description("score HQ's customers from its own sales and store the run (what HQ's nightly job does)"),
  )
    .option('--horizon <days>', 'days ahead', parsePositiveInt('--horizon'), 90)
    .option('--as-of <date>', "first day predicted (YYYY-MM-DD; default: today in the chain's time zone)")
    .option('--keep <n>', 'runs to keep; older ones are deleted', parsePositiveInt('--keep'), 14)
    .action(async (o: CustomersRefreshCli) => {
      if (o.horizon > 730) throw invalid('--horizon', `at most 730 days, got ${o.horizon}`);
      if (o.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.asOf))
        throw invalid('--as-of', `expected YYYY-MM-DD, got "${o.asOf}"`);
      const log = createLogger('tally-customers', 'error');
      const { runCustomerScores } = await import('../../intel/customers/hq/index.ts');
      await withHqDbCli(o, log, async (db) => {
        const bars = stepBars();
        try {
          const r = await runCustomerScores(db, {
            logger: log,
            horizonDays: o.horizon,
            keepRuns: o.keep,
            ...(o.asOf ? { asOf: o.asOf } : {}),
            onProgress: bars.update,
          });
          bars.stop();
          console.log(
            r.status === 'done'
              ? `customer scores run ${r.runId}: ${r.customers} customers from ${r.lines} lines, as of ${r.asOf}, ` +
                  `${o.horizon} days ahead, in ${(r.ms / 1000).toFixed(1)} s`
              : `customer scores run ${r.runId}: ${r.message}`,
          );
        } finally {
          bars.stop();
        }
      });
    });
}
