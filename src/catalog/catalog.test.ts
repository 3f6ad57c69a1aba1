import { describe, expect, it } from 'vitest';
import { hqBackends, useHqDb } from '../../test/helpers/hq-db.ts';
import { hqEventRegistry } from '../apps/shared/event-registry.ts';
import { seedDemoChain } from '../demo/seed.ts';
import { stockOnHand } from '../inventory/hq/stock-projection.ts';
import { rebuildProjections } from '../sync/hq/ingest-projections.ts';
import { isValidGtin } from './gtin.ts';
import { setActive, setPrice, upsertProducts } from './hq/products.ts';
import { catalogSnapshot } from './hq/snapshot.ts';

describe.each(hqBackends())('catalog on $name', ({ open }) => {
  const h = useHqDb(open);

  it('seeds a demo chain once, with valid barcodes and opening stock from the event log', async () => {
    const first = await seedDemoChain(h.db, hqEventRegistry, { stores: 3, products: 120, seed: 7 });
    expect(first).toMatchObject({ seeded: true, stores: 3, products: 120, stockEvents: 360 });
    const again = await seedDemoChain(h.db, hqEventRegistry, { stores: 3, products: 120, seed: 7 });
    expect(again.seeded).toBe(false);
    expect(again.message).toMatch(/already/);

    const snap = await catalogSnapshot(h.db, 'S002');
    expect(snap.store).toMatchObject({
      storeId: 'S002',
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      taxInclusive: true,
    });
    expect(snap.products).toHaveLength(120);
    expect(snap.products.every((p) => p.barcodes.length === 1 && isValidGtin(p.barcodes[0]!))).toBe(true);
    expect(new Set(snap.products.map((p) => p.taxRateBp))).toEqual(new Set([700, 1900]));

    const stock = await stockOnHand(h.db);
    expect(stock).toHaveLength(360);
    expect(stock.every((s) => s.qty >= 20 && s.qty < 200)).toBe(true);
    await rebuildProjections(h.db, hqEventRegistry);
    expect(await stockOnHand(h.db)).toEqual(stock);
  });

  it('makes the same chain from the same seed', async () => {
    await seedDemoChain(h.db, hqEventRegistry, { stores: 3, products: 50, seed: 11 });
    const snap = await catalogSnapshot(h.db, 'S001');
    const other = await open();
    try {
      await seedDemoChain(other.db, hqEventRegistry, { stores: 3, products: 50, seed: 11 });
      const snap2 = await catalogSnapshot(other.db, 'S001');
      expect(snap2.products).toEqual(snap.products);
      expect(await stockOnHand(other.db)).toEqual(await stockOnHand(h.db));
    } finally {
      await other.close();
    }
  });

  it('sends a till only what changed after its cursor', async () => {
    await seedDemoChain(h.db, hqEventRegistry, { stores: 1, products: 30 });
    const full = await catalogSnapshot(h.db, 'S001');
    expect(full.full).toBe(true);
    expect(full.products).toHaveLength(30);

    const unchanged = await catalogSnapshot(h.db, 'S001', full.cursor);
    expect(unchanged).toMatchObject({ full: false, products: [], cursor: full.cursor });

    await setPrice(h.db, '100005', 1299);
    await setActive(h.db, '100007', false);
    const delta = await catalogSnapshot(h.db, 'S001', full.cursor);
    expect(delta.full).toBe(false);
    expect(delta.products.map((p) => [p.sku, p.priceMinor, p.active])).toEqual([
      ['100005', 1299, true],
      ['100007', expect.any(Number), false],
    ]);
    expect(delta.cursor).not.toBe(full.cursor);
    expect((await catalogSnapshot(h.db, 'S001', delta.cursor)).products).toEqual([]);

    // A cursor this database never issued (another HQ, a restore) gets the whole active catalog.
    const stranger = await catalogSnapshot(h.db, 'S001', 'deadbeef.3');
    expect(stranger.full).toBe(true);
    expect(stranger.products).toHaveLength(29);
  });

  it('lets an identifier belong to one product only', async () => {
    await upsertProducts(h.db, [
      { sku: 'A', name: 'Pen', priceMinor: 199, taxRateBp: 1900, barcodes: ['4006381333931'] },
    ]);
    await expect(
      upsertProducts(h.db, [
        { sku: 'B', name: 'Other', priceMinor: 1, taxRateBp: 1900, barcodes: ['4006381333931'] },
      ]),
    ).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/belongs to A/) });
    await expect(
      upsertProducts(h.db, [
        { sku: 'C', name: 'Typo', priceMinor: 1, taxRateBp: 1900, barcodes: ['4006381333932'] },
      ]),
    ).rejects.toMatchObject({ status: 400, field: 'products.0.barcodes.0' });
  });

  it('refuses a snapshot for a store HQ does not know', async () => {
    await expect(catalogSnapshot(h.db, 'S999')).rejects.toMatchObject({ status: 404, field: 'storeId' });
  });
});
