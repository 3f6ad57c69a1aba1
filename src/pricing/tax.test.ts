import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulDiv } from '../core/money.ts';
import { cartTotals, lineAmounts, type PricedLineInput } from './tax.ts';

/** The original per-line implementation, kept as the reference the engine-backed version must match. */
function referenceTotals(lines: readonly PricedLineInput[], inclusive: boolean) {
  const amounts = lines.map((l) => {
    const ext = l.unitPriceMinor * l.qty;
    const tax = inclusive ? mulDiv(ext, l.taxRateBp, 10_000 + l.taxRateBp) : mulDiv(ext, l.taxRateBp, 10_000);
    return inclusive
      ? { netMinor: ext - tax, taxMinor: tax, grossMinor: ext }
      : { netMinor: ext, taxMinor: tax, grossMinor: ext + tax };
  });
  const rates = new Map<number, { netMinor: number; taxMinor: number }>();
  amounts.forEach((a, i) => {
    const r = rates.get(lines[i]!.taxRateBp) ?? { netMinor: 0, taxMinor: 0 };
    r.netMinor += a.netMinor;
    r.taxMinor += a.taxMinor;
    rates.set(lines[i]!.taxRateBp, r);
  });
  const sum = (k: 'netMinor' | 'taxMinor' | 'grossMinor') => amounts.reduce((s, a) => s + a[k], 0);
  return {
    lines: amounts,
    netMinor: sum('netMinor'),
    taxMinor: sum('taxMinor'),
    grossMinor: sum('grossMinor'),
    byRate: [...rates].sort(([a], [b]) => a - b).map(([taxRateBp, r]) => ({ taxRateBp, ...r })),
  };
}

const line = fc.record({
  qty: fc.integer({ min: 1, max: 1000 }),
  unitPriceMinor: fc.integer({ min: 0, max: 10_000_000 }),
  taxRateBp: fc.constantFrom(0, 500, 700, 1900, 2000, 2500, 825),
});

describe('tax per line', () => {
  it('extracts VAT from an inclusive price: 1.19 at 19 % is 1.00 net + 0.19 tax', () => {
    expect(lineAmounts({ qty: 1, unitPriceMinor: 119, taxRateBp: 1900 }, { inclusive: true })).toEqual({
      netMinor: 100,
      taxMinor: 19,
      grossMinor: 119,
    });
  });

  it('adds sales tax on top of an exclusive price: 10.00 at 8.25 % is 10.83', () => {
    expect(lineAmounts({ qty: 1, unitPriceMinor: 1000, taxRateBp: 825 }, { inclusive: false })).toEqual({
      netMinor: 1000,
      taxMinor: 83,
      grossMinor: 1083,
    });
  });

  it('gives exactly the figures of the original per-line implementation (the till depends on them)', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.boolean(), (lines, inclusive) => {
        expect(cartTotals(lines, { inclusive })).toEqual(referenceTotals(lines, inclusive));
      }),
    );
  });

  it('net + tax = gross on every line and on the document, to the minor unit', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.boolean(), (lines, inclusive) => {
        const t = cartTotals(lines, { inclusive });
        for (const l of t.lines) expect(l.netMinor + l.taxMinor).toBe(l.grossMinor);
        expect(t.netMinor + t.taxMinor).toBe(t.grossMinor);
        expect(t.byRate.reduce((s, r) => s + r.taxMinor, 0)).toBe(t.taxMinor);
        expect(t.byRate.reduce((s, r) => s + r.netMinor, 0)).toBe(t.netMinor);
      }),
    );
  });

  it('prices the same cart the same in any order', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.boolean(), (lines, inclusive) => {
        const a = cartTotals(lines, { inclusive });
        const b = cartTotals([...lines].reverse(), { inclusive });
        expect(b.grossMinor).toBe(a.grossMinor);
        expect(b.taxMinor).toBe(a.taxMinor);
        expect(b.byRate).toEqual(a.byRate);
      }),
    );
  });

  it('never charges negative tax and removing a line never raises the total', () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        fc.nat(),
        (lines, inclusive, k) => {
          const full = cartTotals(lines, { inclusive });
          const fewer = cartTotals(
            lines.filter((_, i) => i !== k % lines.length),
            { inclusive },
          );
          expect(full.taxMinor).toBeGreaterThanOrEqual(0);
          expect(fewer.grossMinor).toBeLessThanOrEqual(full.grossMinor);
        },
      ),
    );
  });
});
