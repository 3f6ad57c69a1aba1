import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cornerShop } from '../../../test/fixtures/till.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import type { CatalogSnapshot } from '../../contracts/wire.ts';
import { openCatalogCache, pullCatalog } from './catalog-cache.ts';

const tempDir = tempDirs('catalog');
const tempFile = (): string => join(tempDir(), 'catalog.db');

const store = cornerShop;
const full: CatalogSnapshot = {
  cursor: 'c1',
  full: true,
  store,
  products: [
    {
      sku: 'MILK',
      name: 'Milk',
      barcodes: ['04000000000017'],
      priceMinor: 119,
      taxRateBp: 700,
      active: true,
    },
    {
      sku: 'WINE',
      name: 'Wine',
      barcodes: ['5000000000011'],
      priceMinor: 899,
      taxRateBp: 1900,
      active: true,
    },
  ],
};

describe('catalog cache', () => {
  it('applies a full snapshot, then a delta that updates and adds by SKU', () => {
    const cache = openCatalogCache(tempFile());
    expect(cache.store()).toBeUndefined();
    cache.apply(full);
    cache.apply({
      cursor: 'c2',
      full: false,
      store,
      products: [
        {
          sku: 'MILK',
          name: 'Milk',
          barcodes: ['4000000000024'],
          priceMinor: 129,
          taxRateBp: 700,
          active: true,
        },
        { sku: 'BREAD', name: 'Bread', barcodes: [], priceMinor: 250, taxRateBp: 700, active: true },
      ],
    });
    expect(cache.count()).toBe(3);
    expect(cache.lookup('MILK')?.priceMinor).toBe(129);
    expect(cache.lookup('4000000000017')).toBeUndefined(); // the old barcode went with the update
    expect(cache.lookup('4000000000024')?.sku).toBe('MILK');
    expect(cache.lookup('WINE')?.priceMinor).toBe(899);
    expect(cache.cursor()).toBe('c2');
    cache.close();
  });

  it('drops products a new full snapshot no longer has', () => {
    const cache = openCatalogCache(tempFile());
    cache.apply(full);
    cache.apply({ ...full, cursor: 'c9', products: [full.products[1]!] });
    expect(cache.lookup('MILK')).toBeUndefined();
    expect(cache.count()).toBe(1);
    cache.close();
  });

  it('finds a barcode with or without the GTIN-14 leading zero, and survives a reopen', () => {
    const file = tempFile();
    openCatalogCache(file).apply(full);
    const cache = openCatalogCache(file);
    expect(cache.lookup('4000000000017')?.sku).toBe('MILK');
    expect(cache.lookup('05000000000011')?.sku).toBe('WINE');
    expect(cache.store()?.currency).toBe('EUR');
    cache.close();
  });

  it('pulls with the cursor and the bearer token', async () => {
    const cache = openCatalogCache(tempFile());
    const seen: { url: string; auth: string | null }[] = [];
    const fakeFetch = (async (url: URL | string, init?: RequestInit) => {
      seen.push({ url: String(url), auth: new Headers(init?.headers).get('authorization') });
      const body = seen.length === 1 ? full : { ...full, full: false, cursor: 'c2', products: [] };
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch;
    await pullCatalog({ hqUrl: 'http://hq.test/', token: 'tok', cache, fetch: fakeFetch });
    await pullCatalog({ hqUrl: 'http://hq.test', token: 'tok', cache, fetch: fakeFetch });
    expect(seen.map((s) => s.url)).toEqual([
      'http://hq.test/api/v1/terminal/catalog',
      'http://hq.test/api/v1/terminal/catalog?since=c1',
    ]);
    expect(seen[0]?.auth).toBe('Bearer tok');
    expect(cache.count()).toBe(2);
    cache.close();
  });

  it('reports a refused token as unauthorized and keeps the cache', async () => {
    const cache = openCatalogCache(tempFile());
    cache.apply(full);
    const refuse = (async () => new Response('{}', { status: 401 })) as unknown as typeof fetch;
    await expect(
      pullCatalog({ hqUrl: 'http://hq.test', token: 'bad', cache, fetch: refuse }),
    ).rejects.toMatchObject({
      code: 'unauthorized',
    });
    expect(cache.count()).toBe(2);
    cache.close();
  });
});
