import { invalid } from '../../core/index.ts';
import type { TaxJurisdiction } from '../../pricing/index.ts';
import type { LegacyRecord } from './record.ts';

/**
 * Which tax class a new product gets. One rate for everything taxes bread like a television, so the
 * operator maps what the export says (a tax name or tax class of the old system, else a category)
 * to Tally's tax classes: `--tax-class-map "Food=reduced,Books=reduced,*=standard"`. An item the
 * export marks non-taxable takes the exempt class. A product nothing decides is listed as needing a
 * decision, never given a rate by default.
 */
export interface TaxClassPolicy {
  /** Lower-cased source tax name or category → tax class. */
  map: ReadonlyMap<string, string>;
  /** The class for everything the map does not name (`*=standard`); absent: decide each. */
  fallback: string | undefined;
  /** The class of items the export marks non-taxable. */
  exemptClass: string;
  /** Rate (basis points) of each class, from HQ's tax jurisdictions where they agree. */
  rates: ReadonlyMap<string, number>;
  /** Rate for a class no jurisdiction gives a rate for (`--tax-rate-bp`). */
  defaultRateBp: number | undefined;
}

export type TaxDecision =
  | { taxClass: string; taxRateBp: number; by: string }
  | { taxClass: string | undefined; reason: string };

/** `"Food=reduced, *=standard"` → the map and the fallback, naming the option on a bad pair. */
export function parseTaxClassMap(
  raw: string,
  option = '--tax-class-map',
): { map: Map<string, string>; fallback: string | undefined } {
  const map = new Map<string, string>();
  let fallback: string | undefined;
  for (const pair of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = pair.lastIndexOf('=');
    const from = pair.slice(0, i).trim();
    const to = pair.slice(i + 1).trim();
    if (i <= 0 || from === '' || to === '' || !/^[\w.:-]{1,64}$/.test(to))
      throw invalid(option, `"${pair}" is not <tax name or category>=<tax class>`);
    if (from === '*') fallback = to;
    else map.set(from.toLowerCase(), to);
  }
  return { map, fallback };
}

/** Each class's rate in basis points where every jurisdiction defining it agrees (exempt = 0). */
export function classRates(jurisdictions: readonly TaxJurisdiction[]): Map<string, number> {
  const seen = new Map<string, Set<number>>();
  for (const j of jurisdictions)
    for (const [name, rule] of Object.entries(j.classes)) {
      const ppm = rule.exempt ? 0 : rule.components.reduce((s, c) => s + c.ratePpm, 0);
      const set = seen.get(name) ?? new Set<number>();
      set.add(Math.round(ppm / 100));
      seen.set(name, set);
    }
  const out = new Map<string, number>();
  for (const [name, set] of seen) if (set.size === 1) out.set(name, [...set][0]!);
  return out;
}

/** The keys a record offers the map, most specific first: its tax names, then its categories. */
export const taxKeys = (r: LegacyRecord): string[] => [
  ...r.tax.names,
  ...(r.categoryPath.length > 1 ? [r.categoryPath.join(' > ')] : []),
  ...[...r.categoryPath].reverse(),
];

export function decideTaxClass(records: readonly LegacyRecord[], policy: TaxClassPolicy): TaxDecision {
  const first = records[0]!;
  let taxClass: string | undefined;
  let by: string | undefined;
  if (records.some((r) => r.tax.taxable === false) && records.every((r) => r.tax.taxable !== true)) {
    taxClass = policy.exemptClass;
    by = 'not taxable in the export';
  } else {
    for (const r of records) {
      for (const k of taxKeys(r)) {
        const c = policy.map.get(k.toLowerCase());
        if (c !== undefined) {
          taxClass = c;
          by = `"${k}"`;
          break;
        }
      }
      if (taxClass) break;
    }
    if (!taxClass && policy.fallback) {
      taxClass = policy.fallback;
      by = '*';
    }
  }
  if (!taxClass) {
    const keys = taxKeys(first);
    return {
      taxClass: undefined,
      reason: `no tax class for ${keys.length > 0 ? keys.map((k) => `"${k}"`).join(', ') : 'an item without tax name or category'}: add one to --tax-class-map (or *=<class>)`,
    };
  }
  const rate =
    taxClass === policy.exemptClass && by === 'not taxable in the export' ? 0 : policy.rates.get(taxClass);
  const taxRateBp = rate ?? policy.defaultRateBp;
  if (taxRateBp === undefined)
    return {
      taxClass,
      reason: `no rate known for tax class "${taxClass}": publish it in a tax jurisdiction or give --tax-rate-bp`,
    };
  return { taxClass, taxRateBp, by: by! };
}

/** Every new product in one class at one rate (non-taxable items still exempt): benchmarks, tests. */
export const singleClassPolicy = (taxClass: string, rateBp: number): TaxClassPolicy => ({
  map: new Map(),
  fallback: taxClass,
  exemptClass: 'exempt',
  rates: new Map([[taxClass, rateBp]]),
  defaultRateBp: rateBp,
});
