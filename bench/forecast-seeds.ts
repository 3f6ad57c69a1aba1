/**
 * How much Tally's M5 score depends on the global models' random seed: each window is forecast with
 * several seeds (rows, features and horizons the GBDTs draw) and scored; the mean is the figure to expect
 * on a window nobody tuned to, the range what one run can land on.
 * `npx tsx bench/forecast-seeds.ts [cutoff…]` (default: the six windows of forecast-features.ts, three
 * seeds; about a minute a run).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forecastPanel } from '../src/intel/forecast/engine.ts';
import { forecastTally } from '../src/intel/forecast/ensemble.ts';
import { loadM5, makeCut, writeM5History } from '../src/intel/forecast/eval/m5-data.ts';
import { intervalScore, wrmsse } from '../src/intel/forecast/eval/metrics.ts';
import { alignForecasts, bottomSeries, findDataDir } from '../src/intel/forecast/eval/run-eval.ts';
import { readHistory } from '../src/intel/forecast/history-csv.ts';
import { FEATURE_CUTOFFS } from './forecast-features.ts';
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
    const cut = makeCut(data, cutoff, 28);
    const tmp = await mkdtemp(join(tmpdir(), 'tally-seeds-'));
    try {
      const csv = join(tmp, 'h.csv');
      await writeM5History(data, cut, 1095, csv);
      const panel = await readHistory(csv, { horizon: 28 });
      const bottom = bottomSeries(data, cut.cutoff, cut.actual);
      const score = (forecasts: Parameters<typeof alignForecasts>[1]['forecasts']) => {
        const qs = alignForecasts(data, { calendar: panel.calendar, forecasts }, cut.cutoff, 28);
        const w = wrmsse(
          bottom,
          qs.map((q) => q.mean),
        ).total;
        return { w, pinball: intervalScore(bottom, qs).pinball };
      };
      const naive = score(
        (await forecastPanel(panel, { models: ['snaive'], groupProfiles: false })).forecasts,
      );
      const runs: { w: number; pinball: number }[] = [];
      for (const seed of seeds) {
        process.stderr.write(`${cutoff}: seed ${seed}\n`);
        runs.push(score((await forecastTally(panel, { globalOptions: { seed } })).forecasts));
      }
      const ws = runs.map((r) => r.w);
      const mean = ws.reduce((a, b) => a + b, 0) / ws.length;
      rows.push({
        cutoff,
        'seasonal naive': naive.w.toFixed(3),
        'Tally by seed': ws.map((w) => w.toFixed(3)).join(' / '),
        'Tally mean': mean.toFixed(3),
        'mean vs naive': `${(100 * (mean / naive.w - 1)).toFixed(1)} %`,
        'pinball mean': (runs.reduce((a, r) => a + r.pinball, 0) / runs.length).toFixed(3),
      });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  printTable(`Tally on M5 by global-model seed (${seeds.join(', ')}), 28 days after each cutoff`, rows);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchForecastSeeds(process.argv.length > 2 ? process.argv.slice(2) : undefined);
}
