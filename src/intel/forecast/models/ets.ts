/**
 * Additive-error exponential smoothing in Hyndman's state-space framework (Hyndman et al., "Forecasting
 * with Exponential Smoothing", 2008): ETS(A,N,N), (A,Ad,N), (A,N,A), (A,Ad,A) with weekly seasonality
 * (m = 7). Additive seasonality because daily retail counts have zeros, where multiplicative forms break.
 * Smoothing parameters are fitted by Nelder–Mead on the sum of squared one-step errors (the Gaussian
 * likelihood up to a constant); the form is chosen by AICc.
 */
import { logistic, nelderMead } from './optim.ts';

export type EtsForm = 'ANN' | 'AAdN' | 'ANA' | 'AAdA';
export const ETS_FORMS: readonly EtsForm[] = ['ANN', 'AAdN', 'ANA', 'AAdA'];

export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

export interface EtsFit {
  form: EtsForm;
  params: EtsParams;
  sse: number;
  aicc: number;
  /** Final states after the last observation. */
  level: number;
  trend: number;
  /** seasonal[j] is the seasonal term for the day j+1 steps after the last observation, j < m. */
  seasonal: Float64Array;
}

const M = 7;

const hasTrend = (f: EtsForm): boolean => f === 'AAdN' || f === 'AAdA';
const hasSeason = (f: EtsForm): boolean => f === 'ANA' || f === 'AAdA';

interface Init {
  l0: number;
  b0: number;
  s0: Float64Array;
}

/** Heuristic initial states: level and trend from the first two weeks, seasonal from the first weeks' deviations. */
function initStates(y: Float64Array): Init {
  const n = y.length;
  const w = Math.min(M, n);
  let m1 = 0;
  for (let t = 0; t < w; t++) m1 += (y[t] as number) / w;
  let m2 = m1;
  if (n >= 2 * M) {
    m2 = 0;
    for (let t = M; t < 2 * M; t++) m2 += (y[t] as number) / M;
  }
  const s0 = new Float64Array(M);
  const weeks = Math.min(4, Math.floor(n / M));
  if (weeks >= 1) {
    for (let k = 0; k < weeks; k++) {
      let wm = 0;
      for (let d = 0; d < M; d++) wm += (y[k * M + d] as number) / M;
      for (let d = 0; d < M; d++) s0[d] = (s0[d] as number) + ((y[k * M + d] as number) - wm) / weeks;
    }
  }
  return { l0: m1, b0: (m2 - m1) / M, s0 };
}

/** Runs the recursions; returns SSE and leaves the final states in `out` when given. */
export function etsRun(
  y: Float64Array,
  form: EtsForm,
  p: EtsParams,
  init: Init,
  out?: { level: number; trend: number; seasonal: Float64Array },
): number {
  const trend = hasTrend(form);
  const season = hasSeason(form);
  let l = init.l0;
  let b = trend ? init.b0 : 0;
  // Ring buffer: s[t % M] holds the seasonal term for day t (set m days earlier).
  const s = season ? Float64Array.from(init.s0) : new Float64Array(M);
  const { alpha, beta, gamma } = p;
  const phi = trend ? p.phi : 0;
  let sse = 0;
  const n = y.length;
  for (let t = 0; t < n; t++) {
    const st = s[t % M] as number;
    const pb = phi * b;
    const e = (y[t] as number) - (l + pb + st);
    sse += e * e;
    l = l + pb + alpha * e;
    if (trend) b = pb + beta * e;
    if (season) s[t % M] = st + gamma * e;
  }
  if (out) {
    out.level = l;
    out.trend = b;
    for (let j = 0; j < M; j++) out.seasonal[j] = s[(n + j) % M] as number;
  }
  return sse;
}

function decode(form: EtsForm, x: Float64Array): EtsParams {
  const alpha = 0.0001 + 0.9998 * logistic(x[0] as number);
  let beta = 0;
  let gamma = 0;
  let phi = 1;
  let i = 1;
  if (hasTrend(form)) {
    beta = alpha * 0.999 * logistic(x[i++] as number);
    phi = 0.8 + 0.18 * logistic(x[i++] as number);
  }
  if (hasSeason(form)) gamma = (1 - alpha) * 0.999 * logistic(x[i++] as number);
  return { alpha, beta, gamma, phi };
}

/** Number of parameters AICc counts: smoothing parameters, initial states and the error variance. */
function paramCount(form: EtsForm): number {
  let k = 1 + 1 + 1; // alpha, l0, sigma
  if (hasTrend(form)) k += 3; // beta, phi, b0
  if (hasSeason(form)) k += 1 + (M - 1); // gamma, s0 (sum fixed)
  return k;
}

export function etsFit(y: Float64Array, form: EtsForm): EtsFit {
  const init = initStates(y);
  const nx = 1 + (hasTrend(form) ? 2 : 0) + (hasSeason(form) ? 1 : 0);
  // Start at alpha ≈ 0.1, beta ≈ 0.01, phi ≈ 0.9, gamma ≈ 0.05: the usual retail region.
  const x0 = new Float64Array(nx);
  x0[0] = -2.2;
  let i = 1;
  if (hasTrend(form)) {
    x0[i++] = -2.2;
    x0[i++] = 0.2;
  }
  if (hasSeason(form)) x0[i++] = -2.9;
  const { x } = nelderMead((v) => etsRun(y, form, decode(form, v), init), x0, {
    maxEvals: 60 * nx,
    tol: 1e-7,
  });
  const params = decode(form, x);
  const states = { level: 0, trend: 0, seasonal: new Float64Array(M) };
  const sse = etsRun(y, form, params, init, states);
  const n = y.length;
  const k = paramCount(form);
  const ll = n * Math.log(Math.max(sse, 1e-12) / n);
  const aicc = n - k - 1 > 0 ? ll + 2 * k + (2 * k * (k + 1)) / (n - k - 1) : Number.POSITIVE_INFINITY;
  return { form, params, sse, aicc, ...states };
}

export function etsForecast(fit: EtsFit, h: number): Float64Array {
  const out = new Float64Array(h);
  const phi = hasTrend(fit.form) ? fit.params.phi : 0;
  let damp = 0;
  let pk = 1;
  for (let k = 0; k < h; k++) {
    pk *= phi;
    damp += pk;
    out[k] = fit.level + damp * fit.trend + (hasSeason(fit.form) ? (fit.seasonal[k % M] as number) : 0);
  }
  return out;
}

/** Fits every form and keeps the lowest AICc. */
export function etsAuto(y: Float64Array, forms: readonly EtsForm[] = ETS_FORMS): EtsFit {
  let best: EtsFit | undefined;
  for (const f of forms) {
    const fit = etsFit(y, f);
    if (!best || fit.aicc < best.aicc) best = fit;
  }
  return best as EtsFit;
}
