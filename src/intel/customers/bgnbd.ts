/**
 * BG/NBD (Fader, Hardie and Lee 2005, "Counting your customers the easy way"): while alive a customer buys
 * at a Poisson rate λ ~ Gamma(r, α) and after each purchase drops out with probability p ~ Beta(a, b).
 * Each customer is summarised by x (repeat purchases), tₓ (time of the last purchase since the first) and
 * T (time since the first purchase); the four parameters are fitted by maximum likelihood on log scale.
 */
import { nelderMead } from './nelder-mead.ts';
import { hyp2f1, lnGamma } from './special.ts';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** x, tₓ, T of one customer (time in any unit, the same for all). */
export interface RfSummary {
  x: number;
  tx: number;
  T: number;
}

export function bgnbdLogLikelihood(p: BgNbdParams, c: RfSummary): number {
  const { r, alpha, a, b } = p;
  const { x, tx, T } = c;
  const a1 = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha);
  const a2 = lnGamma(a + b) + lnGamma(b + x) - lnGamma(b) - lnGamma(a + b + x);
  const a3 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return a1 + a2 + a3;
  const a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  const m = Math.max(a3, a4);
  return a1 + a2 + m + Math.log(Math.exp(a3 - m) + Math.exp(a4 - m));
}

export function fitBgNbd(customers: readonly RfSummary[], start?: BgNbdParams): BgNbdParams {
  const meanT = customers.reduce((s, c) => s + c.T, 0) / Math.max(customers.length, 1);
  const s0 = start ?? { r: 1, alpha: Math.max(meanT, 1), a: 1, b: 1 };
  const negLl = (v: number[]) => {
    const p = {
      r: Math.exp(v[0] as number),
      alpha: Math.exp(v[1] as number),
      a: Math.exp(v[2] as number),
      b: Math.exp(v[3] as number),
    };
    let s = 0;
    for (const c of customers) s += bgnbdLogLikelihood(p, c);
    // A faint pull towards 1 keeps a degenerate sample (everyone bought once) from running off to ∞.
    return -s + 1e-4 * v.reduce((t, u) => t + u * u, 0);
  };
  const res = nelderMead(negLl, [Math.log(s0.r), Math.log(s0.alpha), Math.log(s0.a), Math.log(s0.b)], {
    maxIterations: 3000,
  });
  const [r, alpha, a, b] = res.x.map(Math.exp) as [number, number, number, number];
  return { r, alpha, a, b };
}

/** P(still alive at T | x, tₓ, T). */
export function pAlive(p: BgNbdParams, c: RfSummary): number {
  if (c.x === 0) return 1;
  const ratio = Math.exp((p.r + c.x) * (Math.log(p.alpha + c.T) - Math.log(p.alpha + c.tx)));
  return 1 / (1 + (p.a / (p.b + c.x - 1)) * ratio);
}

/**
 * P(at least one purchase in (T, T + t]): alive at T, the next purchase comes after an exponential wait
 * at the customer's rate, whose posterior given alive is Gamma(r + x, α + T).
 */
export function pPurchaseWithin(p: BgNbdParams, c: RfSummary, t: number): number {
  const noBuy = ((p.alpha + c.T) / (p.alpha + c.T + t)) ** (p.r + c.x);
  return pAlive(p, c) * (1 - noBuy);
}

/** E[purchases in (T, T + t] | x, tₓ, T] (equation 10 of the paper). */
export function expectedPurchases(p: BgNbdParams, c: RfSummary, t: number): number {
  const { r, alpha, a, b } = p;
  const { x, tx, T } = c;
  const z = t / (alpha + T + t);
  const head = (a + b + x - 1) / (a - 1);
  const body = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z);
  const tail = x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 0;
  const v = (head * body) / (1 + tail);
  return Number.isFinite(v) && v > 0 ? v : 0;
}
