import { describe, expect, it } from 'vitest';
import { countBands } from '../forecast/intervals.ts';
import { buildDrafts } from './drafts.ts';
import { defaultPolicy, replenish } from './engine.ts';
import { type ForecastRows, type ReplenishInput, toBatch } from './inputs.ts';
import { buildLists } from './lists.ts';

const dates = Array.from({ length: 28 }, (_, k) => `2026-03-${String(k + 1).padStart(2, '0')}`);
const flat = (rate: number, model = 'ses'): ForecastRows => {
  const mean = new Float64Array(28).fill(rate);
  const b = countBands(mean, 1.5);
  return { model, dates, mean, p10: b.p10, p90: b.p90 };
};

const forecasts = new Map<string, ForecastRows>([
  ['milk@S1', flat(10, 'ets(A,N,A)')],
  ['bread@S1', flat(4)],
  ['jam@S1', flat(0.05, 'tsb')],
  ['tea@S2', flat(2)],
]);
const inputs: ReplenishInput[] = [
  {
    seriesId: 'milk@S1',
    storeId: 'S1',
    sku: 'milk',
    onHand: 12,
    unitCostMinor: 80,
    supplierId: 'dairy',
    packSize: 12,
  },
  {
    seriesId: 'bread@S1',
    storeId: 'S1',
    sku: 'bread',
    onHand: 3,
    onOrder: 2,
    unitCostMinor: 120,
    supplierId: 'bakery',
  },
  {
    seriesId: 'jam@S1',
    storeId: 'S1',
    sku: 'jam',
    onHand: 40,
    unitCostMinor: 250,
    lastSaleDate: '2025-10-01',
  },
  { seriesId: 'tea@S2', storeId: 'S2', sku: 'tea', onHand: 500, unitCostMinor: 300, supplierId: 'bakery' },
];

describe('draft purchase orders', () => {
  const { batch, rows } = toBatch(inputs, forecasts, 28);
  const result = replenish(batch);
  const drafts = buildDrafts(rows, batch, result, defaultPolicy);

  it('groups what to order by supplier and leaves well-stocked items out', () => {
    expect(drafts.map((d) => d.supplierId)).toEqual(['bakery', 'dairy']);
    expect(drafts[0]?.lines.map((l) => l.sku)).toEqual(['bread']);
    expect(drafts[1]?.lines[0]?.qty).toBeGreaterThan(0);
    expect((drafts[1]?.lines[0]?.qty as number) % 12).toBe(0);
    expect(drafts[1]?.totalMinor).toBe((drafts[1]?.lines[0]?.qty as number) * 80);
  });

  it('records the forecast and inputs each line came from, and says why in words', () => {
    const milk = drafts[1]?.lines[0];
    expect(milk?.inputs).toMatchObject({
      model: 'ets(A,N,A)',
      forecastFrom: '2026-03-01',
      forecastTo: '2026-03-28',
      serviceMeasure: 'fill-rate',
      serviceLevel: 0.95,
      leadDays: 7,
      onHand: 12,
      onOrder: 0,
      packSize: 12,
    });
    expect(milk?.reason).toContain('On hand 12 + on order 0 = 12 is at or below the reorder point');
    expect(milk?.reason).toContain('packs of 12');
    expect(milk?.reason).toContain('95 % fill rate');
  });

  it('rejects a pack size that is not a whole number', () => {
    expect(() => toBatch([{ ...inputs[0], packSize: 2.5 } as ReplenishInput], forecasts, 28)).toThrow(
      /packSize/,
    );
  });
});

describe('morning lists', () => {
  const { batch } = toBatch(inputs, forecasts, 28);
  const result = replenish(batch);
  const since = Int32Array.from([1, 0, 150, 3]);
  const lists = buildLists(batch, result, since, 7);

  it('lists the items likely to run out this week, with the sales at risk at cost', () => {
    const rowsAtRisk = lists.stockouts.map((s) => s.row);
    expect(rowsAtRisk).toEqual(expect.arrayContaining([0, 1]));
    expect(rowsAtRisk).not.toContain(3);
    // Milk: 70 forecast this week, 12 on hand → 58 short at 0.80.
    expect(lists.stockouts.find((s) => s.row === 0)?.shortValueMinor).toBe(58 * 80);
  });

  it('lists dead stock (no sale in 90 days) and slow movers (over 26 weeks of cover) at cost', () => {
    expect(lists.dead).toEqual([
      expect.objectContaining({ row: 2, valueMinor: 40 * 250, daysSinceSale: 150 }),
    ]);
    // Tea: 500 on hand at 2 a day is 250 days, about 36 weeks.
    expect(lists.slow).toEqual([expect.objectContaining({ row: 3, valueMinor: 500 * 300 })]);
    expect(lists.slow[0]?.weeksOfCover).toBeCloseTo(250 / 7, 6);
  });
});
