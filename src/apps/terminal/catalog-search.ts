import type { CatalogCache } from '../../catalog/till/index.ts';
import type { CatalogProduct } from '../../contracts/index.ts';
import type { ItemSource } from '../../sales/till/index.ts';

/**
 * Gives the register's item search its candidates from the till's catalog cache: products whose name,
 * SKU or a barcode contains the query's longest word. Ranking is the register's (sales/item-search.ts).
 * Reads the cache's tables because CatalogCache has no search of its own yet; move it there when it does.
 */
export function searchableCatalog(catalog: CatalogCache): ItemSource {
  const stmt = catalog.db.prepare(
    `SELECT p.sku, p.name, p.barcodes, p.price_minor, p.tax_rate_bp, p.active
       FROM catalog_products p
      WHERE p.active = 1 AND (p.name LIKE @like ESCAPE '!' OR p.sku LIKE @like ESCAPE '!'
        OR p.sku IN (SELECT sku FROM catalog_barcodes WHERE code LIKE @code ESCAPE '!'))
      LIMIT @limit`,
  );
  const escapeLike = (s: string): string => s.replace(/[!%_]/g, (c) => `!${c}`);
  return {
    lookup: (code) => catalog.lookup(code),
    store: () => catalog.store(),
    // Without these the till would price with no promotions and the product's own rate only.
    pricing: () => catalog.pricing(),
    priceAt: (sku, at) => catalog.priceAt(sku, at),
    search(q, limit) {
      const word = q
        .trim()
        .split(/\s+/)
        .reduce((a, b) => (b.length > a.length ? b : a), '');
      const code = /^\d+$/.test(word) ? word.replace(/^0+(?=\d)/, '') : word;
      const rows = stmt.all({ like: `%${escapeLike(word)}%`, code: `${escapeLike(code)}%`, limit }) as {
        sku: string;
        name: string;
        barcodes: string;
        price_minor: number;
        tax_rate_bp: number;
        active: number;
      }[];
      return rows.map(
        (r): CatalogProduct => ({
          sku: r.sku,
          name: r.name,
          barcodes: JSON.parse(r.barcodes) as string[],
          priceMinor: r.price_minor,
          taxRateBp: r.tax_rate_bp,
          active: r.active === 1,
        }),
      );
    },
  };
}
