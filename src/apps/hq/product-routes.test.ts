import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inject } from '../../../test/helpers/calls.ts';
import { bearer, signInCookie } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { addUser, listAudit } from '../../access/index.ts';
import { upsertCategories, upsertProducts } from '../../catalog/hq/index.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { withCheckDigit } from '../../catalog/index.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'product-routes-admin-token-0123456789';
const admin = bearer(ADMIN);
const P = '/api/v1/catalog/products';
const EAN = withCheckDigit('400638133393'); // 4006381333931
const WRONG_EAN = '4006381333932';

describe.each(hqBackends())('product routes on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: object, headers = admin) =>
    inject(app, method, url, body, headers);

  beforeEach(async () => {
    h = await open();
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN });
    await createStore(h.db, berlinStore('S001', 'Main'));
    await createStore(h.db, berlinStore('S002', 'Harbour'));
    await upsertCategories(h.db, [{ id: 'bakery', name: 'Bakery' }]);
    await upsertProducts(h.db, [
      {
        sku: 'TEA',
        name: 'Green Tea 20 bags',
        category: 'Drinks',
        priceMinor: 349,
        taxRateBp: 700,
        barcodes: [withCheckDigit('400000000001')],
      },
      {
        sku: 'BRD1',
        name: 'Rye Bread 500 g',
        category: 'Bakery',
        priceMinor: 229,
        taxRateBp: 700,
        supplier: 'Mill',
      },
      {
        sku: 'BRD2',
        name: 'Spelt Bread Loaf',
        categoryId: 'bakery',
        category: 'Bakery',
        priceMinor: 1023,
        taxRateBp: 700,
        supplier: 'Mill',
      },
      ...Array.from({ length: 7 }, (_, i) => ({
        sku: `JAM${i}`,
        name: `Jam no ${i}`,
        category: 'Spreads',
        priceMinor: 199,
        taxRateBp: 700,
      })),
    ]);
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  it('finds products by words of the name in any order, by SKU, by barcode, and pages with a total', async () => {
    const byWords = await call('GET', `${P}?q=${encodeURIComponent('bread RYE')}`);
    expect(byWords.status).toBe(200);
    expect(byWords.body.products.map((p: { sku: string }) => p.sku)).toEqual(['BRD1']);
    expect((await call('GET', `${P}?q=brd`)).body.total).toBe(2);
    const byCode = await call('GET', `${P}?q=40000000000`);
    expect(byCode.body.products.map((p: { sku: string }) => p.sku)).toEqual(['TEA']);

    const page1 = await call('GET', `${P}?category=Spreads&limit=5`);
    expect(page1.body).toMatchObject({ total: 7, offset: 0, truncated: true });
    expect(page1.body.products).toHaveLength(5);
    const page2 = await call('GET', `${P}?category=Spreads&limit=5&offset=5`);
    expect(page2.body).toMatchObject({ total: 7, offset: 5, truncated: false });
    expect(page2.body.products).toHaveLength(2);

    // A tree category finds its products placed in the tree and those carrying its name only.
    const bakery = await call('GET', `${P}?category=bakery&supplier=Mill`);
    expect(bakery.body.products.map((p: { sku: string }) => p.sku).sort()).toEqual(['BRD1', 'BRD2']);
    expect((await call('GET', `${P}?status=discontinued`)).body.total).toBe(0);
  });

  it('creates a product, refuses a wrong check digit naming the barcode, and a barcode another product holds (409)', async () => {
    const base = { sku: 'OAT', name: 'Oat Drink 1 l', priceMinor: 199, taxRateBp: 700, costMinor: 120 };
    const bad = await call('POST', P, { ...base, barcodes: ['PLU-77', WRONG_EAN] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      field: 'barcodes.1',
      message: `barcodes.1: "${WRONG_EAN}" has a wrong GTIN check digit`,
    });
    const taken = await call('POST', P, { ...base, barcodes: [withCheckDigit('400000000001')] });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ field: 'barcodes.0' });
    expect(taken.body.message).toContain('TEA (Green Tea 20 bags)');

    const created = await call('POST', P, {
      ...base,
      barcodes: [EAN],
      taxClass: 'reduced',
      supplier: 'Oatly',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      sku: 'OAT',
      barcodes: [EAN],
      marginBp: 3970,
      status: 'active',
      taxClass: 'reduced',
    });
    const again = await call('POST', P, base);
    expect(again.status).toBe(409);
    expect(again.body.field).toBe('sku');
    expect(nothingWritten(await call('GET', `${P}?q=oat`))).toBe(1);
  });

  it('edits only the fields given, replaces barcodes, archives and restores, each audited with before and after', async () => {
    const edited = await call('PATCH', `${P}/TEA`, { costMinor: 200, barcodes: [EAN] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({
      name: 'Green Tea 20 bags',
      costMinor: 200,
      barcodes: [EAN],
      priceMinor: 349,
    });
    const archived = await call('POST', `${P}/TEA/archive`);
    expect(archived.body).toMatchObject({ status: 'discontinued', active: false });
    expect((await call('GET', `${P}?status=discontinued`)).body.products[0].sku).toBe('TEA');
    const restored = await call('POST', `${P}/TEA/restore`);
    expect(restored.body).toMatchObject({ status: 'active', active: true });
    const detail = await call('GET', `${P}/TEA`);
    expect(detail.body).toMatchObject({
      sku: 'TEA',
      priceHistory: '/api/v1/catalog/products/TEA/prices',
      variants: [],
    });

    const entries = await listAudit(h.db, { action: 'catalog' });
    const actions = entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'catalog.product_changed',
        'catalog.product_archived',
        'catalog.product_restored',
      ]),
    );
    const change = entries.find((e) => e.action === 'catalog.product_changed')!;
    expect(change).toMatchObject({ targetId: 'TEA', before: { costMinor: null }, after: { costMinor: 200 } });
    const missing = await call('PATCH', `${P}/NOPE`, { name: 'x' });
    expect(missing.status).toBe(404);
  });

  it('previews a bulk 5 % rise of a category with .99 endings, writes nothing, then applies it as pricebook entries audited once', async () => {
    const ask = {
      filter: { category: 'bakery' },
      change: { kind: 'percent', value: 5 },
      rounding: '99',
      scope: 'chain',
    };
    const preview = await call('POST', '/api/v1/catalog/prices/bulk', { ...ask, dryRun: true });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ dryRun: true, count: 2, changed: 2 });
    expect(preview.body.lines).toEqual([
      { sku: 'BRD1', name: 'Rye Bread 500 g', oldMinor: 229, newMinor: 299 },
      { sku: 'BRD2', name: 'Spelt Bread Loaf', oldMinor: 1023, newMinor: 1099 },
    ]);
    expect((await call('GET', `${P}/BRD2/prices`)).body).toEqual([]);

    const applied = await call('POST', '/api/v1/catalog/prices/bulk', { ...ask, dryRun: false });
    expect(applied.body).toMatchObject({ dryRun: false, changed: 2 });
    expect(applied.body.lines).toEqual(preview.body.lines);
    expect((await call('GET', `${P}/BRD2/prices`)).body).toMatchObject([
      { scope: 'chain', priceMinor: 1099 },
    ]);
    expect((await call('GET', `${P}?q=spelt`)).body.products[0].priceMinor).toBe(1099);
    // Nothing outside the category moved.
    expect((await call('GET', `${P}/TEA/prices`)).body).toEqual([]);
    const bulk = await listAudit(h.db, { action: 'catalog.prices_bulk_changed' });
    expect(bulk).toHaveLength(1);
    expect(bulk[0]).toMatchObject({
      before: { filter: { category: 'bakery' } },
      after: { count: 2, changed: 2 },
    });
  });

  it('refuses a bulk change without a selection, or one that would go below zero, naming the field', async () => {
    const none = await call('POST', '/api/v1/catalog/prices/bulk', {
      change: { kind: 'percent', value: 5 },
      scope: 'chain',
    });
    expect(none.body.field).toBe('skus');
    const below = await call('POST', '/api/v1/catalog/prices/bulk', {
      skus: ['TEA'],
      change: { kind: 'amount', value: -500 },
      scope: 'chain',
    });
    expect(below.status).toBe(400);
    expect(below.body).toMatchObject({ field: 'change.value' });
    expect(below.body.message).toContain('TEA');
  });

  it('asks for edit_catalog to change products and edit_prices at the store for a store bulk change (403)', async () => {
    await inject(app, 'POST', '/api/v1/roles', undefined, admin);
    const role = await app.inject({
      method: 'PUT',
      url: '/api/v1/roles/pricer',
      headers: admin,
      payload: { name: 'Pricer', permissions: ['edit_prices', 'view_reports'] },
    });
    expect(role.statusCode, role.body).toBeLessThan(300);
    await addUser(h.db, {
      username: 'pia',
      displayName: 'Pia',
      password: 'a-long-enough-password',
      grants: [{ role: 'pricer', scope: { kind: 'store', id: 'S001' } }],
    });
    const pia = { cookie: await signInCookie(app, 'pia', 'a-long-enough-password') };
    expect((await call('GET', `${P}?q=tea`, undefined, pia)).status).toBe(200);
    const create = await call('POST', P, { sku: 'X1', name: 'X', priceMinor: 1, taxRateBp: 0 }, pia);
    expect(create.status).toBe(403);
    expect(create.body.message).toContain('edit_catalog');
    const ask = { skus: ['TEA'], change: { kind: 'set', value: 299 }, dryRun: false };
    const other = await call(
      'POST',
      '/api/v1/catalog/prices/bulk',
      { ...ask, scope: 'store', scopeId: 'S002' },
      pia,
    );
    expect(other.status).toBe(403);
    const chain = await call('POST', '/api/v1/catalog/prices/bulk', { ...ask, scope: 'chain' }, pia);
    expect(chain.status).toBe(403);
    const own = await call(
      'POST',
      '/api/v1/catalog/prices/bulk',
      { ...ask, scope: 'store', scopeId: 'S001' },
      pia,
    );
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    const history = (await call('GET', `${P}/TEA/prices`)).body;
    expect(history).toMatchObject([{ scope: 'store', scopeId: 'S001', priceMinor: 299 }]);
    expect((await call('GET', `${P}?q=x1`)).body.total).toBe(0);
  });
});

/** How many products a list answer counts. */
const nothingWritten = (res: { body: { total: number } }): number => res.body.total;
