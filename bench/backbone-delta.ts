import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { hqMigrations } from '../src/apps/shared/hq-migrations.ts';
import { setActive, setPrice, upsertProducts } from '../src/catalog/hq/products.ts';
import { catalogSnapshot } from '../src/catalog/hq/snapshot.ts';
import { createStore } from '../src/catalog/hq/stores.ts';
import { createLogger } from '../src/core/log.ts';
import { seededRandom } from '../src/core/random.ts';
import { openHqDb } from '../src/db/hq-db.ts';
import { printTable } from './stats.ts';

const PRODUCTS = 5_000;

/**
 * What a till downloads to catch up after a day offline, against a full snapshot, for a catalog of
 * 5 000 products and one day of head-office work: 3 % of prices changed, 20 products discontinued,
 * 5 deleted, 25 added. Sizes are of the JSON body, plain and gzip (as HTTP compression would send it).
 */
export async function benchCatalogDelta(): Promise<Record<string, string | number>[]> {
  const opened = await openHqDb({ migrations: hqMigrations, logger: createLogger('bench', 'silent') });
  try {
    const db = opened.db;
    const rand = seededRandom(7);
    await createStore(db, {
      storeId: 'S001',
      name: 'S001',
      address: '',
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      taxInclusive: true,
    });
    const product = (i: number) => ({
      sku: `SKU-${String(i).padStart(6, '0')}`,
      name: `Product number ${i} with a shelf-label name`,
      category: `C${i % 40}`,
      priceMinor: 99 + Math.floor(rand() * 5_000),
      taxRateBp: i % 3 === 0 ? 700 : 1900,
      barcodes: [`IN-${i}`],
    });
    await upsertProducts(
      db,
      Array.from({ length: PRODUCTS }, (_, i) => product(i)),
    );
    const yesterday = await catalogSnapshot(db, 'S001');

    for (let k = 0; k < PRODUCTS * 0.03; k++)
      await setPrice(db, product(Math.floor(rand() * PRODUCTS)).sku, 99 + Math.floor(rand() * 5_000));
    for (let k = 0; k < 20; k++) await setActive(db, product(100 + k).sku, false);
    for (let k = 0; k < 5; k++) {
      const sku = product(200 + k).sku;
      await db.deleteFrom('barcodes').where('sku', '=', sku).execute();
      await db.deleteFrom('products').where('sku', '=', sku).execute();
    }
    await upsertProducts(
      db,
      Array.from({ length: 25 }, (_, k) => product(PRODUCTS + k)),
    );

    const delta = await catalogSnapshot(db, 'S001', yesterday.cursor);
    const full = await catalogSnapshot(db, 'S001');
    const size = (label: string, snap: typeof full) => {
      const json = Buffer.from(JSON.stringify(snap));
      return {
        pull: label,
        products: snap.products.length,
        removed: snap.removed?.length ?? 0,
        'JSON bytes': json.length,
        'gzip bytes': gzipSync(json).length,
      };
    };
    const f = size('full snapshot (till from scratch)', full);
    const d = size('delta after one day offline', delta);
    const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)} %`;
    return [
      f,
      d,
      {
        pull: 'delta / full',
        products: pct(d.products, f.products),
        removed: '',
        'JSON bytes': pct(d['JSON bytes'], f['JSON bytes']),
        'gzip bytes': pct(d['gzip bytes'], f['gzip bytes']),
      },
    ];
  } finally {
    await opened.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printTable('Catalog pull: one day of changes vs a full snapshot', await benchCatalogDelta());
}
