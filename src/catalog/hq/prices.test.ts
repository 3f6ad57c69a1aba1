import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { germany } from '../../../test/fixtures/pricing.ts';
import { hqBackends } from '../../../test/helpers/hq-db.ts';
import { berlinStore as store } from '../../../test/helpers/stores.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import { parsePromotions } from '../../pricing/promotions/schema.ts';
import { openCatalogCache } from '../till/catalog-cache.ts';
import {
  createPriceZone,
  priceAt,
  priceHistory,
  recordPrice,
  retirePromotion,
  savePromotions,
  saveTaxJurisdictions,
  setStoreZone,
} from './prices.ts';
import { setPrice, upsertProducts } from './products.ts';
import { catalogSnapshot } from './snapshot.ts';
import { createStore } from './stores.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const TOMORROW = '2026-11-24T00:00:00+01:00';

describe.each(hqBackends())('pricebooks on $name', ({ open }) => {
  let h: OpenHqDb;
  let dir: string;
  beforeEach(async () => {
    h = await open();
    dir = mkdtempSync(join(tmpdir(), 'tally-prices-'));
    await createStore(h.db, store('S1'));
    await createStore(h.db, store('S2'));
    await createStore(h.db, store('S3'));
    await upsertProducts(h.db, [
      { sku: 'MILK', name: 'Milk 1l', priceMinor: 119, taxRateBp: 700, barcodes: ['4000000000013'] },
      { sku: 'TEA', name: 'Green Tea', priceMinor: 349, taxRateBp: 700 },
    ]);
    await createPriceZone(h.db, { id: 'CITY', name: 'City centre' });
    await setStoreZone(h.db, 'S1', 'CITY');
    await setStoreZone(h.db, 'S2', 'CITY');
  });
  afterEach(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves store over zone over chain at any instant, and keeps every change', async () => {
    await recordPrice(h.db, { sku: 'MILK', scope: 'zone', scopeId: 'CITY', priceMinor: 129 }, NOW);
    await recordPrice(
      h.db,
      { sku: 'MILK', scope: 'store', scopeId: 'S2', priceMinor: 99, effectiveFrom: TOMORROW },
      NOW,
    );
    await setPrice(h.db, 'MILK', 125, NOW);
    const later = new Date('2026-11-25T10:00:00Z');
    expect((await priceAt(h.db, 'MILK', 'S1', NOW)).priceMinor).toBe(129);
    expect((await priceAt(h.db, 'MILK', 'S2', NOW)).priceMinor).toBe(129);
    expect((await priceAt(h.db, 'MILK', 'S2', later)).priceMinor).toBe(99);
    expect((await priceAt(h.db, 'MILK', 'S3', later)).priceMinor).toBe(125);
    // Before any pricebook entry, the list price of the time answers.
    expect((await priceAt(h.db, 'TEA', 'S3', NOW)).priceMinor).toBe(349);
    expect((await priceHistory(h.db, 'MILK')).map((e) => [e.scope, e.priceMinor])).toEqual([
      ['zone', 129],
      ['store', 99],
      ['chain', 125],
    ]);
  });

  it('refuses prices for unknown products, zones and stores, and periods that end before they start', async () => {
    await expect(recordPrice(h.db, { sku: 'NOPE', scope: 'chain', priceMinor: 1 })).rejects.toThrow(/NOPE/);
    await expect(
      recordPrice(h.db, { sku: 'MILK', scope: 'zone', scopeId: 'NORTH', priceMinor: 1 }),
    ).rejects.toThrow(/NORTH/);
    await expect(
      recordPrice(h.db, {
        sku: 'MILK',
        scope: 'chain',
        priceMinor: 1,
        effectiveFrom: TOMORROW,
        effectiveTo: '2026-11-23T00:00:00Z',
      }),
    ).rejects.toThrow(/effectiveTo/);
    await expect(
      recordPrice(h.db, { sku: 'MILK', scope: 'chain', priceMinor: 1, effectiveFrom: '2026-12-01T09:00' }),
    ).rejects.toThrow(/offset/);
  });

  it('sends tills scheduled prices before they take effect, with promotions and tax rules', async () => {
    await saveTaxJurisdictions(h.db, [{ ...germany, storeIds: ['S1', 'S2', 'S3'] }]);
    await savePromotions(h.db, [
      { id: 'tea-10', name: 'Tea 10 % off', kind: 'percentOff', target: { skus: ['TEA'] }, percentBp: 1000 },
    ]);
    const cache = openCatalogCache(join(dir, 'catalog.db'), () => NOW);
    const first = await catalogSnapshot(h.db, 'S2', undefined, NOW);
    expect(first.zoneId).toBe('CITY');
    expect(parsePromotions(first.promotions)).toHaveLength(1);
    expect(first.taxJurisdictions).toHaveLength(1);
    cache.apply(first);

    // A store price from tomorrow: the delta carries it today, and only the product it concerns.
    await recordPrice(
      h.db,
      { sku: 'MILK', scope: 'store', scopeId: 'S2', priceMinor: 99, effectiveFrom: TOMORROW },
      NOW,
    );
    const delta = await catalogSnapshot(h.db, 'S2', cache.cursor(), NOW);
    expect(delta.full).toBe(false);
    expect(delta.products.map((p) => [p.sku, p.priceMinor])).toEqual([['MILK', 119]]);
    expect(delta.promotions).toBeUndefined();
    cache.apply(delta);
    expect(cache.lookup('4000000000013')?.priceMinor).toBe(119);
    expect(cache.priceAt('MILK', '2026-11-23T22:59:59Z')).toBe(119);
    expect(cache.priceAt('MILK', '2026-11-23T23:00:00Z')).toBe(99);
    // Another store of the zone does not receive S2's override.
    expect((await catalogSnapshot(h.db, 'S1', undefined, NOW)).prices ?? []).toEqual([]);

    // Retiring the promotion sends the (now empty) active set.
    await retirePromotion(h.db, 'tea-10');
    const after = await catalogSnapshot(h.db, 'S2', cache.cursor(), NOW);
    expect(after.products).toEqual([]);
    cache.apply(after);
    expect(cache.promotions()).toEqual([]);
    expect(cache.taxJurisdictions()).toHaveLength(1);
    cache.close();
  });
});
