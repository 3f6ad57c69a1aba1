import type { StockLine } from './events.ts';

/** Sums repeated SKUs and sorts, so a basket locks its rows in the same order as everyone else. */
export function mergeLines(lines: readonly StockLine[]): StockLine[] {
  const by = new Map<string, number>();
  for (const l of lines) by.set(l.sku, (by.get(l.sku) ?? 0) + l.qty);
  return [...by]
    .map(([sku, qty]) => ({ sku, qty }))
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

/** Distinct (store, sku) keys in byte order: the one order every transaction locks levels in. */
export const sortKeys = <K extends { storeId: string; sku: string }>(keys: readonly K[]): K[] => {
  const seen = new Map<string, K>();
  for (const k of keys) seen.set(`${k.storeId}\u0000${k.sku}`, k);
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => k);
};
