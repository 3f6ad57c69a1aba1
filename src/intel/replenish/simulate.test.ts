import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random.ts';
import { defaultPolicy } from './engine.ts';
import { oracleForecaster } from './sim-forecasters.ts';
import { type SimOptions, simulate } from './simulate.ts';

function poissonSeries(rate: number, days: number, rnd: () => number): Float64Array {
  const y = new Float64Array(days);
  const l = Math.exp(-rate);
  for (let t = 0; t < days; t++) {
    let k = 0;
    let p = rnd();
    while (p > l) {
      k++;
      p *= rnd();
    }
    y[t] = k;
  }
  return y;
}

const base: SimOptions = {
  start: 0,
  end: 1999,
  warmup: 28,
  leadDays: 5,
  reviewDays: 1,
  packSize: 1,
  minOrder: 0,
  orderCost: 0,
  horizon: 28,
  policy: { ...defaultPolicy, errorCorrelation: 0, fallbackCoverDays: 7 },
};

describe('simulation with known Poisson demand', () => {
  const rnd = seededRandom(7);
  const rates = [0.3, 1, 2.5, 6, 15];
  const series = rates.map((r) => ({ demand: poissonSeries(r, 2000, rnd), unitCost: 100 }));

  it('lands the fill rate on the target when the forecast is right', () => {
    for (const level of [0.9, 0.95, 0.98]) {
      const r = simulate(series, oracleForecaster(rates), {
        ...base,
        policy: { ...base.policy, service: { measure: 'fill-rate', level } },
      });
      expect(Math.abs(r.fillRate - level)).toBeLessThan(0.02);
    }
  });

  it('holds more stock for a higher target', () => {
    const at = (level: number) =>
      simulate(series, oracleForecaster(rates), {
        ...base,
        policy: { ...base.policy, service: { measure: 'fill-rate', level } },
      }).avgStock;
    expect(at(0.98)).toBeGreaterThan(at(0.9));
  });
});
