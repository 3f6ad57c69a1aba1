import { describe, expect, it } from 'vitest';
import { etsAuto, etsFit, etsForecast, etsRun } from './ets.ts';
import { croston, crostonForecast, tsbForecast } from './intermittent.ts';
import { nelderMead } from './optim.ts';
import { goldenMin, seasonalNaive, ses, sesSse } from './simple.ts';

describe('seasonal naive', () => {
  it('repeats the last week', () => {
    const y = Float64Array.from([9, 9, 1, 2, 3, 4, 5, 6, 7]);
    expect([...seasonalNaive(y, 9)]).toEqual([1, 2, 3, 4, 5, 6, 7, 1, 2]);
  });
});

describe('simple exponential smoothing', () => {
  it('matches a hand-computed one-step error sum', () => {
    // alpha 0.5, l0 1: errors 0, 1, 1.5 → SSE 3.25, final level 2.25.
    expect(sesSse(Float64Array.from([1, 2, 3]), 0.5, 1)).toBeCloseTo(3.25, 12);
  });
  it('gives the last value when the series is a step (alpha → 1)', () => {
    const y = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    const r = ses(y, 3);
    expect(r.alpha).toBeGreaterThan(0.9);
    expect(r.mean[0]).toBeCloseTo(10, 1);
  });
  it('golden-section search finds the minimum of a parabola', () => {
    expect(goldenMin((x) => (x - 0.3) ** 2, 0, 1)).toBeCloseTo(0.3, 3);
  });
});

describe('Nelder–Mead', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const r = nelderMead(
      (x) => 100 * ((x[1] as number) - (x[0] as number) ** 2) ** 2 + (1 - (x[0] as number)) ** 2,
      [-1.2, 1],
      {
        maxEvals: 2000,
        tol: 1e-14,
      },
    );
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });
});

describe('ETS', () => {
  it('ETS(A,N,N) recursions equal SES', () => {
    const y = Float64Array.from([1, 2, 3]);
    const sse = etsRun(
      y,
      'ANN',
      { alpha: 0.5, beta: 0, gamma: 0, phi: 1 },
      { l0: 1, b0: 0, s0: new Float64Array(7) },
    );
    expect(sse).toBeCloseTo(3.25, 12);
  });
  it('picks a seasonal form and reproduces an exact weekly pattern', () => {
    const week = [10, 12, 14, 16, 18, 30, 40];
    const y = Float64Array.from({ length: 140 }, (_, t) => week[t % 7] as number);
    const fit = etsAuto(y);
    expect(fit.form === 'ANA' || fit.form === 'AAdA').toBe(true);
    const f = etsForecast(fit, 7);
    for (let k = 0; k < 7; k++) expect(f[k]).toBeCloseTo(week[(140 + k) % 7] as number, 1);
  });
  it('damped trend continues a linear trend, flattening', () => {
    const y = Float64Array.from({ length: 100 }, (_, t) => 5 + 0.5 * t);
    const fit = etsFit(y, 'AAdN');
    const f = etsForecast(fit, 30);
    expect(f[0]).toBeGreaterThan(54);
    expect(f[0]).toBeLessThan(55.6);
    // Damped: the increments shrink.
    expect((f[29] as number) - (f[28] as number)).toBeLessThan((f[1] as number) - (f[0] as number));
  });
});

describe('intermittent demand', () => {
  it('Croston and SBA match a hand-computed case', () => {
    // Demands 3 (after 3 periods) and 5 (after 2): z = 3 + 0.1·2 = 3.2, p = 3 + 0.1·(2−3) = 2.9.
    const y = Float64Array.from([0, 0, 3, 0, 5]);
    expect(croston(y, 0.1)).toEqual({ size: expect.closeTo(3.2, 12), interval: expect.closeTo(2.9, 12) });
    expect(crostonForecast(y, 2, 0.1)[0]).toBeCloseTo(3.2 / 2.9, 12);
    expect(crostonForecast(y, 2, 0.1, 'sba')[1]).toBeCloseTo((3.2 / 2.9) * 0.95, 12);
  });
  it('TSB matches a hand-computed case and decays after demand stops', () => {
    // d0 = 0.5, z0 = 2; d: 0.45, 0.505, 0.4545, 0.50905; z: 2, 2.2.
    expect(tsbForecast(Float64Array.from([0, 2, 0, 4]), 1)[0]).toBeCloseTo(0.50905 * 2.2, 10);
    const stopped = Float64Array.from([...Array(20).fill(3), ...Array(60).fill(0)]);
    expect(tsbForecast(stopped, 1)[0]).toBeLessThan(0.01 * crostonForecast(stopped, 1)[0]!);
  });
  it('no demand at all forecasts zero', () => {
    expect([...tsbForecast(new Float64Array(10), 2)]).toEqual([0, 0]);
    expect([...crostonForecast(new Float64Array(10), 2)]).toEqual([0, 0]);
  });
});
