import { sql } from 'kysely';
import { conflict, invalid, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import {
  type PromotionInput,
  parsePromotions,
  parseTaxJurisdictions,
  type TaxJurisdictionInput,
} from '../../pricing/index.ts';
import { entriesFrom, type PriceEntry, type PriceScopeKind, priceInForce } from '../pricebook.ts';
import { catalogDb } from './catalog-tables.ts';
import { asActor } from './promotion-versions.ts';

/** HQ's side of pricebooks: zones, effective-dated prices (append-only), promotions and tax rules. */

export async function createPriceZone(db: HqDb, zone: { id: string; name: string }): Promise<void> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(zone.id)) throw invalid('id', 'letters, digits, - and _ (up to 64)');
  const r = await catalogDb(db)
    .insertInto('price_zones')
    .values({ id: zone.id, name: zone.name })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0)
    throw conflict(`price zone ${zone.id} already exists`, 'id');
}

export async function listPriceZones(db: HqDb): Promise<{ id: string; name: string; storeIds: string[] }[]> {
  const cdb = catalogDb(db);
  const zones = await cdb.selectFrom('price_zones').selectAll().orderBy('id').execute();
  const members = await cdb.selectFrom('store_zones').selectAll().orderBy('store_id').execute();
  return zones.map((z) => ({
    ...z,
    storeIds: members.filter((m) => m.zone_id === z.id).map((m) => m.store_id),
  }));
}

/** Puts a store in a zone (a store prices in one zone at most); null takes it out. */
export async function setStoreZone(db: HqDb, storeId: string, zoneId: string | null): Promise<void> {
  const cdb = catalogDb(db);
  const store = await cdb.selectFrom('stores').select('id').where('id', '=', storeId).executeTakeFirst();
  if (!store) throw notFound(`store ${storeId}`, 'storeId');
  if (zoneId === null) {
    await cdb.deleteFrom('store_zones').where('store_id', '=', storeId).execute();
    return;
  }
  const zone = await cdb.selectFrom('price_zones').select('id').where('id', '=', zoneId).executeTakeFirst();
  if (!zone) throw notFound(`price zone ${zoneId}`, 'zoneId');
  await cdb
    .insertInto('store_zones')
    .values({ store_id: storeId, zone_id: zoneId })
    .onConflict((oc) => oc.column('store_id').doUpdateSet({ zone_id: zoneId }))
    .execute();
}

export async function storeZone(db: HqDb, storeId: string): Promise<string | undefined> {
  const r = await catalogDb(db)
    .selectFrom('store_zones')
    .select('zone_id')
    .where('store_id', '=', storeId)
    .executeTakeFirst();
  return r?.zone_id;
}

export interface PriceInput {
  sku: string;
  scope: PriceScopeKind;
  /** Zone or store id; omitted for the chain. */
  scopeId?: string;
  priceMinor: number;
  /** ISO instant; default now. */
  effectiveFrom?: string;
  effectiveTo?: string | null;
}

const instant = (v: string, field: string): Date => {
  // An instant must say its offset: a price change at "09:00" means different moments in different stores.
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v)))
    throw invalid(field, `"${v}" is not an instant with an offset (2026-12-01T00:00:00+01:00)`);
  return new Date(v);
};

/**
 * Records a price. Nothing is overwritten: the new entry wins from its start (or, with the same start,
 * because it was recorded later), so the history answers "what did this cost on that day" for good.
 * The product's version moves, so tills receive the entry with their next pull, before it takes effect.
 */
export async function recordPrice(db: HqDb, p: PriceInput, now: Date = new Date()): Promise<PriceEntry> {
  if (!Number.isSafeInteger(p.priceMinor) || p.priceMinor < 0)
    throw invalid('priceMinor', 'must be a whole, non-negative number of minor units');
  const scopeId = p.scope === 'chain' ? '' : (p.scopeId ?? '');
  if (p.scope !== 'chain' && scopeId === '')
    throw invalid('scopeId', `a ${p.scope} price names its ${p.scope}`);
  const from = p.effectiveFrom === undefined ? now : instant(p.effectiveFrom, 'effectiveFrom');
  const to = p.effectiveTo == null ? null : instant(p.effectiveTo, 'effectiveTo');
  if (to && to <= from) throw invalid('effectiveTo', 'must be after effectiveFrom');
  const cdb = catalogDb(db);
  const product = await cdb.selectFrom('products').select('sku').where('sku', '=', p.sku).executeTakeFirst();
  if (!product) throw notFound(`product ${p.sku}`, 'sku');
  if (p.scope === 'zone') {
    const z = await cdb.selectFrom('price_zones').select('id').where('id', '=', scopeId).executeTakeFirst();
    if (!z) throw notFound(`price zone ${scopeId}`, 'scopeId');
  }
  if (p.scope === 'store') {
    const s = await cdb.selectFrom('stores').select('id').where('id', '=', scopeId).executeTakeFirst();
    if (!s) throw notFound(`store ${scopeId}`, 'scopeId');
  }
  const row = await cdb
    .insertInto('prices')
    .values({
      sku: p.sku,
      scope: p.scope,
      scope_id: scopeId,
      price_minor: p.priceMinor,
      effective_from: from,
      effective_to: to,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toEntry(row);
}

/** A `prices` row as the pricebook entry tills and screens read. */
export const toEntry = (r: {
  id: number;
  sku: string;
  scope: PriceScopeKind;
  scope_id: string;
  price_minor: number;
  effective_from: Date;
  effective_to: Date | null;
}): PriceEntry => ({
  id: Number(r.id),
  sku: r.sku,
  scope: r.scope,
  scopeId: r.scope_id,
  priceMinor: Number(r.price_minor),
  effectiveFrom: r.effective_from.toISOString(),
  effectiveTo: r.effective_to?.toISOString() ?? null,
});

/** Every price ever recorded for a SKU, in recording order. */
export async function priceHistory(db: HqDb, sku: string): Promise<PriceEntry[]> {
  const rows = await catalogDb(db)
    .selectFrom('prices')
    .selectAll()
    .where('sku', '=', sku)
    .orderBy('id')
    .execute();
  return rows.map(toEntry);
}

/**
 * The price of a SKU at a store at an instant: the pricebook entry in force, else the product's list
 * price (products without pricebook entries, as before pricebooks existed).
 */
export async function priceAt(
  db: HqDb,
  sku: string,
  storeId: string,
  at: Date,
): Promise<{ priceMinor: number; entry: PriceEntry | undefined }> {
  const product = await catalogDb(db)
    .selectFrom('products')
    .select('price_minor')
    .where('sku', '=', sku)
    .executeTakeFirst();
  if (!product) throw notFound(`product ${sku}`, 'sku');
  const zoneId = await storeZone(db, storeId);
  const entry = priceInForce(await priceHistory(db, sku), sku, { storeId, zoneId }, at);
  return { priceMinor: entry?.priceMinor ?? product.price_minor, entry };
}

/** The entries a store's tills need for these SKUs (all SKUs when omitted): in force now or scheduled. */
export async function storePriceEntries(
  db: HqDb,
  storeId: string,
  zoneId: string | undefined,
  now: Date,
  skus?: readonly string[],
): Promise<PriceEntry[]> {
  if (skus?.length === 0) return [];
  let q = catalogDb(db)
    .selectFrom('prices')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('scope', '=', 'chain'),
        eb.and([eb('scope', '=', 'store'), eb('scope_id', '=', storeId)]),
        ...(zoneId ? [eb.and([eb('scope', '=', 'zone'), eb('scope_id', '=', zoneId)])] : []),
      ]),
    )
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>', now)]));
  if (skus) q = q.where('sku', 'in', skus);
  const rows = await q.orderBy('id').execute();
  return entriesFrom(rows.map(toEntry), { storeId, zoneId }, now);
}

/**
 * Publishes promotions (validated by the pricing engine's schema); each one replaces its id as the one
 * in force, and the version it replaces stays in `promotion_versions` with `changedBy`.
 */
export async function savePromotions(
  db: HqDb,
  input: readonly PromotionInput[],
  changedBy = 'unknown',
): Promise<number> {
  const list = parsePromotions(input);
  if (list.length === 0) return 0;
  await asActor(db, changedBy, (trx) =>
    catalogDb(trx)
      .insertInto('promotions')
      .values(list.map((p, i) => ({ id: p.id, definition: JSON.stringify(input[i]), active: true })))
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet({ definition: sql`excluded.definition`, active: true, updated_at: sql`now()` }),
      )
      .execute(),
  );
  return list.length;
}

/** Ends a promotion; tills drop it with their next pull. Its history keeps who ended it. */
export async function retirePromotion(db: HqDb, id: string, changedBy = 'unknown'): Promise<void> {
  const r = await asActor(db, changedBy, (trx) =>
    catalogDb(trx).updateTable('promotions').set({ active: false }).where('id', '=', id).executeTakeFirst(),
  );
  if (r.numUpdatedRows === 0n) throw notFound(`promotion ${id}`, 'id');
}

export async function saveTaxJurisdictions(
  db: HqDb,
  input: readonly TaxJurisdictionInput[],
): Promise<number> {
  const list = parseTaxJurisdictions(input);
  if (list.length === 0) return 0;
  await catalogDb(db)
    .insertInto('tax_jurisdictions')
    .values(list.map((j, i) => ({ id: j.id, definition: JSON.stringify(input[i]), active: true })))
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet({ definition: sql`excluded.definition`, active: true, updated_at: sql`now()` }),
    )
    .execute();
  return list.length;
}

export async function activePromotions(db: HqDb): Promise<Record<string, unknown>[]> {
  const rows = await catalogDb(db)
    .selectFrom('promotions')
    .select('definition')
    .where('active', '=', true)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.definition);
}

export async function activeTaxJurisdictions(db: HqDb): Promise<Record<string, unknown>[]> {
  const rows = await catalogDb(db)
    .selectFrom('tax_jurisdictions')
    .select('definition')
    .where('active', '=', true)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.definition);
}
