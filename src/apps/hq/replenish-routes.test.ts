import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { upsertProducts } from '../../catalog/hq/products.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import { defaultPolicy } from '../../intel/replenish/engine.ts';
import { sampleDrafts } from '../../intel/replenish/sample-drafts.ts';
import { saveDrafts } from '../../intel/replenish/store.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'admin-secret-for-replenish-tests';
const admin = { authorization: `Bearer ${ADMIN}` };

describe.each(hqBackends())('HQ draft purchase order routes on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  let ids: string[];

  beforeEach(async () => {
    h = await open();
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN });
    ({ ids } = await saveDrafts(h.db, sampleDrafts(), { actor: 'nightly', policy: defaultPolicy }));
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  it('needs the admin token', async () => {
    const res = await app.inject({ url: '/api/v1/replenish/drafts' });
    expect(res.statusCode).toBe(401);
  });

  it('lists drafts, edits a line, approves, and shows every decision with who made it', async () => {
    const list = (await app.inject({ url: '/api/v1/replenish/drafts?status=draft', headers: admin })).json();
    expect(list).toHaveLength(2);
    const id = ids[0] as string;
    const edited = await app.inject({
      method: 'PATCH',
      url: `/api/v1/replenish/drafts/${id}/lines/2`,
      headers: admin,
      payload: { qty: 0, actor: 'maria' },
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().lineItems[1]).toMatchObject({ sku: 'rolls', qty: 0, suggestedQty: 12 });
    const approved = await app.inject({
      method: 'POST',
      url: `/api/v1/replenish/drafts/${id}/approve`,
      headers: admin,
      payload: { actor: 'maria' },
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', decidedBy: 'maria', totalMinor: 42 * 120 });
    expect(approved.json().decisions.map((d: { action: string }) => d.action)).toEqual([
      'created',
      'edited',
      'approved',
    ]);
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/replenish/drafts/${id}/reject`,
      headers: admin,
      payload: { actor: 'sam' },
    });
    expect(again.statusCode).toBe(409);
    const open = (await app.inject({ url: '/api/v1/replenish/drafts?status=draft', headers: admin })).json();
    expect(open.map((d: { supplierId: string }) => d.supplierId)).toEqual(['dairy']);
  });

  it('records one quantity edit once, however often the same quantity is submitted', async () => {
    const id = ids[0] as string;
    const edit = () =>
      app.inject({
        method: 'PATCH',
        url: `/api/v1/replenish/drafts/${id}/lines/1`,
        headers: admin,
        payload: { qty: 30, actor: 'maria' },
      });
    // Enter and the blur that follows it arrive together, then a retry of the same request.
    const both = await Promise.all([edit(), edit()]);
    expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
    const retried = await edit();
    expect(retried.json().lineItems[0]).toMatchObject({ qty: 30, suggestedQty: 42 });
    expect(
      retried
        .json()
        .decisions.filter((d: { action: string }) => d.action === 'edited')
        .map((d: { detail: unknown }) => d.detail),
    ).toEqual([{ line: 1, storeId: 'S1', sku: 'bread', from: 42, to: 30 }]);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM audit_log WHERE action = 'purchase_order.line_changed' AND target_id = ${id}`.execute(
      h.db,
    );
    expect(rows[0]?.n).toBe(1);
    // A different quantity is a second change, recorded as one more entry in each log.
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/replenish/drafts/${id}/lines/1`,
      headers: admin,
      payload: { qty: 36, actor: 'maria' },
    });
    const { rows: after } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM audit_log WHERE action = 'purchase_order.line_changed' AND target_id = ${id}`.execute(
      h.db,
    );
    expect(after[0]?.n).toBe(2);
  });

  it("names each line's product, and keeps the SKU where the catalog has no name for it", async () => {
    await upsertProducts(h.db, [
      { sku: 'bread', name: 'Sourdough loaf 750 g', priceMinor: 349, taxRateBp: 700 },
    ]);
    const d = (await app.inject({ url: `/api/v1/replenish/drafts/${ids[0]}`, headers: admin })).json();
    expect(d.lineItems.map((l: { sku: string; name: string }) => [l.sku, l.name])).toEqual([
      ['bread', 'Sourdough loaf 750 g'],
      ['rolls', 'rolls'],
    ]);
  });

  it('says how many drafts there are when the page holds fewer', async () => {
    const page = (await app.inject({ url: '/api/v1/replenish/draft-list?limit=1', headers: admin })).json();
    expect(page.drafts).toHaveLength(1);
    expect(page).toMatchObject({ total: 2, truncated: true });
    const all = (await app.inject({ url: '/api/v1/replenish/draft-list', headers: admin })).json();
    expect(all).toMatchObject({ total: 2, truncated: false });
    expect(all.drafts).toHaveLength(2);
  });

  it('cancels an approved order (its undelivered units stop counting as on order), and only an approved one', async () => {
    const cancel = (id: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/replenish/drafts/${id}/cancel`,
        headers: admin,
        payload: { actor: 'maria', reason: 'supplier out of stock' },
      });
    expect((await cancel(ids[0] as string)).statusCode).toBe(409);
    await app.inject({
      method: 'POST',
      url: `/api/v1/replenish/drafts/${ids[0]}/approve`,
      headers: admin,
      payload: { actor: 'maria' },
    });
    const cancelled = await cancel(ids[0] as string);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', decidedBy: 'maria' });
    expect(cancelled.json().lineItems[0]).toMatchObject({ receivedQty: 0 });
    expect(cancelled.json().decisions.at(-1)).toMatchObject({
      action: 'cancelled',
      detail: { note: 'supplier out of stock' },
    });
    const listed = (
      await app.inject({ url: '/api/v1/replenish/drafts?status=cancelled', headers: admin })
    ).json();
    expect(listed).toHaveLength(1);
  });

  it('says what is wrong with a bad request', async () => {
    const noActor = await app.inject({
      method: 'POST',
      url: `/api/v1/replenish/drafts/${ids[1]}/approve`,
      headers: admin,
      payload: {},
    });
    expect(noActor.statusCode).toBe(400);
    const unknown = await app.inject({
      url: '/api/v1/replenish/drafts/0190b8a4-0000-7000-8000-000000000000',
      headers: admin,
    });
    expect(unknown.statusCode).toBe(404);
    const notUuid = await app.inject({ url: '/api/v1/replenish/drafts/abc', headers: admin });
    expect(notUuid.statusCode).toBe(400);
  });
});
