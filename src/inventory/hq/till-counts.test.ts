import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valueCount } from './till-counts.ts';

const count = (kind: 'full' | 'cycle', lines: { sku: string; countedQty: number }[]) => ({
  countId: 'C1',
  kind,
  freezeAt: '2026-03-02T18:00:00.000Z',
  lines,
});

describe('valueCount (a till count valued at HQ)', () => {
  it('books the difference to the ledger at the freeze, valued at the carried cost', () => {
    const lines = valueCount(
      count('cycle', [
        { sku: 'A', countedQty: 3 },
        { sku: 'A', countedQty: 4 },
        { sku: 'B', countedQty: 12 },
      ]),
      new Map([
        ['A', 10],
        ['B', 12],
        ['C', 5],
      ]),
      new Map([['A', 250]]),
    );
    // Two shelves of A add up; C was not counted in a cycle count, so it is left alone.
    expect(lines).toEqual([
      { sku: 'A', countedQty: 7, expectedQty: 10, variance: -3, unitCostMinor: 250 },
      { sku: 'B', countedQty: 12, expectedQty: 12, variance: 0, unitCostMinor: 0 },
    ]);
  });

  it('counts every SKU the store held in a full count, the uncounted ones as zero', () => {
    const lines = valueCount(count('full', [{ sku: 'A', countedQty: 1 }]), new Map([['C', 5]]), new Map());
    expect(lines.map((l) => [l.sku, l.variance])).toEqual([
      ['A', 1],
      ['C', -5],
    ]);
  });

  it('sets every counted SKU to what was counted: expected plus variance is the count', () => {
    const sku = fc.constantFrom('A', 'B', 'C', 'D');
    fc.assert(
      fc.property(
        fc.constantFrom<'full' | 'cycle'>('full', 'cycle'),
        fc.array(fc.record({ sku, countedQty: fc.nat(50) }), { minLength: 1, maxLength: 8 }),
        fc.dictionary(sku, fc.integer({ min: -20, max: 60 })),
        (kind, counted, expected) => {
          const lines = valueCount(count(kind, counted), new Map(Object.entries(expected)), new Map());
          const total = new Map<string, number>();
          for (const l of counted) total.set(l.sku, (total.get(l.sku) ?? 0) + l.countedQty);
          for (const l of lines) expect(l.expectedQty + l.variance).toBe(total.get(l.sku) ?? 0);
          // Nothing counted is dropped unless it was zero against zero.
          for (const [s, q] of total)
            if (q !== 0 || (expected[s] ?? 0) !== 0) expect(lines.some((l) => l.sku === s)).toBe(true);
        },
      ),
    );
  });
});
