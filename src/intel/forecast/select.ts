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
  'snaive',
  'ses',
  'ses-dow',
  'ets',
  'croston',
  'sba',
  'tsb',
  'combo',
];

export interface SelectOptions {
  /** Candidate models; one name forces that model for every series (no backtest needed to choose). */
  models: readonly ModelName[];
  /** Rolling-origin folds. */
  folds: number;
  /** Days of history the models see (the most recent). */
  window: number;
  /** Days of history ETS is fitted on (it is the slowest model). */
  etsWindow: number;
}

export const defaultSelectOptions: SelectOptions = {
  models: ALL_MODELS,
  folds: 2,
  window: 728,
  etsWindow: 364,
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

/** The mean path of one model for steps 1…h after the end of `y` (`phase`: weekday of y[0]). */
export function modelPath(
  name: ModelName,
  y: Float64Array,
  phase: number,
  h: number,
  etsWindow: number,
): Float64Array {
  switch (name) {
    case 'snaive':
      return seasonalNaive(y, h);
    case 'ses':
      return ses(y, h).mean;
    case 'ses-dow':
      return sesWeekday(y, h, phase);
    case 'ets': {
      const start = Math.max(0, y.length - etsWindow);
      const fit = etsAuto(y.subarray(start));
      // The fitted seasonal ring is aligned to the end of the window, so no phase is needed.
      return etsForecast(fit, h);
    }
    case 'croston':
      return crostonForecast(y, h, 0.1, 'croston');
    case 'sba':
      return crostonForecast(y, h, 0.1, 'sba');
    case 'tsb':
      return tsbForecast(y, h, 0.1, 0.1);
    case 'combo': {
      // Equal-weight combination of three different views: well known to beat its parts on M-competition data.
      const a = modelPath('ets', y, phase, h, etsWindow);
      const b = modelPath('ses-dow', y, phase, h, etsWindow);
      const c = modelPath('tsb', y, phase, h, etsWindow);
      const out = new Float64Array(h);
      for (let k = 0; k < h; k++) out[k] = ((a[k] as number) + (b[k] as number) + (c[k] as number)) / 3;
      return out;
    }
  }
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

export function forecastSeries(s: Series, calendar: Calendar, opts: SelectOptions): RawForecast {
  const { y, start } = denseHistory(s, opts.window);
  const n = y.length;
  const phase = n > 0 ? (calendar.weekday[start] as number) : 0;
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
    return done(name, modelPath(name, y, phase, maxStep, opts.etsWindow), recentDispersion(y), Number.NaN);
  }
  let best: ModelName = opts.models[0] as ModelName;
  let bestSse = Number.POSITIVE_INFINITY;
  let bestSum = 0;
  for (const m of opts.models) {
    let sse = 0;
    let sum = 0;
    for (const origin of folds) {
      const path = modelPath(m, y.subarray(0, origin), phase, hb, opts.etsWindow);
      for (let k = 0; k < hb; k++) {
        const f = Math.max(0, path[k] as number);
        const e = (y[origin + k] as number) - f;
        sse += e * e;
        sum += f;
      }
    }
    if (sse < bestSse) {
      bestSse = sse;
      best = m;
      bestSum = sum;
    }
  }
  const cells = folds.length * hb;
  const mse = bestSse / cells;
  // Dispersion index of the errors around the forecast mean; a floor of 1 keeps at least Poisson noise.
  const dispersion = Math.min(100, Math.max(1, bestSse / Math.max(bestSum, 0.05 * cells)));
  const err = scale > 0 ? Math.sqrt(mse / scale) : Number.NaN;
  return done(best, modelPath(best, y, phase, maxStep, opts.etsWindow), dispersion, err);
}

function recentDispersion(y: Float64Array): number {
  const k = Math.min(28, y.length);
  let m = 0;
  for (let t = y.length - k; t < y.length; t++) m += (y[t] as number) / k;
  let v = 0;
  for (let t = y.length - k; t < y.length; t++) v += ((y[t] as number) - m) ** 2 / Math.max(1, k - 1);
  return m > 0 ? Math.min(100, Math.max(1, v / m)) : 1;
}
