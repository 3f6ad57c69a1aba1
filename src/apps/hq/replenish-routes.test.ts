import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
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
