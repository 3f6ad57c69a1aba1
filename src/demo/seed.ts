import type { Logger } from 'pino';
import { createStore, type ProductInput, upsertProducts } from '../catalog/hq/index.ts';
import { withCheckDigit } from '../catalog/index.ts';
import { seededRandom } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { INVENTORY_EVENT_TYPES, type StockReceived } from '../inventory/index.ts';
import { appendHqEvents } from '../sync/hq/index.ts';
import type { EventRegistry } from '../sync/index.ts';
import { demoCategories, demoStores } from './demo-data.ts';

export interface SeedResult {
  seeded: boolean;
  stores: number;
  products: number;
  /** Opening-balance events written to the log. */
  stockEvents: number;
  message: string;
}

/**
 * A demo chain: stores in Germany (EUR, Europe/Berlin, VAT-inclusive shelf prices), a few hundred
 * products with valid GTIN-13s from the German GS1 range, and opening stock per store written as
 * `stock.received` events under the `hq` source, so the numbers are a replay of the log like any
 * other. Deterministic for a given seed; does nothing on a database that already has stores.
 */
export async function seedDemoChain(
  db: HqDb,
  registry: EventRegistry,
  opts: { stores?: number; products?: number; seed?: number; logger?: Logger } = {},
): Promise<SeedResult> {
  const storeCount = Math.min(Math.max(opts.stores ?? 4, 1), demoStores.length);
  const productCount = Math.max(opts.products ?? 300, 1);
  const random = seededRandom(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('stores').select('id').limit(1).execute();
    if (existing.length > 0) {
      const message = 'the database already has stores; demo seed skipped';
      opts.logger?.info(message);
      return { seeded: false, stores: 0, products: 0, stockEvents: 0, message };
    }
    const storeIds: string[] = [];
    for (let i = 0; i < storeCount; i++) {
      const s = demoStores[i]!;
      const storeId = `S${String(i + 1).padStart(3, '0')}`;
      await createStore(trx, {
        storeId,
        name: s.name,
        address: s.address,
        currency: 'EUR',
        timeZone: 'Europe/Berlin',
        taxInclusive: true,
      });
      storeIds.push(storeId);
    }

    const products: ProductInput[] = [];
    const names = new Set<string>();
    for (let i = 0; products.length < productCount; i++) {
      const cat = demoCategories[i % demoCategories.length]!;
      const catIndex = i % demoCategories.length;
      let name = `${pick(cat.brands)} ${pick(cat.items)} ${pick(cat.sizes)}`;
      if (names.has(name)) name = `${name} (${products.length + 1})`;
      names.add(name);
      const [lo, hi] = cat.price;
      // Shelf prices end in 9, as they do in German supermarkets.
      const price = Math.floor((lo + random() * (hi - lo)) / 10) * 10 + 9;
      const sku = String(100_001 + products.length);
      // 400–440 is Germany's GS1 prefix range; a company number per category, an item number per product.
      const body = `4${String(10 + catIndex).padStart(2, '0')}${String(5_000 + catIndex * 37).padStart(4, '0')}${String(products.length + 1).padStart(5, '0')}`;
      products.push({
        sku,
        name,
        category: cat.name,
        priceMinor: price,
        taxRateBp: cat.taxRateBp,
        barcodes: [withCheckDigit(body)],
      });
    }
    await upsertProducts(trx, products);

    const opening: { storeId: string; type: string; payload: StockReceived }[] = [];
    for (const storeId of storeIds) {
      for (const p of products) {
        opening.push({
          storeId,
          type: INVENTORY_EVENT_TYPES.stockReceived,
          payload: { sku: p.sku, qty: 20 + Math.floor(random() * 180), reason: 'opening_balance' },
        });
      }
    }
    await appendHqEvents(trx, registry, opening);
    const message = `seeded ${storeIds.length} stores, ${products.length} products, ${opening.length} opening balances`;
    opts.logger?.info({ stores: storeIds.length, products: products.length }, 'demo chain seeded');
    return {
      seeded: true,
      stores: storeIds.length,
      products: products.length,
      stockEvents: opening.length,
      message,
    };
  });
}
