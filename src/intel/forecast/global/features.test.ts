import { describe, expect, it } from 'vitest';
import { makeCalendar, type Panel } from '../panel.ts';
import { allocColumns, fillRow, preparePanel } from './features.ts';

// 21 days from Monday 2024-01-01; sales 1..14 on the first two weeks, then the days to forecast.
function tinyPanel(): Panel {
  const calendar = makeCalendar('2024-01-01', '2024-01-21');
  const history = new Float64Array(21).fill(Number.NaN);
  for (let t = 0; t < 14; t++) history[t] = t + 1;
  const price = Float64Array.from({ length: 21 }, (_, t) => (t < 14 ? 2 : 1.5));
  const event = { codes: Int32Array.from({ length: 21 }, (_, t) => (t === 16 ? 0 : -1)), levels: ['Easter'] };
  return {
    calendar,
    series: [
      {
        id: 'a',
        history,
        first: 0,
        last: 13,
        horizon: Int32Array.from({ length: 7 }, (_, j) => 14 + j),
        numeric: { price },
        categorical: { event },
        attrs: { store: 'S1', cat: 'FOODS' },
      },
    ],
  };
}

describe('global model features', () => {
  it('reads history at the origin and known covariates at the target day', () => {
    const panel = tinyPanel();
    const pf = preparePanel(panel, 7);
    const out = allocColumns(pf.spec.names.length, 1);
    // Target day 16 (Wednesday of week 3), origin day 13 (Sunday of week 2): k = 3.
    fillRow(pf, panel, 0, 16, 13, out, 0);
    const v = (name: string) => out[pf.spec.names.indexOf(name)]![0];
    expect(v('k')).toBe(3);
    expect(v('weekday')).toBe(2);
    expect(v('day_of_month')).toBe(17);
    expect(v('last_value')).toBe(14);
    expect(v('mean_7')).toBe((8 + 9 + 10 + 11 + 12 + 13 + 14) / 7);
    expect(v('mean_28')).toBe(7.5);
    // Wednesdays at or before the origin: days 9 and 2, sales 10 and 3.
    expect(v('same_weekday_mean_4')).toBe(6.5);
    expect(v('days_since_first')).toBe(16);
    expect(v('event')).toBe(0);
    expect(v('event_days_to_next')).toBe(0);
    expect(v('price_rel_max')).toBe(0.75);
    // Seven days earlier the price was still 2.
    expect(v('price_change_7d')).toBeCloseTo(-0.25, 6);
    expect(pf.spec.categorical).toContain(pf.spec.names.indexOf('static_store'));
  });

  it('leaves history features missing when the origin is before the first sale', () => {
    const panel = tinyPanel();
    const pf = preparePanel(panel, 7);
    const out = allocColumns(pf.spec.names.length, 1);
    fillRow(pf, panel, 0, 3, -1, out, 0);
    expect(out[pf.spec.names.indexOf('mean_7')]![0]).toBeNaN();
    expect(out[pf.spec.names.indexOf('days_since_first')]![0]).toBeNaN();
  });

  it('reads the store total up to the origin only, and last year only when there is one', () => {
    // Two series in one store, 21 observed days: sales 1 on days 0–13, then 3 on days 14–20.
    const calendar = makeCalendar('2024-01-01', '2024-01-28');
    const make = (id: string, lateSales: number): Panel['series'][number] => {
      const history = new Float64Array(28).fill(Number.NaN);
      for (let t = 0; t < 21; t++) history[t] = t < 14 ? 1 : lateSales;
      return {
        id,
        history,
        first: 0,
        last: 20,
        horizon: Int32Array.from({ length: 7 }, (_, j) => 21 + j),
        numeric: {},
        categorical: {},
        attrs: { store: 'S1' },
      };
    };
    const panel: Panel = { calendar, series: [make('a', 3), make('b', 3)] };
    const pf = preparePanel(panel, 7);
    const out = allocColumns(pf.spec.names.length, 2);
    fillRow(pf, panel, 0, 22, 20, out, 0);
    const v = (name: string, row = 0) => out[pf.spec.names.indexOf(name)]![row];
    // Last 7 days average 3 a series; the 21 days observed of the last 28 average (14 × 1 + 7 × 3) / 21.
    expect(v('store_ratio_7_28')).toBeCloseTo(3 / (35 / 21), 5);
    expect(v('store_last_year_change')).toBeNaN();
    // A later sale (after the origin) must not leak into the features of an earlier origin.
    const leaky: Panel = { calendar, series: [make('a', 3), make('b', 30)] };
    const pl = preparePanel(leaky, 7);
    fillRow(pl, leaky, 0, 15, 13, out, 1);
    fillRow(pf, panel, 0, 15, 13, out, 0);
    expect(v('store_ratio_7_28', 1)).toBe(v('store_ratio_7_28', 0));
    expect(v('store_ratio_7_28', 1)).toBe(1);
  });

  it('leaves the store features out when asked', () => {
    const pf = preparePanel(tinyPanel(), 7, { groups: false });
    expect(pf.spec.names.some((n) => n.startsWith('store_'))).toBe(false);
  });

  it('leaves a day the whole store sold nothing (closed) out of its weekday shape', () => {
    // Ten weeks of 10 a day in two series of one store from Monday 2024-01-01; Friday 2024-02-23 the
    // store sold nothing at all (closed). The next Friday's shape must not read as slow.
    const calendar = makeCalendar('2024-01-01', '2024-03-17');
    const closedDay = 53;
    const make = (id: string): Panel['series'][number] => {
      const history = new Float64Array(77).fill(Number.NaN);
      for (let t = 0; t < 70; t++) history[t] = t === closedDay ? 0 : 10;
      return {
        id,
        history,
        first: 0,
        last: 69,
        horizon: Int32Array.from({ length: 7 }, (_, j) => 70 + j),
        numeric: {},
        categorical: {},
        attrs: { store: 'S1' },
      };
    };
    const panel: Panel = { calendar, series: [make('a'), make('b')] };
    expect(calendar.weekday[closedDay]).toBe(4);
    const pf = preparePanel(panel, 7);
    const out = allocColumns(pf.spec.names.length, 1);
    fillRow(pf, panel, 0, 74, 69, out, 0);
    expect(calendar.weekday[74]).toBe(4);
    // Fridays without the closed one sell 10, as every day; the 56-day mean holds the closed day.
    expect(out[pf.spec.names.indexOf('store_weekday_ratio_8')]![0]).toBeCloseTo(10 / ((55 * 10) / 56), 4);
  });
});
