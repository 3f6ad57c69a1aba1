/**
 * Hierarchy: totals by any attributes (store, category, chain) that agree with the SKU forecasts, and a
 * middle-out pass that lets a well-estimated group total (e.g. store × department) set the level of its
 * members. Group totals are smooth where single SKUs are mostly zeros, so a model fitted on them sees trend
 * and weekly shape that the SKUs hide; the SKU forecasts then only decide each SKU's share.
 */
import { countBands } from './intervals.ts';
import type { Panel, Series, SeriesForecast } from './panel.ts';
import { type ModelName, modelPath, type RawForecast } from './select.ts';

export type KeyFn = (s: Series) => string;

export const byAttrs =
  (attrs: readonly string[]): KeyFn =>
  (s) =>
    attrs.map((a) => s.attrs[a] ?? '').join('|');

export interface GroupForecast {
  key: string;
  members: number;
  /** Calendar indices and the summed mean; p10/p90 from a normal approximation with summed variances. */
  horizon: Int32Array;
  mean: Float64Array;
  p10: Float64Array;
  p50: Float64Array;
  p90: Float64Array;
}

/**
 * Bottom-up totals per group: means add up exactly, so every level agrees with the SKU forecasts. Bands
 * of a total take the members' variances (from their p10–p90 width) as independent: a lower bound on the
 * total's uncertainty, stated as such.
 */
export function aggregateForecasts(
  series: readonly Series[],
  forecasts: readonly SeriesForecast[],
  key: KeyFn,
): GroupForecast[] {
  const groups = new Map<
    string,
    { members: number; mean: Map<number, number>; variance: Map<number, number> }
  >();
  const z90 = 1.2815515655446004;
  forecasts.forEach((f, i) => {
    const k = key(series[i] as Series);
    let g = groups.get(k);
    if (!g) {
      g = { members: 0, mean: new Map(), variance: new Map() };
      groups.set(k, g);
    }
    g.members++;
    for (let j = 0; j < f.horizon.length; j++) {
      const t = f.horizon[j] as number;
      const sd = ((f.p90[j] as number) - (f.p10[j] as number)) / (2 * z90);
      g.mean.set(t, (g.mean.get(t) ?? 0) + (f.mean[j] as number));
      g.variance.set(t, (g.variance.get(t) ?? 0) + sd * sd);
    }
  });
  return [...groups].map(([k, g]) => {
    const days = [...g.mean.keys()].sort((a, b) => a - b);
    const mean = Float64Array.from(days, (t) => g.mean.get(t) as number);
    const sd = Float64Array.from(days, (t) => Math.sqrt(g.variance.get(t) as number));
    return {
      key: k,
      members: g.members,
      horizon: Int32Array.from(days),
      mean,
      p10: mean.map((m, j) => Math.max(0, m - z90 * (sd[j] as number))),
      p50: mean.slice(),
      p90: mean.map((m, j) => m + z90 * (sd[j] as number)),
    };
  });
}

export interface MiddleOutOptions {
  key: KeyFn;
  /** Model for the group totals. */
  model: ModelName;
  /** Days of group history the model sees. */
  window: number;
  /** 1: the group model sets the level; 0: pure bottom-up; between: geometric blend of the two. */
  weight: number;
}

/**
 * Scales each member's mean so the group's daily total equals the group model's forecast (blended with the
 * bottom-up total by `weight`). Members' bands are recomputed from their dispersion at the new mean.
 */
export function middleOut(
  panel: Panel,
  forecasts: readonly RawForecast[],
  o: MiddleOutOptions,
): RawForecast[] {
  const { calendar } = panel;
  const groups = new Map<string, number[]>();
  panel.series.forEach((s, i) => {
    if (s.last < 0) return;
    const k = o.key(s);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const factor = new Map<number, Map<number, number>>();
  for (const members of groups.values()) {
    let last = -1;
    let first = Number.POSITIVE_INFINITY;
    for (const i of members) {
      const s = panel.series[i] as Series;
      last = Math.max(last, s.last);
      first = Math.min(first, s.first);
    }
    const start = Math.max(first, last + 1 - o.window);
    const y = new Float64Array(last + 1 - start);
    for (const i of members) {
      const s = panel.series[i] as Series;
      for (let t = Math.max(start, s.first); t <= s.last; t++) {
        const v = s.history[t] as number;
        if (!Number.isNaN(v)) y[t - start] = (y[t - start] as number) + v;
      }
    }
    // Bottom-up daily totals over the members' horizons.
    const bottom = new Map<number, number>();
    for (const i of members) {
      const f = forecasts[i] as RawForecast;
      for (let j = 0; j < f.horizon.length; j++) {
        const t = f.horizon[j] as number;
        bottom.set(t, (bottom.get(t) ?? 0) + (f.mean[j] as number));
      }
    }
    let maxT = last;
    for (const t of bottom.keys()) maxT = Math.max(maxT, t);
    if (maxT <= last || y.length < 56) continue;
    const path = modelPath(o.model, y, calendar.weekday[start] as number, maxT - last, 364);
    const f = new Map<number, number>();
    for (const [t, b] of bottom) {
      if (t <= last || b <= 0) continue;
      const top = Math.max(0, path[t - last - 1] as number);
      f.set(t, (top / b) ** o.weight);
    }
    for (const i of members) factor.set(i, f);
  }
  return forecasts.map((fc, i) => {
    const f = factor.get(i);
    if (!f) return fc;
    const mean = Float64Array.from(fc.mean, (m, j) => m * (f.get(fc.horizon[j] as number) ?? 1));
    return { ...fc, mean, ...countBands(mean, fc.dispersion) };
  });
}
