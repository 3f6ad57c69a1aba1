import { mulDiv } from '../core/money.ts';

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

export function cartTotals(lines: readonly PricedLineInput[], policy: TaxPolicy): CartTotals {
  const amounts = lines.map((l) => lineAmounts(l, policy));
  const rates = new Map<number, { netMinor: number; taxMinor: number }>();
  let netMinor = 0;
  let taxMinor = 0;
  let grossMinor = 0;
  amounts.forEach((a, i) => {
    netMinor += a.netMinor;
    taxMinor += a.taxMinor;
    grossMinor += a.grossMinor;
    const rate = lines[i]!.taxRateBp;
    const row = rates.get(rate) ?? { netMinor: 0, taxMinor: 0 };
    row.netMinor += a.netMinor;
    row.taxMinor += a.taxMinor;
    rates.set(rate, row);
  });
  const byRate = [...rates.entries()]
    .sort(([a], [b]) => a - b)
    .map(([taxRateBp, r]) => ({ taxRateBp, ...r }));
  return { lines: amounts, netMinor, taxMinor, grossMinor, byRate };
}
