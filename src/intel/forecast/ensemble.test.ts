import { describe, expect, it } from 'vitest';
import { poisson } from '../../../test/fixtures/demand.ts';
import { seededRandom } from '../../core/random.ts';
import { forecastTally, PAIR_MIN_ZERO_SHARE, zeroShare } from './ensemble.ts';
import { makeCalendar, type Panel, type Series } from './panel.ts';

// 40 series, 300 days, weekends three times a weekday, levels 0.5 … 4.5 a weekday.
function weeklyPanel(): Panel {
  const rand = seededRandom(5);
  const days = 300;
  const h = 14;
  const calendar = makeCalendar('2023-01-02', '2023-11-12');
  const series: Series[] = Array.from({ length: 40 }, (_, i) => {
    const level = 0.5 + (i % 5);
    const history = new Float64Array(days + h).fill(Number.NaN);
    for (let t = 0; t < days; t++)
      history[t] = poisson(level * ((calendar.weekday[t] as number) >= 5 ? 3 : 1), rand);
    return {
      id: `s${i}`,
      history,
      first: 0,
      last: days - 1,
      horizon: Int32Array.from({ length: h }, (_, j) => days + j),
      numeric: {},
      categorical: {},
      attrs: { store: `st${i % 2}`, cat: `c${i % 5}` },
    };
  });
  return { calendar, series };
}

describe('Tally ensemble (local models + global GBDT pair)', () => {
  it('combines both sides for every series, keeps the weekly level and ordered count bands', async () => {
    const panel = weeklyPanel();
    const out = await forecastTally(panel, {
      threads: 0,
      globalOptions: { trainDays: 150, params: { numRounds: 150, numLeaves: 15, minDataInLeaf: 20 } },
    });
    expect(out.forecasts).toHaveLength(40);
    // Mean two-week total of the 8 series at each level.
    const byLevel = [0, 0, 0, 0, 0];
    for (const [i, f] of out.forecasts.entries()) {
      expect(f.model).toMatch(/\+gbdt$/);
      expect(f.backtest?.mean.length).toBe(14);
      for (let j = 0; j < 14; j++) {
        expect(f.p10[j]).toBeLessThanOrEqual(f.p50[j] as number);
        expect(f.p50[j]).toBeLessThanOrEqual(f.p90[j] as number);
      }
      byLevel[i % 5] = (byLevel[i % 5] as number) + f.mean.reduce((a, b) => a + b, 0) / 8;
    }
    // Two weeks: 10 weekdays at the level and 4 weekend days at three times it → 22 × level.
    byLevel.forEach((sum, l) => {
      expect(sum).toBeGreaterThan(22 * (0.5 + l) * 0.85);
      expect(sum).toBeLessThan(22 * (0.5 + l) * 1.15);
    });
  });

  it('tells an intermittent panel (pair of GBDTs) from a dense one (one GBDT) by its share of zero days', () => {
    const panel = weeklyPanel();
    expect(zeroShare(panel)).toBeLessThan(PAIR_MIN_ZERO_SHARE);
    // Zero every other observed day of every series, and leave unobserved days (NaN) out of the count.
    for (const s of panel.series) {
      for (let t = 0; t <= s.last; t += 2) s.history[t] = 0;
      for (let t = 1; t <= s.last; t += 4) s.history[t] = Number.NaN;
    }
    const share = zeroShare(panel);
    expect(share).toBeGreaterThanOrEqual(PAIR_MIN_ZERO_SHARE);
    expect(share).toBeGreaterThan(0.66);
    expect(share).toBeLessThan(0.75);
  });
});
