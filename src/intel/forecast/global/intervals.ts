/**
 * Prediction intervals for counts: negative binomial quantiles around the model's mean, with variance
 * mu + alpha·mu². Alpha is chosen per sales-level bucket and per quantile on a held-out window, as the
 * value that minimises that quantile's pinball loss there, so intervals are as wide as the model's real
 * errors and no wider. Integer quantiles (smallest k with CDF ≥ q) keep "strictly below p10" ≤ 10 %.
 */

export const ALPHA_GRID = [0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1, 1.3, 1.7, 2.2, 3, 4, 6] as const;

/** nbQuantile for several ascending levels in one pass over the pmf. */
export function nbQuantiles(mu: number, alpha: number, qs: readonly number[], out: Float64Array): void {
  if (!(mu > 0)) {
    out.fill(0, 0, qs.length);
    return;
  }
  let pmf: number;
  let r = 0;
  let pSucc = 0;
  const poissonCase = alpha <= 1e-9;
  if (poissonCase) pmf = Math.exp(-mu);
  else {
    r = 1 / alpha;
    pSucc = r / (r + mu);
    pmf = Math.exp(r * Math.log(pSucc));
  }
  if (pmf < 1e-300) {
    for (let i = 0; i < qs.length; i++) out[i] = nbQuantile(mu, alpha, qs[i] as number);
    return;
  }
  let cdf = pmf;
  let k = 0;
  for (let i = 0; i < qs.length; i++) {
    const q = qs[i] as number;
    while (cdf < q && k < 100_000) {
      pmf *= poissonCase ? mu / (k + 1) : ((k + r) / (k + 1)) * (1 - pSucc);
      k++;
      cdf += pmf;
    }
    out[i] = k;
  }
}

/** Smallest integer k with P(Y ≤ k) ≥ q for Y ~ NB(mean mu, variance mu + alpha mu²); alpha 0 is Poisson. */
export function nbQuantile(mu: number, alpha: number, q: number): number {
  if (!(mu > 0)) return 0;
  let pmf: number;
  let ratio: (k: number) => number;
  if (alpha <= 1e-9) {
    pmf = Math.exp(-mu);
    ratio = (k) => mu / (k + 1);
  } else {
    const r = 1 / alpha;
    const pSucc = r / (r + mu);
    pmf = Math.exp(r * Math.log(pSucc));
    ratio = (k) => ((k + r) / (k + 1)) * (1 - pSucc);
  }
  // Underflow for large mu: fall back to a normal approximation.
  if (pmf < 1e-300) {
    const sd = Math.sqrt(mu + alpha * mu * mu);
    return Math.max(0, Math.round(mu + sd * normalQuantile(q)));
  }
  let cdf = pmf;
  let k = 0;
  while (cdf < q && k < 100_000) {
    pmf *= ratio(k);
    k++;
    cdf += pmf;
  }
  return k;
}

/** Acklam's rational approximation, good to ~1e-9; only used when the NB pmf underflows. */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

export const pinball = (y: number, qhat: number, q: number): number =>
  y >= qhat ? q * (y - qhat) : (1 - q) * (qhat - y);

export interface DispersionFit {
  /** Upper edges of the level buckets (last is +Infinity). */
  edges: Float64Array;
  /** alpha[bucket * quantiles.length + qi]. */
  alpha: Float64Array;
  quantiles: readonly number[];
}

/**
 * Chooses alpha per level bucket and quantile. `level` is what buckets a row (e.g. the series' recent mean),
 * `mu` the held-out prediction, `y` the actual; `weight` scales each row's pinball (e.g. 1/series scale).
 */
export function fitDispersion(
  level: Float64Array,
  mu: Float64Array,
  y: Float64Array,
  weight: Float64Array,
  quantiles: readonly number[],
  nBuckets = 8,
): DispersionFit {
  const n = level.length;
  const sorted = Float64Array.from(level).sort();
  const edges = new Float64Array(nBuckets);
  for (let b = 0; b < nBuckets - 1; b++)
    edges[b] = sorted[Math.floor(((b + 1) * n) / nBuckets) - 1] ?? Number.POSITIVE_INFINITY;
  edges[nBuckets - 1] = Number.POSITIVE_INFINITY;
  const loss = new Float64Array(nBuckets * quantiles.length * ALPHA_GRID.length);
  const qhat = new Float64Array(quantiles.length);
  for (let i = 0; i < n; i++) {
    const b = bucketOf(edges, level[i] as number);
    for (let a = 0; a < ALPHA_GRID.length; a++) {
      nbQuantiles(mu[i] as number, ALPHA_GRID[a] as number, quantiles, qhat);
      for (let qi = 0; qi < quantiles.length; qi++) {
        loss[(b * quantiles.length + qi) * ALPHA_GRID.length + a]! +=
          (weight[i] as number) * pinball(y[i] as number, qhat[qi] as number, quantiles[qi] as number);
      }
    }
  }
  const alpha = new Float64Array(nBuckets * quantiles.length);
  for (let cell = 0; cell < alpha.length; cell++) {
    let best = 0;
    for (let a = 1; a < ALPHA_GRID.length; a++) {
      if ((loss[cell * ALPHA_GRID.length + a] as number) < (loss[cell * ALPHA_GRID.length + best] as number))
        best = a;
    }
    alpha[cell] = ALPHA_GRID[best] as number;
  }
  return { edges, alpha, quantiles };
}

export function bucketOf(edges: Float64Array, level: number): number {
  if (Number.isNaN(level)) return 0;
  let b = 0;
  while (b < edges.length - 1 && level > (edges[b] as number)) b++;
  return b;
}

export function alphaFor(fit: DispersionFit, level: number, qi: number): number {
  return fit.alpha[bucketOf(fit.edges, level) * fit.quantiles.length + qi] as number;
}
