import type { CatalogProduct } from '../../contracts/index.ts';
import { invalid } from '../../core/index.ts';
import type { ItemSource } from './register-context.ts';

/**
 * Search at the till by name, SKU, GTIN or PLU. An exact code wins, then a SKU or barcode that
 * starts with the query, then names: all words present, earlier and whole-word matches first.
 * Inactive products are left out. Pure ranking over the candidates the catalog cache returns.
 */
const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

export function scoreItem(p: CatalogProduct, query: string): number {
  const q = fold(query.trim());
  if (q === '') return 0;
  const sku = fold(p.sku);
  const codes = p.barcodes.map((b) => b.replace(/^0+(?=\d)/, ''));
  const qCode = /^\d+$/.test(q) ? q.replace(/^0+(?=\d)/, '') : q;
  if (sku === q || codes.includes(qCode)) return 1000;
  if (sku.startsWith(q) || codes.some((c) => c.startsWith(qCode))) return 500;
  const name = fold(p.name);
  const words = q.split(/\s+/);
  if (!words.every((w) => name.includes(w) || sku.includes(w))) return 0;
  let score = 100;
  if (name.startsWith(words[0]!)) score += 50;
  for (const w of words)
    if (new RegExp(`(^|[^\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u').test(name))
      score += 10;
  // Shorter names are closer matches for the same words.
  return score - Math.min(name.length, 60) / 100;
}

export function rankItems(items: ItemSource, query: unknown, limit: number): CatalogProduct[] {
  if (typeof query !== 'string' || query.trim().length === 0)
    throw invalid('q', 'type at least one character');
  if (query.length > 100) throw invalid('q', 'at most 100 characters');
  const exact = items.lookup(query.trim());
  // Ask for more than we show: the cache's own filter is coarse and ranking happens here.
  const candidates = items.search ? items.search(query.trim(), Math.max(limit * 5, 50)) : [];
  const seen = new Set<string>();
  return [...(exact ? [exact] : []), ...candidates]
    .filter((p) => {
      if (!p.active || seen.has(p.sku)) return false;
      seen.add(p.sku);
      return true;
    })
    .map((p) => ({ p, s: scoreItem(p, query) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || (a.p.name < b.p.name ? -1 : 1))
    .slice(0, limit)
    .map((x) => x.p);
}
