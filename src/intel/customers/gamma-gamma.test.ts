import { describe, expect, it } from 'vitest';
import { expectedValue, gammaGammaLogLikelihood } from './gamma-gamma.ts';
import { lnGamma } from './special.ts';

// Fader, Hardie and Lee (2005b), CDNOW: p = 6.25, q = 3.74, γ = 15.44.
const G = { p: 6.25, q: 3.74, gamma: 15.44 };

describe('Gamma-Gamma spend', () => {
  it('log-gamma is exact on integers and at one half', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it('has the hand-computed likelihood for one transaction', () => {
    // x = 1, m: density of m under Gamma(p, ν) with ν ~ Gamma(q, γ) = Γ(p+q)/(Γ(p)Γ(q)) γ^q m^(p−1) / (γ+m)^(p+q).
    const m = 20;
    const want =
      lnGamma(G.p + G.q) -
      lnGamma(G.p) -
      lnGamma(G.q) +
      G.q * Math.log(G.gamma) +
      (G.p - 1) * Math.log(m) -
      (G.p + G.q) * Math.log(G.gamma + m);
    expect(gammaGammaLogLikelihood(G, { x: 1, mean: m })).toBeCloseTo(want, 10);
  });

  it('shrinks a customer mean towards the population mean, less with more purchases', () => {
    const population = (G.p * G.gamma) / (G.q - 1);
    expect(expectedValue(G, { x: 0, mean: 0 })).toBeCloseTo(population, 10);
    const one = expectedValue(G, { x: 1, mean: 100 });
    const ten = expectedValue(G, { x: 10, mean: 100 });
    expect(one).toBeGreaterThan(population);
    expect(ten).toBeGreaterThan(one);
    expect(ten).toBeLessThan(100);
  });
});
