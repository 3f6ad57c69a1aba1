/**
 * Baselines on a dense daily series `y` (no NaN): seasonal naive (weekly) and simple exponential smoothing.
 * Every model returns the mean path for steps 1…h after the last observation.
 */

/** Repeats the last observed week: ŷ(T+k) = y(T+k−7·⌈k/7⌉). Shorter histories repeat what there is. */
export function seasonalNaive(y: Float64Array, h: number, m = 7): Float64Array {
  const out = new Float64Array(h);
  const n = y.length;
  if (n === 0) return out;
  const p = Math.min(m, n);
  for (let k = 0; k < h; k++) out[k] = y[n - p + (k % p)] as number;
  return out;
}

/** One-step squared error of SES with smoothing `alpha`, level started at `l0`. */
export function sesSse(y: Float64Array, alpha: number, l0: number): number {
  let l = l0;
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const e = (y[t] as number) - l;
    sse += e * e;
    l += alpha * e;
  }
  return sse;
}

export function sesLevel(y: Float64Array, alpha: number, l0: number): number {
  let l = l0;
  for (let t = 0; t < y.length; t++) l += alpha * ((y[t] as number) - l);
  return l;
}

/**
 * Simple exponential smoothing, alpha chosen by one-step squared error (golden-section search on
 * [0.001, 0.999]), level started at the mean of the first (up to) 7 days. Flat forecast.
 */
export function ses(y: Float64Array, h: number): { mean: Float64Array; alpha: number } {
  const n = y.length;
  if (n === 0) return { mean: new Float64Array(h), alpha: Number.NaN };
  let l0 = 0;
  const k = Math.min(7, n);
  for (let t = 0; t < k; t++) l0 += (y[t] as number) / k;
  const alpha = goldenMin((a) => sesSse(y, a, l0), 0.001, 0.999);
  return { mean: new Float64Array(h).fill(sesLevel(y, alpha, l0)), alpha };
}

/** Minimum of a unimodal function on [a, b] by golden-section search. */
export function goldenMin(f: (x: number) => number, a: number, b: number, tol = 1e-4): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tol) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/**
 * SES on the series divided by a weekday profile, times the profile again. The profile is each weekday's
 * share over the last `weeks` weeks, shrunk towards 1 so sparse series do not get wild factors.
 * `phase` is the weekday (0–6) of y[0].
 */
export function sesWeekday(y: Float64Array, h: number, phase: number, weeks = 16): Float64Array {
  const n = y.length;
  const prof = weekdayProfile(y, phase, weeks);
  const adj = new Float64Array(n);
  for (let t = 0; t < n; t++) adj[t] = (y[t] as number) / (prof[(phase + t) % 7] as number);
  const { mean } = ses(adj, 1);
  const l = mean[0] as number;
  const out = new Float64Array(h);
  for (let k = 0; k < h; k++) out[k] = l * (prof[(phase + n + k) % 7] as number);
  return out;
}

export function weekdayProfile(y: Float64Array, phase: number, weeks: number): Float64Array {
  const n = y.length;
  const span = Math.min(n, weeks * 7);
  const sum = new Float64Array(7);
  const cnt = new Float64Array(7);
  let total = 0;
  for (let t = n - span; t < n; t++) {
    const d = (phase + t) % 7;
    sum[d] = (sum[d] as number) + (y[t] as number);
    cnt[d] = (cnt[d] as number) + 1;
    total += y[t] as number;
  }
  const mean = span > 0 ? total / span : 0;
  const prof = new Float64Array(7).fill(1);
  if (mean <= 0) return prof;
  // Shrinkage: a pseudo-count of `k` days at the overall mean per weekday.
  const k = 7 / Math.max(mean, 1e-9) > 20 ? 20 : 7 / mean;
  let s = 0;
  for (let d = 0; d < 7; d++) {
    prof[d] = ((sum[d] as number) + k * mean) / (((cnt[d] as number) + k) * mean);
    s += prof[d] as number;
  }
  for (let d = 0; d < 7; d++) prof[d] = ((prof[d] as number) * 7) / s;
  return prof;
}
