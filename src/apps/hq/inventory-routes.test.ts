import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signInCookie } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { addUser } from '../../access/users.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { errorBody } from '../../contracts/api.ts';
import { DASHBOARD_PATHS } from '../../contracts/dashboard.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

/**
 * A store manager signed in to the dashboard works the inventory API for their stores with the same
 * cookie, as a till does with its token, and is refused anything of another store.
 */
const ADMIN = 'inventory-session-admin-token';
const P = '/api/v1/inventory';

describe.each(hqBackends())('inventory API with a dashboard session on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  let cookie: string;

  beforeAll(async () => {
    h = await open();
    for (const s of ['S001', 'S002']) await createStore(h.db, berlinStore(s));
    await addUser(h.db, {
      username: 'mia',
      displayName: 'Mia Manager',
      role: 'store_manager',
      password: 'mia-password',
      stores: ['S001'],
    });
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN });
    cookie = await signInCookie(app, 'mia', 'mia-password');
    for (const storeId of ['S001', 'S002'])
      await app.inject({
        method: 'POST',
        url: `${P}/receipts`,
        headers: bearer(ADMIN),
        payload: { storeId, supplier: 'Acme', lines: [{ sku: 'A', qty: 5, unitCostMinor: 100 }] },
      });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const asMia = (method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

  it('reads the availability of her store, and only hers when she names none', async () => {
    const all = await asMia('GET', `${P}/availability`);
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual([expect.objectContaining({ storeId: 'S001', sku: 'A', onHand: 5 })]);
    expect((await asMia('GET', `${P}/availability?store=S001`)).statusCode).toBe(200);
  });

  it('writes off and adjusts stock at her store', async () => {
    const written = await asMia('POST', `${P}/write-offs`, {
      storeId: 'S001',
      sku: 'A',
      qty: 1,
      reason: 'damaged',
    });
    expect(written.statusCode).toBe(201);
    expect(written.json()).toMatchObject({ onHand: 4 });
  });

  it('is refused another store with 403 naming the field, and nothing moves there', async () => {
    const read = await asMia('GET', `${P}/availability?store=S002`);
    expect(read.statusCode).toBe(403);
    expect(errorBody.parse(read.json())).toMatchObject({ error: 'forbidden', field: 'store' });
    const write = await asMia('POST', `${P}/write-offs`, {
      storeId: 'S002',
      sku: 'A',
      qty: 1,
      reason: 'damaged',
    });
    expect(write.statusCode).toBe(403);
    expect(errorBody.parse(write.json())).toMatchObject({ error: 'forbidden', field: 'storeId' });
    const s002 = await app.inject({
      url: `${P}/availability?store=S002`,
      headers: bearer(ADMIN),
    });
    expect(s002.json()).toEqual([expect.objectContaining({ storeId: 'S002', onHand: 5 })]);
  });

  it('is answered 401 once signed out', async () => {
    await asMia('POST', DASHBOARD_PATHS.signOut);
    const after = await asMia('GET', `${P}/availability`);
    expect(after.statusCode).toBe(401);
    expect(errorBody.parse(after.json()).error).toBe('unauthorized');
  });
});
