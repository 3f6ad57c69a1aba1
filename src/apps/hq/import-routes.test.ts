import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { addUser, createSession, listAudit } from '../../access/index.ts';
import { catalogDb } from '../../catalog/hq/catalog-tables.ts';
import { upsertProducts } from '../../catalog/hq/products.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { type ImportReport, SESSION_COOKIE } from '../../contracts/index.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'import-routes-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN}` };
const shopify = readFileSync(
  join(import.meta.dirname, '../../../test/fixtures/import/shopify-products.csv'),
  'utf8',
);
const files = [{ kind: 'shopify', name: 'shopify-products.csv', content: shopify }];
const options = {
  taxClassMap: 'Apparel & Accessories=standard,*=standard',
  taxRateBp: 1900,
  update: ['price'],
};

describe.each(hqBackends())('catalog import through HQ on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  beforeEach(async () => {
    h = await open();
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN });
    await createStore(h.db, berlinStore('S1', 'Main'));
    // HQ holds the oat drink already (found by its barcode) at another price and in its own category.
    await upsertProducts(h.db, [
      {
        sku: 'OAT-1',
        name: 'Oat Drink Barista 1L',
        priceMinor: 229,
        taxRateBp: 700,
        barcodes: ['7394376616228'],
      },
    ]);
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  const post = (payload: object, headers: Record<string, string> = admin) =>
    app.inject({ method: 'POST', url: '/api/v1/catalog/imports', headers, payload });
  const products = () =>
    catalogDb(h.db)
      .selectFrom('products')
      .select(['sku', 'price_minor', 'category', 'tax_class'])
      .orderBy('sku')
      .execute();

  it('a dry run reports new products with tax classes and the one field it changes, and writes nothing', async () => {
    const before = await products();
    const res = await post({ files, options, dryRun: true });
    expect(res.statusCode).toBe(200);
    const r = res.json() as ImportReport;
    expect(r.applied).toBe(false);
    expect(r.counts).toMatchObject({ created: 9, matched: 1, changed: 1 });
    expect(r.matched).toEqual([
      expect.objectContaining({
        sku: 'OAT-1',
        by: 'identifier',
        changes: [{ field: 'price', before: 229, after: 249 }],
      }),
    ]);
    expect(r.taxClasses).toEqual([
      { taxClass: 'exempt', products: 2 },
      { taxClass: 'standard', products: 7 },
    ]);
    expect(r.problems.find((p) => p.kind === 'rejected row')).toMatchObject({
      file: 'shopify-products.csv',
      row: 13,
    });
    expect(await products()).toEqual(before);
  });

  it('applies exactly the plan seen, audited once; a plan made before a catalog change is refused with 409', async () => {
    const dry = (await post({ files, options, dryRun: true })).json() as ImportReport;
    const applied = await post({ files, options, dryRun: false, planId: dry.planId });
    expect(applied.statusCode).toBe(200);
    expect(applied.json()).toMatchObject({ applied: true, planId: dry.planId });
    const after = await products();
    expect(after).toHaveLength(10);
    // Only the price of the held product moved: its category stays as HQ had it.
    expect(after.find((p) => p.sku === 'OAT-1')).toMatchObject({
      price_minor: 249,
      category: '',
      tax_class: null,
    });
    expect(after.find((p) => p.sku === 'TEE-BLU-M')).toMatchObject({ tax_class: 'standard' });
    const entries = await listAudit(h.db, { action: 'catalog.imported' });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.after).toMatchObject({
      files: ['shopify-products.csv'],
      counts: { created: 9, changed: 1 },
      contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    // Someone changes the catalog after the next dry run: its plan is stale.
    const next = (
      await post({ files, options: { ...options, update: ['price', 'name'] }, dryRun: true })
    ).json() as ImportReport;
    await upsertProducts(h.db, [{ sku: 'OAT-1', name: 'Oat Drink', priceMinor: 199, taxRateBp: 700 }]);
    const stale = await post({
      files,
      options: { ...options, update: ['price', 'name'] },
      dryRun: false,
      planId: next.planId,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toMatch(/run the dry run again/);
    expect((await products()).find((p) => p.sku === 'OAT-1')).toMatchObject({ price_minor: 199 });
  }, 120_000);

  it('refuses an apply without a plan id, a bad map naming the field, and a person without edit_catalog', async () => {
    const noPlan = await post({ files, options, dryRun: false });
    expect(noPlan.statusCode).toBe(400);
    expect(noPlan.json().field).toBe('planId');
    const badMap = await post({ files, options: { taxClassMap: 'Food' }, dryRun: true });
    expect(badMap.statusCode).toBe(400);
    expect(badMap.json()).toMatchObject({ field: 'taxClassMap' });
    const notCsv = await post({
      files: [{ kind: 'square', name: 'x.csv', content: 'name,price\nTea,2' }],
      dryRun: true,
    });
    expect(notCsv.statusCode).toBe(400);
    expect(notCsv.json()).toMatchObject({ field: 'files[0]' });

    await addUser(h.db, {
      username: 'manager',
      displayName: 'Manager',
      password: 'long-enough-password',
      role: 'store_manager',
      stores: ['S1'],
    });
    const cookie = `${SESSION_COOKIE}=${await createSession(h.db, 'manager')}`;
    const refused = await post({ files, options, dryRun: true }, { cookie });
    expect(refused.statusCode).toBe(403);
    const unauth = await post({ files, options, dryRun: true }, {});
    expect(unauth.statusCode).toBe(401);
  });
});
