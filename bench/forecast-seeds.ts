import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forecastPanel } from '../src/intel/forecast/engine.ts';
import { forecastTally } from '../src/intel/forecast/ensemble.ts';
import { loadM5 } from '../src/intel/forecast/eval/m5-data.ts';
import { findDataDir } from '../src/intel/forecast/eval/run-eval.ts';
import { FEATURE_CUTOFFS } from './forecast-features.ts';
import { withM5Window } from './m5-window.ts';
import { printTable } from './stats.ts';

export const SEEDS = [7, 11, 13];

export async function benchForecastSeeds(cutoffs = FEATURE_CUTOFFS, seeds = SEEDS): Promise<void> {
  const dir = findDataDir();
  if (!dir) {
    console.log('forecast seeds bench: ../shared/data is absent, skipped');
    return;
  }
  const data = await loadM5(join(dir, 'm5-subset'));
  const rows: Record<string, string>[] = [];
  for (const cutoff of cutoffs) {
    await withM5Window(data, cutoff, async ({ panel, score }) => {
      const naive = score(
        (await forecastPanel(panel, { models: ['snaive'], groupProfiles: false })).forecasts,
      );
      const runs = [];
      for (const seed of seeds) {
        process.stderr.write(`${cutoff}: seed ${seed}\n`);
        runs.push(score((await forecastTally(panel, { globalOptions: { seed } })).forecasts));
      }
      const ws = runs.map((r) => r.wrmsse);
      const mean = ws.reduce((a, b) => a + b, 0) / ws.length;
      rows.push({
        cutoff,
        'seasonal naive': naive.wrmsse.toFixed(3),
        'Tally by seed': ws.map((w) => w.toFixed(3)).join(' / '),
        'Tally mean': mean.toFixed(3),
        'mean vs naive': `${(100 * (mean / naive.wrmsse - 1)).toFixed(1)} %`,
        'pinball mean': (runs.reduce((a, r) => a + r.intervals.pinball, 0) / runs.length).toFixed(3),
      });
    });
  }
  printTable(`Tally on M5 by global-model seed (${seeds.join(', ')}), 28 days after each cutoff`, rows);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchForecastSeeds(process.argv.length > 2 ? process.argv.slice(2) : undefined);
}
