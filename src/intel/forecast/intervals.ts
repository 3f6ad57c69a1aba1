/**
 * Count-valued prediction intervals: quantiles of a negative binomial with mean μ and variance φ·μ
 * (φ ≥ 1 is the dispersion index; φ = 1 is Poisson). φ comes from the backtest errors of the chosen model,
 * so a series the model forecasts badly gets wide bands. Quantiles are integers, non-negative and ordered.
 */

/** Smallest integer k with P(X ≤ k) ≥ q for X ~ NB(mean mu, variance phi·mu). */
export function countQuantile(mu: number, phi: number, q: number): number {
  if (!(mu > 0)) return 0;
  const d = Math.max(phi, 1 + 1e-9);
  if (mu > 400) {
    // Normal approximation with continuity correction: the pmf sum below would take too many steps.
    const z = normalQuantile(q);
    return Math.max(0, Math.round(mu + z * Math.sqrt(d * mu) - 0.5));
  }
  // NB(r, p) with mean r(1−p)/p = mu and variance mu/p = d·mu → p = 1/d, r = mu/(d−1).
  const p = 1 / d;
  const r = mu / (d - 1);
  const poisson = r > 1e7;
  let pmf = poisson ? Math.exp(-mu) : Math.exp(r * Math.log(p));
  let cdf = pmf;
  let k = 0;
  const limit = 20 * (mu + 10) * d;
  while (cdf < q && k < limit) {
    pmf *= poisson ? mu / (k + 1) : ((k + r) / (k + 1)) * (1 - p);
    k++;
    cdf += pmf;
  }
  return k;
}

/** Acklam's rational approximation to the standard normal quantile (|error| < 1.2e−9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628274631,
  ] as const;
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ] as const;
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ] as const;
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

export interface Bands {
  p10: Float64Array;
  p50: Float64Array;
  p90: Float64Array;
}

export function countBands(mean: Float64Array, phi: number): Bands {
  const h = mean.length;
  const p10 = new Float64Array(h);
  const p50 = new Float64Array(h);
  const p90 = new Float64Array(h);
  for (let j = 0; j < h; j++) {
    const mu = mean[j] as number;
    p10[j] = countQuantile(mu, phi, 0.1);
    p50[j] = Math.max(p10[j] as number, countQuantile(mu, phi, 0.5));
    p90[j] = Math.max(p50[j] as number, countQuantile(mu, phi, 0.9));
  }
  return { p10, p50, p90 };
}
