import { sql } from 'kysely';
import { tillUsersForStore } from '../../access/index.ts';
import type { CatalogProduct, CatalogSnapshot } from '../../contracts/index.ts';
import type { HqDb } from '../../db/index.ts';
import { catalogChangesSince, catalogTop } from '../../sync/hq/index.ts';
import { priceInForce } from '../pricebook.ts';
import { catalogDb } from './catalog-tables.ts';
import { categoryPaths } from './categories.ts';
import { activePromotions, activeTaxJurisdictions, storePriceEntries, storeZone } from './prices.ts';
import { getStore } from './stores.ts';

/**
 * What a till needs to sell: its store and the catalog, whole or as a delta. The cursor is
 * `<catalog epoch>.<version>`; a cursor from this database yields only products whose version is
 * higher (including ones taken off sale, with active: false) and the SKUs deleted since. Without a cursor, or with one this
 * database did not issue, the snapshot is full: every active product, and the till replaces its cache.
 *
 * Products carry the price in force now at this store (so tills that predate pricebooks sell at the
 * right price); `prices` carries their pricebook entries in force and scheduled. Promotions and tax
 * jurisdictions share the version sequence: when any changed after the cursor, the whole active set
 * comes along.
 */
export async function catalogSnapshot(
  db: HqDb,
  storeId: string,
  since?: string,
  now: Date = new Date(),
  extras: SnapshotExtras = {},
): Promise<CatalogSnapshot> {
  const store = await getStore(db, storeId);
  const epochRow = await db
    .selectFrom('hq_config')
    .select('value')
    .where('key', '=', 'catalog_epoch')
    .executeTakeFirstOrThrow();
  const epoch = epochRow.value;
  // Read first: a change committed after this point carries a higher version and comes next time.
  const tops = await sql<{ products: number; promotions: number; tax: number }>`
    SELECT (SELECT coalesce(max(version), 0) FROM products) AS products,
           (SELECT coalesce(max(version), 0) FROM promotions) AS promotions,
           (SELECT coalesce(max(version), 0) FROM tax_jurisdictions) AS tax`.execute(db);
  const t = tops.rows[0]!;
  const top = Math.max(await catalogTop(db), Number(t.promotions), Number(t.tax));
  const after = parseCursor(since, epoch, top);
  const full = after === undefined;
  let q = catalogDb(db)
    .selectFrom('products as p')
    .leftJoin('barcodes as b', 'b.sku', 'p.sku')
    .select([
      'p.sku',
      'p.name',
      'p.price_minor',
      'p.tax_rate_bp',
      'p.active',
      'p.category_id',
      'p.parent_id',
      'p.unit',
      'p.tax_class',
      sql<string[]>`coalesce(array_agg(b.code ORDER BY b.code) FILTER (WHERE b.code IS NOT NULL), '{}')`.as(
        'barcodes',
      ),
    ])
    .where('p.version', '<=', top)
    .groupBy('p.sku')
    .orderBy('p.sku');
  q = full ? q.where('p.active', '=', true) : q.where('p.version', '>', after);
  const rows = await q.execute();
  const zoneId = await storeZone(db, storeId);
  const skus = new Set(rows.map((r) => r.sku));
  const prices = (await storePriceEntries(db, storeId, zoneId, now, full ? undefined : [...skus])).filter(
    (e) => skus.has(e.sku),
  );
  const bySku = new Map<string, typeof prices>();
  for (const e of prices) {
    const list = bySku.get(e.sku);
    if (list) list.push(e);
    else bySku.set(e.sku, [e]);
  }
  const paths = await categoryPaths(db);
  const products: CatalogProduct[] = rows.map((r) => ({
    sku: r.sku,
    name: r.name,
    barcodes: r.barcodes,
    priceMinor:
      priceInForce(bySku.get(r.sku) ?? [], r.sku, { storeId, zoneId }, now)?.priceMinor ?? r.price_minor,
    taxRateBp: r.tax_rate_bp,
    active: r.active,
    ...(r.category_id ? { categoryIds: paths(r.category_id) } : {}),
    ...(r.parent_id ? { productGroupIds: [r.parent_id] } : {}),
    ...(r.unit !== 'each' ? { unit: r.unit } : {}),
    ...(r.tax_class ? { taxClass: r.tax_class } : {}),
  }));
  const changed = (v: number): boolean => full || Number(v) > (after ?? 0);
  const snap: CatalogSnapshot = { cursor: `${epoch}.${top}`, full, store, products };
  if (zoneId !== undefined) snap.zoneId = zoneId;
  if (prices.length > 0) snap.prices = prices;
  if (changed(t.promotions)) {
    const promotions = await activePromotions(db);
    if (promotions.length > 0 || !full) snap.promotions = promotions;
  }
  if (changed(t.tax)) {
    const tax = await activeTaxJurisdictions(db);
    if (tax.length > 0 || !full) snap.taxJurisdictions = tax;
  }
  // People share the cursor (entities till_user and till_user_district): any change after it sends
  // the store's whole list, so a deactivation or a lost store reaches the till as a change.
  if (full || (await tillUsersChanged(db, after, top))) snap.tillUsers = await tillUsersForStore(db, storeId);
  // The loyalty programme belongs to customers (same layer, so not imported): the app passes its reader.
  if (extras.loyalty && (full || (await changedSince(db, extras.loyalty.entity, after, top))))
    snap.loyalty = await extras.loyalty.read(db);
  // A product deleted after the cursor (and not re-created since) leaves the till's cache.
  if (!full) {
    const removed = (await catalogChangesSince(db, 'product', after, top)).deleted.filter(
      (sku) => !products.some((p) => p.sku === sku),
    );
    snap.removed = removed;
  }
  return snap;
}

/** What other modules add to a till's catalog, each tracked in catalog_changes under its entity. */
export interface SnapshotExtras {
  loyalty?: { entity: string; read: (db: HqDb) => Promise<Record<string, unknown>> };
}

async function changedSince(
  db: HqDb,
  entity: string,
  after: number | undefined,
  top: number,
): Promise<boolean> {
  const c = await catalogChangesSince(db, entity, after ?? 0, top);
  return c.changed.length > 0 || c.deleted.length > 0;
}

async function tillUsersChanged(db: HqDb, after: number | undefined, top: number): Promise<boolean> {
  for (const entity of ['till_user', 'till_role', 'till_user_district']) {
    const c = await catalogChangesSince(db, entity, after ?? 0, top);
    if (c.changed.length > 0 || c.deleted.length > 0) return true;
  }
  return false;
}

/** The version after which to send changes, or undefined when the cursor is absent or not ours. */
function parseCursor(since: string | undefined, epoch: string, top: number): number | undefined {
  if (!since) return undefined;
  const m = /^([0-9a-f]+)\.(\d+)$/.exec(since);
  if (!m || m[1] !== epoch) return undefined;
  const v = Number(m[2]);
  return Number.isSafeInteger(v) && v <= top ? v : undefined;
}
