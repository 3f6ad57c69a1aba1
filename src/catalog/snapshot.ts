import { sql } from 'kysely';
import type { HqDb } from '../db/hq-db.ts';
import { catalogChangesSince, catalogTop } from '../sync/catalog-changes.ts';
import type { CatalogProduct, CatalogSnapshot } from '../sync/wire.ts';
import { getStore } from './stores.ts';

/**
 * What a till needs to sell: its store and the catalog, whole or as a delta. The cursor is
 * `<catalog epoch>.<version>`; a cursor from this database yields only products whose version is
 * higher (including ones taken off sale, with active: false) and the SKUs deleted since. Without a cursor, or with one this
 * database did not issue, the snapshot is full: every active product, and the till replaces its cache.
 */
export async function catalogSnapshot(db: HqDb, storeId: string, since?: string): Promise<CatalogSnapshot> {
  const store = await getStore(db, storeId);
  const epochRow = await db
    .selectFrom('hq_config')
    .select('value')
    .where('key', '=', 'catalog_epoch')
    .executeTakeFirstOrThrow();
  const epoch = epochRow.value;
  // Read first: a change committed after this point carries a higher version and comes next time.
  const top = await catalogTop(db);
  const after = parseCursor(since, epoch, top);
  const full = after === undefined;
  let q = db
    .selectFrom('products as p')
    .leftJoin('barcodes as b', 'b.sku', 'p.sku')
    .select([
      'p.sku',
      'p.name',
      'p.price_minor',
      'p.tax_rate_bp',
      'p.active',
      sql<string[]>`coalesce(array_agg(b.code ORDER BY b.code) FILTER (WHERE b.code IS NOT NULL), '{}')`.as(
        'barcodes',
      ),
    ])
    .where('p.version', '<=', top)
    .groupBy('p.sku')
    .orderBy('p.sku');
  q = full ? q.where('p.active', '=', true) : q.where('p.version', '>', after);
  const rows = await q.execute();
  const products: CatalogProduct[] = rows.map((r) => ({
    sku: r.sku,
    name: r.name,
    barcodes: r.barcodes,
    priceMinor: r.price_minor,
    taxRateBp: r.tax_rate_bp,
    active: r.active,
  }));
  // A product deleted after the cursor (and not re-created since) leaves the till's cache.
  const removed = full
    ? []
    : (await catalogChangesSince(db, 'product', after, top)).deleted.filter(
        (sku) => !products.some((p) => p.sku === sku),
      );
  return { cursor: `${epoch}.${top}`, full, store, products, removed };
}

/** The version after which to send changes, or undefined when the cursor is absent or not ours. */
function parseCursor(since: string | undefined, epoch: string, top: number): number | undefined {
  if (!since) return undefined;
  const m = /^([0-9a-f]+)\.(\d+)$/.exec(since);
  if (!m || m[1] !== epoch) return undefined;
  const v = Number(m[2]);
  return Number.isSafeInteger(v) && v <= top ? v : undefined;
}
