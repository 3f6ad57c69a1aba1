import { describe, expect, it } from 'vitest';
import { type BottomSeries, intervalScore, rmsse, wrmsse } from './metrics.ts';

const f = (...v: number[]) => Float64Array.from(v);

describe('M5 metrics', () => {
  it('RMSSE scales by the squared day-to-day change from the first sale', () => {
    // History after leading zeros: 2, 4, 2 → squared changes 4, 4 → scale 4. Errors 1, 1 → MSE 1 → RMSSE 0.5.
    expect(rmsse(f(0, 0, 2, 4, 2), f(3, 3), f(2, 4))).toBeCloseTo(0.5, 12);
  });

  it('WRMSSE averages 12 levels and weights series by dollar sales', () => {
    const mk = (store: string, item: string, dollars: number, actual: Float64Array): BottomSeries => ({
      attrs: { item, dept: 'D', cat: 'C', store, state: 'S' },
      history: f(1, 2, 1, 2),
      actual,
      dollars,
    });
    const bottom = [mk('A', 'i1', 3, f(1, 1)), mk('B', 'i2', 1, f(1, 1))];
    const perfect = wrmsse(bottom, [f(1, 1), f(1, 1)]);
    expect(perfect.total).toBe(0);
    expect(perfect.levels).toHaveLength(12);
    // Error only on the cheap series: bottom level = 1/4 · RMSSE(i2); RMSSE(i2) = sqrt(1/1) = 1.
    const r = wrmsse(bottom, [f(1, 1), f(2, 2)]);
    expect(r.levels[11]?.wrmsse).toBeCloseTo(0.25, 12);
  });

  it('counts p10/p90 exceedances strictly and scales pinball by the absolute change', () => {
    const b: BottomSeries = { attrs: {}, history: f(1, 3, 1), actual: f(0, 5), dollars: 1 };
    const s = intervalScore([b], [{ mean: f(1, 1), p10: f(0, 0), p50: f(1, 1), p90: f(2, 2) }]);
    expect(s.below10).toBe(0);
    expect(s.above90).toBe(0.5);
    // Day 1 (y=0): 0 + 0.5·1 + 0.1·2 = 0.7; day 2 (y=5): 0.1·5 + 0.5·4 + 0.9·3 = 5.2; /3 quantiles, /2 days, /scale 2.
    expect(s.pinball).toBeCloseTo((0.7 + 5.2) / 3 / 2 / 2, 12);
  });
});
