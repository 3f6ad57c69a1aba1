import { describe, expect, it } from 'vitest';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { catalogDb } from './catalog-tables.ts';
import { categoryPath, upsertCategories, upsertProductParent } from './categories.ts';
import { upsertProducts } from './products.ts';
import { catalogSnapshot } from './snapshot.ts';
import { createStore } from './stores.ts';

describe.each(hqBackends())('catalog model on $name', ({ open }) => {
  const h = useHqDb(open);

  it('holds variants under a parent, a category tree, units, supplier, cost and status', async () => {
    await upsertCategories(h.db, [
      { id: 'apparel', name: 'Apparel' },
      { id: 'tops', name: 'Tops', parentId: 'apparel' },
      { id: 'tees', name: 'T-Shirts', parentId: 'tops' },
    ]);
    expect(await categoryPath(h.db, 'tees')).toEqual(['tees', 'tops', 'apparel']);
    await expect(
      upsertCategories(h.db, [{ id: 'apparel', name: 'Apparel', parentId: 'tees' }]),
    ).rejects.toThrow(/inside itself/);
    await expect(upsertCategories(h.db, [{ id: 'x', name: 'X', parentId: 'nope' }])).rejects.toThrow(/nope/);

    await upsertProductParent(h.db, { id: 'tee', name: 'Classic Tee', optionNames: ['Colour', 'Size'] });
    await upsertProducts(h.db, [
      {
        sku: 'TEE-BLU-M',
        name: 'Classic Tee Blue M',
        priceMinor: 2400,
        taxRateBp: 1900,
        parentId: 'tee',
        options: { Colour: 'Blue', Size: 'M' },
        categoryId: 'tees',
        supplier: 'Northwind',
        supplierCode: 'NW-1',
        costMinor: 910,
      },
      { sku: 'EGGS-6', name: 'Eggs', priceMinor: 299, taxRateBp: 700, unit: 'pack', packSize: 6 },
      { sku: 'APPLES', name: 'Apples', priceMinor: 249, taxRateBp: 700, unit: 'kg' },
      { sku: 'OLD', name: 'Old tee', priceMinor: 999, taxRateBp: 1900, status: 'discontinued' },
    ]);
    const rows = await catalogDb(h.db)
      .selectFrom('products')
      .select([
        'sku',
        'parent_id',
        'option_values',
        'category_id',
        'unit',
        'pack_size',
        'cost_minor',
        'status',
      ])
      .orderBy('sku')
      .execute();
    expect(rows).toEqual([
      {
        sku: 'APPLES',
        parent_id: null,
        option_values: {},
        category_id: null,
        unit: 'kg',
        pack_size: null,
        cost_minor: null,
        status: 'active',
      },
      {
        sku: 'EGGS-6',
        parent_id: null,
        option_values: {},
        category_id: null,
        unit: 'pack',
        pack_size: 6,
        cost_minor: null,
        status: 'active',
      },
      {
        sku: 'OLD',
        parent_id: null,
        option_values: {},
        category_id: null,
        unit: 'each',
        pack_size: null,
        cost_minor: null,
        status: 'discontinued',
      },
      {
        sku: 'TEE-BLU-M',
        parent_id: 'tee',
        option_values: { Colour: 'Blue', Size: 'M' },
        category_id: 'tees',
        unit: 'each',
        pack_size: null,
        cost_minor: 910,
        status: 'active',
      },
    ]);
    // A later write without the details keeps them.
    await upsertProducts(h.db, [
      { sku: 'TEE-BLU-M', name: 'Classic Tee Blue M', priceMinor: 2500, taxRateBp: 1900 },
    ]);
    const tee = await catalogDb(h.db)
      .selectFrom('products')
      .select(['cost_minor', 'parent_id'])
      .where('sku', '=', 'TEE-BLU-M')
      .executeTakeFirstOrThrow();
    expect(tee).toEqual({ cost_minor: 910, parent_id: 'tee' });

    await createStore(h.db, berlinStore('S1'));
    const snap = await catalogSnapshot(h.db, 'S1');
    expect(snap.products.map((p) => p.sku)).toEqual(['APPLES', 'EGGS-6', 'TEE-BLU-M']);
  });

  it('refuses a pack without its size', async () => {
    await expect(
      upsertProducts(h.db, [{ sku: 'EGGS', name: 'Eggs', priceMinor: 299, taxRateBp: 700, unit: 'pack' }]),
    ).rejects.toThrow(/packSize/);
  });
});
