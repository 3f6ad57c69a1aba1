import { allocate, invalid, mulDiv } from '../core/index.ts';
import type { TaxComponent, TaxJurisdiction } from './tax-schema.ts';

/**
 * Tax on lines whose discounts are already taken off. With tax-inclusive prices the amount is the
 * gross and tax is extracted from it; with exclusive prices the amount is the net and tax is added.
 *
 * Several components on one class (state + county + city) are rounded together at their combined rate
 * and the rounded tax split over the components in proportion to their rates, so a line never pays a
 * cent more than its combined rate says. Per-document rounding rounds once per group of lines sharing
 * the same components and hands the rounded tax back to the lines in proportion to their amounts, so
 * every line still has whole minor units and net + tax = gross holds on each line and on the document.
 */

export interface TaxLineInput {
  readonly lineId: string;
  readonly taxClass: string;
  /** What the line costs after discounts, in the jurisdiction's price terms (gross if inclusive). */
  readonly amountMinor: number;
}

export interface TaxOptions {
  /**
   * The customer is exempt: no tax is charged. With inclusive prices the tax contained in the shelf
   * price is taken off, so the customer pays the net, as a tax-free export sale does.
   */
  readonly customerExempt?: boolean;
}

export interface LineTax {
  readonly code: string;
  readonly name: string;
  readonly ratePpm: number;
  readonly taxMinor: number;
}

export interface TaxedLine {
  readonly lineId: string;
  readonly netMinor: number;
  readonly taxMinor: number;
  readonly grossMinor: number;
  readonly exempt: boolean;
  readonly breakdown: LineTax[];
}

/** One row of the receipt's VAT table or the sales-tax report. Exempt sales have their own row. */
export interface TaxRow {
  readonly code: string;
  readonly name: string;
  readonly ratePpm: number;
  readonly taxableMinor: number;
  readonly taxMinor: number;
  readonly exempt: boolean;
}

export interface TaxResult {
  readonly pricesIncludeTax: boolean;
  readonly lines: TaxedLine[];
  readonly netMinor: number;
  readonly taxMinor: number;
  readonly grossMinor: number;
  readonly breakdown: TaxRow[];
}

export const EXEMPT_CODE = 'EXEMPT';
const MILLION = 1_000_000;

export function computeTax(
  lines: readonly TaxLineInput[],
  j: TaxJurisdiction,
  opts: TaxOptions = {},
): TaxResult {
  const inclusive = j.pricesIncludeTax;
  const comps: TaxComponent[][] = lines.map((l, k) => {
    if (!Number.isSafeInteger(l.amountMinor) || l.amountMinor < 0)
      throw invalid(
        `lines[${k}].amountMinor`,
        `must be a whole number of minor units ≥ 0, got ${l.amountMinor}`,
      );
    const rule = Object.hasOwn(j.classes, l.taxClass) ? j.classes[l.taxClass] : undefined;
    if (!rule) throw invalid(`lines[${k}].taxClass`, `no rule for tax class "${l.taxClass}" in ${j.name}`);
    return rule.exempt ? [] : rule.components;
  });
  const exemptClass = lines.map((l) => j.classes[l.taxClass]!.exempt);
  // Tax per line per component, filled by either rounding mode.
  const taxes: number[][] = comps.map((cs) => cs.map(() => 0));
  const rateOf = (cs: readonly TaxComponent[]): number => cs.reduce((s, c) => s + c.ratePpm, 0);
  const extract = (base: number, rate: number): number =>
    mulDiv(base, rate, inclusive ? MILLION + rate : MILLION);

  if (j.rounding === 'line') {
    lines.forEach((l, k) => {
      const cs = comps[k]!;
      if (cs.length === 0) return;
      const rate = rateOf(cs);
      taxes[k] = split(extract(l.amountMinor, rate), cs);
    });
  } else {
    const groups = new Map<string, number[]>();
    comps.forEach((cs, k) => {
      if (cs.length === 0) return;
      const key = cs.map((c) => `${c.code}@${c.ratePpm}`).join('|');
      const g = groups.get(key) ?? [];
      g.push(k);
      groups.set(key, g);
    });
    for (const members of groups.values()) {
      const cs = comps[members[0]!]!;
      const amounts = members.map((k) => lines[k]!.amountMinor);
      const total = extract(
        amounts.reduce((a, b) => a + b, 0),
        rateOf(cs),
      );
      split(total, cs).forEach((compTax, c) => {
        allocate(compTax, amounts).forEach((t, m) => {
          taxes[members[m]!]![c] = t;
        });
      });
    }
  }

  const out: TaxedLine[] = lines.map((l, k) => {
    const cs = comps[k]!;
    const tax = taxes[k]!.reduce((a, b) => a + b, 0);
    const net = inclusive ? l.amountMinor - tax : l.amountMinor;
    if (opts.customerExempt || exemptClass[k])
      return { lineId: l.lineId, netMinor: net, taxMinor: 0, grossMinor: net, exempt: true, breakdown: [] };
    return {
      lineId: l.lineId,
      netMinor: net,
      taxMinor: tax,
      grossMinor: net + tax,
      exempt: false,
      breakdown: cs.map((c, i) => ({
        code: c.code,
        name: c.name,
        ratePpm: c.ratePpm,
        taxMinor: taxes[k]![i]!,
      })),
    };
  });

  const rows = new Map<
    string,
    { code: string; name: string; ratePpm: number; taxableMinor: number; taxMinor: number; exempt: boolean }
  >();
  const row = (code: string, name: string, ratePpm: number, exempt: boolean) => {
    const key = `${exempt ? 1 : 0}|${code}|${ratePpm}`;
    let r = rows.get(key);
    if (!r) {
      r = { code, name, ratePpm, taxableMinor: 0, taxMinor: 0, exempt };
      rows.set(key, r);
    }
    return r;
  };
  out.forEach((l) => {
    if (l.exempt) row(EXEMPT_CODE, 'Exempt', 0, true).taxableMinor += l.netMinor;
    for (const b of l.breakdown) {
      const r = row(b.code, b.name, b.ratePpm, false);
      r.taxableMinor += l.netMinor;
      r.taxMinor += b.taxMinor;
    }
  });
  const breakdown = [...rows.values()].sort(
    (a, b) =>
      Number(a.exempt) - Number(b.exempt) ||
      a.ratePpm - b.ratePpm ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
  const sum = (f: (l: TaxedLine) => number): number => out.reduce((s, l) => s + f(l), 0);
  return {
    pricesIncludeTax: inclusive,
    lines: out,
    netMinor: sum((l) => l.netMinor),
    taxMinor: sum((l) => l.taxMinor),
    grossMinor: sum((l) => l.grossMinor),
    breakdown,
  };
}

/** Splits a rounded tax over components by rate; the parts sum exactly to the whole. */
const split = (tax: number, cs: readonly TaxComponent[]): number[] =>
  cs.length === 1
    ? [tax]
    : allocate(
        tax,
        cs.map((c) => c.ratePpm),
      );
