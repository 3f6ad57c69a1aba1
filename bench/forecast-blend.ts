/**
 * How the local (per-series) and global (GBDT) forecasts should be combined: for each M5 cutoff, both are
 * computed once (cached under FORECAST_BLEND_CACHE, default the temp folder) and every fixed global weight
 * is scored next to Tally's own combination, so a change to the combination is measured on several windows
 * without retraining. `npx tsx bench/forecast-blend.ts [cutoff…]`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBenchConfig } from '../src/apps/config.ts';
import { defaultCombineOptions, learnWeights } from '../src/intel/forecast/combine.ts';
import { forecastPanel } from '../src/intel/forecast/engine.ts';
import { blend, combineForecasts } from '../src/intel/forecast/ensemble.ts';
import { loadM5 } from '../src/intel/forecast/eval/m5-data.ts';
import { findDataDir } from '../src/intel/forecast/eval/run-eval.ts';
import { forecastGlobal } from '../src/intel/forecast/global/index.ts';
import type { SeriesForecast } from '../src/intel/forecast/panel.ts';
import { withM5Window } from './m5-window.ts';
import { printTable } from './stats.ts';

export const BLEND_CUTOFFS = ['2016-04-24', '2016-03-27', '2016-02-28', '2015-12-27'];
const WEIGHTS = [0, 0.5, 0.7, 0.85, 1];

type Plain = Record<string, unknown>;
const toPlain = (fs: readonly SeriesForecast[]): Plain[] =>
  fs.map((f) => {
    const o: Plain = {};
    for (const [k, v] of Object.entries(f)) o[k] = ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v;
    if (f.backtest) o.backtest = { start: f.backtest.start, mean: Array.from(f.backtest.mean) };
    return o;
  });
const fromPlain = (ps: Plain[]): SeriesForecast[] =>
  ps.map((p) => {
    const o: Plain = {};
    for (const [k, v] of Object.entries(p))
      o[k] = Array.isArray(v) ? (k === 'horizon' ? Int32Array.from(v) : Float64Array.from(v)) : v;
    const bt = p.backtest as { start: number; mean: number[] | Record<string, number> } | undefined;
    // Older caches hold the typed array as an object keyed by index.
    if (bt) o.backtest = { start: bt.start, mean: Float64Array.from(Object.values(bt.mean)) };
    return o as unknown as SeriesForecast;
  });

async function cached(path: string, make: () => Promise<SeriesForecast[]>): Promise<SeriesForecast[]> {
  if (existsSync(path)) return fromPlain(JSON.parse(await readFile(path, 'utf8')) as Plain[]);
  const f = await make();
  await writeFile(path, JSON.stringify(toPlain(f)));
  return f;
}

export async function benchForecastBlend(cutoffs = BLEND_CUTOFFS): Promise<Record<string, string>[]> {
  const dir = findDataDir();
  if (!dir) {
    console.log('forecast blend bench: ../shared/data is absent, skipped');
    return [];
  }
  const settings = readBenchConfig();
  const cacheDir = settings.blendCache ?? join(tmpdir(), 'tally-forecast-blend');
  await mkdir(cacheDir, { recursive: true });
  const data = await loadM5(join(dir, 'm5-subset'));
  const rows: Record<string, string>[] = [];
  for (const cutoff of cutoffs) {
    await withM5Window(data, cutoff, async ({ panel, score: scoreWindow }) => {
      const t0 = performance.now();
      const local = await cached(join(cacheDir, `${cutoff}-local.json`), async () => {
        return (await forecastPanel(panel, {})).forecasts as SeriesForecast[];
      });
      const t1 = performance.now();
      const gThreads = settings.globalThreads;
      const global = await cached(join(cacheDir, `${cutoff}-global-t${gThreads}.json`), () =>
        forecastGlobal(panel, { horizon: 28, threads: gThreads }),
      );
      // A second global model trained on dollar-weighted rows: averaged with the first it is Tally's pair.
      // SECOND=refit: the second model is the first retrained through the validation window instead.
      const refit = settings.secondGlobal === 'refit';
      const globalW = await cached(
        join(cacheDir, `${cutoff}-global-t${gThreads}${refit ? 'r' : 'w'}.json`),
        () =>
          forecastGlobal(panel, {
            horizon: 28,
            threads: gThreads,
            ...(refit ? { refit: true } : { weighted: true }),
          }),
      );
      const pair = global.map((g, i) => blend(g, globalW[i], 0.5));
      const t2 = performance.now();
      process.stderr.write(
        `${cutoff}: local ${((t1 - t0) / 1000).toFixed(1)} s, global ${((t2 - t1) / 1000).toFixed(1)} s\n`,
      );
      const score = (name: string, forecasts: readonly SeriesForecast[]) => {
        const { wrmsse, levels, intervals: iv } = scoreWindow(forecasts);
        rows.push({
          cutoff,
          method: name,
          WRMSSE: wrmsse.toFixed(3),
          total: (levels[0]?.wrmsse ?? Number.NaN).toFixed(3),
          bottom: (levels[11]?.wrmsse ?? Number.NaN).toFixed(3),
          pinball: iv.pinball.toFixed(3),
          '<p10': `${(100 * iv.below10).toFixed(1)}%`,
          '>p90': `${(100 * iv.above90).toFixed(1)}%`,
        });
      };
      for (const w of WEIGHTS)
        score(
          `fixed w=${w}`,
          local.map((f, i) => blend(f, global[i], w)),
        );
      score(refit ? 'refit gbdt' : 'weighted gbdt', globalW);
      score('gbdt pair', pair);
      score(
        'pair fixed w=0.85',
        local.map((f, i) => blend(f, pair[i], 0.85)),
      );
      for (const buckets of [1, 3, 5]) {
        score(`pair learned ×${buckets}`, combineForecasts(panel, local, pair, { buckets }));
      }
      for (const buckets of [1, 3, 5]) {
        score(`learned ×${buckets}`, combineForecasts(panel, local, global, { buckets }));
        const lw = learnWeights(panel, local, global, { ...defaultCombineOptions, buckets });
        process.stderr.write(`  ×${buckets}: ${JSON.stringify(lw.buckets)} ${JSON.stringify(lw.loss)}\n`);
      }
      process.stderr.write(`${JSON.stringify(rows.slice(-WEIGHTS.length - 9))}\n`);
    });
  }
  printTable('Local + global combinations on M5 (28 days after each cutoff)', rows);
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchForecastBlend(process.argv.length > 2 ? process.argv.slice(2) : undefined);
}
