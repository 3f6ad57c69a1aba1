import { describe, expect, it } from 'vitest';
import { fitDispersion, nbQuantile, nbQuantiles, normalQuantile } from './intervals.ts';

describe('count intervals', () => {
  it('gives Poisson quantiles when alpha is 0 (mu = 2: CDF 0.135, 0.406, 0.677, 0.857, 0.947)', () => {
    expect([0.1, 0.5, 0.9].map((q) => nbQuantile(2, 0, q))).toEqual([0, 2, 4]);
  });

  it('gives geometric quantiles when alpha is 1 (CDF(k) = 1 − (2/3)^(k+1) for mu = 2)', () => {
    expect([0.1, 0.5, 0.9].map((q) => nbQuantile(2, 1, q))).toEqual([0, 1, 5]);
  });

  it('falls back to the normal approximation for large means', () => {
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815516, 6);
    const q = nbQuantile(5000, 0.01, 0.9);
    expect(q).toBeGreaterThan(5000 + 1.2 * Math.sqrt(5000 + 0.01 * 5000 ** 2));
    expect(q).toBeLessThan(5000 + 1.36 * Math.sqrt(5000 + 0.01 * 5000 ** 2));
  });

  it('chooses a wider dispersion where the errors are wider', () => {
    // Level bucket 1 (mean 1) is Poisson-like; bucket 2 (mean 10) swings between 0 and 20.
    const n = 400;
    const level = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? 1 : 10));
    const mu = Float64Array.from(level);
    const y = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? [0, 1, 1, 2][i % 4]! : i % 2 ? 20 : 0));
    const fit = fitDispersion(level, mu, y, new Float64Array(n).fill(1), [0.1, 0.5, 0.9], 2);
    expect(fit.alpha[0 * 3 + 2]).toBeLessThan(fit.alpha[1 * 3 + 2]!);
  });
});

describe('several quantiles in one pass', () => {
  it('agrees with one quantile at a time', () => {
    const out = new Float64Array(3);
    for (const [mu, alpha] of [
      [0.3, 0],
      [2, 1],
      [7.5, 0.3],
      [40, 2],
    ] as const) {
      nbQuantiles(mu, alpha, [0.1, 0.5, 0.9], out);
      expect(Array.from(out)).toEqual([0.1, 0.5, 0.9].map((q) => nbQuantile(mu, alpha, q)));
    }
  });
});
