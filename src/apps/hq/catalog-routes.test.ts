import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { upsertProducts } from '../../catalog/hq/products.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'catalog-routes-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN}` };

describe.each(hqBackends())('catalog routes on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  beforeEach(async () => {
    h = await open();
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN });
    await createStore(h.db, berlinStore('S1', 'Main'));
    await upsertProducts(h.db, [{ sku: 'TEA', name: 'Tea', priceMinor: 349, taxRateBp: 700 }]);
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  it('creates a zone, puts a store in it, prices the zone from an instant and answers the price then', async () => {
    const zone = await app.inject({
      method: 'POST',
      url: '/api/v1/catalog/zones',
      headers: admin,
      payload: { id: 'CITY', name: 'City' },
    });
    expect(zone.statusCode).toBe(201);
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/stores/S1/zone',
      headers: admin,
      payload: { zoneId: 'CITY' },
    });
    expect(put.statusCode).toBe(204);
    const price = await app.inject({
      method: 'POST',
      url: '/api/v1/catalog/prices',
      headers: admin,
      payload: {
        sku: 'TEA',
        scope: 'zone',
        scopeId: 'CITY',
        priceMinor: 379,
        effectiveFrom: '2026-12-01T00:00:00+01:00',
      },
    });
    expect(price.statusCode).toBe(201);
    const before = await app.inject({
      url: '/api/v1/catalog/products/TEA/price?store=S1&at=2026-11-30T12:00:00Z',
      headers: admin,
    });
    expect(before.json()).toEqual({ priceMinor: 349, entry: null });
    const after = await app.inject({
      url: '/api/v1/catalog/products/TEA/price?store=S1&at=2026-12-01T12:00:00Z',
      headers: admin,
    });
    expect(after.json()).toMatchObject({ priceMinor: 379, entry: { scope: 'zone', scopeId: 'CITY' } });
    const history = await app.inject({ url: '/api/v1/catalog/products/TEA/prices', headers: admin });
    expect(history.json()).toHaveLength(1);
  });

  it('refuses an invalid promotion naming the field, and requires the admin token', async () => {
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/v1/catalog/promotions',
      headers: admin,
      payload: [{ id: 'p1', name: 'Half off', kind: 'percentOff', target: {}, percentBp: 0 }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('promotions[0].percentBp');
    const anon = await app.inject({ url: '/api/v1/catalog/promotions' });
    expect(anon.statusCode).toBe(401);
  });

  it('publishes promotions and tax rules as sent, and reads them back unchanged', async () => {
    const promo = {
      id: 'p2',
      name: 'Tea 10 %',
      kind: 'percentOff',
      target: { skus: ['TEA'] },
      percentBp: 1000,
    };
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/catalog/promotions',
      headers: admin,
      payload: [promo],
    });
    expect(put.json()).toEqual({ saved: 1 });
    // Defaults (priority, stacking) are the engine's to fill in; what was published is what is read.
    expect((await app.inject({ url: '/api/v1/catalog/promotions', headers: admin })).json()).toEqual([promo]);
    const badTax = await app.inject({
      method: 'PUT',
      url: '/api/v1/catalog/tax-jurisdictions',
      headers: admin,
      payload: [{ id: 'DE', name: 'Germany', pricesIncludeTax: true, rounding: 'sometimes', classes: {} }],
    });
    expect(badTax.statusCode).toBe(400);
    expect(badTax.json().field).toBe('taxJurisdictions[0].rounding');
  });

  it('describes the promotion and tax-rule bodies in /openapi.json', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    const body = (path: string) =>
      doc.paths[path].put.requestBody.content['application/json'].schema as Record<string, unknown>;
    const promotions = JSON.stringify(body('/api/v1/catalog/promotions'));
    for (const kind of ['percentOff', 'buyXGetY', 'spendThreshold', 'basketOff'])
      expect(promotions).toContain(kind);
    expect(promotions).toContain('percentBp');
    const tax = JSON.stringify(body('/api/v1/catalog/tax-jurisdictions'));
    for (const field of ['pricesIncludeTax', 'rounding', 'classes', 'ratePpm']) expect(tax).toContain(field);
  });
});
