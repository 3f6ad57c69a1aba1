import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { addUser } from '../../access/users.ts';
import { DASHBOARD_PATHS as P, paceResponse } from '../../contracts/dashboard.ts';
import { businessDate } from '../../core/clock.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import { DEMO_PASSWORD, seedDemoHistory } from '../../demo/demo-history.ts';
import { seedDemoChain } from '../../demo/seed.ts';
import type { DraftOrder } from '../../intel/replenish/drafts.ts';
import { defaultPolicy } from '../../intel/replenish/engine.ts';
import { sampleDrafts } from '../../intel/replenish/sample-drafts.ts';
import { saveDrafts } from '../../intel/replenish/store.ts';
import { addDays } from '../../reports/common.ts';
import { hqEventRegistry } from '../shared/event-registry.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'admin-secret-for-dashboard-tests';

describe.each(hqBackends())('dashboard API on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  let otherDraft: string;
  let ownDraft: string;
  const cookies = new Map<string, string>();
  const today = businessDate(new Date(), 'Europe/Berlin');

  const signIn = (username: string, password = DEMO_PASSWORD) =>
    app.inject({ method: 'POST', url: P.signIn, payload: { username, password } });
  const as = async (username: string): Promise<Record<string, string>> => {
    let c = cookies.get(username);
    if (!c) {
      const res = await signIn(username);
      expect(res.statusCode).toBe(200);
      c = String(res.headers['set-cookie']).split(';')[0] as string;
      cookies.set(username, c);
    }
    return { cookie: c };
  };
  const get = async (username: string, url: string) => app.inject({ url, headers: await as(username) });

  beforeAll(async () => {
    h = await open();
    await seedDemoChain(h.db, hqEventRegistry, { stores: 3, products: 30 });
    await seedDemoHistory(h.db, hqEventRegistry, { days: 40 });
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN });
    const [own, other] = sampleDrafts() as [DraftOrder, DraftOrder];
    const onlyAt = (d: DraftOrder, storeId: string, supplierId: string): DraftOrder => ({
      ...d,
      supplierId,
      lines: d.lines.map((l) => ({ ...l, storeId })),
    });
    ({
      ids: [ownDraft = '', otherDraft = ''],
    } = await saveDrafts(h.db, [onlyAt(own, 'S001', 'Großhandel Nord'), onlyAt(other, 'S002', 'only-S002')], {
      actor: 'nightly',
      policy: defaultPolicy,
    }));
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('signs in with an httpOnly SameSite=Strict cookie, knows the user, and signs out', async () => {
    const res = await signIn('sam');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      user: {
        username: 'sam',
        displayName: 'Sam Fischer',
        role: 'store_manager',
        stores: ['S001'],
        grants: [{ role: 'store_manager', scope: { kind: 'store', id: 'S001' } }],
        permissions: { approve_purchase_orders: ['S001'] },
      },
    });
    expect(res.json().user.permissions.edit_prices).toBeUndefined();
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^tally_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200/);
    const session = { cookie: cookie.split(';')[0] as string };
    expect((await app.inject({ url: P.me, headers: session })).json().user.username).toBe('sam');
    expect((await app.inject({ url: P.me })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: P.signOut, headers: session })).statusCode).toBe(200);
    expect((await app.inject({ url: P.me, headers: session })).statusCode).toBe(401);
    expect((await app.inject({ url: P.scope, headers: session })).statusCode).toBe(401);
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await signIn('dana', 'not-the-password');
    const unknown = await signIn('nobody-here', 'whatever-it-is');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error).toBe('invalid_credentials');
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('stops guessing after five tries a minute, even with the right password, for that name only', async () => {
    await addUser(h.db, {
      username: 'rita',
      displayName: 'Rita',
      role: 'associate',
      password: DEMO_PASSWORD,
      stores: ['S003'],
    });
    for (let i = 0; i < 5; i++) expect((await signIn('rita', `guess-${i}`)).statusCode).toBe(401);
    const limited = await signIn('rita');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await signIn('dana')).statusCode).toBe(200);
  });

  it("refuses a store manager another store's data on every dashboard route", async () => {
    const urls = [
      `${P.pace}?store=S002`,
      `${P.inventory}?store=S002`,
      `${P.tills}?store=S002`,
      `${P.forecast}?store=S002&sku=100001`,
      `${P.drill}?store=S002`,
      `${P.briefing}?store=S002`,
    ];
    for (const url of urls) {
      const res = await get('sam', url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json(), url).toMatchObject({ error: 'forbidden', field: 'store' });
    }
    expect((await get('sam', `${P.pace}?store=S001`)).statusCode).toBe(200);
  });

  it('filters every list to the scope', async () => {
    const scope = (await get('sam', P.scope)).json();
    expect(scope.stores.map((s: { id: string }) => s.id)).toEqual(['S001']);
    expect(scope).toMatchObject({ defaultStore: 'S001', canApprove: true });
    const tills = (await get('sam', P.tills)).json();
    expect(tills.stores.map((s: { storeId: string }) => s.storeId)).toEqual(['S001']);
    const drill = (await get('sam', P.drill)).json();
    expect(drill.rows.map((r: { id: string }) => r.id)).toEqual(['S001']);
    const inv = (await get('sam', P.inventory)).json();
    const stores = new Set(
      [...inv.atRisk, ...inv.slowMovers, ...inv.deadStock, ...inv.negative].map(
        (r: { storeId: string }) => r.storeId,
      ),
    );
    expect([...stores]).toEqual(['S001']);
    const dana = (await get('dana', P.drill)).json();
    expect(dana.rows.map((r: { id: string }) => r.id).sort()).toEqual(['S001', 'S002']);
    const admin = await app.inject({ url: P.drill, headers: { authorization: `Bearer ${ADMIN}` } });
    expect(
      admin
        .json()
        .rows.map((r: { id: string }) => r.id)
        .sort(),
    ).toEqual(['S001', 'S002', 'S003']);
  });

  it('pace totals are the sums of the seeded sales, by store and for the chain', async () => {
    const day = addDays(today, -1);
    for (const [user, store, filter] of [
      ['sam', 'S001', sql`store_id = 'S001'`],
      ['hq', undefined, sql`true`],
    ] as const) {
      const res = await get(user, `${P.pace}?date=${day}${store ? `&store=${store}` : ''}`);
      expect(res.statusCode).toBe(200);
      const pace = paceResponse.parse(res.json());
      const { rows } = await sql<{ units: number; net: number; tx: number }>`
        SELECT sum(qty) AS units, sum(net_minor) AS net FROM sales_daily WHERE business_date = ${day} AND ${filter}`.execute(
        h.db,
      );
      const { rows: tx } = await sql<{ tx: number }>`
        SELECT sum(transactions) AS tx FROM sales_hourly WHERE business_date = ${day} AND ${filter}`.execute(
        h.db,
      );
      expect(pace.totals.today.units).toBe(Number(rows[0]?.units));
      expect(pace.totals.today.revenueMinor).toBe(Number(rows[0]?.net));
      expect(pace.totals.today.transactions).toBe(Number(tx[0]?.tx));
      expect(pace.totals.today.units).toBeGreaterThan(0);
      expect(pace.hours.reduce((s, x) => s + x.lastWeek.units, 0)).toBe(pace.totals.lastWeek.units);
    }
  });

  it("the briefing leads with the scope's largest stock-out risk", async () => {
    // Independently: expected weekly demand (28-day rate, no forecast run here) minus what is available.
    const { rows } = await sql<{ sku: string; short: number }>`
      SELECT s.sku, sum(d.qty) / 28.0 * 7 - (s.qty - s.reserved) AS short
      FROM stock_on_hand s JOIN sales_daily d ON d.store_id = s.store_id AND d.sku = s.sku
      WHERE s.store_id = 'S001' AND d.business_date >= ${addDays(today, -28)} AND d.business_date < ${today} AND s.qty >= 0
      GROUP BY s.sku, s.qty, s.reserved ORDER BY 2 DESC LIMIT 1`.execute(h.db);
    const briefing = (await get('sam', P.briefing)).json();
    expect(briefing.actions[0]).toMatchObject({
      kind: 'stockout',
      link: `#/insights/forecast?store=S001&sku=${rows[0]?.sku}`,
    });
    expect(briefing.actions.length).toBeLessThanOrEqual(5);
    expect(briefing.rephrased).toBe(false);
    expect(briefing.text).toContain(briefing.actions[0].title);
  });

  it("shows a store manager only their stores' drafts and lets them decide only on those", async () => {
    const list = (await get('sam', P.drafts)).json();
    expect(list.map((d: { id: string }) => d.id)).toEqual([ownDraft]);
    expect((await get('sam', `${P.drafts}/${otherDraft}`)).statusCode).toBe(403);
    const otherApprove = await app.inject({
      method: 'POST',
      url: `${P.drafts}/${otherDraft}/approve`,
      headers: await as('sam'),
      payload: {},
    });
    expect(otherApprove.statusCode).toBe(403);
    expect(otherApprove.json().field).toBe('store');
    const byAssociate = await app.inject({
      method: 'POST',
      url: `${P.drafts}/${ownDraft}/approve`,
      headers: await as('ana'),
      payload: {},
    });
    expect(byAssociate.statusCode).toBe(403);
    const approved = await app.inject({
      method: 'POST',
      url: `${P.drafts}/${ownDraft}/approve`,
      headers: await as('sam'),
      payload: { actor: 'someone-else' },
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', decidedBy: 'sam' });
    expect(approved.json().decisions.at(-1)).toMatchObject({ action: 'approved', actor: 'sam' });
    const admin = await app.inject({ url: P.drafts, headers: { authorization: `Bearer ${ADMIN}` } });
    expect(admin.json()).toHaveLength(2);
  });

  it('says clearly when there is no forecast yet', async () => {
    const res = await get('sam', `${P.forecast}?store=S001&sku=100001`);
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/no forecast run has finished/);
  });
});
