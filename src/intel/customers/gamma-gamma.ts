/**
 * Gamma-Gamma spend model (Fader, Hardie and Lee 2005, "RFM and CLV"): a customer's transaction values are
 * Gamma(p, ν) around their own mean, with ν ~ Gamma(q, γ) across customers. Fitted on customers with at
 * least one repeat purchase and a positive mean value; the conditional mean shrinks each customer's
 * average towards the population's.
 */
import { nelderMead } from './nelder-mead.ts';
import { lnGamma } from './special.ts';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface SpendSummary {
  /** Number of transactions averaged. */
  x: number;
  /** Their mean value (> 0). */
  mean: number;
}

export function gammaGammaLogLikelihood(g: GammaGammaParams, c: SpendSummary): number {
  const { p, q, gamma } = g;
  const { x, mean } = c;
  return (
    lnGamma(p * x + q) -
    lnGamma(p * x) -
    lnGamma(q) +
    q * Math.log(gamma) +
    (p * x - 1) * Math.log(mean) +
    p * x * Math.log(x) -
    (p * x + q) * Math.log(gamma + x * mean)
  );
}

export function fitGammaGamma(customers: readonly SpendSummary[]): GammaGammaParams {
  const used = customers.filter((c) => c.x > 0 && c.mean > 0);
  const avg = used.reduce((s, c) => s + c.mean, 0) / Math.max(used.length, 1) || 1;
  const negLl = (v: number[]) => {
    const g = { p: Math.exp(v[0] as number), q: Math.exp(v[1] as number), gamma: Math.exp(v[2] as number) };
    let s = 0;
    for (const c of used) s += gammaGammaLogLikelihood(g, c);
    return -s;
  };
  const res = nelderMead(negLl, [Math.log(2), Math.log(3), Math.log(avg)], { maxIterations: 3000 });
  const [p, q, gamma] = res.x.map(Math.exp) as [number, number, number];
  return { p, q, gamma };
}

/** E[mean transaction value | x, mean]; the population mean pγ/(q−1) when x is 0. */
export function expectedValue(g: GammaGammaParams, c: SpendSummary): number {
  const { p, q, gamma } = g;
  if (q <= 1) return c.x > 0 ? c.mean : 0;
  if (c.x === 0 || !(c.mean > 0)) return (p * gamma) / (q - 1);
  return (p * (gamma + c.x * c.mean)) / (p * c.x + q - 1);
}
