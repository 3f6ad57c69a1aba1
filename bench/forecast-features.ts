import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forecastPanel } from '../src/intel/forecast/engine.ts';
import { blend, combineForecasts, DEFAULT_GLOBAL_WEIGHT } from '../src/intel/forecast/ensemble.ts';
import { loadM5 } from '../src/intel/forecast/eval/m5-data.ts';
import { findDataDir } from '../src/intel/forecast/eval/run-eval.ts';
import { forecastGlobal } from '../src/intel/forecast/global/index.ts';
import type { Panel, SeriesForecast } from '../src/intel/forecast/panel.ts';
import { withM5Window } from './m5-window.ts';
import { printTable } from './stats.ts';

export const FEATURE_CUTOFFS = [
  '2016-04-24',
  '2016-03-27',
  '2016-02-28',
  '2016-01-31',
  '2015-12-27',
  '2015-10-25',
];

async function gbdtPair(panel: Panel, groupFeatures: boolean): Promise<SeriesForecast[]> {
  const run = (weighted: boolean) =>
    forecastGlobal(panel, { horizon: 28, threads: 2, inWorker: true, weighted, groupFeatures });
  const [plain, weighted] = await Promise.all([run(false), run(true)]);
  return plain.map((p, i) => ({ ...blend(p, weighted[i], 0.5), model: 'gbdt' }));
}

export async function benchForecastFeatures(cutoffs = FEATURE_CUTOFFS): Promise<Record<string, string>[]> {
  const dir = findDataDir();
  if (!dir) {
    console.log('forecast features bench: ../shared/data is absent, skipped');
    return [];
  }
  const data = await loadM5(join(dir, 'm5-subset'));
  const rows: Record<string, string>[] = [];
  const sums = new Map<string, number[]>();
  for (const cutoff of cutoffs) {
    await withM5Window(data, cutoff, async ({ panel, score: scoreWindow }) => {
      process.stderr.write(`${cutoff}: local models\n`);
      const local = (await forecastPanel(panel, {})).forecasts;
      const score = (method: string, forecasts: readonly SeriesForecast[]) => {
        const { wrmsse, intervals } = scoreWindow(forecasts);
        const acc = sums.get(method) ?? [];
        acc.push(wrmsse, intervals.pinball);
        sums.set(method, acc);
        rows.push({ cutoff, method, WRMSSE: wrmsse.toFixed(3), pinball: intervals.pinball.toFixed(3) });
      };
      for (const groups of [false, true]) {
        process.stderr.write(`${cutoff}: GBDT pair, store features ${groups ? 'on' : 'off'}\n`);
        const pair = await gbdtPair(panel, groups);
        const tag = groups ? 'store features' : 'no store features';
        score(`gbdt pair, ${tag}`, pair);
        score(
          `blend ${DEFAULT_GLOBAL_WEIGHT}, ${tag}`,
          local.map((f, i) => blend(f, pair[i], DEFAULT_GLOBAL_WEIGHT)),
        );
        score(`learned blend, ${tag}`, combineForecasts(panel, local, pair));
      }
    });
  }
  for (const [method, v] of sums) {
    const mean = (odd: number) =>
      v.filter((_, i) => i % 2 === odd).reduce((a, b) => a + b, 0) / (v.length / 2);
    rows.push({ cutoff: 'mean', method, WRMSSE: mean(0).toFixed(3), pinball: mean(1).toFixed(3) });
  }
  printTable(
    'Global model store features and the local/global blend on M5 (28 days after each cutoff)',
    rows,
  );
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchForecastFeatures(process.argv.length > 2 ? process.argv.slice(2) : undefined);
}
