/**
 * The global GBDT on the M5 subset: for each cutoff, train on the history, forecast 28 days and score
 * (WRMSSE at item × store and over the 12 M5 levels, scaled pinball, interval misses, time, memory).
 * `npx tsx bench/gbdt-m5.ts [cutoff…]`; options through env: GBDT_TRAIN_DAYS, GBDT_FIXED_ORIGIN=1,
 * GBDT_REFIT=1, GBDT_PARAMS='{"numLeaves":127}'. Figures on the shared 2-core machine are noisy.
 */
import { fileURLToPath } from 'node:url';
import { SingleBar } from 'cli-progress';
import { readBenchConfig } from '../src/apps/config.ts';
import {
  fitGlobal,
  forecastGlobal,
  type GlobalOptions,
  predictGlobal,
} from '../src/intel/forecast/global/index.ts';
import type { SeriesForecast } from '../src/intel/forecast/panel.ts';
import { cutM5, loadM5, M5_DIR, m5Available } from './gbdt-m5-data.ts';
import { scoreM5, seasonalNaive } from './gbdt-m5-score.ts';

export const DEFAULT_CUTOFFS = ['2016-04-24', '2016-03-27'];

const fmt = (x: number, d = 3) => Number(x.toFixed(d));

export async function benchGbdtM5(
  cutoffs = DEFAULT_CUTOFFS,
  extra: Partial<GlobalOptions> = {},
): Promise<Record<string, string | number>[]> {
  if (!m5Available()) {
    console.log(`GBDT on M5: ${M5_DIR} not present, skipped`);
    return [];
  }
  const t0 = performance.now();
  const raw = await loadM5();
  const loadSeconds = (performance.now() - t0) / 1000;
  const rows: Record<string, string | number>[] = [];
  for (const cutoff of cutoffs) {
    const cut = cutM5(raw, cutoff, 28);
    const bar = new SingleBar({
      format: `gbdt ${cutoff} {stage} round {value}/{total} valid {loss}`,
      stream: process.stderr,
    });
    const opts: GlobalOptions = {
      horizon: 28,
      ...readBenchConfig().gbdt,
      ...extra,
    };
    bar.start(opts.params?.numRounds ?? 600, 0, { stage: 'features', loss: '-' });
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    const stageTimes: string[] = [];
    const withProgress: GlobalOptions = {
      ...opts,
      onStage: (stage) => {
        stageTimes.push(`${stage}@${((performance.now() - start) / 1000).toFixed(1)}s`);
        bar.update({ stage });
      },
      onRound: (round, loss) => bar.update(round, { loss: loss === null ? '-' : loss.toFixed(4) }),
    };
    let trainRows: number | string = 'per group';
    let rounds: number | string = 'per group';
    let forecasts: SeriesForecast[];
    if ((opts.threads ?? 1) > 1) forecasts = await forecastGlobal(cut.panel, withProgress);
    else {
      const fit = fitGlobal(cut.panel, withProgress);
      forecasts = predictGlobal(cut.panel, fit);
      trainRows = fit.trainRows;
      rounds = fit.model.bestRound;
    }
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    bar.stop();
    console.error(`stages: ${stageTimes.join(' ')} predict@${seconds.toFixed(1)}s`);
    const s = scoreM5(raw, cut, forecasts);
    const sn = scoreM5(raw, cut, seasonalNaive(cut));
    rows.push({
      cutoff,
      series: cut.panel.series.length,
      threads: opts.threads ?? 1,
      'train rows': trainRows,
      rounds,
      'WRMSSE item×store': fmt(s.wrmsseItemStore),
      'WRMSSE 12 levels': fmt(s.wrmsse12),
      'vs seasonal naive': `${fmt((1 - s.wrmsse12 / sn.wrmsse12) * 100, 1)} % better (${fmt(sn.wrmsse12)})`,
      'pinball item×store': fmt(s.pinball),
      '< p10': `${fmt(s.belowP10 * 100, 1)} %`,
      '> p90': `${fmt(s.aboveP90 * 100, 1)} %`,
      seconds: fmt(seconds, 1),
      // Worker threads' CPU is not in this process's figure when threads > 1.
      'cpu s (main thread)': fmt((cpu.user + cpu.system) / 1e6, 1),
      'peak RSS MB': Math.round(process.resourceUsage().maxRSS / 1024),
    });
  }
  console.error(`(M5 subset loaded in ${loadSeconds.toFixed(1)} s, not counted)`);
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const cutoffs = process.argv.slice(2);
  const rows = await benchGbdtM5(cutoffs.length > 0 ? cutoffs : DEFAULT_CUTOFFS);
  console.table(rows);
}
