/**
 * Cheap forecasters for the replenishment simulation, which needs a forecast per series per day.
 * `sesWeekdayForecaster` is the forecast module's SES on weekday-adjusted demand, refitted weekly on the
 * last year and moved forward one day at a time in between, with count bands from its one-step errors.
 */
import { countBands, goldenMin, sesSse, weekdayProfile } from '../forecast/index.ts';
import type { SimForecaster, SimSeries } from './simulate.ts';

interface State {
  alpha: number;
  level: number;
  prof: Float64Array;
  phi: number;
  /** Last day absorbed into the level, and the day of the next refit. */
  seen: number;
  refitAt: number;
}

/** `weekdayOf(t)`: ISO weekday 0 = Monday … 6 = Sunday of day index t. */
export function sesWeekdayForecaster(
  series: readonly SimSeries[],
  weekdayOf: (t: number) => number,
  opts: { window?: number; refitEvery?: number } = {},
): SimForecaster {
  const window = opts.window ?? 365;
  const every = opts.refitEvery ?? 7;
  const states: (State | undefined)[] = new Array(series.length);

  const refit = (y: Float64Array, t: number): State => {
    let from = Math.max(0, t - window + 1);
    while (from <= t && Number.isNaN(y[from] as number)) from++;
    const w = y.subarray(from, t + 1);
    const phase = weekdayOf(from);
    const prof = weekdayProfile(w, phase, 16);
    const adj = new Float64Array(w.length);
    for (let k = 0; k < w.length; k++) adj[k] = (w[k] as number) / (prof[(phase + k) % 7] as number);
    let l0 = 0;
    const k0 = Math.min(7, adj.length);
    for (let k = 0; k < k0; k++) l0 += (adj[k] as number) / k0;
    const alpha = adj.length > 1 ? goldenMin((a) => sesSse(adj, a, l0), 0.001, 0.999) : 0.1;
    // Replay for the level and for the one-step errors, whose variance over the mean is the dispersion.
    let l = l0;
    let se = 0;
    let sf = 0;
    for (let k = 0; k < w.length; k++) {
      const p = prof[(phase + k) % 7] as number;
      const f = Math.max(0, l * p);
      const e = (w[k] as number) - f;
      se += e * e;
      sf += f;
      l += alpha * ((adj[k] as number) - l);
    }
    const phi = sf > 0 ? Math.min(30, Math.max(1, se / sf)) : 1;
    return { alpha, level: l, prof, phi, seen: t, refitAt: t + every };
  };

  return {
    name: 'ses-weekday (weekly refit)',
    forecast(i, t, h, mean, p10, p90) {
      const y = (series[i] as SimSeries).demand;
      let st = states[i];
      if (!st || t >= st.refitAt) {
        st = refit(y, t);
        states[i] = st;
      } else {
        for (let d = st.seen + 1; d <= t; d++) {
          const v = y[d] as number;
          if (Number.isNaN(v)) continue;
          st.level += st.alpha * (v / (st.prof[weekdayOf(d)] as number) - st.level);
        }
        st.seen = t;
      }
      for (let k = 0; k < h; k++) mean[k] = Math.max(0, st.level * (st.prof[weekdayOf(t + 1 + k)] as number));
      const b = countBands(mean, st.phi);
      p10.set(b.p10);
      p90.set(b.p90);
    },
  };
}

/** Knows the true daily rate of each series and that demand is Poisson: isolates the policy in tests. */
export function oracleForecaster(rates: readonly number[]): SimForecaster {
  return {
    name: 'oracle',
    forecast(i, _t, h, mean, p10, p90) {
      mean.fill(rates[i] as number, 0, h);
      const b = countBands(mean.subarray(0, h), 1);
      p10.set(b.p10);
      p90.set(b.p90);
    },
  };
}
