import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cornerShop } from '../../../test/fixtures/till.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import type { CatalogSnapshot } from '../../contracts/wire.ts';
import { saleCompletedSchema } from '../../sales/events.ts';
import { openCatalogCache } from './catalog-cache.ts';

const tempDir = tempDirs('catalog-pricing');
const tempFile = (): string => join(tempDir(), 'catalog.db');

const store = { ...cornerShop, address: '' };
const snap: CatalogSnapshot = {
  cursor: 'c1',
  full: true,
  store,
  zoneId: 'z1',
  products: [
    {
      sku: 'APPLES',
      name: 'Apples',
      barcodes: [],
      priceMinor: 299,
      taxRateBp: 700,
      active: true,
      categoryIds: ['fruit', 'food'],
      unit: 'kg',
    },
    { sku: 'PEN', name: 'Pen', barcodes: [], priceMinor: 150, taxRateBp: 1900, active: true },
  ],
  promotions: [
    { id: 'OK', name: 'Fruit 10 %', kind: 'percentOff', target: { categoryIds: ['fruit'] }, percentBp: 1000 },
    { id: 'BROKEN', name: 'From a newer HQ', kind: 'teleport', percentBp: 1000 },
  ],
  taxJurisdictions: [
    {
      id: 'DE',
      name: 'Germany',
      pricesIncludeTax: true,
      rounding: 'line',
      zoneIds: ['z1'],
      classes: { standard: { components: [{ code: 'DE-19', name: '19 %', ratePpm: 190_000 }] } },
    },
  ],
};

describe('catalog cache for till pricing', () => {
  it('keeps category paths and units, compiles the store rules once, and leaves out what it cannot read', () => {
    const cache = openCatalogCache(tempFile());
    cache.apply(snap);
    expect(cache.lookup('APPLES')).toMatchObject({ categoryIds: ['fruit', 'food'], unit: 'kg' });
    expect(cache.lookup('PEN')).not.toHaveProperty('unit');
    const p = cache.pricing()!;
    expect(p).toMatchObject({ storeId: 's1', zoneId: 'z1', timeZone: 'Europe/Berlin' });
    expect(p.promotions.promotions.map((c) => c.p.id)).toEqual(['OK']);
    expect(p.jurisdictions.map((j) => j.id)).toEqual(['DE']);
    expect(cache.pricing()).toBe(p);
    // A delta without promotions keeps them; one with a new set replaces them.
    cache.apply({ cursor: 'c2', full: false, store, products: [], removed: [] });
    expect(cache.pricing()!.promotions.promotions.map((c) => c.p.id)).toEqual(['OK']);
    cache.apply({ cursor: 'c3', full: false, store, products: [], removed: [], promotions: [] });
    expect(cache.pricing()!.promotions.promotions).toEqual([]);
    cache.close();
  });
});

describe('sale events before and after till promotions', () => {
  const base = {
    saleId: '0190a0b0-0000-7000-8000-000000000001',
    receiptNo: 'T1-000001',
    shiftId: '0190a0b0-0000-7000-8000-000000000002',
    cashierId: 'alice',
    currency: 'EUR',
    taxInclusive: true,
    netMinor: 100,
    taxMinor: 19,
    grossMinor: 119,
    tenders: [{ kind: 'cash', amountMinor: 119, tenderedMinor: 200, changeMinor: 81 }],
  };
  const line = { lineNo: 1, sku: 'PEN', name: 'Pen', qty: 1, unitPriceMinor: 119, taxRateBp: 1900 };

  it('parses an event written before promotions (bp only) and keeps the new fields on a new one', () => {
    const old = saleCompletedSchema.parse({
      ...base,
      lines: [{ ...line, netMinor: 100, taxMinor: 19, grossMinor: 119 }],
    });
    expect(old.lines[0]?.taxRatePpm).toBeUndefined();
    const now = saleCompletedSchema.parse({
      ...base,
      pricedAt: '2026-03-02T09:15:00.000Z',
      promotions: [{ promotionId: 'P1', name: 'Pens 10 %', kind: 'percentOff', amountMinor: 13 }],
      lines: [
        {
          ...line,
          unitPriceMinor: 132,
          netMinor: 100,
          taxMinor: 19,
          grossMinor: 119,
          listMinor: 132,
          discountMinor: 13,
          discounts: [
            {
              id: 'P1',
              reason: 'Pens 10 %',
              amountMinor: 13,
              basket: false,
              source: 'promotion',
              promotionId: 'P1',
            },
          ],
          taxRatePpm: 190_000,
          tax: [{ code: 'DE-19', name: '19 %', ratePpm: 190_000, taxMinor: 19 }],
        },
      ],
    });
    expect(now.lines[0]).toMatchObject({ taxRatePpm: 190_000, discounts: [{ promotionId: 'P1' }] });
    expect(now.promotions?.[0]?.promotionId).toBe('P1');
  });
});
