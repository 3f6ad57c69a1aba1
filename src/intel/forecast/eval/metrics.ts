/**
 * M5 scoring (Makridakis et al., 2022): RMSSE per series, WRMSSE over the 12 hierarchy levels with weights
 * from dollar sales of the 28 days before the cutoff, scaled pinball loss of p10/p50/p90 (the Uncertainty
 * track's scale: mean absolute day-to-day change of the history) and the p10/p90 exceedance rates.
 * Pure functions over arrays so any forecast (ours, baselines, another tool's CSV) is scored the same way.
 */

export interface BottomSeries {
  /** Attributes naming the hierarchy: item, dept, cat, store, state. */
  attrs: Record<string, string>;
  /** History up to the cutoff from the series' first sale (older first). */
  history: Float64Array;
  actual: Float64Array;
  /** Dollar sales of the 28 days before the cutoff. */
  dollars: number;
}

export interface Quantiles {
  mean: Float64Array;
  p10: Float64Array;
  p50: Float64Array;
  p90: Float64Array;
}

export const M5_LEVELS: readonly (readonly string[])[] = [
  [],
  ['state'],
  ['store'],
  ['cat'],
  ['dept'],
  ['state', 'cat'],
  ['state', 'dept'],
  ['store', 'cat'],
  ['store', 'dept'],
  ['item'],
  ['item', 'state'],
  ['item', 'store'],
];

export const levelName = (keys: readonly string[]): string => (keys.length === 0 ? 'total' : keys.join('×'));

function scaleOf(history: Float64Array, squared: boolean): number {
  // The scale counts from the first non-zero day, as in M5 (leading zeros are before the launch).
  let start = 0;
  while (start < history.length && (history[start] as number) === 0) start++;
  let s = 0;
  for (let t = start + 1; t < history.length; t++) {
    const d = (history[t] as number) - (history[t - 1] as number);
    s += squared ? d * d : Math.abs(d);
  }
  const n = history.length - start - 1;
  return n > 0 ? s / n : Number.NaN;
}

export function rmsse(history: Float64Array, actual: Float64Array, mean: Float64Array): number {
  const scale = scaleOf(history, true);
  let mse = 0;
  for (let k = 0; k < actual.length; k++)
    mse += ((actual[k] as number) - (mean[k] as number)) ** 2 / actual.length;
  return scale > 0 ? Math.sqrt(mse / scale) : Number.NaN;
}

export interface LevelScore {
  level: string;
  series: number;
  wrmsse: number;
}

/** WRMSSE with bottom-up aggregation of the mean forecasts; returns the average over levels and each level. */
export function wrmsse(
  bottom: readonly BottomSeries[],
  means: readonly Float64Array[],
): { total: number; levels: LevelScore[] } {
  const levels: LevelScore[] = [];
  const maxLen = Math.max(...bottom.map((b) => b.history.length));
  const h = bottom[0]?.actual.length ?? 0;
  for (const keys of M5_LEVELS) {
    const groups = new Map<
      string,
      { hist: Float64Array; actual: Float64Array; mean: Float64Array; dollars: number }
    >();
    bottom.forEach((b, i) => {
      const key = keys.map((k) => b.attrs[k] ?? '').join('|');
      let g = groups.get(key);
      if (!g) {
        g = {
          hist: new Float64Array(maxLen),
          actual: new Float64Array(h),
          mean: new Float64Array(h),
          dollars: 0,
        };
        groups.set(key, g);
      }
      // Histories are right-aligned at the cutoff.
      const off = maxLen - b.history.length;
      for (let t = 0; t < b.history.length; t++)
        g.hist[off + t] = (g.hist[off + t] as number) + (b.history[t] as number);
      const m = means[i] as Float64Array;
      for (let k = 0; k < h; k++) {
        g.actual[k] = (g.actual[k] as number) + (b.actual[k] as number);
        g.mean[k] = (g.mean[k] as number) + (m[k] as number);
      }
      g.dollars += b.dollars;
    });
    let wsum = 0;
    let score = 0;
    for (const g of groups.values()) {
      const r = rmsse(g.hist, g.actual, g.mean);
      if (Number.isNaN(r)) continue;
      score += g.dollars * r;
      wsum += g.dollars;
    }
    levels.push({
      level: levelName(keys),
      series: groups.size,
      wrmsse: wsum > 0 ? score / wsum : Number.NaN,
    });
  }
  const total = levels.reduce((s, l) => s + l.wrmsse, 0) / levels.length;
  return { total, levels };
}

const pinball = (y: number, q: number, tau: number): number => (y >= q ? tau * (y - q) : (1 - tau) * (q - y));

export interface IntervalScore {
  /** Dollar-weighted scaled pinball loss of p10, p50, p90 at the bottom level (mean over the three). */
  pinball: number;
  /** Share of series-days strictly below p10 / strictly above p90. */
  below10: number;
  above90: number;
  /** Share of series-days inside [p10, p90] inclusive. */
  coverage: number;
}

export function intervalScore(bottom: readonly BottomSeries[], qs: readonly Quantiles[]): IntervalScore {
  let wsum = 0;
  let spl = 0;
  let below = 0;
  let above = 0;
  let cells = 0;
  bottom.forEach((b, i) => {
    const q = qs[i] as Quantiles;
    const h = b.actual.length;
    let below0 = 0;
    let above0 = 0;
    let loss = 0;
    for (let k = 0; k < h; k++) {
      const y = b.actual[k] as number;
      loss +=
        (pinball(y, q.p10[k] as number, 0.1) +
          pinball(y, q.p50[k] as number, 0.5) +
          pinball(y, q.p90[k] as number, 0.9)) /
        3;
      if (y < (q.p10[k] as number)) below0++;
      if (y > (q.p90[k] as number)) above0++;
    }
    below += below0;
    above += above0;
    cells += h;
    const scale = scaleOf(b.history, false);
    if (scale > 0 && b.dollars > 0) {
      spl += (b.dollars * loss) / h / scale;
      wsum += b.dollars;
    }
  });
  return {
    pinball: wsum > 0 ? spl / wsum : Number.NaN,
    below10: below / cells,
    above90: above / cells,
    coverage: 1 - (below + above) / cells,
  };
}
