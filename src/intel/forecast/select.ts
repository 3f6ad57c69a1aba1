/**
 * Per-series forecasting: every candidate model is scored by a rolling-origin backtest (the last folds of
 * the history, each as long as the horizon up to 28 days), the lowest mean squared error wins, and the
 * winner is refitted on the whole window. The backtest errors also give the dispersion of the count bands.
 */
import { countBands } from './intervals.ts';
import { etsAuto, etsForecast } from './models/ets.ts';
import { crostonForecast, tsbForecast } from './models/intermittent.ts';
import { seasonalNaive, ses, sesWeekday } from './models/simple.ts';
import type { Calendar, Series, SeriesForecast } from './panel.ts';

export type ModelName = 'snaive' | 'ses' | 'ses-dow' | 'ets' | 'croston' | 'sba' | 'tsb' | 'combo';
export const ALL_MODELS: readonly ModelName[] = [
  'tsb',
  'ses',
  'ses-dow',
  'ets',
  'croston',
  'sba',
  'snaive',
  'combo',
];
/** Default candidates, the default model first (TSB with the group's weekly shape: robust on sparse counts). */
export const DEFAULT_MODELS: readonly ModelName[] = ['tsb', 'ses', 'ses-dow', 'ets', 'snaive'];

export interface SelectOptions {
  /** Candidate models; one name forces that model for every series (no backtest needed to choose). */
  models: readonly ModelName[];
  /** Rolling-origin folds. */
  folds: number;
  /** Days of history the models see (the most recent). */
  window: number;
  /** Days of history ETS is fitted on (it is the slowest model). */
  etsWindow: number;
  /** 'best': the model with the lowest backtest MSE; 'blend': all candidates weighted by 1/MSE. */
  strategy: 'best' | 'blend';
  /** Relative backtest gain a candidate needs to replace the first (default) one. */
  margin: number;
}

export const defaultSelectOptions: SelectOptions = {
  models: DEFAULT_MODELS,
  folds: 2,
  window: 728,
  etsWindow: 364,
  strategy: 'best',
  margin: 0.1,
};

/** Forecast plus what the panel-level pass needs: the dispersion used for the bands. */
export interface RawForecast extends SeriesForecast {
  readonly dispersion: number;
  /** Observed days the series had (0 for a series never sold). */
  readonly observedDays: number;
}

/** Below this many observed days a series borrows its forecast from its category and store. */
export const MIN_OWN_HISTORY = 28;
/** A backtest needs this much history before its first origin. */
const MIN_TRAIN = 56;

/** Models whose own forecast is flat: they take the weekly shape from the series' group profile. */
const FLAT: ReadonlySet<ModelName> = new Set(['ses', 'croston', 'sba', 'tsb']);

/**
 * The mean path of one model for steps 1…h after the end of `y` (`phase`: weekday of y[0]). `profile`
 * (by weekday, mean 1) is the weekly shape of the series' store × department total: flat models are fitted
 * on the deseasonalised series where that makes sense and multiplied by it, so their sums keep the week.
 */
export function modelPath(
  name: ModelName,
  y: Float64Array,
  phase: number,
  h: number,
  etsWindow: number,
  profile?: Float64Array,
  cache?: Map<ModelName, Float64Array>,
): Float64Array {
  const hit = cache?.get(name);
  if (hit) return hit;
  let out: Float64Array;
  switch (name) {
    case 'snaive':
      out = seasonalNaive(y, h);
      break;
    case 'ses':
      out = profile ? ses(deseasonalise(y, phase, profile), h).mean : ses(y, h).mean;
      break;
    case 'ses-dow':
      out = sesWeekday(y, h, phase);
      break;
    case 'ets': {
      const start = Math.max(0, y.length - etsWindow);
      // The fitted seasonal ring is aligned to the end of the window, so no phase is needed.
      out = etsForecast(etsAuto(y.subarray(start)), h);
      break;
    }
    case 'croston':
      out = crostonForecast(y, h, 0.1, 'croston');
      break;
    case 'sba':
      out = crostonForecast(y, h, 0.1, 'sba');
      break;
    case 'tsb':
      out = tsbForecast(y, h, 0.1, 0.1);
      break;
    case 'combo': {
      // Equal-weight combination of different views: well known to beat its parts on M-competition data.
      out = new Float64Array(h);
      const parts: ModelName[] = ['tsb', 'ses', 'ets'];
      for (const m of parts) {
        const p = modelPath(m, y, phase, h, etsWindow, profile, cache);
        for (let k = 0; k < h; k++) out[k] = (out[k] as number) + (p[k] as number) / parts.length;
      }
      break;
    }
  }
  if (profile && FLAT.has(name)) {
    const n = y.length;
    for (let k = 0; k < h; k++) out[k] = (out[k] as number) * (profile[(phase + n + k) % 7] as number);
  }
  cache?.set(name, out);
  return out;
}

function deseasonalise(y: Float64Array, phase: number, profile: Float64Array): Float64Array {
  const out = new Float64Array(y.length);
  // A floor keeps a weekday the group hardly sells on from blowing up the adjusted series.
  for (let t = 0; t < y.length; t++)
    out[t] = (y[t] as number) / Math.max(0.05, profile[(phase + t) % 7] as number);
  return out;
}

function clampNonNegative(a: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) if (!((a[i] as number) > 0)) a[i] = 0;
  return a;
}

/** Dense observed history (gaps inside count as zero sales), limited to the last `window` days. */
export function denseHistory(s: Series, window: number): { y: Float64Array; start: number } {
  if (s.first < 0) return { y: new Float64Array(0), start: s.last + 1 };
  const start = Math.max(s.first, s.last + 1 - window);
  const y = new Float64Array(s.last + 1 - start);
  for (let t = start; t <= s.last; t++) {
    const v = s.history[t] as number;
    y[t - start] = Number.isNaN(v) ? 0 : v;
  }
  return { y, start };
}

/** Mean absolute / squared day-to-day change of the history: the RMSSE/MASE scale. */
export function naiveScale(y: Float64Array, squared: boolean): number {
  let s = 0;
  for (let t = 1; t < y.length; t++) {
    const d = (y[t] as number) - (y[t - 1] as number);
    s += squared ? d * d : Math.abs(d);
  }
  return y.length > 1 ? s / (y.length - 1) : Number.NaN;
}

export function forecastSeries(
  s: Series,
  calendar: Calendar,
  opts: SelectOptions,
  weekdayProfile?: Float64Array,
): RawForecast {
  const { y, start } = denseHistory(s, opts.window);
  const n = y.length;
  const phase = n > 0 ? (calendar.weekday[start] as number) : 0;
  // The group profile is indexed by weekday; models index it by their phase.
  const profile = weekdayProfile;
  const last = s.last >= 0 ? s.last : (s.horizon[0] ?? 1) - 1;
  let maxStep = 0;
  for (const t of s.horizon) maxStep = Math.max(maxStep, t - last);
  const pick = (path: Float64Array): Float64Array =>
    Float64Array.from(s.horizon, (t) => path[t - last - 1] as number);
  const done = (model: string, path: Float64Array, dispersion: number, err: number): RawForecast => {
    const mean = clampNonNegative(pick(path));
    return {
      id: s.id,
      horizon: s.horizon,
      mean,
      ...countBands(mean, dispersion),
      model,
      backtestError: err,
      dispersion,
      observedDays: n,
    };
  };
  if (n < MIN_OWN_HISTORY || maxStep === 0) {
    // Placeholder filled by the panel pass from the series' category and store.
    return done('fallback', new Float64Array(Math.max(maxStep, 0)), 1, Number.NaN);
  }
  const hb = Math.min(28, maxStep);
  const folds: number[] = [];
  for (let f = 1; f <= opts.folds; f++) if (n - f * hb >= MIN_TRAIN) folds.push(n - f * hb);
  const scale = naiveScale(y, true);
  if (folds.length === 0) {
    // Too short to backtest: weekday-adjusted smoothing, dispersion from the recent variance.
    const name: ModelName = opts.models.length === 1 ? (opts.models[0] as ModelName) : 'ses-dow';
    return done(
      name,
      modelPath(name, y, phase, maxStep, opts.etsWindow, profile),
      recentDispersion(y),
      Number.NaN,
    );
  }
  const caches = folds.map(() => new Map<ModelName, Float64Array>());
  const mses = opts.models.map((m) => {
    let sse = 0;
    for (let fi = 0; fi < folds.length; fi++) {
      const origin = folds[fi] as number;
      const path = modelPath(m, y.subarray(0, origin), phase, hb, opts.etsWindow, profile, caches[fi]);
      for (let k = 0; k < hb; k++) sse += ((y[origin + k] as number) - Math.max(0, path[k] as number)) ** 2;
    }
    return sse / (folds.length * hb);
  });
  // The first candidate is the default; another replaces it only when its backtest MSE is lower by more
  // than `margin`: two folds of four weeks are a noisy judge, and a wrong switch costs more than it gains.
  let bi = 0;
  for (let i = 1; i < mses.length; i++) {
    if (
      (mses[i] as number) < (mses[bi] as number) &&
      (mses[i] as number) < (1 - opts.margin) * (mses[0] as number)
    )
      bi = i;
  }
  // Weights: one-hot on the best, or inverse MSE (a floor keeps a perfect backtest from taking everything).
  const weights =
    opts.strategy === 'blend'
      ? mses.map((e) => 1 / Math.max(e, 1e-6))
      : mses.map((_, i) => (i === bi ? 1 : 0));
  const wsum = weights.reduce((a, b) => a + b, 0);
  const blend = (paths: (i: number) => Float64Array, len: number): Float64Array => {
    const out = new Float64Array(len);
    weights.forEach((w, i) => {
      if (w === 0) return;
      const p = paths(i);
      for (let k = 0; k < len; k++) out[k] = (out[k] as number) + (w / wsum) * Math.max(0, p[k] as number);
    });
    return out;
  };
  // Backtest of the final combination: its errors set the dispersion and the reported error.
  let sse = 0;
  let sum = 0;
  let latest: Float64Array | undefined;
  for (let fi = 0; fi < folds.length; fi++) {
    const origin = folds[fi] as number;
    const cache = caches[fi] as Map<ModelName, Float64Array>;
    const path = blend((i) => cache.get(opts.models[i] as ModelName) as Float64Array, hb);
    if (fi === 0) latest = path;
    for (let k = 0; k < hb; k++) {
      sse += ((y[origin + k] as number) - (path[k] as number)) ** 2;
      sum += path[k] as number;
    }
  }
  const cells = folds.length * hb;
  // Dispersion index of the errors around the forecast mean; a floor of 1 keeps at least Poisson noise.
  const dispersion = Math.min(100, Math.max(1, sse / Math.max(sum, 0.05 * cells)));
  const err = scale > 0 ? Math.sqrt(sse / cells / scale) : Number.NaN;
  const full = new Map<ModelName, Float64Array>();
  const path = blend(
    (i) => modelPath(opts.models[i] as ModelName, y, phase, maxStep, opts.etsWindow, profile, full),
    maxStep,
  );
  const name =
    opts.strategy === 'blend' && opts.models.length > 1
      ? `blend:${opts.models[bi]}`
      : (opts.models[bi] as string);
  const backtest = latest ? { start: start + (folds[0] as number), mean: latest } : undefined;
  return { ...done(name, path, dispersion, err), ...(backtest ? { backtest } : {}) };
}

function recentDispersion(y: Float64Array): number {
  const k = Math.min(28, y.length);
  let m = 0;
  for (let t = y.length - k; t < y.length; t++) m += (y[t] as number) / k;
  let v = 0;
  for (let t = y.length - k; t < y.length; t++) v += ((y[t] as number) - m) ** 2 / Math.max(1, k - 1);
  return m > 0 ? Math.min(100, Math.max(1, v / m)) : 1;
}
