import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { listAudit } from '../../access/index.ts';
import { upsertProducts } from '../../catalog/hq/products.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'pricebook-routes-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN}` };
const inDays = (d: number): string => new Date(Date.now() + d * 86_400_000).toISOString();
const tenOffTea = {
  id: 'tea10',
  name: 'Tea 10 % off',
  kind: 'percentOff',
  target: { skus: ['TEA'] },
  percentBp: 1000,
};

describe.each(hqBackends())('pricebook back-office routes on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: admin,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const price = async (scope: 'chain' | 'store', priceMinor: number, effectiveFrom?: string) => {
    const res = await call('POST', '/api/v1/catalog/prices', {
      sku: 'TEA',
      scope,
      ...(scope === 'store' ? { scopeId: 'S1' } : {}),
      priceMinor,
      ...(effectiveFrom ? { effectiveFrom } : {}),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number };
  };
  const priceNow = async () =>
    ((await call('GET', '/api/v1/catalog/products/TEA/price?store=S1')).json() as { priceMinor: number })
      .priceMinor;

  beforeEach(async () => {
    h = await open();
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN });
    await createStore(h.db, berlinStore('S1', 'Main'));
    await upsertProducts(h.db, [
      { sku: 'TEA', name: 'Tea', priceMinor: 349, taxRateBp: 700 },
      { sku: 'JAM', name: 'Jam', priceMinor: 299, taxRateBp: 700 },
    ]);
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  it('ends a store price in force: the store is back on the chain price, and the change is audited', async () => {
    await price('chain', 399);
    const store = await price('store', 299);
    expect(await priceNow()).toBe(299);

    const past = await call('POST', `/api/v1/catalog/prices/${store.id}/end`, { at: inDays(-1) });
    expect(past.statusCode).toBe(400);
    expect(past.json().field).toBe('at');

    const end = await call('POST', `/api/v1/catalog/prices/${store.id}/end`, {});
    expect(end.statusCode, end.body).toBe(200);
    expect(end.json().effectiveTo).not.toBeNull();
    expect(await priceNow()).toBe(399);
    const again = await call('POST', `/api/v1/catalog/prices/${store.id}/end`, {});
    expect(again.statusCode).toBe(409);
    const actions = (await listAudit(h.db, { limit: 10 })).map((e) => e.action);
    expect(actions).toContain('catalog.price_ended');
  });

  it('cancels a scheduled price (the product moves for the tills) but refuses to cancel one in force', async () => {
    const now = await price('chain', 399);
    const later = await price('store', 259, inDays(3));
    const before = await h.db
      .selectFrom('products')
      .select('version')
      .where('sku', '=', 'TEA')
      .executeTakeFirstOrThrow();

    const inForce = await call('DELETE', `/api/v1/catalog/prices/${now.id}`);
    expect(inForce.statusCode).toBe(409);
    expect(inForce.json().field).toBe('id');

    expect((await call('DELETE', `/api/v1/catalog/prices/${later.id}`)).statusCode).toBe(204);
    const history = (await call('GET', '/api/v1/catalog/products/TEA/prices')).json() as { id: number }[];
    expect(history.map((e) => e.id)).toEqual([now.id]);
    const after = await h.db
      .selectFrom('products')
      .select('version')
      .where('sku', '=', 'TEA')
      .executeTakeFirstOrThrow();
    expect(Number(after.version)).toBeGreaterThan(Number(before.version));
    expect((await call('DELETE', `/api/v1/catalog/prices/${later.id}`)).statusCode).toBe(404);
    const actions = (await listAudit(h.db, { limit: 10 })).map((e) => e.action);
    expect(actions).toContain('catalog.price_cancelled');
  });

  it('lists price changes still to come across products, soonest first, with the total when cut short', async () => {
    await price('chain', 399);
    await price('store', 259, inDays(5));
    await price('chain', 379, inDays(2));
    const res = await call('GET', '/api/v1/catalog/prices/scheduled?limit=1');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      total: 2,
      truncated: true,
      entries: [{ sku: 'TEA', productName: 'Tea', priceMinor: 379, scope: 'chain' }],
    });
    const all = (await call('GET', '/api/v1/catalog/prices/scheduled')).json();
    expect(all).toMatchObject({ total: 2, truncated: false });
    expect(all.entries.map((e: { priceMinor: number }) => e.priceMinor)).toEqual([379, 259]);
  });

  it('lists retired promotions beside active ones', async () => {
    const other = { ...tenOffTea, id: 'jam5', name: 'Jam', target: { skus: ['JAM'] }, percentBp: 500 };
    expect((await call('PUT', '/api/v1/catalog/promotions', [tenOffTea, other])).statusCode).toBe(200);
    expect((await call('DELETE', '/api/v1/catalog/promotions/jam5')).statusCode).toBe(204);
    const res = await call('GET', '/api/v1/catalog/promotions/all');
    expect(res.statusCode).toBe(200);
    expect(
      res.json().map((r: { definition: { id: string }; active: boolean }) => [r.definition.id, r.active]),
    ).toEqual([
      ['jam5', false],
      ['tea10', true],
    ]);
  });

  it('quotes a cart with a draft promotion applied, saves nothing, and names a bad draft field', async () => {
    const quote = await call('POST', '/api/v1/catalog/quote', {
      storeId: 'S1',
      lines: [{ sku: 'TEA', qty: 2 }],
      draftPromotions: [tenOffTea],
    });
    expect(quote.statusCode, quote.body).toBe(200);
    expect(quote.json()).toMatchObject({
      discountMinor: 70,
      promotions: [{ promotionId: 'tea10', name: 'Tea 10 % off', amountMinor: 70 }],
    });
    expect((await call('GET', '/api/v1/catalog/promotions/all')).json()).toEqual([]);
    const plain = await call('POST', '/api/v1/catalog/quote', {
      storeId: 'S1',
      lines: [{ sku: 'TEA', qty: 2 }],
    });
    expect(plain.json().discountMinor).toBe(0);

    const bad = await call('POST', '/api/v1/catalog/quote', {
      storeId: 'S1',
      lines: [{ sku: 'TEA' }],
      draftPromotions: [{ ...tenOffTea, percentBp: 0 }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('draftPromotions[0].percentBp');
  });
});
