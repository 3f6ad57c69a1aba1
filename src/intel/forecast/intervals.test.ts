import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countBands, countQuantile, normalQuantile } from './intervals.ts';

describe('count quantiles', () => {
  it('are Poisson quantiles when the dispersion is 1', () => {
    // Poisson(2): P(X≤0)=0.135, P(X≤1)=0.406, P(X≤2)=0.677, P(X≤3)=0.857, P(X≤4)=0.947.
    expect(countQuantile(2, 1, 0.1)).toBe(0);
    expect(countQuantile(2, 1, 0.5)).toBe(2);
    expect(countQuantile(2, 1, 0.9)).toBe(4);
  });
  it('widen with the dispersion (negative binomial)', () => {
    expect(countQuantile(5, 4, 0.9)).toBeGreaterThan(countQuantile(5, 1, 0.9));
    expect(countQuantile(5, 4, 0.1)).toBeLessThanOrEqual(countQuantile(5, 1, 0.1));
  });
  it('normal quantile is accurate', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.1)).toBeCloseTo(-1.281552, 5);
  });
  it('bands are non-negative integers with p10 ≤ p50 ≤ p90', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0.5, max: 100, noNaN: true }),
        (means, phi) => {
          const b = countBands(Float64Array.from(means), phi);
          for (let j = 0; j < means.length; j++) {
            const [lo, mid, hi] = [b.p10[j] as number, b.p50[j] as number, b.p90[j] as number];
            if (!(lo >= 0 && lo <= mid && mid <= hi && Number.isInteger(lo) && Number.isInteger(hi)))
              return false;
          }
          return true;
        },
      ),
    );
  });
});
