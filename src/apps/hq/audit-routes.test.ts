import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrollOverHttp, signInCookie } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { addUser, verifyAuditChain } from '../../access/index.ts';
import { catalogSnapshot } from '../../catalog/hq/index.ts';
import { upsertProducts } from '../../catalog/hq/products.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import type { AuditPage } from '../../contracts/index.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'audit-routes-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN}` };
const PASSWORD = 'correct horse battery';

const teaPromo = (percentBp: number) => ({
  id: 'tea-week',
  name: 'Tea week',
  kind: 'percentOff',
  target: { skus: ['TEA'] },
  percentBp,
});

describe.each(hqBackends())('audited HQ routes on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  beforeEach(async () => {
    h = await open();
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN });
    await createStore(h.db, berlinStore('S1', 'Mitte'));
    await createStore(h.db, berlinStore('S2', 'Kreuzberg'));
    await upsertProducts(h.db, [{ sku: 'TEA', name: 'Tea', priceMinor: 349, taxRateBp: 700 }]);
    await addUser(h.db, {
      username: 'maria',
      displayName: 'Maria',
      role: 'store_manager',
      password: PASSWORD,
      stores: ['S1'],
    });
    await addUser(h.db, {
      username: 'ali',
      displayName: 'Ali',
      role: 'associate',
      password: PASSWORD,
      stores: ['S1'],
    });
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  const page = async (query: string, headers: Record<string, string> = admin): Promise<AuditPage> => {
    const res = await app.inject({ url: `/api/v1/audit${query}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('records sign-in, a failed sign-in and sign-out, and never the password', async () => {
    const failed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { username: 'maria', password: 'wrong password' },
    });
    expect(failed.statusCode).toBe(401);
    const cookie = await signInCookie(app, 'maria', PASSWORD);
    await app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie } });

    const { entries } = await page('?user=maria');
    expect(entries.map((e) => [e.action, e.outcome, e.actorKind])).toEqual([
      ['auth.sign_out', 'ok', 'user'],
      ['auth.sign_in', 'ok', 'user'],
      ['auth.sign_in_failed', 'refused', 'user'],
    ]);
    expect(entries[2]).toMatchObject({ reason: 'wrong username or password', route: '/api/v1/auth/sign-in' });
    const everything = await sql<{
      row: string;
    }>`SELECT row_to_json(a)::text AS row FROM audit_log a`.execute(h.db);
    for (const { row } of everything.rows) {
      expect(row).not.toContain(PASSWORD);
      expect(row).not.toContain('wrong password');
    }
  });

  it('keeps every version of a promotion with who changed it, audits before and after, and tills get the current one only', async () => {
    const publish = (percentBp: number, headers: Record<string, string>) =>
      app.inject({
        method: 'PUT',
        url: '/api/v1/catalog/promotions',
        headers,
        payload: [teaPromo(percentBp)],
      });
    expect((await publish(1000, admin)).statusCode).toBe(200);
    expect((await publish(1500, admin)).statusCode).toBe(200);
    const retired = await app.inject({
      method: 'DELETE',
      url: '/api/v1/catalog/promotions/tea-week',
      headers: admin,
    });
    expect(retired.statusCode).toBe(204);
    expect((await publish(2000, admin)).statusCode).toBe(200);

    const history = await app.inject({ url: '/api/v1/catalog/promotions/tea-week/history', headers: admin });
    expect(history.statusCode).toBe(200);
    const versions = history.json() as {
      definition: { percentBp: number };
      active: boolean;
      changedBy: string;
      version: number;
    }[];
    expect(versions.map((v) => [v.definition.percentBp, v.active, v.changedBy])).toEqual([
      [2000, true, 'admin'],
      [1500, false, 'admin'],
      [1500, true, 'admin'],
      [1000, true, 'admin'],
    ]);
    expect(versions[0]!.version).toBeGreaterThan(versions[1]!.version);

    const snap = await catalogSnapshot(h.db, 'S1');
    expect(snap.promotions).toEqual([teaPromo(2000)]);

    const { entries } = await page('?action=catalog');
    const promoEntries = entries.filter((e) => e.targetId === 'tea-week');
    expect(promoEntries.map((e) => e.action)).toEqual([
      'catalog.promotion_published',
      'catalog.promotion_retired',
      'catalog.promotion_published',
      'catalog.promotion_published',
    ]);
    expect(promoEntries[2]).toMatchObject({
      actorKind: 'admin_token',
      before: { definition: teaPromo(1000), active: true },
      after: { definition: teaPromo(1500), active: true },
    });
    expect(promoEntries[3]!.before).toBeNull();
    expect(promoEntries[1]).toMatchObject({ after: { active: false } });

    const unknown = await app.inject({ url: '/api/v1/catalog/promotions/nope/history', headers: admin });
    expect(unknown.statusCode).toBe(404);
  });

  it('audits a price change with the entry it follows, a till enrollment and a stock adjustment', async () => {
    const price = (priceMinor: number) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/catalog/prices',
        headers: admin,
        payload: { sku: 'TEA', scope: 'store', scopeId: 'S1', priceMinor },
      });
    expect((await price(399)).statusCode).toBe(201);
    expect((await price(449)).statusCode).toBe(201);
    const till = await enrollOverHttp(app, ADMIN, { storeId: 'S2', name: 'front' });
    const adjusted = await app.inject({
      method: 'POST',
      url: '/api/v1/inventory/adjustments',
      headers: admin,
      payload: { storeId: 'S2', sku: 'TEA', qty: 4, reason: 'found' },
    });
    expect(adjusted.statusCode, adjusted.body).toBe(201);

    const { entries } = await page('');
    const [adjust, enrolled, second] = entries;
    expect(adjust).toMatchObject({
      action: 'inventory.stock_adjusted',
      storeId: 'S2',
      before: { onHand: 0 },
      after: { onHand: 4 },
      reason: 'found',
    });
    expect(enrolled).toMatchObject({ action: 'device.enrolled', targetId: till.terminalId, storeId: 'S2' });
    expect(JSON.stringify(enrolled)).not.toContain(till.token);
    expect(second).toMatchObject({
      action: 'catalog.price_changed',
      storeId: 'S1',
      before: { priceMinor: 399 },
      after: { priceMinor: 449 },
    });
  });

  it("shows a store manager their stores' entries only, and refuses associates, tills and other stores", async () => {
    await app.inject({
      method: 'POST',
      url: '/api/v1/inventory/adjustments',
      headers: admin,
      payload: { storeId: 'S1', sku: 'TEA', qty: 2, reason: 'found' },
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/inventory/adjustments',
      headers: admin,
      payload: { storeId: 'S2', sku: 'TEA', qty: 3, reason: 'found' },
    });
    const maria = { cookie: await signInCookie(app, 'maria', PASSWORD) };
    expect((await page('', maria)).entries.map((e) => e.storeId)).toEqual(['S1']);
    expect((await app.inject({ url: '/api/v1/audit?store=S2', headers: maria })).statusCode).toBe(403);
    const ali = { cookie: await signInCookie(app, 'ali', PASSWORD) };
    expect((await app.inject({ url: '/api/v1/audit', headers: ali })).statusCode).toBe(403);
    const till = await enrollOverHttp(app, ADMIN, { storeId: 'S1' });
    expect(
      (await app.inject({ url: '/api/v1/audit', headers: { authorization: `Bearer ${till.token}` } }))
        .statusCode,
    ).toBe(403);
    expect((await app.inject({ url: '/api/v1/audit' })).statusCode).toBe(401);
  });

  it('requests changing things at the same time, inside and outside transactions, still make one intact chain', async () => {
    const answers = await Promise.all([
      ...[1, 2, 3, 4, 5, 6].map((i) =>
        app.inject({
          method: 'PUT',
          url: '/api/v1/catalog/promotions',
          headers: admin,
          payload: [{ ...teaPromo(100 * i), id: `p${i}` }],
        }),
      ),
      ...[1, 2, 3, 4, 5, 6].map((qty) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/inventory/adjustments',
          headers: admin,
          payload: { storeId: 'S1', sku: 'TEA', qty, reason: 'found' },
        }),
      ),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([...Array(6).fill(200), ...Array(6).fill(201)]);
    const { entries } = await page('');
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, checked: 12 });
  });

  it('pages by seq and filters by date range', async () => {
    for (const qty of [1, 2, 3])
      await app.inject({
        method: 'POST',
        url: '/api/v1/inventory/adjustments',
        headers: admin,
        payload: { storeId: 'S1', sku: 'TEA', qty, reason: 'found' },
      });
    const first = await page('?limit=2');
    expect(first.entries.map((e) => e.seq)).toEqual([3, 2]);
    expect(first.nextBefore).toBe(2);
    const second = await page(`?limit=2&before=${first.nextBefore}`);
    expect(second).toMatchObject({ entries: [{ seq: 1 }], nextBefore: null });
    const today = new Date().toISOString().slice(0, 10);
    expect((await page(`?from=${today}&to=${today}`)).entries).toHaveLength(3);
    expect((await page('?to=2000-01-01')).entries).toHaveLength(0);
    const bad = await app.inject({ url: '/api/v1/audit?from=yesterday', headers: admin });
    expect(bad.statusCode).toBe(400);
  });

  it('exports CSV with a header row, defuses spreadsheet formulas, and audits the export', async () => {
    const note = '=HYPERLINK("http://example.invalid")';
    await app.inject({
      method: 'POST',
      url: '/api/v1/inventory/adjustments',
      headers: admin,
      payload: { storeId: 'S1', sku: 'TEA', qty: 2, reason: 'found', note },
    });
    const failed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { username: '=cmd', password: 'nope nope' },
    });
    expect(failed.statusCode).toBe(401);
    const res = await app.inject({ url: '/api/v1/audit.csv?store=S1', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe(
      'seq,at,actor_kind,actor_id,action,target_type,target_id,store_id,terminal_id,route,request_id,outcome,reason,before,after,hash',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('inventory.stock_adjusted');
    const all = await app.inject({ url: '/api/v1/audit.csv', headers: admin });
    expect(all.body).toContain("'=cmd");
    expect(all.body).not.toMatch(/,=cmd/);
    const { entries } = await page('?action=audit.exported');
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ actorId: 'admin', after: { store: 'S1' } });
  });
});
