import type { Command } from 'commander';
import { invalid } from '../../core/index.ts';
import { stepBars } from './progress-bars.ts';

function share(text: string, flag: string): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0 || v > 1)
    throw invalid(flag, `expected a share of baskets above 0 and at most 1 (0.01 is 1 %), got "${text}"`);
  return v;
}

/** `tally baskets`: association rules (FP-growth) from a file of invoice lines. */
export function registerBasketsCommand(program: Command): void {
  program
    .command('baskets')
    .description('what sells together: association rules mined with FP-growth from invoice lines')
    .requiredOption(
      '--transactions <csv>',
      'invoice,time,customer,product,quantity,unit_price[,store] (.csv or .csv.gz)',
    )
    .requiredOption('--out <csv>', 'antecedent,consequent,support,confidence,lift (antecedent joined by |)')
    .option('--min-support <share>', 'share of baskets holding every product of a rule', '0.01')
    .option(
      '--min-confidence <share>',
      'share of the antecedent’s baskets that also hold the consequent',
      '0.1',
    )
    .option('--max-antecedent <n>', 'most products on the left of a rule', '2')
    .option('--store <id>', "mine this store's baskets only")
    .action(
      async (o: {
        transactions: string;
        out: string;
        minSupport: string;
        minConfidence: string;
        maxAntecedent: string;
        store?: string;
      }) => {
        const minSupport = share(o.minSupport, '--min-support');
        const minConfidence = Number(o.minConfidence);
        if (!Number.isFinite(minConfidence) || minConfidence < 0 || minConfidence > 1)
          throw invalid('--min-confidence', `expected a share from 0 to 1, got "${o.minConfidence}"`);
        const maxAntecedent = Number(o.maxAntecedent);
        if (!Number.isInteger(maxAntecedent) || maxAntecedent < 1 || maxAntecedent > 4)
          throw invalid('--max-antecedent', `expected a whole number 1–4, got "${o.maxAntecedent}"`);
        const { mineFile } = await import('../../intel/baskets/index.ts');
        const bars = stepBars();
        try {
          const t0 = performance.now();
          const r = await mineFile({
            transactions: o.transactions,
            out: o.out,
            minSupport,
            minConfidence,
            maxAntecedent,
            store: o.store,
            onProgress: bars.update,
          });
          bars.stop();
          console.log(
            `${r.rules} rules from ${r.baskets} baskets (each rule in ≥ ${r.minCount} baskets) written to ${o.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
          );
        } finally {
          bars.stop();
        }
      },
    );
}
