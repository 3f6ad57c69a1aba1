/**
 * Demand over a protection period (lead time + review period) as a negative binomial.
 *
 * The forecast gives per day a mean and the p10/p50/p90 of a count distribution. We fit one dispersion
 * index φ (variance = φ·mean) per series to the daily quantiles, because NB days with a common φ share
 * their p = 1/φ and a sum of NB(rᵢ, p) is exactly NB(Σrᵢ, p): the protection-period demand is NB with the
 * summed mean and the same φ when days are independent. Forecast errors are not independent across days
 * (a wrong level is wrong every day), so φ is inflated by 1 + (n−1)·ρ, the variance of a sum of n equally
 * varied days with pairwise correlation ρ.
 */
import { countQuantile, normalQuantile } from '../forecast/index.ts';

/** Dispersion indices tried when fitting φ to the forecast's quantiles. */
const PHI_GRID = [1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 7, 10, 15, 20, 30] as const;
/** Above this mean the NB is replaced by a normal with the same mean and variance (pmf sums get long). */
export const NORMAL_ABOVE = 250;
/** Days used for the fit: quantiles of more days rarely change the choice and cost time. */
const FIT_DAYS = 7;

/**
 * The φ whose NB quantiles best match the forecast's p10 and p90 (sum of integer distances) on the first
 * days of `from…from+n`. Integer quantiles of small counts fit many φ alike; ties take the smallest, i.e.
 * Poisson unless the bands say wider: the middle of the tied range made Poisson(1) demand look like
 * φ = 2.5 and over-protected it in simulation (99 % fill at a 90 % target).
 */
export function fitDispersion(
  mean: Float64Array,
  p10: Float64Array,
  p90: Float64Array,
  from: number,
  n: number,
): number {
  const end = Math.min(mean.length, from + Math.min(n, FIT_DAYS));
  let best = Number.POSITIVE_INFINITY;
  let bestPhi = 1;
  for (let g = 0; g < PHI_GRID.length && best > 0; g++) {
    const phi = PHI_GRID[g] as number;
    let err = 0;
    for (let t = from; t < end && err < best; t++) {
      const mu = mean[t] as number;
      if (mu > 0) err += bandMiss(mu, phi, p10[t] as number, p90[t] as number);
    }
    if (err < best) {
      best = err;
      bestPhi = phi;
    }
  }
  return bestPhi;
}

/** |q10 − lo| + |q90 − hi| for NB(mu, phi·mu), both quantiles from one walk up the CDF. */
function bandMiss(mu: number, phi: number, lo: number, hi: number): number {
  if (mu > NORMAL_ABOVE) {
    return Math.abs(countQuantile(mu, phi, 0.1) - lo) + Math.abs(countQuantile(mu, phi, 0.9) - hi);
  }
  const w = new CountWalker(mu, phi);
  while (w.cdf < 0.1) w.next();
  const q10 = w.k;
  while (w.cdf < 0.9) w.next();
  return Math.abs(q10 - lo) + Math.abs(w.k - hi);
}

/** Demand over a period: mean and dispersion index (variance = phi·mean, phi ≥ 1). */
export interface PeriodDemand {
  mean: number;
  phi: number;
}

/** φ of a sum of `days` days with pairwise error correlation `rho`. */
export function inflateDispersion(phi: number, days: number, rho: number): number {
  return Math.max(1, phi * (1 + Math.max(0, days - 1) * rho));
}

/**
 * Running CDF and loss function of D ~ NB(mean, phi·mean) over integers, in one pass: call `next()` to
 * move from k to k+1. `cdf` is P(D ≤ k) and `loss` is G(k) = E[(D − k)⁺]. G(0) = mean and
 * G(k+1) = G(k) − (1 − F(k)), so the loss costs nothing beyond the CDF.
 */
export class CountWalker {
  k = 0;
  cdf = 0;
  loss = 0;
  private pmf = 0;
  private readonly poisson: boolean;
  private readonly r: number;
  private readonly q: number;
  private readonly mu: number;

  constructor(mean: number, phi: number) {
    this.mu = mean;
    this.poisson = phi <= 1 + 1e-6;
    // NB(r, p) with mean r(1−p)/p = μ and variance μ/p = φμ → p = 1/φ, r = μ/(φ−1); q = 1 − p.
    this.q = this.poisson ? 0 : 1 - 1 / phi;
    this.r = this.poisson ? 0 : mean / (phi - 1);
    this.pmf = mean <= 0 ? 1 : this.poisson ? Math.exp(-mean) : Math.exp(this.r * Math.log(1 / phi));
    this.cdf = this.pmf;
    this.loss = Math.max(0, mean);
  }

  next(): void {
    this.loss = Math.max(0, this.loss - (1 - this.cdf));
    this.pmf *= this.poisson ? this.mu / (this.k + 1) : ((this.k + this.r) / (this.k + 1)) * this.q;
    this.k++;
    this.cdf = Math.min(1, this.cdf + this.pmf);
  }
}

/** Standard normal density and CDF (erfc by Numerical Recipes' Chebyshev fit, |error| < 1.2e−7). */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Standard normal loss function L(z) = E[(Z − z)⁺] = φ(z) − z·(1 − Φ(z)). */
export function normalLoss(z: number): number {
  return normalPdf(z) - z * (1 - normalCdf(z));
}

export { normalQuantile };

/** P(D > a) for D ~ NB(mean, phi·mean): the chance that demand exceeds what is available. */
export function exceedProbability(d: PeriodDemand, available: number): number {
  if (!(d.mean > 0)) return 0;
  if (available < 0) return 1;
  const a = Math.floor(available);
  if (d.mean > NORMAL_ABOVE) {
    const sd = Math.sqrt(d.phi * d.mean);
    return 1 - normalCdf((a + 0.5 - d.mean) / sd);
  }
  const w = new CountWalker(d.mean, d.phi);
  while (w.k < a && w.cdf < 1 - 1e-12) w.next();
  return Math.max(0, 1 - w.cdf);
}
