import { describe, expect, it } from 'vitest';
import { learnWeights } from './combine.ts';
import { makeCalendar, type Panel, type Series, type SeriesForecast } from './panel.ts';

const DAYS = 140;
const H = 28;
const calendar = makeCalendar('2024-01-01', '2024-06-15');

/** Series i sells `level` a day with a weekly wiggle; the last H observed days are the validation window. */
function series(i: number, level: number): Series {
  const history = new Float64Array(calendar.dates.length).fill(Number.NaN);
  for (let t = 0; t < DAYS; t++) history[t] = Math.max(0, Math.round(level * (1 + 0.5 * Math.sin(t + i))));
  return {
    id: `s${i}`,
    history,
    first: 0,
    last: DAYS - 1,
    horizon: Int32Array.from({ length: 7 }, (_, k) => DAYS + k),
    numeric: {},
    categorical: {},
    attrs: { store: `S${i % 2}` },
  };
}

/** A forecast whose backtest is the actuals times `factor` (1: perfect). */
function forecast(s: Series, factor: number): SeriesForecast {
  const mean = new Float64Array(H);
  for (let j = 0; j < H; j++) mean[j] = (s.history[DAYS - H + j] as number) * factor;
  const flat = new Float64Array(7).fill(1);
  return {
    id: s.id,
    horizon: s.horizon,
    mean: flat,
    p10: flat,
    p50: flat,
    p90: flat,
    model: 'test',
    backtestError: Number.NaN,
    backtest: { start: DAYS - H, mean },
  };
}

describe('learned combination weights', () => {
  const levels = Array.from({ length: 20 }, (_, i) => (i < 10 ? 0.5 + i * 0.05 : 20 + i));
  const panel: Panel = { calendar, series: levels.map((l, i) => series(i, l)) };

  it('gives everything to the side whose held-out forecasts were right', () => {
    const truth = panel.series.map((s) => forecast(s, 1));
    const biased = panel.series.map((s) => forecast(s, 1.6));
    const toGlobal = learnWeights(panel, biased, truth, { buckets: 1, fallback: 0.5 });
    expect([...toGlobal.perSeries]).toEqual(Array(20).fill(1));
    expect(toGlobal.loss.learned).toBeCloseTo(0, 9);
    const toLocal = learnWeights(panel, truth, biased, { buckets: 1, fallback: 0.5 });
    expect([...toLocal.perSeries]).toEqual(Array(20).fill(0));
  });

  it('learns a different mix for slow and fast sellers', () => {
    // Local is right on the slow half, global on the fast half.
    const local = panel.series.map((s, i) => forecast(s, i < 10 ? 1 : 0.5));
    const global = panel.series.map((s, i) => forecast(s, i < 10 ? 2 : 1));
    const w = learnWeights(panel, local, global, { buckets: 2, fallback: 0.5 });
    expect(w.buckets.map((b) => b.weight)).toEqual([0, 1]);
    expect([...w.perSeries.subarray(0, 10)]).toEqual(Array(10).fill(0));
    expect([...w.perSeries.subarray(10)]).toEqual(Array(10).fill(1));
  });

  it('falls back to the default weight when there are no held-out forecasts to learn from', () => {
    const plain = panel.series.map((s) => ({ ...forecast(s, 1), backtest: undefined }));
    const w = learnWeights(panel, plain, plain, { buckets: 3, fallback: 0.7 });
    expect([...w.perSeries]).toEqual(Array(20).fill(0.7));
  });
});
