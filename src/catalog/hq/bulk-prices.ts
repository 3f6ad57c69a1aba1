import type { z } from 'zod';
import type { bulkPriceRequest } from '../../contracts/index.ts';
import { invalid, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { type PriceChange, type PriceChangeLine, percentToBp, planPriceChanges } from '../price-change.ts';
import { type PriceEntry, type PriceLocation, priceInForce } from '../pricebook.ts';
import { catalogDb } from './catalog-tables.ts';
import { recordPrice, storeZone, toEntry } from './prices.ts';
import { matchingSkus } from './product-list.ts';

/**
 * A price change over many products at once: the products by SKU or by filter, their price in force
 * at the scope when the change starts, the new price of each (price-change.ts), and — unless it is a
 * dry run — one pricebook entry per product whose price moves, all in the caller's transaction.
 */

export type BulkPriceInput = z.output<typeof bulkPriceRequest>;
export const BULK_PRICE_MAX = 5_000;

export interface BulkPricePlan {
  skus: string[];
  effectiveFrom: Date;
  lines: PriceChangeLine[];
}

const changeOf = (c: BulkPriceInput['change']): PriceChange => {
  if (c.kind === 'percent') return { kind: 'percent', bp: percentToBp(c.value) };
  if (!Number.isSafeInteger(c.value))
    throw invalid('change.value', 'a whole number of minor units (499 = 4.99)');
  return c.kind === 'amount' ? { kind: 'amount', minor: c.value } : { kind: 'set', minor: c.value };
};

function startOf(v: string | undefined, now: Date): Date {
  if (v === undefined) return now;
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v)))
    throw invalid('effectiveFrom', `"${v}" is not an instant with an offset (2026-12-01T00:00:00+01:00)`);
  return new Date(v);
}

async function selectedSkus(db: HqDb, input: BulkPriceInput): Promise<string[]> {
  if ((input.skus === undefined) === (input.filter === undefined))
    throw invalid('skus', 'give either skus or a filter (category, supplier, q)');
  if (input.skus) {
    const unique = [...new Set(input.skus)];
    const found = await db.selectFrom('products').select('sku').where('sku', 'in', unique).execute();
    const have = new Set(found.map((r) => r.sku));
    const missing = input.skus.findIndex((s) => !have.has(s));
    if (missing >= 0) throw notFound(`product ${input.skus[missing]}`, `skus.${missing}`);
    return unique;
  }
  const filter = input.filter!;
  if (!Object.values(filter).some((v) => v !== undefined && v !== ''))
    throw invalid(
      'filter',
      'name a category, supplier, search or status; a change to every product takes skus',
    );
  const skus = await matchingSkus(db, filter, BULK_PRICE_MAX + 1);
  if (skus.length === 0) throw invalid('filter', 'matches no product');
  if (skus.length > BULK_PRICE_MAX)
    throw invalid('filter', `matches more than ${BULK_PRICE_MAX.toLocaleString('en')} products; narrow it`);
  return skus;
}

async function location(db: HqDb, input: BulkPriceInput): Promise<PriceLocation> {
  if (input.scope !== 'chain' && !input.scopeId)
    throw invalid('scopeId', `a ${input.scope} price names its ${input.scope}`);
  const cdb = catalogDb(db);
  if (input.scope === 'zone') {
    const z = await cdb
      .selectFrom('price_zones')
      .select('id')
      .where('id', '=', input.scopeId!)
      .executeTakeFirst();
    if (!z) throw notFound(`price zone ${input.scopeId}`, 'scopeId');
    return { storeId: '', zoneId: input.scopeId };
  }
  if (input.scope === 'store') {
    const s = await cdb.selectFrom('stores').select('id').where('id', '=', input.scopeId!).executeTakeFirst();
    if (!s) throw notFound(`store ${input.scopeId}`, 'scopeId');
    return { storeId: input.scopeId!, zoneId: await storeZone(db, input.scopeId!) };
  }
  return { storeId: '' };
}

/** The preview: each selected product's price in force at the scope when the change starts, and its new price. */
export async function planBulkPrices(
  db: HqDb,
  input: BulkPriceInput,
  now: Date = new Date(),
): Promise<BulkPricePlan> {
  const change = changeOf(input.change);
  const effectiveFrom = startOf(input.effectiveFrom, now);
  const where = await location(db, input);
  const skus = await selectedSkus(db, input);
  const products = await db
    .selectFrom('products')
    .select(['sku', 'name', 'price_minor'])
    .where('sku', 'in', skus)
    .orderBy('name')
    .orderBy('sku')
    .execute();
  const rows = await catalogDb(db)
    .selectFrom('prices')
    .selectAll()
    .where('sku', 'in', skus)
    .orderBy('id')
    .execute();
  const bySku = new Map<string, PriceEntry[]>();
  for (const r of rows) {
    const list = bySku.get(r.sku) ?? [];
    list.push(toEntry(r));
    bySku.set(r.sku, list);
  }
  const current = products.map((p) => {
    const entry = priceInForce(bySku.get(p.sku) ?? [], p.sku, where, effectiveFrom);
    return { sku: p.sku, name: p.name, oldMinor: entry?.priceMinor ?? Number(p.price_minor) };
  });
  return { skus, effectiveFrom, lines: planPriceChanges(current, change, input.rounding) };
}

/** Records the plan's moving prices as pricebook entries; call inside a transaction. */
export async function applyBulkPrices(
  db: HqDb,
  input: BulkPriceInput,
  plan: BulkPricePlan,
  now: Date = new Date(),
): Promise<number> {
  const moving = plan.lines.filter((l) => l.newMinor !== l.oldMinor);
  for (const l of moving)
    await recordPrice(
      db,
      {
        sku: l.sku,
        scope: input.scope,
        ...(input.scope === 'chain' ? {} : { scopeId: input.scopeId! }),
        priceMinor: l.newMinor,
        effectiveFrom: plan.effectiveFrom.toISOString(),
      },
      now,
    );
  return moving.length;
}
