import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/random.ts';
import { makeCalendar, type Panel, type Series } from '../panel.ts';
import { forecastGlobal } from './model.ts';

function poisson(mu: number, rand: () => number): number {
  let k = 0;
  let p = Math.exp(-mu);
  let s = p;
  const u = rand();
  while (u > s) {
    k++;
    p *= mu / k;
    s += p;
  }
  return k;
}

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
