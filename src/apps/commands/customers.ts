import type { Command } from 'commander';
import { invalid } from '../../core/index.ts';
import { stepBars } from './progress-bars.ts';

/**
 * `tally customers score`: who buys again in the next N days, how much, and their RFM segment, from a file
 * of invoice lines; `tally customers convert-online-retail`: the UCI Online Retail file in that format.
 */
export function registerCustomersCommand(program: Command): void {
  const customers = program.command('customers').description('customer intelligence: churn, spend, segments');
  customers
    .command('score')
    .description('p_active, expected spend and RFM segment for every customer with a line before --as-of')
    .requiredOption(
      '--transactions <csv>',
      'invoice,time,customer,product,quantity,unit_price[,store] (.csv or .csv.gz)',
    )
    .requiredOption('--as-of <date>', 'YYYY-MM-DD: the first day predicted; every line must be before it')
    .option('--horizon-days <n>', 'days ahead', '90')
    .requiredOption('--out <csv>', 'customer,p_active,expected_spend,segment')
    .option('--with-clv12', 'add a fifth column clv12: expected spend in the next 365 days')
    .option('--seed <n>', 'random seed of the boosted models', '7')
    .action(
      async (o: {
        transactions: string;
        asOf: string;
        horizonDays: string;
        out: string;
        withClv12?: boolean;
        seed: string;
      }) => {
        const horizon = Number(o.horizonDays);
        if (!Number.isInteger(horizon) || horizon < 1 || horizon > 730)
          throw invalid('--horizon-days', `expected a whole number of days 1–730, got "${o.horizonDays}"`);
        const seed = Number(o.seed);
        if (!Number.isInteger(seed)) throw invalid('--seed', `expected an integer, got "${o.seed}"`);
        const { scoreFile } = await import('../../intel/customers/index.ts');
        const bars = stepBars();
        try {
          const result = await scoreFile({
            transactions: o.transactions,
            asOf: o.asOf,
            horizonDays: horizon,
            out: o.out,
            withClv12: o.withClv12 ?? false,
            seed,
            onProgress: bars.update,
          });
          bars.stop();
          const active = result.scores.reduce((s, c) => s + c.pActive, 0);
          console.log(
            `${result.scores.length} customers scored to ${o.out}; ${active.toFixed(0)} expected to buy within ${horizon} days`,
          );
        } finally {
          bars.stop();
        }
      },
    );
  customers
    .command('convert-online-retail')
    .description('rewrite the UCI Online Retail CSV (InvoiceNo,…,CustomerID,Country) as transaction lines')
    .argument('<in>', 'online_retail.csv or .csv.gz')
    .requiredOption('--out <csv>', 'transaction lines (.csv, or .csv.gz to compress)')
    .option('--before <date>', 'YYYY-MM-DD: keep only lines before this day (a file to score at that as-of)')
    .action(async (input: string, o: { out: string; before?: string }) => {
      const { convertOnlineRetail, parseAsOf } = await import('../../intel/customers/index.ts');
      const n = await convertOnlineRetail(
        input,
        o.out,
        o.before === undefined ? undefined : parseAsOf(o.before, '--before'),
      );
      console.log(`${n} lines written to ${o.out}`);
    });
}
