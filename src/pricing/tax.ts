import { mulDiv } from '../core/index.ts';
import { computeTax } from './tax-engine.ts';
import type { TaxJurisdiction } from './tax-schema.ts';

/**
 * Cart totals with tax, per line. Inclusive pricing (VAT) extracts tax from the shelf price;
 * exclusive pricing (US sales tax) adds it on top. Rounding is per line, half away from zero,
 * so every line's net + tax = gross to the minor unit and the document sums its lines.
 */
export interface TaxPolicy {
  readonly inclusive: boolean;
}

export interface PricedLineInput {
  readonly qty: number;
  readonly unitPriceMinor: number;
  /** Basis points: 2000 = 20 %. */
  readonly taxRateBp: number;
}

export interface LineAmounts {
  readonly netMinor: number;
  readonly taxMinor: number;
  readonly grossMinor: number;
}

export interface TaxBreakdownRow {
  readonly taxRateBp: number;
  readonly netMinor: number;
  readonly taxMinor: number;
}

export interface CartTotals {
  readonly lines: LineAmounts[];
  readonly netMinor: number;
  readonly taxMinor: number;
  readonly grossMinor: number;
  readonly byRate: TaxBreakdownRow[];
}

export function lineAmounts(line: PricedLineInput, policy: TaxPolicy): LineAmounts {
  const extended = line.unitPriceMinor * line.qty;
  if (policy.inclusive) {
    const taxMinor = mulDiv(extended, line.taxRateBp, 10_000 + line.taxRateBp);
    return { netMinor: extended - taxMinor, taxMinor, grossMinor: extended };
  }
  const taxMinor = mulDiv(extended, line.taxRateBp, 10_000);
  return { netMinor: extended, taxMinor, grossMinor: extended + taxMinor };
}

/**
 * The till's original per-line API, now a thin layer over the tax engine: each rate becomes a tax class
 * with one component, rounded per line. Same signature, same figures.
 */
export function cartTotals(lines: readonly PricedLineInput[], policy: TaxPolicy): CartTotals {
  const classes: TaxJurisdiction['classes'] = {};
  for (const l of lines) {
    const code = `bp:${l.taxRateBp}`;
    classes[code] ??= { exempt: false, components: [{ code, name: code, ratePpm: l.taxRateBp * 100 }] };
  }
  const r = computeTax(
    lines.map((l, k) => ({
      lineId: String(k),
      taxClass: `bp:${l.taxRateBp}`,
      amountMinor: l.unitPriceMinor * l.qty,
    })),
    { id: 'legacy', name: 'per-line rates', pricesIncludeTax: policy.inclusive, rounding: 'line', classes },
  );
  const amounts = r.lines.map(({ netMinor, taxMinor, grossMinor }) => ({ netMinor, taxMinor, grossMinor }));
  const byRate = r.breakdown.map((row) => ({
    taxRateBp: row.ratePpm / 100,
    netMinor: row.taxableMinor,
    taxMinor: row.taxMinor,
  }));
  return { lines: amounts, netMinor: r.netMinor, taxMinor: r.taxMinor, grossMinor: r.grossMinor, byRate };
}
