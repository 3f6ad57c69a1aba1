/**
 * What the global model's store features and the local/global blend are worth, window by window: the GBDT
 * pair (plain and dollar-weighted rows) is trained with and without the store features, then blended with
 * the local models at a fixed global weight and with weights learned from the last 28 days.
 * `npx tsx bench/forecast-features.ts [cutoff…]` (default: six M5 windows; about 3 minutes a window).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forecastPanel } from '../src/intel/forecast/engine.ts';
import { blend, combineForecasts, DEFAULT_GLOBAL_WEIGHT } from '../src/intel/forecast/ensemble.ts';
import { loadM5, makeCut, writeM5History } from '../src/intel/forecast/eval/m5-data.ts';
import { intervalScore, wrmsse } from '../src/intel/forecast/eval/metrics.ts';
import { alignForecasts, bottomSeries, findDataDir } from '../src/intel/forecast/eval/run-eval.ts';
import { forecastGlobal } from '../src/intel/forecast/global/index.ts';
import { readHistory } from '../src/intel/forecast/history-csv.ts';
import type { Panel, SeriesForecast } from '../src/intel/forecast/panel.ts';
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
    const cut = makeCut(data, cutoff, 28);
    const tmp = await mkdtemp(join(tmpdir(), 'tally-features-'));
    try {
      const csv = join(tmp, 'h.csv');
      await writeM5History(data, cut, 1095, csv);
      const panel = await readHistory(csv, { horizon: 28 });
      process.stderr.write(`${cutoff}: local models\n`);
      const local = (await forecastPanel(panel, {})).forecasts;
      const bottom = bottomSeries(data, cut.cutoff, cut.actual);
      const score = (method: string, forecasts: readonly SeriesForecast[]) => {
        const qs = alignForecasts(data, { calendar: panel.calendar, forecasts }, cut.cutoff, 28);
        const w = wrmsse(
          bottom,
          qs.map((q) => q.mean),
        );
        const iv = intervalScore(bottom, qs);
        const acc = sums.get(method) ?? [];
        acc.push(w.total, iv.pinball);
        sums.set(method, acc);
        rows.push({ cutoff, method, WRMSSE: w.total.toFixed(3), pinball: iv.pinball.toFixed(3) });
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
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
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
