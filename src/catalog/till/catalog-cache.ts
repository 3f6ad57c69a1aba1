import type { Logger } from 'pino';
import {
  API_BASE,
  type CatalogProduct,
  type CatalogSnapshot,
  catalogSnapshotSchema,
  type StoreInfo,
  type TillUserWire,
} from '../../contracts/index.ts';
import { TallyError, unauthorized } from '../../core/index.ts';
import { openSqlite, type SqliteDb } from '../../db/index.ts';
import { type StorePricing, storePricing } from '../../pricing/index.ts';
import { type PriceEntry, priceInForce } from '../pricebook.ts';
import { catalogCacheMigrations } from './catalog-migrations/index.ts';

/**
 * The till's copy of its store's catalog, so a scan resolves with HQ unreachable. It is only a cache:
 * HQ owns the catalog, and a full snapshot replaces everything here. Its tables: catalog-migrations/ beside this file.
 */

/**
 * A scanner may read an EAN-13 where HQ stored the GTIN-14 with a leading zero (or the reverse), so
 * numeric codes are keyed without leading zeros.
 */
export const barcodeKey = (code: string): string => {
  const t = code.trim();
  return /^\d+$/.test(t) ? t.replace(/^0+(?=\d)/, '') : t;
};

export interface CatalogCache {
  readonly db: SqliteDb;
  apply(snapshot: CatalogSnapshot): { full: boolean; applied: number };
  /** By SKU first, then by barcode; `priceMinor` is the price in force now (pricebook, else list price). */
  lookup(code: string): CatalogProduct | undefined;
  /** The price of a SKU at this store at an instant, from the pricebook entries HQ sent; else the list price. */
  priceAt(sku: string, at: Date | string): number | undefined;
  /** The pricebook entries held for a SKU (in force and scheduled). */
  prices(sku: string): PriceEntry[];
  /** Promotions and tax jurisdictions as HQ published them (pricing-engine JSON; validate before use). */
  promotions(): Record<string, unknown>[];
  taxJurisdictions(): Record<string, unknown>[];
  zoneId(): string | undefined;
  /**
   * The store's promotions and tax jurisdictions validated and compiled for the engine, kept until the
   * next pull changes them. A definition this till cannot read is left out and logged.
   */
  pricing(): StorePricing | undefined;
  store(): StoreInfo | undefined;
  /** The people HQ says may act at this store's tills (active or not), as last pulled. */
  tillUsers(): TillUserWire[];
  /** The chain's loyalty programme as HQ sent it (JSON), undefined before HQ sent one. */
  loyalty(): Record<string, unknown> | undefined;
  tillUserByCode(code: string): TillUserWire | undefined;
  cursor(): string | undefined;
  count(): number;
  lastPullAt(): string | undefined;
  close(): void;
}

interface ProductRow {
  sku: string;
  name: string;
  barcodes: string;
  price_minor: number;
  tax_rate_bp: number;
  active: number;
  details: string | null;
}

type Details = Pick<CatalogProduct, 'categoryIds' | 'productGroupIds' | 'unit' | 'taxClass'>;
const detailsOf = (p: CatalogProduct): string | null => {
  const d: Details = {
    ...(p.categoryIds?.length ? { categoryIds: p.categoryIds } : {}),
    ...(p.productGroupIds?.length ? { productGroupIds: p.productGroupIds } : {}),
    ...(p.unit ? { unit: p.unit } : {}),
    ...(p.taxClass ? { taxClass: p.taxClass } : {}),
  };
  return Object.keys(d).length === 0 ? null : JSON.stringify(d);
};

interface PriceRow {
  id: number;
  sku: string;
  scope: PriceEntry['scope'];
  scope_id: string;
  price_minor: number;
  effective_from: string;
  effective_to: string | null;
}

const toProduct = (r: ProductRow): CatalogProduct => ({
  sku: r.sku,
  name: r.name,
  barcodes: JSON.parse(r.barcodes) as string[],
  priceMinor: r.price_minor,
  taxRateBp: r.tax_rate_bp,
  active: r.active === 1,
  ...(r.details ? (JSON.parse(r.details) as Details) : {}),
});

interface TillUserRow {
  user_id: string;
  code: string;
  name: string;
  permissions: string;
  pin_hash: string;
  active: number;
}
const toTillUser = (r: TillUserRow): TillUserWire => ({
  userId: r.user_id,
  code: r.code,
  name: r.name,
  permissions: JSON.parse(r.permissions) as TillUserWire['permissions'],
  pinHash: r.pin_hash,
  active: r.active === 1,
});

export function openCatalogCache(
  file: string,
  now: () => Date = () => new Date(),
  logger?: Logger,
): CatalogCache {
  const db = openSqlite(file, catalogCacheMigrations);
  const q = {
    bySku: db.prepare('SELECT * FROM catalog_products WHERE sku = ?'),
    byBarcode: db.prepare(
      'SELECT p.* FROM catalog_barcodes b JOIN catalog_products p ON p.sku = b.sku WHERE b.code = ?',
    ),
    upsert: db.prepare(
      `INSERT INTO catalog_products (sku, name, barcodes, price_minor, tax_rate_bp, active, details)
       VALUES (@sku, @name, @barcodes, @priceMinor, @taxRateBp, @active, @details)
       ON CONFLICT (sku) DO UPDATE SET name = excluded.name, barcodes = excluded.barcodes,
         price_minor = excluded.price_minor, tax_rate_bp = excluded.tax_rate_bp, active = excluded.active,
         details = excluded.details`,
    ),
    dropBarcodes: db.prepare('DELETE FROM catalog_barcodes WHERE sku = ?'),
    dropProduct: db.prepare('DELETE FROM catalog_products WHERE sku = ?'),
    addBarcode: db.prepare('INSERT OR REPLACE INTO catalog_barcodes (code, sku) VALUES (?, ?)'),
    meta: db.prepare('SELECT value FROM catalog_meta WHERE key = ?').pluck(),
    setMeta: db.prepare(
      'INSERT INTO catalog_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    count: db.prepare('SELECT COUNT(*) FROM catalog_products').pluck(),
    pricesOf: db.prepare('SELECT * FROM catalog_prices WHERE sku = ? ORDER BY id'),
    dropPrices: db.prepare('DELETE FROM catalog_prices WHERE sku = ?'),
    users: db.prepare('SELECT * FROM catalog_till_users ORDER BY code'),
    userByCode: db.prepare('SELECT * FROM catalog_till_users WHERE code = ?'),
    addUser: db.prepare(
      `INSERT INTO catalog_till_users (user_id, code, name, permissions, pin_hash, active)
       VALUES (@userId, @code, @name, @permissions, @pinHash, @active)`,
    ),
    addPrice: db.prepare(
      `INSERT OR REPLACE INTO catalog_prices (id, sku, scope, scope_id, price_minor, effective_from, effective_to)
       VALUES (@id, @sku, @scope, @scopeId, @priceMinor, @effectiveFrom, @effectiveTo)`,
    ),
  };
  const pricesOf = (sku: string): PriceEntry[] =>
    (q.pricesOf.all(sku) as PriceRow[]).map((r) => ({
      id: r.id,
      sku: r.sku,
      scope: r.scope,
      scopeId: r.scope_id,
      priceMinor: r.price_minor,
      effectiveFrom: r.effective_from,
      effectiveTo: r.effective_to,
    }));
  const priceAt = (sku: string, at: Date | string, listPrice: number): number => {
    const store = meta('store');
    if (store === undefined) return listPrice;
    const where = { storeId: (JSON.parse(store) as StoreInfo).storeId, zoneId: meta('zone_id') };
    return priceInForce(pricesOf(sku), sku, where, at)?.priceMinor ?? listPrice;
  };
  const meta = (key: string): string | undefined => q.meta.get(key) as string | undefined;

  const apply = db.transaction((snap: CatalogSnapshot) => {
    if (snap.full) db.exec('DELETE FROM catalog_barcodes; DELETE FROM catalog_products;');
    // An HQ that predates pricebooks sends no `prices`: the entries held stay as they are.
    if (snap.full && snap.prices) db.exec('DELETE FROM catalog_prices;');
    for (const p of snap.products) {
      q.upsert.run({
        sku: p.sku,
        name: p.name,
        priceMinor: p.priceMinor,
        taxRateBp: p.taxRateBp,
        barcodes: JSON.stringify(p.barcodes),
        active: p.active ? 1 : 0,
        details: detailsOf(p),
      });
      q.dropBarcodes.run(p.sku);
      for (const b of p.barcodes) q.addBarcode.run(barcodeKey(b), p.sku);
      if (snap.prices && !snap.full) q.dropPrices.run(p.sku);
    }
    for (const sku of snap.removed ?? []) {
      q.dropBarcodes.run(sku);
      q.dropProduct.run(sku);
    }
    for (const e of snap.prices ?? []) q.addPrice.run({ ...e, effectiveTo: e.effectiveTo ?? null });
    if (snap.prices || snap.full) {
      if (snap.zoneId === undefined) db.prepare("DELETE FROM catalog_meta WHERE key = 'zone_id'").run();
      else q.setMeta.run('zone_id', snap.zoneId);
    }
    if (snap.promotions) q.setMeta.run('promotions', JSON.stringify(snap.promotions));
    if (snap.taxJurisdictions) q.setMeta.run('tax_jurisdictions', JSON.stringify(snap.taxJurisdictions));
    if (snap.loyalty) q.setMeta.run('loyalty', JSON.stringify(snap.loyalty));
    if (snap.tillUsers) {
      db.exec('DELETE FROM catalog_till_users');
      for (const u of snap.tillUsers)
        q.addUser.run({ ...u, permissions: JSON.stringify(u.permissions), active: u.active ? 1 : 0 });
    }
    q.setMeta.run('store', JSON.stringify(snap.store));
    q.setMeta.run('cursor', snap.cursor);
    q.setMeta.run('last_pull_at', now().toISOString());
    compiled = undefined;
    return { full: snap.full, applied: snap.products.length + (snap.removed?.length ?? 0) };
  });

  let compiled: { pricing: StorePricing } | undefined;
  const pricing = (): StorePricing | undefined => {
    if (compiled) return compiled.pricing;
    const s = meta('store');
    if (s === undefined) return undefined;
    const store = JSON.parse(s) as StoreInfo;
    const r = storePricing({
      storeId: store.storeId,
      zoneId: meta('zone_id'),
      timeZone: store.timeZone,
      promotions: JSON.parse(meta('promotions') ?? '[]') as unknown[],
      taxJurisdictions: JSON.parse(meta('tax_jurisdictions') ?? '[]') as unknown[],
    });
    if (r.dropped.length > 0)
      logger?.warn(
        { dropped: r.dropped },
        'promotions or tax rules from HQ this till cannot read were left out',
      );
    compiled = { pricing: r.pricing };
    return r.pricing;
  };

  return {
    db,
    apply: (snap) => apply(snap),
    pricing,
    lookup: (code) => {
      const row = (q.bySku.get(code) ?? q.byBarcode.get(barcodeKey(code))) as ProductRow | undefined;
      if (!row) return undefined;
      const p = toProduct(row);
      return { ...p, priceMinor: priceAt(p.sku, now(), p.priceMinor) };
    },
    priceAt: (sku, at) => {
      const row = q.bySku.get(sku) as ProductRow | undefined;
      return row ? priceAt(sku, at, row.price_minor) : undefined;
    },
    prices: pricesOf,
    promotions: () => JSON.parse(meta('promotions') ?? '[]') as Record<string, unknown>[],
    taxJurisdictions: () => JSON.parse(meta('tax_jurisdictions') ?? '[]') as Record<string, unknown>[],
    zoneId: () => meta('zone_id'),
    loyalty: () => {
      const l = meta('loyalty');
      return l === undefined ? undefined : (JSON.parse(l) as Record<string, unknown>);
    },
    store: () => {
      const s = meta('store');
      return s === undefined ? undefined : (JSON.parse(s) as StoreInfo);
    },
    tillUsers: () => (q.users.all() as TillUserRow[]).map(toTillUser),
    tillUserByCode: (code) => {
      const r = q.userByCode.get(code) as TillUserRow | undefined;
      return r && toTillUser(r);
    },
    cursor: () => meta('cursor'),
    count: () => q.count.get() as number,
    lastPullAt: () => meta('last_pull_at'),
    close: () => db.close(),
  };
}

export type FetchFn = typeof fetch;

/**
 * Asks HQ for what changed since the cached cursor and applies it. A first pull (no cursor) gets the
 * whole catalog. Throws `unauthorized` on 401 so the caller can tell the operator to re-enroll.
 */
export async function pullCatalog(opts: {
  hqUrl: string;
  token: string;
  cache: CatalogCache;
  fetch?: FetchFn;
  logger?: Logger;
  timeoutMs?: number;
  /** Sees the snapshot before the cache takes it (and its cursor): what other modules act on (erasures). */
  beforeApply?: (snap: CatalogSnapshot) => void;
  /** More of the query, from other modules' own cursors (the customers' `customersSince`). */
  query?: () => Record<string, string | undefined>;
}): Promise<{ full: boolean; applied: number; cursor: string }> {
  const since = opts.cache.cursor();
  const url = new URL(`${opts.hqUrl.replace(/\/$/, '')}${API_BASE}/terminal/catalog`);
  if (since !== undefined) url.searchParams.set('since', since);
  for (const [k, v] of Object.entries(opts.query?.() ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  const res = await (opts.fetch ?? fetch)(url, {
    headers: { authorization: `Bearer ${opts.token}`, accept: 'application/json' },
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  if (res.status === 401) throw unauthorized('HQ refused the terminal token (401); re-enroll this terminal');
  if (!res.ok) throw new TallyError('unavailable', `HQ answered ${res.status} to the catalog pull`);
  const snap = catalogSnapshotSchema.parse(await res.json());
  opts.beforeApply?.(snap);
  const r = opts.cache.apply(snap);
  opts.logger?.info({ ...r, cursor: snap.cursor, products: opts.cache.count() }, 'catalog pulled');
  return { ...r, cursor: snap.cursor };
}
