import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forecastPanel } from './engine.ts';
import { aggregateForecasts, byAttrs } from './hierarchy.ts';
import { readHistory } from './history-csv.ts';
import { runForecastFile } from './run-file.ts';

const fixture = new URL('../../../test/fixtures/forecast/small-history.csv', import.meta.url).pathname;

describe('forecast engine', () => {
  it('forecasts every series over its horizon with ordered, non-negative bands', async () => {
    const panel = await readHistory(fixture, { horizon: 28 });
    const r = await forecastPanel(panel, { threads: 0 });
    expect(r.forecasts).toHaveLength(5);
    for (const f of r.forecasts) {
      for (let j = 0; j < f.horizon.length; j++) {
        expect(f.mean[j]).toBeGreaterThanOrEqual(0);
        expect(f.p10[j]).toBeLessThanOrEqual(f.p50[j] as number);
        expect(f.p50[j]).toBeLessThanOrEqual(f.p90[j] as number);
      }
    }
    // sku0 sells about 8 a weekday and 13 on weekends: the forecast is in that range and higher on weekends.
    const f0 = r.forecasts[0];
    const sat = [...(f0?.horizon ?? [])].findIndex((t) => panel.calendar.weekday[t] === 5);
    const tue = [...(f0?.horizon ?? [])].findIndex((t) => panel.calendar.weekday[t] === 1);
    expect(f0?.mean[tue]).toBeGreaterThan(5);
    expect(f0?.mean[tue]).toBeLessThan(11);
    expect(f0?.mean[sat]).toBeGreaterThan(f0?.mean[tue] as number);
  });

  it('gives an item with no history the level of its category and store, never an error', async () => {
    const panel = await readHistory(fixture, { horizon: 28 });
    const r = await forecastPanel(panel, { threads: 0 });
    const n = r.forecasts[4];
    expect(n?.model).toBe('fallback:cat+store');
    // Peers sku0 (≈9.6/day) and sku1 (≈3.6/day): the new item gets their average, about 6.6.
    expect(n?.mean[0]).toBeGreaterThan(4);
    expect(n?.mean[0]).toBeLessThan(9);
  });

  it('store and chain totals add up the SKU forecasts', async () => {
    const panel = await readHistory(fixture, { horizon: 28 });
    const r = await forecastPanel(panel, { threads: 0 });
    const stores = aggregateForecasts(panel.series, r.forecasts, byAttrs(['store']));
    const chain = aggregateForecasts(panel.series, r.forecasts, byAttrs([]));
    const day = r.forecasts[0]?.horizon[3] as number;
    const j = chain[0]?.horizon.indexOf(day) as number;
    let sum = 0;
    for (const f of r.forecasts) {
      const k = f.horizon.indexOf(day);
      if (k >= 0) sum += f.mean[k] as number;
    }
    expect(chain[0]?.mean[j]).toBeCloseTo(sum, 9);
    const byStore = stores.reduce((a, g) => a + (g.mean[g.horizon.indexOf(day)] as number), 0);
    expect(byStore).toBeCloseTo(sum, 9);
  });
});

describe('worker threads', () => {
  it('give the same forecasts as the main thread', async () => {
    const lines = ['series_id,date,qty,store,dept'];
    for (let s = 0; s < 70; s++) {
      for (let t = 0; t < 90; t++) {
        const d = new Date(Date.UTC(2024, 0, 1 + t)).toISOString().slice(0, 10);
        lines.push(`s${s},${d},${(s * 7 + t * 3) % 5},st${s % 3},D`);
      }
    }
    const dir = await mkdtemp(join(tmpdir(), 'tally-fc-'));
    const input = join(dir, 'h.csv');
    await writeFile(input, `${lines.join('\n')}\n`);
    const panel = await readHistory(input, { horizon: 7 });
    const inThread = await forecastPanel(panel, { threads: 0 });
    const pooled = await forecastPanel(panel, { threads: 2 });
    expect(pooled.forecasts.map((f) => [f.id, f.model, [...f.mean]])).toEqual(
      inThread.forecasts.map((f) => [f.id, f.model, [...f.mean]]),
    );
  });
});

describe('tally forecast file contract', () => {
  it('writes one row per series and horizon day', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tally-fc-'));
    const out = join(dir, 'out.csv');
    await runForecastFile({ history: fixture, horizon: 28, out, threads: 0 });
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('series_id,date,mean,p10,p50,p90');
    expect(lines).toHaveLength(1 + 4 * 7 + 5);
    expect(lines.filter((l) => l.startsWith('new1,'))[0]).toMatch(/^new1,2024-05-02,/);
  });

  it('a bad row fails the run and leaves no output file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tally-fc-'));
    const input = join(dir, 'bad.csv');
    await writeFile(input, 'series_id,date,qty\na,2024-01-01,1\na,2024-01-02,lots\n');
    const out = join(dir, 'out.csv');
    await expect(runForecastFile({ history: input, horizon: 7, out, threads: 0 })).rejects.toThrow(/line 3/);
    expect(existsSync(out)).toBe(false);
    expect((await readdir(dir)).sort()).toEqual(['bad.csv']);
  });
});
