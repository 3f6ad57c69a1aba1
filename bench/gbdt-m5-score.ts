/**
 * M5-style scores for the GBDT benchmark: RMSSE per series, WRMSSE at the item × store level and over
 * the 12 M5 levels (weights: dollar sales of the 28 days before the cutoff), scaled pinball of p10/p50/p90
 * at item × store, and how often actuals fall strictly outside p10–p90. `tally eval` is the reference
 * scorer; this one exists so the model can be tuned without it.
 */
import { M5_LEVELS as LEVELS } from '../src/intel/forecast/eval/metrics.ts';
import type { SeriesForecast } from '../src/intel/forecast/panel.ts';
import type { M5Cut, M5Raw } from './gbdt-m5-data.ts';

export interface M5Scores {
  wrmsseItemStore: number;
  wrmsse12: number;
  pinball: number;
  belowP10: number;
  aboveP90: number;
}

function rmsse(hist: Float64Array, end: number, actual: Float64Array, mean: Float64Array): number {
  let start = 0;
  while (start <= end && !((hist[start] as number) > 0)) start++;
  let s = 0;
  let n = 0;
  for (let t = start + 1; t <= end; t++) {
    const a = hist[t] as number;
    const b = hist[t - 1] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    s += (a - b) ** 2;
    n++;
  }
  const scale = n > 0 ? s / n : 0;
  if (!(scale > 0)) return 0;
  let e = 0;
  for (let j = 0; j < actual.length; j++) e += ((actual[j] as number) - (mean[j] as number)) ** 2;
  return Math.sqrt(e / actual.length / scale);
}

export function scoreM5(
  raw: M5Raw,
  cut: M5Cut,
  forecasts: readonly { mean: Float64Array; p10?: Float64Array; p50?: Float64Array; p90?: Float64Array }[],
): M5Scores {
  const c = cut.cutoffIndex;
  const n = raw.ids.length;
  const h = cut.actual[0]?.length ?? 0;
  // Dollar sales of the last 28 days.
  const dollars = new Float64Array(n);
  for (let si = 0; si < n; si++) {
    const s = raw.sales[si] as Float64Array;
    const p = raw.price[si] as Float64Array;
    for (let t = c - 27; t <= c; t++) {
      const v = (s[t] as number) * (p[t] as number);
      if (!Number.isNaN(v)) dollars[si]! += v;
    }
  }
  const totalDollars = dollars.reduce((a, b) => a + b, 0);

  let wrmsse12 = 0;
  let wrmsseItemStore = 0;
  for (const level of LEVELS) {
    const groups = new Map<string, number[]>();
    for (let si = 0; si < n; si++) {
      const key = level.map((k) => raw.attrs[si]![k]).join('|');
      const g = groups.get(key);
      if (g) g.push(si);
      else groups.set(key, [si]);
    }
    let levelScore = 0;
    for (const members of groups.values()) {
      const hist = new Float64Array(c + 1);
      const act = new Float64Array(h);
      const mean = new Float64Array(h);
      let w = 0;
      for (const si of members) {
        const s = raw.sales[si] as Float64Array;
        for (let t = 0; t <= c; t++) {
          const v = s[t] as number;
          if (!Number.isNaN(v)) hist[t]! += v;
        }
        for (let j = 0; j < h; j++) {
          act[j]! += cut.actual[si]![j] as number;
          mean[j]! += forecasts[si]!.mean[j] as number;
        }
        w += dollars[si] as number;
      }
      levelScore += (w / totalDollars) * rmsse(hist, c, act, mean);
    }
    wrmsse12 += levelScore / LEVELS.length;
    if (level.length === 2 && level[1] === 'store' && level[0] === 'item') wrmsseItemStore = levelScore;
  }

  let pinball = 0;
  let below = 0;
  let above = 0;
  let cells = 0;
  for (let si = 0; si < n; si++) {
    const f = forecasts[si]!;
    if (!f.p10 || !f.p50 || !f.p90) continue;
    const s = raw.sales[si] as Float64Array;
    let start = 0;
    while (start <= c && !((s[start] as number) > 0)) start++;
    let d = 0;
    let m = 0;
    for (let t = start + 1; t <= c; t++) {
      d += Math.abs((s[t] as number) - (s[t - 1] as number));
      m++;
    }
    const scale = m > 0 ? d / m : 0;
    let pl = 0;
    for (let j = 0; j < h; j++) {
      const y = cut.actual[si]![j] as number;
      for (const [q, qs] of [
        [0.1, f.p10],
        [0.5, f.p50],
        [0.9, f.p90],
      ] as const) {
        const qh = qs[j] as number;
        pl += y >= qh ? q * (y - qh) : (1 - q) * (qh - y);
      }
      if (y < (f.p10[j] as number)) below++;
      if (y > (f.p90[j] as number)) above++;
      cells++;
    }
    if (scale > 0) pinball += ((dollars[si] as number) / totalDollars) * (pl / h / 3 / scale);
  }
  return { wrmsseItemStore, wrmsse12, pinball, belowP10: below / cells, aboveP90: above / cells };
}

/** Seasonal naive (the last 7 days repeated): the yardstick the issue measures against. */
export function seasonalNaive(cut: M5Cut): { mean: Float64Array }[] {
  const c = cut.cutoffIndex;
  return cut.panel.series.map((s) => ({
    mean: Float64Array.from(s.horizon, (t) => {
      const src = c - 6 + ((t - c - 1) % 7);
      const v = s.history[src] as number;
      return Number.isNaN(v) ? 0 : v;
    }),
  }));
}

export type { SeriesForecast };
