import { describe, expect, it } from 'vitest';
import type { ForecastResponse, PaceResponse } from '../../contracts/index.ts';
import { forecastOption, HISTORY_DAYS } from './insights/forecastOption.ts';
import { paceOption, tradingHours } from './ops/paceOption.ts';
import { compareWords } from './ops/paceWords.ts';

const source = { tables: ['t'], query: 'q', asOf: '2026-01-01T00:00:00Z' };
type Series = { name: string; data: (number | null)[]; stack?: string };
const seriesOf = (o: unknown): Series[] => (o as { series: Series[] }).series;
const axisOf = (o: unknown): string[] => (o as { xAxis: { data: string[] } }).xAxis.data;

function forecast(historyDays: number): ForecastResponse {
  const day = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
  return {
    series: { level: 'sku', storeId: 'S001', key: '100032', name: 'Coffee' },
    history: Array.from({ length: historyDays }, (_, i) => ({ date: day(i), qty: i % 7 })),
    forecast: Array.from({ length: 7 }, (_, i) => ({
      date: day(historyDays + i),
      mean: 5 + i,
      p10: 2 + i,
      p50: 5 + i,
      p90: 9 + 2 * i,
    })),
    trust: { model: 'ses', maeUnitsPerDay: 2, bandHalfWidth: 3, text: '80 % likely range ±3; error 2' },
    run: { id: 'r', finishedAt: null, trainedTo: null },
    source,
  };
}

describe('forecast chart', () => {
  it('shades exactly p10 to p90 on forecast days and nothing over the history', () => {
    const f = forecast(100);
    const s = seriesOf(forecastOption(f));
    const low = s.find((x) => x.name === 'p10')!;
    const band = s.find((x) => x.name.startsWith('Likely range'))!;
    expect(low.stack).toBe(band.stack);
    const shown = HISTORY_DAYS;
    expect(axisOf(forecastOption(f))).toHaveLength(shown + f.forecast.length);
    for (let i = 0; i < shown; i++) expect([low.data[i], band.data[i]]).toEqual([null, null]);
    f.forecast.forEach((d, i) => {
      expect(low.data[shown + i]).toBe(d.p10);
      expect((low.data[shown + i] ?? 0) + (band.data[shown + i] ?? 0)).toBe(d.p90);
    });
  });

  it('starts the mean line at the last day sold so the two lines join', () => {
    const f = forecast(10);
    const s = seriesOf(forecastOption(f));
    const sold = s.find((x) => x.name === 'Sold')!;
    const mean = s.find((x) => x.name === 'Forecast (mean)')!;
    expect(mean.data[9]).toBe(sold.data[9]);
    expect(mean.data.slice(10)).toEqual(f.forecast.map((d) => d.mean));
    expect(sold.data.slice(10).every((v) => v === null)).toBe(true);
  });
});

describe('sales pace chart', () => {
  const zero = { revenueMinor: 0, units: 0, transactions: 0 };
  const totals = { ...zero, avgBasketMinor: 0, marginMinor: 0 };
  const pace: PaceResponse = {
    date: '2026-01-08',
    storeId: 'S001',
    compare: { lastWeek: '2026-01-01', lastYear: '2025-01-09', through: null },
    hours: Array.from({ length: 24 }, (_, hour) => ({
      hour,
      today: hour === 9 ? { revenueMinor: 12_345, units: 7, transactions: 3 } : zero,
      lastWeek: hour === 10 ? { revenueMinor: 500, units: 1, transactions: 1 } : zero,
      lastYear: zero,
    })),
    totals: { today: totals, lastWeek: totals, lastYear: totals },
    wholeDay: { lastWeek: totals, lastYear: totals },
    currency: 'EUR',
    source,
  };

  it('shows the trading hours of any of the three days, in money or units', () => {
    const o = paceOption(pace, 'revenue');
    expect(axisOf(o)).toEqual(['09:00', '10:00']);
    expect(seriesOf(o).map((s) => s.data)).toEqual([
      [12_345, 0],
      [0, 500],
      [0, 0],
    ]);
    expect(seriesOf(paceOption(pace, 'units'))[0]?.data).toEqual([7, 0]);
  });

  it('keeps every hour of the trading day on the axis, a quiet hour at zero rather than missing', () => {
    const sold = { revenueMinor: 100, units: 1, transactions: 1 };
    const gappy: PaceResponse = {
      ...pace,
      hours: pace.hours.map((h) => ({
        ...h,
        today: h.hour === 8 ? sold : zero,
        lastWeek: h.hour === 12 ? sold : zero,
      })),
    };
    const o = paceOption(gappy, 'units');
    expect(axisOf(o)).toEqual(['08:00', '09:00', '10:00', '11:00', '12:00']);
    expect(seriesOf(o)[0]?.data).toEqual([1, 0, 0, 0, 0]);
    // At 06:00, before the first sale, the axis reaches back to the hour now, which is marked.
    const early = { ...gappy, compare: { ...gappy.compare, through: '06:00' } };
    expect(tradingHours(early).map((h) => h.hour)).toEqual([6, 7, 8, 9, 10, 11, 12]);
    expect(JSON.stringify(paceOption(early, 'units'))).toContain('now 06:00');
  });

  it('says which hours the tiles compare: last Thursday by 06:00 while the day runs, whole days after', () => {
    expect(compareWords(pace, 'lastWeek')).toBe('vs last Thursday');
    const early = { ...pace, compare: { ...pace.compare, through: '06:00' } };
    expect(compareWords(early, 'lastWeek')).toBe('vs last Thursday by 06:00');
    expect(compareWords(early, 'lastYear')).toBe('vs Thursday last year by 06:00');
  });

  it('labels revenue in the currency’s own decimals (yen have none, dinars three)', () => {
    const label = (currency: string, v: number) => {
      const o = paceOption({ ...pace, currency }, 'revenue') as unknown as {
        tooltip: { valueFormatter: (v: unknown) => string };
      };
      return o.tooltip.valueFormatter(v).replace(/\u00a0/g, ' ');
    };
    expect(label('EUR', 12_345)).toBe('€123.45');
    expect(label('JPY', 12_345)).toBe('JP¥12,345');
    expect(label('BHD', 12_345)).toBe('BHD 12.345');
  });
});
