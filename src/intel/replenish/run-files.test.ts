import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from './engine.ts';
import { runReplenishFiles } from './run-files.ts';

function files(forecastRows: string[], inputRows: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'tally-replenish-'));
  const forecast = join(dir, 'forecast.csv');
  const inputs = join(dir, 'inputs.csv');
  writeFileSync(forecast, ['series_id,date,mean,p10,p50,p90', ...forecastRows].join('\n'));
  writeFileSync(inputs, inputRows.join('\n'));
  return { dir, forecast, inputs };
}

const days = (id: string, mean: number, p10: number, p90: number) =>
  Array.from(
    { length: 14 },
    (_, k) => `${id},2026-03-${String(k + 2).padStart(2, '0')},${mean},${p10},${mean},${p90}`,
  );

describe('replenishment from files', () => {
  it('writes the plan and the lists, and drafts orders by supplier', async () => {
    const f = files(
      [...days('a', 5, 2, 8), ...days('b', 0.1, 0, 1)],
      [
        'series_id,store,sku,on_hand,unit_cost_minor,supplier,pack_size,last_sale_date',
        'a,S1,A1,4,150,acme,10,2026-03-01',
        'b,S1,B1,30,90,acme,,2025-11-01',
        'c,S2,C1,0,100,,,',
      ],
    );
    const r = await runReplenishFiles({
      forecast: f.forecast,
      inputs: f.inputs,
      out: join(f.dir, 'plan.csv'),
      lists: join(f.dir, 'lists'),
      policy: defaultPolicy,
    });
    expect(r.rows).toBe(3);
    expect(r.withoutForecast).toBe(1);
    expect(r.drafts.map((d) => [d.supplierId, d.lines.map((l) => l.sku)])).toEqual([['acme', ['A1']]]);
    expect((r.drafts[0]?.lines[0]?.qty as number) % 10).toBe(0);
    const plan = readFileSync(join(f.dir, 'plan.csv'), 'utf8').trim().split('\n');
    expect(plan).toHaveLength(4);
    expect(plan[1]).toMatch(/^a,S1,A1,acme,4,0,/);
    const dead = readFileSync(join(f.dir, 'lists', 'dead-stock.csv'), 'utf8')
      .trim()
      .split('\n');
    // B1: 30 on hand, last sold 2025-11-01, 120 days before 2026-03-01.
    expect(dead[1]).toBe('S1,B1,acme,30,42.857,120,2700');
    const risk = readFileSync(join(f.dir, 'lists', 'stockout-risk.csv'), 'utf8');
    expect(risk).toContain('S1,A1,acme,');
  });

  it('fails on a bad row with its line number and writes nothing', async () => {
    const f = files(days('a', 5, 2, 8), ['series_id,store,sku,on_hand', 'a,S1,A1,4', 'a,S1,A2,lots']);
    await expect(
      runReplenishFiles({
        forecast: f.forecast,
        inputs: f.inputs,
        out: join(f.dir, 'plan.csv'),
        policy: defaultPolicy,
      }),
    ).rejects.toThrow(/inputs\.csv:3/);
    expect(() => readFileSync(join(f.dir, 'plan.csv'))).toThrow();
  });

  it('names a missing column', async () => {
    const f = files(days('a', 5, 2, 8), ['series_id,store,on_hand', 'a,S1,4']);
    await expect(
      runReplenishFiles({ forecast: f.forecast, inputs: f.inputs, policy: defaultPolicy }),
    ).rejects.toThrow(/missing column\(s\) sku/);
  });
});
