/**
 * `tally eval`: builds the M5 long CSV at a cutoff, forecasts it through the file contract's reader, and
 * scores Tally against seasonal naive and SES computed by the same command. Then the online-retail
 * intermittent check. Prints tables; returns the figures for benchmarks.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { forecastPanel } from '../engine.ts';
import { forecastTally } from '../ensemble.ts';
import { readHistory } from '../history-csv.ts';
import { isoToUtcMs, type Panel, type PanelForecast } from '../panel.ts';
import type { ModelName } from '../select.ts';
import { loadM5, type M5Data, makeCut, priceOn, writeM5History } from './m5-data.ts';
import {
  type BottomSeries,
  type IntervalScore,
  intervalScore,
  type LevelScore,
  type Quantiles,
  wrmsse,
} from './metrics.ts';
import { intermittentCheck } from './online-retail.ts';

export interface EvalOptions {
  data?: string | undefined;
  cutoff: string;
  horizon: number;
  historyDays: number;
  threads?: number | undefined;
  models?: ModelName[] | undefined;
  /** Skip the online-retail check. */
  m5Only?: boolean;
  /** Blend in the global gradient-boosted model (default true). */
  global?: boolean;
  /** Seed of the global models (default 7): their row, feature and horizon draws. */
  seed?: number;
}

export interface MethodScore {
  method: string;
  wrmsse: number;
  levels: LevelScore[];
  intervals: IntervalScore;
  seconds: number;
  /** CPU seconds of the process (all threads) for the same work: steadier than wall time on a shared machine. */
  cpuSeconds: number;
}

/** The shared data folder: --data, else ../shared/data from the working directory, else /work/shared/data. */
export function findDataDir(explicit?: string): string | undefined {
  const candidates = explicit ? [explicit] : [resolve('../shared/data'), '/work/shared/data'];
  return candidates.find((c) => existsSync(join(c, 'm5-subset', 'calendar.csv')));
}

export function bottomSeries(data: M5Data, cutoff: number, actual: Float64Array[]): BottomSeries[] {
  return data.series.map((s, i) => {
    const len = Math.max(0, cutoff - s.firstDay + 1);
    const history = s.sales.subarray(0, len);
    let dollars = 0;
    for (let d = cutoff - 27; d <= cutoff; d++) {
      if (d < s.firstDay) continue;
      const p = priceOn(data, s, d);
      if (!Number.isNaN(p)) dollars += p * (s.sales[d - s.firstDay] as number);
    }
    return {
      attrs: { item: s.item, dept: s.dept, cat: s.cat, store: s.store, state: s.state },
      history,
      actual: actual[i] as Float64Array,
      dollars,
    };
  });
}

/** Forecasts in data.series order on the h days after the cutoff; days a series was not listed get 0. */
export function alignForecasts(data: M5Data, result: PanelForecast, cutoff: number, h: number): Quantiles[] {
  const byId = new Map(result.forecasts.map((f) => [f.id, f]));
  return data.series.map((s) => {
    const q = {
      mean: new Float64Array(h),
      p10: new Float64Array(h),
      p50: new Float64Array(h),
      p90: new Float64Array(h),
    };
    const f = byId.get(s.id);
    if (!f) return q;
    for (let j = 0; j < f.horizon.length; j++) {
      const k = isoToUtcMs(result.calendar.dates[f.horizon[j] as number] as string) / 86_400_000 - cutoff - 1;
      if (k < 0 || k >= h) continue;
      q.mean[k] = f.mean[j] as number;
      q.p10[k] = f.p10[j] as number;
      q.p50[k] = f.p50[j] as number;
      q.p90[k] = f.p90[j] as number;
    }
    return q;
  });
}

export async function runM5Eval(
  o: EvalOptions,
  dir: string,
): Promise<{ scores: MethodScore[]; panel: Panel; tally: PanelForecast; readSeconds: number }> {
  const data = await loadM5(join(dir, 'm5-subset'));
  const cut = makeCut(data, o.cutoff, o.horizon);
  const tmp = await mkdtemp(join(tmpdir(), 'tally-eval-'));
  try {
    const csv = join(tmp, 'history.csv');
    await writeM5History(data, cut, o.historyDays, csv);
    const bottom = bottomSeries(data, cut.cutoff, cut.actual);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const panel = await readHistory(csv, { horizon: o.horizon });
    const readSeconds = (performance.now() - t0) / 1000;
    const readCpu = cpuSince(c0);
    const scores: MethodScore[] = [];
    let tally: PanelForecast | undefined;
    const methods: { name: string; models: ModelName[] | undefined }[] = [
      { name: 'seasonal naive', models: ['snaive'] },
      { name: 'SES', models: ['ses'] },
      { name: 'Tally', models: o.models },
    ];
    for (const m of methods) {
      process.stderr.write(`forecasting: ${m.name}\n`);
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      const engine = {
        threads: o.threads,
        ...(m.models ? { models: m.models } : {}),
        // The baselines are the textbook methods, without Tally's group weekly shape.
        groupProfiles: m.name === 'Tally',
        onProgress: (done: number, total: number) => process.stderr.write(`\r  ${done}/${total} series`),
      };
      const result =
        m.name === 'Tally'
          ? await forecastTally(panel, {
              ...engine,
              global: o.global ?? true,
              ...(o.seed === undefined ? {} : { globalOptions: { seed: o.seed } }),
              onStage: (st) => process.stderr.write(`\n  ${st}\n`),
            })
          : await forecastPanel(panel, engine);
      process.stderr.write('\n');
      const seconds = (performance.now() - t1) / 1000 + (m.name === 'Tally' ? readSeconds : 0);
      const cpuSeconds = cpuSince(c1) + (m.name === 'Tally' ? readCpu : 0);
      const qs = alignForecasts(data, result, cut.cutoff, o.horizon);
      const w = wrmsse(
        bottom,
        qs.map((q) => q.mean),
      );
      scores.push({
        method: m.name,
        wrmsse: w.total,
        levels: w.levels,
        intervals: intervalScore(bottom, qs),
        seconds,
        cpuSeconds,
      });
      if (m.name === 'Tally') tally = result;
    }
    return { scores, panel, tally: tally as PanelForecast, readSeconds };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

const f3 = (x: number): string => x.toFixed(3);
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export async function runEval(o: EvalOptions): Promise<void> {
  const dir = findDataDir(o.data);
  if (!dir) {
    console.log(
      'tally eval: the shared data folder (../shared/data or /work/shared/data, or --data) is absent: nothing to evaluate.',
    );
    return;
  }
  console.log(
    `M5 subset from ${dir}/m5-subset, cutoff ${o.cutoff}, ${o.horizon} days ahead, ${o.historyDays} days of history`,
  );
  const { scores, tally } = await runM5Eval(o, dir);
  const snaive = scores[0] as MethodScore;
  console.table(
    scores.map((s) => ({
      method: s.method,
      WRMSSE: f3(s.wrmsse),
      'vs snaive': pct(s.wrmsse / snaive.wrmsse - 1),
      pinball: f3(s.intervals.pinball),
      '<p10': pct(s.intervals.below10),
      '>p90': pct(s.intervals.above90),
      'in [p10,p90]': pct(s.intervals.coverage),
      'wall s': s.seconds.toFixed(1),
      'cpu s': s.cpuSeconds.toFixed(1),
    })),
  );
  console.log('WRMSSE by level');
  console.table(
    (scores[0] as MethodScore).levels.map((l, i) => {
      const row: Record<string, string | number> = { level: l.level, series: l.series };
      for (const s of scores) row[s.method] = f3((s.levels[i] as LevelScore).wrmsse);
      return row;
    }),
  );
  const used = new Map<string, number>();
  for (const f of tally.forecasts) used.set(f.model, (used.get(f.model) ?? 0) + 1);
  console.log('Tally models chosen:', Object.fromEntries([...used].sort((a, b) => b[1] - a[1])));
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  console.log(
    `load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores: wall times are inflated by other work`,
  );
  if (!o.m5Only) {
    const retail = join(dir, 'online-retail', 'online_retail.csv.gz');
    if (!existsSync(retail)) console.log('online-retail data absent: intermittent check skipped');
    else await intermittentCheck(retail, o.horizon);
  }
}
