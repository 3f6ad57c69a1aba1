/**
 * The in-memory panel every forecasting model reads: many daily series on one shared calendar.
 * Typed arrays throughout so models run without allocation per day and panels cross worker
 * threads cheaply (structured clone copies typed arrays as blocks).
 */

import { isoToUtcMs, utcMsToIso } from '../../core/index.ts';

export { isoToUtcMs, utcMsToIso };

/** Daily calendar shared by every series: `dates[t]` is the ISO date (YYYY-MM-DD) of day index t. */
export interface Calendar {
  readonly dates: readonly string[];
  /** Day of week per day index, 0 = Monday … 6 = Sunday (ISO), so weekly models need no Date parsing. */
  readonly weekday: Int8Array;
}

/** A categorical daily covariate: codes index `levels`; -1 = none/unknown. */
export interface CategoricalCovariate {
  readonly codes: Int32Array;
  readonly levels: readonly string[];
}

export interface Series {
  readonly id: string;
  /** Observed quantity per calendar day; NaN before the series was listed and on the days to forecast. */
  readonly history: Float64Array;
  /** First and last calendar index with an observed quantity (inclusive); -1 when the series has none. */
  readonly first: number;
  readonly last: number;
  /** Calendar indices to forecast, ascending (usually last+1 … last+h). */
  readonly horizon: Int32Array;
  /** Numeric daily covariates by name (e.g. price, snap), length = calendar length, NaN when unknown. */
  readonly numeric: Readonly<Record<string, Float64Array>>;
  /** Categorical daily covariates by name (e.g. event). */
  readonly categorical: Readonly<Record<string, CategoricalCovariate>>;
  /** Static attributes (e.g. store, item, dept, cat). */
  readonly attrs: Readonly<Record<string, string>>;
}

export interface Panel {
  readonly calendar: Calendar;
  readonly series: readonly Series[];
}

/** Forecast for one series over its horizon days; every array has `horizon.length` entries. */
export interface SeriesForecast {
  readonly id: string;
  readonly horizon: Int32Array;
  readonly mean: Float64Array;
  readonly p10: Float64Array;
  readonly p50: Float64Array;
  readonly p90: Float64Array;
  /** Which model produced it (e.g. 'ets(A,Ad,A)', 'tsb', 'seasonal-naive', 'gbdt', 'fallback:cat+store'). */
  readonly model: string;
  /** Backtest error of the chosen model (RMSSE over the rolling-origin folds); NaN when not backtested. */
  readonly backtestError: number;
  /**
   * The model's own forecast of the last observed days from an earlier origin (its backtest), when it
   * made one: what the ensemble learns its combination weights from. NaN on days it did not forecast.
   */
  readonly backtest?: Backtest;
}

/** A held-out forecast: `mean[j]` is for calendar day `start + j`. */
export interface Backtest {
  readonly start: number;
  readonly mean: Float64Array;
}

export interface PanelForecast {
  readonly calendar: Calendar;
  readonly forecasts: readonly SeriesForecast[];
}

const DAY_MS = 86_400_000;

/** Every day from `start` to `end` inclusive (ISO dates). */
export function makeCalendar(start: string, end: string): Calendar {
  const a = isoToUtcMs(start);
  const b = isoToUtcMs(end);
  const n = Math.max(0, Math.round((b - a) / DAY_MS) + 1);
  const dates: string[] = new Array(n);
  const weekday = new Int8Array(n);
  for (let t = 0; t < n; t++) {
    const ms = a + t * DAY_MS;
    dates[t] = utcMsToIso(ms);
    weekday[t] = (new Date(ms).getUTCDay() + 6) % 7;
  }
  return { dates, weekday };
}

/** Calendar index of an ISO date, or -1 when outside the calendar. */
export function dayIndex(calendar: Calendar, iso: string): number {
  if (calendar.dates.length === 0) return -1;
  const t = Math.round((isoToUtcMs(iso) - isoToUtcMs(calendar.dates[0] as string)) / DAY_MS);
  return Number.isInteger(t) && t >= 0 && t < calendar.dates.length ? t : -1;
}

/** The observed values of a series (first … last) as a dense view; NaN days inside are kept. */
export function observed(s: Series): Float64Array {
  return s.first < 0 ? new Float64Array(0) : s.history.subarray(s.first, s.last + 1);
}
