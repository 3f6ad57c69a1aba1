import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saleEvent, sales } from '../../../test/fixtures/ingest.ts';
import { bearer, demoChainHq, postBatch } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import type { EnrollResponse, IngestBatch } from '../../contracts/wire.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';
import { startHq } from './server.ts';

const ADMIN = 'admin-secret-for-tests';

describe.each(hqBackends())('HQ HTTP API on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  let till: EnrollResponse;
  const admin = bearer(ADMIN);
  const asTill = (): Record<string, string> => bearer(till.token);
  const ingest = (batch: IngestBatch, headers: Record<string, string>) => postBatch(app, batch, headers);
  const eventCount = async (): Promise<number> =>
    (
      await h.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('terminal_id', '!=', 'hq')
        .executeTakeFirstOrThrow()
    ).n;

  beforeEach(async () => {
    h = await open();
    ({ app, till } = await demoChainHq(
      h.db,
      ADMIN,
      { stores: 2, products: 20 },
      { storeId: 'S001', name: 'front till' },
    ));
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  it('enrolls a till, takes its gzip batch once and shows the sale in stock and sales', async () => {
    expect(till).toMatchObject({ terminalId: 'S001-T01', storeId: 'S001' });
    const before = (await app.inject({ url: '/api/v1/stock?store=S001&sku=100003', headers: admin })).json();
    const batch: IngestBatch = {
      terminalId: till.terminalId,
      events: [saleEvent(till, 1, [{ sku: '100003', qty: 2, unitPriceMinor: 409, taxRateBp: 700 }])],
      outbox: { pending: 3, oldestAgeSeconds: 12.5 },
    };
    const first = await ingest(batch, asTill());
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [], heldUpTo: 1, gaps: [] });
    expect((await ingest(batch, asTill())).json()).toMatchObject({ accepted: 0, duplicates: 1 });

    const after = (await app.inject({ url: '/api/v1/stock?store=S001&sku=100003', headers: admin })).json();
    expect(after[0].qty).toBe(before[0].qty - 2);
    const facts = await app.inject({
      url: '/api/v1/sales/daily?store=S001&from=2026-03-01&to=2026-03-31',
      headers: admin,
    });
    expect(facts.json()).toEqual([
      {
        businessDate: '2026-03-02',
        storeId: 'S001',
        sku: '100003',
        qty: 2,
        netMinor: 764,
        taxMinor: 54,
        grossMinor: 818,
        lines: 1,
      },
    ]);
    const sync = (
      await app.inject({ url: `/api/v1/terminals/${till.terminalId}/sync`, headers: admin })
    ).json();
    expect(sync).toMatchObject({
      heldUpTo: 1,
      maxSeq: 1,
      gaps: [],
      // The till reported 3 unsent with this batch of 1 in them: 2 are left once HQ holds it.
      outbox: { pending: 2, oldestAgeSeconds: 12.5 },
    });
    expect(sync.lastSeenAt).toEqual(expect.any(String));
  });

  it('accepts plain JSON too, and reports gaps to the till and to the admin', async () => {
    const [e1, e2, , , e5] = sales(till, 1, 5);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: asTill(),
      payload: { terminalId: till.terminalId, events: [e1, e2, e5] },
    });
    expect(res.json()).toMatchObject({ accepted: 3, heldUpTo: 2, gaps: [{ from: 3, to: 4 }] });
    const sync = (
      await app.inject({ url: `/api/v1/terminals/${till.terminalId}/sync`, headers: admin })
    ).json();
    expect(sync).toMatchObject({ heldUpTo: 2, maxSeq: 5, gaps: [{ from: 3, to: 4 }], outbox: null });
  });

  it('answers 401 without a valid terminal token and stores nothing', async () => {
    const batch = { terminalId: till.terminalId, events: sales(till, 1, 3) };
    const none = await ingest(batch, {});
    const wrong = await ingest(batch, { authorization: 'Bearer not-a-token' });
    const adminInstead = await ingest(batch, admin);
    for (const res of [none, wrong, adminInstead]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'unauthorized' });
    }
    expect(await eventCount()).toBe(0);
    expect((await app.inject({ url: '/api/v1/terminal/catalog' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/sync/status', headers: asTill() })).statusCode).toBe(403);
    const enroll = await app.inject({
      method: 'POST',
      url: '/api/v1/terminals',
      headers: asTill(),
      payload: { storeId: 'S001' },
    });
    expect(enroll.statusCode).toBe(403);
  });

  it('answers 400 naming the bad field and stores nothing', async () => {
    const events = sales(till, 1, 2);
    const res = await ingest(
      { terminalId: till.terminalId, events: [events[0]!, { ...events[1]!, businessDate: '2026-13-45' }] },
      asTill(),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'validation',
      field: expect.stringMatching(/events\.1\.businessDate$/),
    });
    const garbage = await postBatch(app, gzipSync('{"terminalId":'), asTill());
    expect(garbage.statusCode).toBe(400);
    expect(await eventCount()).toBe(0);
  });

  it('refuses with 403 events that claim another store', async () => {
    const e = { ...sales(till, 1, 1)[0]!, storeId: 'S002' };
    const res = await ingest({ terminalId: till.terminalId, events: [e] }, asTill());
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ field: 'events.0.storeId' });
    expect(await eventCount()).toBe(0);
  });

  it("serves the till's catalog, then only what changed", async () => {
    const full = await app.inject({ url: '/api/v1/terminal/catalog', headers: asTill() });
    expect(full.json()).toMatchObject({ full: true, store: { storeId: 'S001' } });
    expect(full.json().products).toHaveLength(20);
    await h.db.updateTable('products').set({ price_minor: 555 }).where('sku', '=', '100002').execute();
    const delta = await app.inject({
      url: `/api/v1/terminal/catalog?since=${encodeURIComponent(full.json().cursor)}`,
      headers: asTill(),
    });
    expect(delta.json()).toMatchObject({ full: false, products: [{ sku: '100002', priceMinor: 555 }] });
  });

  it('documents every route in /openapi.json', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/ingest',
        '/api/v1/terminal/catalog',
        '/api/v1/terminals',
        '/api/v1/terminals/{id}/sync',
        '/api/v1/stock',
        '/api/v1/sales/daily',
      ]),
    );
  });
});

describe('startHq', () => {
  it('serves on a port, creates an admin token once and keeps only its hash', async () => {
    const hq = await startHq({ port: 0, logger: silentLogger });
    try {
      expect(hq.adminToken).toEqual(expect.any(String));
      const health = await fetch(`${hq.url}/health`);
      expect(health.status).toBe(200);
      const stores = await fetch(`${hq.url}/api/v1/stores`, {
        headers: { authorization: `Bearer ${hq.adminToken}` },
      });
      expect(stores.status).toBe(200);
      const row = await hq.db
        .selectFrom('hq_config')
        .select('value')
        .where('key', '=', 'admin_token_hash')
        .executeTakeFirstOrThrow();
      expect(row.value).not.toContain(hq.adminToken!);
    } finally {
      await hq.close();
    }
  });
});
