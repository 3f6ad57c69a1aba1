import { describe, expect, it } from 'vitest';
import { sesWeekdayForecaster } from './sim-forecasters.ts';

const weekdayOf = (t: number): number => t % 7;

describe('simulation forecaster (SES on weekday-adjusted demand)', () => {
  it('forecasts a steady weekly pattern back, with Poisson-or-wider bands', () => {
    const week = [2, 2, 2, 2, 4, 6, 2];
    const demand = Float64Array.from({ length: 140 }, (_, t) => week[t % 7] as number);
    const fc = sesWeekdayForecaster([{ demand, unitCost: 100 }], weekdayOf);
    const mean = new Float64Array(7);
    const p10 = new Float64Array(7);
    const p90 = new Float64Array(7);
    fc.forecast(0, 139, 7, mean, p10, p90);
    // Day 140 is weekday 0; the profile is shrunk towards flat, so Saturday-like days come out a little low.
    expect(mean[0]).toBeGreaterThan(1.8);
    expect(mean[0]).toBeLessThan(2.4);
    expect(mean[5]).toBeGreaterThan(4.5);
    for (let k = 0; k < 7; k++) expect(p90[k]).toBeGreaterThanOrEqual(p10[k] as number);
  });

  it('moves its level with the demand between weekly refits and ignores days before listing', () => {
    const demand = new Float64Array(100).fill(Number.NaN);
    for (let t = 30; t < 100; t++) demand[t] = t < 80 ? 1 : 10;
    const fc = sesWeekdayForecaster([{ demand, unitCost: 100 }], weekdayOf, { refitEvery: 50 });
    const mean = new Float64Array(7);
    const p = new Float64Array(7);
    fc.forecast(0, 79, 7, mean, p, p);
    const before = mean.reduce((a, b) => a + b, 0) / 7;
    expect(before).toBeCloseTo(1, 1);
    fc.forecast(0, 99, 7, mean, p, p);
    expect(mean.reduce((a, b) => a + b, 0) / 7).toBeGreaterThan(before * 3);
  });
});
