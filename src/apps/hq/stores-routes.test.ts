import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { addUser, listAudit, upsertDistrict } from '../../access/index.ts';
import {
  activeTaxJurisdictions,
  createPriceZone,
  createStore,
  saveTaxJurisdictions,
} from '../../catalog/hq/index.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'stores-routes-admin-token-0123456789';
const admin = bearer(ADMIN);
const vat = (id: string, name: string, storeIds: string[]) => ({
  id,
  name,
  pricesIncludeTax: true,
  rounding: 'line' as const,
  classes: { standard: { components: [{ code: 'VAT', name: 'VAT', ratePpm: 190_000 }] } },
  storeIds,
});
const leipzig = {
  storeId: 'S010',
  name: 'Leipzig',
  address: 'Grimmaische Str. 1, 04109 Leipzig',
  timeZone: 'Europe/Berlin',
  currency: 'EUR',
  taxInclusive: true,
  taxJurisdictionId: 'DE-SN',
};

describe.each(hqBackends())('store set-up routes on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  const post = (payload: object) =>
    app.inject({ method: 'POST', url: '/api/v1/stores', headers: admin, payload });
  beforeEach(async () => {
    h = await open();
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN });
    await createStore(h.db, berlinStore('S001', 'Mitte'));
    await saveTaxJurisdictions(h.db, [vat('DE-BE', 'Berlin', ['S001']), vat('DE-SN', 'Saxony', [])]);
    await createPriceZone(h.db, { id: 'EAST', name: 'East' });
    await upsertDistrict(h.db, { id: 'OST', name: 'Ost', stores: ['S001'] });
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  it('opens Leipzig in Saxony: listed, taxed by Saxony, in the district, and audited', async () => {
    const res = await post({ ...leipzig, zoneId: 'EAST', districtId: 'OST' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      storeId: 'S010',
      locale: 'de-DE',
      localeSet: false,
      zoneId: 'EAST',
      taxJurisdictionId: 'DE-SN',
    });
    const stores = (await app.inject({ url: '/api/v1/stores', headers: admin })).json() as {
      storeId: string;
    }[];
    expect(stores.map((s) => s.storeId)).toEqual(['S001', 'S010']);
    const tax = (await activeTaxJurisdictions(h.db)) as { id: string; storeIds: string[] }[];
    expect(tax.find((j) => j.id === 'DE-SN')?.storeIds).toEqual(['S010']);

    // A district manager of OST now reaches the new store.
    await addUser(h.db, {
      username: 'dora',
      displayName: 'Dora',
      password: 'district-pass-1',
      grants: [{ role: 'district_manager', scope: { kind: 'district', id: 'OST' } }],
    });
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { username: 'dora', password: 'district-pass-1' },
    });
    const stores2 = signIn.json().user.stores as string[];
    expect(stores2).toContain('S010');

    const [entry] = await listAudit(h.db, { action: 'store.opened' });
    expect(entry).toMatchObject({ targetType: 'store', targetId: 'S010', storeId: 'S010' });
    expect(entry?.after).toMatchObject({ name: 'Leipzig', taxJurisdictionId: 'DE-SN' });
  });

  it('refuses a bad time zone, a bad currency and a taken id, each naming its field and writing nothing', async () => {
    const cases: [object, number, string][] = [
      [{ ...leipzig, timeZone: 'Europe/Leipzig' }, 400, 'timeZone'],
      [{ ...leipzig, currency: 'EUX' }, 400, 'currency'],
      [{ ...leipzig, currency: 'euro' }, 400, 'currency'],
      [{ ...leipzig, storeId: 'S001' }, 409, 'storeId'],
      [{ ...leipzig, taxJurisdictionId: 'DE-XX' }, 400, 'taxJurisdictionId'],
      [{ ...leipzig, taxJurisdictionId: undefined }, 400, 'taxJurisdictionId'],
      [{ ...leipzig, storeId: 'S 10' }, 400, 'storeId'],
    ];
    for (const [payload, status, field] of cases) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().field.replace(/^body\./, '')).toBe(field);
    }
    const stores = (await app.inject({ url: '/api/v1/stores', headers: admin })).json() as unknown[];
    expect(stores).toHaveLength(1);
    expect(await listAudit(h.db, { action: 'store.opened' })).toEqual([]);
  });

  it('renames a store, sets its locale and moves it to another tax region, with before and after audited', async () => {
    expect((await post(leipzig)).statusCode).toBe(201);
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/v1/stores/S010',
      headers: admin,
      payload: { name: 'Leipzig Hbf', locale: 'en-GB', taxJurisdictionId: 'DE-BE' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'Leipzig Hbf',
      locale: 'en-GB',
      localeSet: true,
      taxJurisdictionId: 'DE-BE',
    });
    const tax = (await activeTaxJurisdictions(h.db)) as { id: string; storeIds: string[] }[];
    expect(tax.find((j) => j.id === 'DE-SN')?.storeIds).toEqual([]);
    expect(tax.find((j) => j.id === 'DE-BE')?.storeIds).toEqual(['S001', 'S010']);
    const [entry] = await listAudit(h.db, { action: 'store.changed' });
    expect(entry?.before).toMatchObject({ name: 'Leipzig', taxJurisdictionId: 'DE-SN' });
    expect(entry?.after).toMatchObject({ name: 'Leipzig Hbf', taxJurisdictionId: 'DE-BE' });

    const bad = await app.inject({
      method: 'PATCH',
      url: '/api/v1/stores/S010',
      headers: admin,
      payload: { locale: 'xx-notalocale-atall' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('locale');
    const missing = await app.inject({
      method: 'PATCH',
      url: '/api/v1/stores/S404',
      headers: admin,
      payload: { name: 'x' },
    });
    expect(missing.statusCode).toBe(404);
  });
});
