import { describe, expect, it, vi } from 'vitest';
import { hqBackends, withHqDb } from '../../test/helpers/hq-db.ts';
import { addSuppliers, listSuppliers, setSupplier } from './suppliers.ts';

// Each test starts a PGlite; on the shared 2-core machine that can take a while.
vi.setConfig({ testTimeout: 180_000 });

describe.each(hqBackends())('suppliers on $name', (backend) => {
  it('adds, changes and clears terms, keeps hand-set terms on an import, and refuses bad ones', async () => {
    await withHqDb(backend, async ({ db }) => {
      await addSuppliers(db, [
        { id: 'Beans Ltd', name: 'Beans Ltd', leadDays: 3, reviewDays: 7, minOrder: 12 },
      ]);
      await expect(addSuppliers(db, [{ id: 'Beans Ltd', name: 'x', leadDays: 1 }])).rejects.toThrow(/exists/);
      // An import adds what is missing and leaves the rest as set by hand.
      const added = await addSuppliers(
        db,
        [
          { id: 'Beans Ltd', name: 'Beans Ltd', leadDays: 9 },
          { id: 'Leaf & Co', name: 'Leaf & Co', leadDays: 5 },
        ],
        { keepExisting: true },
      );
      expect(added).toBe(1);
      expect(await listSuppliers(db)).toEqual([
        { id: 'Beans Ltd', name: 'Beans Ltd', leadDays: 3, reviewDays: 7, minOrder: 12 },
        { id: 'Leaf & Co', name: 'Leaf & Co', leadDays: 5 },
      ]);
      expect(await setSupplier(db, 'Beans Ltd', { leadDays: 4, reviewDays: null, minOrder: null })).toEqual({
        id: 'Beans Ltd',
        name: 'Beans Ltd',
        leadDays: 4,
      });
      await expect(setSupplier(db, 'Nope', { leadDays: 1 })).rejects.toThrow(/not found/);
      await expect(setSupplier(db, 'Beans Ltd', { leadDays: -1 })).rejects.toThrow(/whole number/);
      await expect(setSupplier(db, 'Beans Ltd', { reviewDays: 0 })).rejects.toThrow(/whole number ≥ 1/);
    });
  });
});
