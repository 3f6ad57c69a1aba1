import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random.ts';
import {
  bgnbdLogLikelihood,
  expectedPurchases,
  fitBgNbd,
  pAlive,
  pPurchaseWithin,
  type RfSummary,
} from './bgnbd.ts';

// Fader, Hardie and Lee (2005), CDNOW sample, time in weeks.
const CDNOW = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('BG/NBD', () => {
  it('has the hand-computed likelihood for a one-time buyer and for one repeat purchase', () => {
    const { r, alpha, a, b } = CDNOW;
    // x = 0: L = (α / (α + T))^r.
    expect(bgnbdLogLikelihood(CDNOW, { x: 0, tx: 0, T: 38.86 })).toBeCloseTo(
      r * Math.log(alpha / (alpha + 38.86)),
      12,
    );
    // x = 1: L = r α^r b/(a+b) [(α+T)^−(r+1) + (a/b)(α+tₓ)^−(r+1)].
    const L =
      r * alpha ** r * (b / (a + b)) * ((alpha + 30) ** -(r + 1) + (a / b) * (alpha + 10) ** -(r + 1));
    expect(bgnbdLogLikelihood(CDNOW, { x: 1, tx: 10, T: 30 })).toBeCloseTo(Math.log(L), 10);
  });

  it("matches the paper's worked example: x = 2, tₓ = 30.43, T = 38.86 expects 1.226 purchases in 39 weeks", () => {
    const c = { x: 2, tx: 30.43, T: 38.86 };
    expect(expectedPurchases(CDNOW, c, 39)).toBeCloseTo(1.226, 2);
    expect(pAlive(CDNOW, { x: 0, tx: 0, T: 38.86 })).toBe(1);
    const p = pPurchaseWithin(CDNOW, c, 39);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(pAlive(CDNOW, c));
  });

  it('recovers the CDNOW parameters from customers simulated with them', () => {
    const rand = seededRandom(5);
    const gamma = (shape: number, scale: number): number => {
      // Marsaglia–Tsang, with the shape < 1 boost.
      if (shape < 1) return gamma(shape + 1, scale) * rand() ** (1 / shape);
      const d = shape - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        let x = 0;
        let v = 0;
        do {
          const u1 = rand();
          const u2 = rand();
          x = Math.sqrt(-2 * Math.log(u1 || 1e-12)) * Math.cos(2 * Math.PI * u2);
          v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        if (Math.log(rand() || 1e-12) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
      }
    };
    const customers: RfSummary[] = [];
    for (let i = 0; i < 4000; i++) {
      const lambda = gamma(CDNOW.r, 1 / CDNOW.alpha);
      const g1 = gamma(CDNOW.a, 1);
      const p = g1 / (g1 + gamma(CDNOW.b, 1));
      const T = 39;
      let t = 0;
      let x = 0;
      let tx = 0;
      for (;;) {
        t += -Math.log(1 - rand()) / lambda;
        if (t > T) break;
        x++;
        tx = t;
        if (rand() < p) break;
      }
      customers.push({ x, tx, T });
    }
    const fit = fitBgNbd(customers);
    expect(fit.r).toBeGreaterThan(0.2);
    expect(fit.r).toBeLessThan(0.3);
    expect(fit.alpha).toBeGreaterThan(3.3);
    expect(fit.alpha).toBeLessThan(5.5);
    const ll = (p: typeof CDNOW) => customers.reduce((s, c) => s + bgnbdLogLikelihood(p, c), 0);
    // The fit is at least as likely as the truth (it maximises the same function).
    expect(ll(fit)).toBeGreaterThanOrEqual(ll(CDNOW) - 1e-6);
  });
});
