import { describe, expect, it } from 'vitest';
import { poisson } from '../../../../test/fixtures/demand.ts';
import { seededRandom } from '../../../core/random.ts';
import { makeCalendar, type Panel, type Series } from '../panel.ts';
import { forecastGlobal, splitByStore } from './model.ts';

// 40 series, 300 days of history, weekends three times a weekday; one series launched on the last day.
function weeklyPanel(): Panel {
  const rand = seededRandom(3);
  const days = 300;
  const h = 14;
  const calendar = makeCalendar('2023-01-02', '2023-11-12');
  const series: Series[] = [];
  for (let i = 0; i < 40; i++) {
    const level = 0.5 + (i % 5);
    const history = new Float64Array(days + h).fill(Number.NaN);
    const first = i === 39 ? days + h : 0;
    for (let t = first; t < days; t++)
      history[t] = poisson(level * ((calendar.weekday[t] as number) >= 5 ? 3 : 1), rand);
    series.push({
      id: `s${i}`,
      history,
      first: first < days ? first : -1,
      last: first < days ? days - 1 : -1,
      horizon: Int32Array.from({ length: h }, (_, j) => days + j),
      numeric: {},
      categorical: {},
      attrs: { store: `st${i % 2}`, cat: `c${i % 5}` },
    });
  }
  return { calendar, series };
}

describe('global gradient-boosted forecaster', () => {
  it('learns the weekly shape and each series level, with ordered count quantiles', async () => {
    const panel = weeklyPanel();
    const out = await forecastGlobal(panel, {
      horizon: 14,
      trainDays: 200,
      params: { numRounds: 120, learningRate: 0.1, numLeaves: 15, minDataInLeaf: 20 },
    });
    expect(out).toHaveLength(40);
    for (const f of out.slice(0, 39)) {
      expect(f.mean).toHaveLength(14);
      for (let j = 0; j < 14; j++) {
        expect(f.p10[j]).toBeLessThanOrEqual(f.p50[j]!);
        expect(f.p50[j]).toBeLessThanOrEqual(f.p90[j]!);
        expect(Number.isInteger(f.p90[j])).toBe(true);
      }
    }
    // Series 4 (level 4.5): weekend days near 13.5, weekdays near 4.5.
    const s4 = out[4]!;
    const weekend = [...s4.horizon].map((t, j) =>
      (panel.calendar.weekday[t] as number) >= 5 ? s4.mean[j]! : Number.NaN,
    );
    const weekday = [...s4.horizon].map((t, j) =>
      (panel.calendar.weekday[t] as number) < 5 ? s4.mean[j]! : Number.NaN,
    );
    const avg = (xs: number[]) =>
      xs.filter((x) => !Number.isNaN(x)).reduce((a, b, _, arr) => a + b / arr.length, 0);
    expect(avg(weekend)).toBeGreaterThan(10);
    expect(avg(weekend)).toBeLessThan(17);
    expect(avg(weekday)).toBeGreaterThan(3);
    expect(avg(weekday)).toBeLessThan(6);
    // The series with no history still gets a finite, non-negative forecast.
    const fresh = out[39]!;
    expect(fresh.mean.every((m) => Number.isFinite(m) && m >= 0)).toBe(true);
    expect(fresh.model).toBe('gbdt');
  });
});

describe('store groups for worker threads', () => {
  it('keeps each store whole and balances the groups by series count', () => {
    const calendar = makeCalendar('2024-01-01', '2024-01-02');
    const sizes: Record<string, number> = { A: 5, B: 4, C: 3, D: 2 };
    const series: Series[] = [];
    for (const [store, n] of Object.entries(sizes)) {
      for (let i = 0; i < n; i++) {
        series.push({
          id: `${store}${i}`,
          history: new Float64Array(2),
          first: 0,
          last: 1,
          horizon: new Int32Array(0),
          numeric: {},
          categorical: {},
          attrs: { store },
        });
      }
    }
    const groups = splitByStore({ calendar, series }, 2);
    const storesOf = (g: number[]) => [...new Set(g.map((i) => series[i]!.attrs.store))].sort();
    expect(groups.map(storesOf)).toEqual([
      ['A', 'D'],
      ['B', 'C'],
    ]);
    expect(groups.map((g) => g.length)).toEqual([7, 7]);
  });
});
