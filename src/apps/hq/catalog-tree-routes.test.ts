import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { savePromotions } from '../../catalog/hq/prices.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'catalog-tree-routes-admin-token-0123456789';
const headers = { authorization: `Bearer ${ADMIN}` };

describe.each(hqBackends())('category tree and variant routes on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  beforeAll(async () => {
    h = await open();
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN });
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await h.close();
  });
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    app.inject({ method, url: `/api/v1/catalog${url}`, headers, ...(payload ? { payload } : {}) });

  it('creates, lists, renames and moves categories, refusing a loop and naming the field', async () => {
    for (const c of [
      { id: 'apparel', name: 'Apparel' },
      { id: 'tops', name: 'Tops', parentId: 'apparel' },
      { id: 'tees', name: 'T-Shirts', parentId: 'tops' },
      { id: 'sale', name: 'Sale' },
    ])
      expect((await call('POST', '/categories', c)).statusCode).toBe(201);
    const dup = await call('POST', '/categories', { id: 'tops', name: 'Again' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ field: 'id' });
    const orphan = await call('POST', '/categories', { id: 'x', name: 'X', parentId: 'nope' });
    expect([orphan.statusCode, orphan.json().field]).toEqual([404, 'parentId']);
    const noName = await call('POST', '/categories', { id: 'y', name: '  ' });
    expect([noName.statusCode, noName.json().field]).toEqual([400, 'name']);
    const badBody = await call('POST', '/categories', { id: 'z' });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json().field).toContain('name');

    const loop = await call('PATCH', '/categories/apparel', { parentId: 'tees' });
    expect([loop.statusCode, loop.json().field]).toEqual([409, 'parentId']);
    const moved = await call('PATCH', '/categories/tees', { parentId: 'sale', name: 'Tees' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({
      id: 'tees',
      name: 'Tees',
      parentId: 'sale',
      path: ['sale', 'tees'],
    });
    const list = (await call('GET', '/categories')).json() as { id: string; path: string[] }[];
    expect(list.map((c) => c.path.join('/'))).toEqual(['apparel', 'apparel/tops', 'sale', 'sale/tees']);
    const missing = await call('PATCH', '/categories/nope', { name: 'N' });
    expect([missing.statusCode, missing.json().field]).toEqual([404, 'id']);
  });

  it('creates a product with options and its variants, lists them, and names the field at fault', async () => {
    const tee = {
      id: 'classic-tee',
      name: 'Classic Tee',
      optionNames: ['Colour', 'Size'],
      categoryId: 'apparel',
      variants: [
        { sku: 'TEE-BLU-M', options: { Colour: 'Blue', Size: 'M' }, priceMinor: 2000, taxRateBp: 1900 },
        {
          sku: 'TEE-RED-L',
          options: { Colour: 'Red', Size: 'L' },
          priceMinor: 2200,
          taxRateBp: 1900,
          barcodes: ['4006381333931'],
        },
      ],
    };
    const missingSize = await call('POST', '/parents', {
      ...tee,
      variants: [{ sku: 'TEE-X', options: { Colour: 'Blue' }, priceMinor: 1, taxRateBp: 0 }],
    });
    expect([missingSize.statusCode, missingSize.json().field]).toEqual([400, 'variants[0].options.Size']);
    const twice = await call('POST', '/parents', { ...tee, variants: [tee.variants[0], tee.variants[0]] });
    expect([twice.statusCode, twice.json().field]).toEqual([400, 'variants[1].options']);
    const badGtin = await call('POST', '/parents', {
      ...tee,
      variants: [{ ...tee.variants[1], barcodes: ['4006381333932'] }],
    });
    expect([badGtin.statusCode, badGtin.json().field]).toEqual([400, 'variants[0].barcodes.0']);
    // Nothing of the refused requests was kept.
    expect((await call('GET', '/parents')).json()).toEqual([]);

    const created = await call('POST', '/parents', tee);
    expect(created.statusCode).toBe(201);
    expect(created.json().parent).toEqual({
      id: 'classic-tee',
      name: 'Classic Tee',
      optionNames: ['Colour', 'Size'],
      variantCount: 2,
    });
    expect((await call('POST', '/parents', tee)).statusCode).toBe(409);
    const variants = (await call('GET', '/parents/classic-tee/variants')).json();
    expect(variants).toEqual([
      {
        sku: 'TEE-BLU-M',
        name: 'Classic Tee Blue / M',
        options: { Colour: 'Blue', Size: 'M' },
        priceMinor: 2000,
        active: true,
        barcodes: [],
      },
      {
        sku: 'TEE-RED-L',
        name: 'Classic Tee Red / L',
        options: { Colour: 'Red', Size: 'L' },
        priceMinor: 2200,
        active: true,
        barcodes: ['4006381333931'],
      },
    ]);
    const none = await call('GET', '/parents/nope/variants');
    expect([none.statusCode, none.json().field]).toEqual([404, 'id']);
    const cats = (await call('GET', '/categories')).json() as { id: string; productCount: number }[];
    expect(cats.find((c) => c.id === 'apparel')?.productCount).toBe(2);
  });

  it('quotes a cart at a store as its tills would price it, with coupon and promotion, and names a bad line', async () => {
    await createStore(h.db, berlinStore('S1', 'Main'));
    await savePromotions(h.db, [
      {
        id: 'TEES-10',
        name: 'Tees 10 % off',
        kind: 'percentOff',
        target: { categoryIds: ['sale'] },
        percentBp: 1000,
      },
      { id: 'C5', name: 'Coupon 5 off', kind: 'basketOff', amountOffMinor: 500, couponCodes: ['FIVE'] },
    ]);
    const q = await app.inject({
      method: 'POST',
      url: '/api/v1/catalog/quote',
      headers,
      payload: { storeId: 'S1', lines: [{ sku: 'TEE-BLU-M', qty: 2 }], couponCodes: ['five'] },
    });
    expect(q.statusCode).toBe(200);
    // The tee's category (apparel) is not under "sale": only the coupon applies.
    expect(q.json()).toMatchObject({
      listMinor: 4000,
      discountMinor: 500,
      grossMinor: 3500,
      coupons: [{ code: 'FIVE', applied: true, promotionId: 'C5' }],
    });
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/catalog/quote',
      headers,
      payload: { storeId: 'S1', lines: [{ sku: 'NOPE' }] },
    });
    expect([bad.statusCode, bad.json().field]).toEqual([404, 'lines[0].sku']);
  });
});
