/**
 * The forecasting engine over a whole panel: series chunks go to worker threads (piscina), each series is
 * forecast by its backtest-chosen model, then series with too little history borrow from their peers
 * (same category and store) and every forecast gets its count bands.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { countBands } from './intervals.ts';
import type { Panel, PanelForecast, Series } from './panel.ts';
import { defaultSelectOptions, MIN_OWN_HISTORY, type RawForecast, type SelectOptions } from './select.ts';
import forecastChunk from './worker.ts';

export interface EngineOptions extends Partial<SelectOptions> {
  /** Worker threads; 0 runs in this thread (tests, tiny panels). Default: available cores. */
  threads?: number;
  /** Give flat models the weekly shape of their store × department total (default true). */
  groupProfiles?: boolean;
  /** Called with (series done, series total) as chunks finish. */
  onProgress?: (done: number, total: number) => void;
}

export async function forecastPanel(panel: Panel, options: EngineOptions = {}): Promise<PanelForecast> {
  const opts: SelectOptions = {
    models: options.models ?? defaultSelectOptions.models,
    folds: options.folds ?? defaultSelectOptions.folds,
    window: options.window ?? defaultSelectOptions.window,
    etsWindow: options.etsWindow ?? defaultSelectOptions.etsWindow,
    strategy: options.strategy ?? defaultSelectOptions.strategy,
    margin: options.margin ?? defaultSelectOptions.margin,
  };
  const total = panel.series.length;
  const threads = options.threads ?? availableParallelism();
  const raw: RawForecast[] = [];
  const profiles = options.groupProfiles === false ? panel.series.map(() => null) : groupProfiles(panel);
  if (threads === 0 || total < 64) {
    let done = 0;
    for (let i = 0; i < total; i++) {
      const s = panel.series[i] as Series;
      raw.push(
        ...forecastChunk({ calendar: panel.calendar, series: [s], opts, profiles: [profiles[i] ?? null] }),
      );
      done++;
      if (done % 50 === 0 || done === total) options.onProgress?.(done, total);
    }
  } else {
    raw.push(...(await runInWorkers(panel, opts, profiles, threads, options.onProgress)));
  }
  return { calendar: panel.calendar, forecasts: fillFromPeers(panel.series, raw) };
}

async function runInWorkers(
  panel: Panel,
  opts: SelectOptions,
  profiles: (Float64Array | null)[],
  threads: number,
  onProgress?: (done: number, total: number) => void,
): Promise<RawForecast[]> {
  // Workers load TypeScript through tsx, as the CLI does.
  const pool = new Piscina({
    filename: new URL('./worker.ts', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    execArgv: ['--import', 'tsx'],
  });
  const total = panel.series.length;
  // Many small chunks balance the load: ETS series cost far more than intermittent ones.
  const size = Math.max(8, Math.ceil(total / (threads * 16)));
  const starts: number[] = [];
  for (let i = 0; i < total; i += size) starts.push(i);
  let done = 0;
  try {
    const results = await Promise.all(
      starts.map(async (i) => {
        const series = panel.series.slice(i, i + size) as Series[];
        const task = { calendar: panel.calendar, series, opts, profiles: profiles.slice(i, i + size) };
        const r = (await pool.run(task)) as RawForecast[];
        done += series.length;
        onProgress?.(done, total);
        return r;
      }),
    );
    return results.flat();
  } finally {
    await pool.destroy();
  }
}

/**
 * Series with fewer than MIN_OWN_HISTORY observed days: the mean per day of their peers (same cat and
 * store, else same cat, else all), blended with their own mean in proportion to the days they have.
 */
export function fillFromPeers(series: readonly Series[], raw: readonly RawForecast[]): RawForecast[] {
  const groups = new Map<string, RawForecast[]>();
  const keyOf = (s: Series, level: number): string =>
    level === 0 ? `${s.attrs.cat ?? ''}|${s.attrs.store ?? ''}` : level === 1 ? (s.attrs.cat ?? '') : '';
  raw.forEach((f, i) => {
    if (f.model === 'fallback') return;
    const s = series[i] as Series;
    for (let level = 0; level < 3; level++) {
      const k = `${level}:${keyOf(s, level)}`;
      let g = groups.get(k);
      if (!g) {
        g = [];
        groups.set(k, g);
      }
      g.push(f);
    }
  });
  return raw.map((f, i) => {
    if (f.model !== 'fallback') return f;
    const s = series[i] as Series;
    let peers: RawForecast[] | undefined;
    let level = 0;
    for (; level < 3 && !peers; level++) peers = groups.get(`${level}:${keyOf(s, level)}`);
    // Peer daily level: the average of peers' mean forecasts over their own horizons.
    let peerMean = 0;
    let peerDisp = 1;
    if (peers && peers.length > 0) {
      let sum = 0;
      let cells = 0;
      let disp = 0;
      for (const p of peers) {
        for (const v of p.mean) sum += v;
        cells += p.mean.length;
        disp += p.dispersion;
      }
      peerMean = cells > 0 ? sum / cells : 0;
      peerDisp = disp / peers.length;
    }
    let own = 0;
    if (f.observedDays > 0) {
      for (let t = s.first; t <= s.last; t++) {
        const v = s.history[t] as number;
        if (!Number.isNaN(v)) own += v;
      }
      own /= s.last - s.first + 1;
    }
    const w = Math.min(1, f.observedDays / MIN_OWN_HISTORY);
    const mean = new Float64Array(f.horizon.length).fill(w * own + (1 - w) * peerMean);
    const source = level === 1 ? 'cat+store' : level === 2 ? 'cat' : 'all';
    return { ...f, mean, ...countBands(mean, peerDisp), model: `fallback:${source}`, dispersion: peerDisp };
  });
}

/** Weeks of recent history the group weekday profiles are measured on. */
const PROFILE_WEEKS = 16;

/**
 * Weekday profile (mean 1, indexed 0 = Monday) of the total of each series' store × department group (or
 * store, or category, whichever attributes exist) over its last PROFILE_WEEKS weeks. Totals show the weekly
 * shape that single sparse series hide. Null when the group sold nothing.
 */
export function groupProfiles(panel: Panel): (Float64Array | null)[] {
  const keyOf = (s: Series): string => `${s.attrs.store ?? ''}|${s.attrs.dept ?? s.attrs.cat ?? ''}`;
  const sums = new Map<string, Float64Array>();
  for (const s of panel.series) {
    if (s.last < 0) continue;
    const k = keyOf(s);
    let acc = sums.get(k);
    if (!acc) {
      acc = new Float64Array(7);
      sums.set(k, acc);
    }
    for (let t = Math.max(s.first, s.last + 1 - PROFILE_WEEKS * 7); t <= s.last; t++) {
      const v = s.history[t] as number;
      if (Number.isNaN(v)) continue;
      const w = panel.calendar.weekday[t] as number;
      acc[w] = (acc[w] as number) + v;
    }
  }
  const profiles = new Map<string, Float64Array | null>();
  for (const [k, acc] of sums) {
    let tot = 0;
    for (const v of acc) tot += v;
    // Too few units for a stable shape: leave the series to its own models.
    profiles.set(k, tot >= 7 * 20 ? Float64Array.from(acc, (v) => (7 * v) / tot) : null);
  }
  return panel.series.map((s) => profiles.get(keyOf(s)) ?? null);
}
