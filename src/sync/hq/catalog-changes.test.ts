import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { hqBackends, withHqDb } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { setActive, setPrice, upsertProducts } from '../../catalog/hq/products.ts';
import { catalogSnapshot } from '../../catalog/hq/snapshot.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { openCatalogCache } from '../../catalog/till/catalog-cache.ts';
import type { HqDb } from '../../db/hq-db.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const product = (i: number) => ({
  sku: `P${i}`,
  name: `Product ${i}`,
  priceMinor: 100 + i,
  taxRateBp: 700,
  barcodes: [`IN-${i}`],
});

async function shop(db: HqDb): Promise<void> {
  await createStore(db, berlinStore('S001'));
  await upsertProducts(
    db,
    Array.from({ length: 30 }, (_, i) => product(i)),
  );
}

describe.each(hqBackends())('catalog deltas on $name', (backend) => {
  it('sends a till only what changed since its cursor, deletions and discontinuations included', async () => {
    await withHqDb(backend, async ({ db }) => {
      await shop(db);
      const dir = mkdtempSync(join(tmpdir(), 'tally-delta-'));
      dirs.push(dir);
      const till = openCatalogCache(join(dir, 'catalog.db'));
      try {
        const first = await catalogSnapshot(db, 'S001');
        expect(first.full).toBe(true);
        till.apply(first);

        // A day at head office: two price changes, one product discontinued, one deleted, one new.
        await setPrice(db, 'P3', 999);
        await setPrice(db, 'P4', 1);
        await setActive(db, 'P5', false);
        await db.deleteFrom('barcodes').where('sku', '=', 'P6').execute();
        await db.deleteFrom('products').where('sku', '=', 'P6').execute();
        await upsertProducts(db, [product(30)]);

        const delta = await catalogSnapshot(db, 'S001', first.cursor);
        expect(delta.full).toBe(false);
        expect(delta.products.map((p) => p.sku).sort()).toEqual(['P3', 'P30', 'P4', 'P5']);
        expect(delta.products.find((p) => p.sku === 'P5')?.active).toBe(false);
        expect(delta.removed).toEqual(['P6']);
        till.apply(delta);

        expect(till.lookup('P3')?.priceMinor).toBe(999);
        expect(till.lookup('P6')).toBeUndefined();
        expect(till.lookup('IN-6')).toBeUndefined();
        expect(till.lookup('IN-30')?.sku).toBe('P30');

        // Nothing changed since: an empty delta. A deleted SKU made again arrives as a product.
        const again = await catalogSnapshot(db, 'S001', delta.cursor);
        expect(again.products).toEqual([]);
        expect(again.removed).toEqual([]);
        await upsertProducts(db, [product(6)]);
        const back = await catalogSnapshot(db, 'S001', delta.cursor);
        expect(back.products.map((p) => p.sku)).toEqual(['P6']);
        expect(back.removed).toEqual([]);
        till.apply(back);

        // The till that caught up by deltas sells exactly what a till starting from scratch would.
        const fresh = await catalogSnapshot(db, 'S001');
        const active = fresh.products.map((p) => p.sku).sort();
        const cached = (
          till.db.prepare('SELECT sku FROM catalog_products WHERE active = 1').all() as {
            sku: string;
          }[]
        )
          .map((r) => r.sku)
          .sort();
        expect(cached).toEqual(active);
      } finally {
        till.close();
      }
    });
  });

  it('gives a full snapshot for a cursor from another catalog history', async () => {
    await withHqDb(backend, async ({ db }) => {
      await shop(db);
      await sql`UPDATE hq_config SET value = 'abc' WHERE key = 'catalog_epoch'`.execute(db);
      const snap = await catalogSnapshot(db, 'S001', 'def.5');
      expect(snap.full).toBe(true);
      expect(snap.products).toHaveLength(30);
    });
  });
});
