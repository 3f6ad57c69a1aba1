import type { Item } from '../../contracts/index.ts';

/**
 * What Enter does in a field that takes a code or a name (the sale's scan field, an exchange's new
 * items, a return without a receipt): a code the till knows is added as it is; anything else is a name
 * to search, and what the search finds is added (one match) or listed to pick from (several).
 */
export type EntryOutcome =
  | { kind: 'add'; code: string }
  | { kind: 'pick'; items: readonly Item[] }
  | { kind: 'none'; message: string };

/** Whether text is worth searching by name as the cashier types (a run of digits is a code being keyed). */
export const isNameQuery = (text: string): boolean => {
  const q = text.trim();
  return q.length >= 2 && !/^\d+$/.test(q);
};

/** After the code lookup failed: what the name search found decides. */
export function searchOutcome(query: string, items: readonly Item[]): EntryOutcome {
  const q = query.trim();
  if (items.length === 0)
    return {
      kind: 'none',
      message: `“${q}” not found: no product has this code or a name like it. Check the spelling or scan the barcode`,
    };
  const only = items.length === 1 ? items[0] : undefined;
  if (only) return { kind: 'add', code: only.sku };
  return { kind: 'pick', items };
}

/** The highlighted result after an arrow key, staying inside the list. */
export function movePick(pick: number, key: 'ArrowUp' | 'ArrowDown', length: number): number {
  if (length === 0) return 0;
  return key === 'ArrowUp' ? Math.max(0, pick - 1) : Math.min(length - 1, pick + 1);
}

/** The till answers a search as a list or as `{ items }`, depending on its version. */
export const itemsOf = (data: readonly Item[] | { items: readonly Item[] } | undefined): readonly Item[] =>
  !data ? [] : Array.isArray(data) ? data : (data as { items: readonly Item[] }).items;
