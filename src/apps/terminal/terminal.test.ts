import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { cornerShop, milkAndWine } from '../../../test/fixtures/till.ts';
import { inject, type Method } from '../../../test/helpers/calls.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { asCashier, TEST_CASHIER_ID } from '../../../test/helpers/till-session.ts';
import { type CatalogSnapshot, type IngestResult, ingestBatchSchema } from '../../contracts/wire.ts';
import { SimulatedProvider } from '../../payments/simulated.ts';
import { saleCompletedSchema } from '../../sales/events.ts';
import { decodeBatch } from '../../sync/till/wire-codec.ts';
import { DEMO_MANAGER, type RunningTerminal, startTerminal } from './start.ts';

const snapshot: CatalogSnapshot = {
  cursor: 'c1',
  full: true,
  store: cornerShop,
  products: milkAndWine,
};

/** HQ as seen by the till: catalog and ingest, switchable off to play a dead network. */
function fakeHq() {
  const state = { up: true, held: new Map<number, string>(), catalogPulls: 0 };
  const fetchFn = (async (url: URL | string, init?: RequestInit) => {
    if (!state.up) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    const u = new URL(String(url));
    if (u.pathname === '/api/v1/terminal/catalog') {
      state.catalogPulls++;
      return Response.json(snapshot);
    }
    const batch = ingestBatchSchema.parse(decodeBatch(Buffer.from(init?.body as Uint8Array)));
    for (const e of batch.events) state.held.set(e.seq, e.id);
    let heldUpTo = 0;
    while (state.held.has(heldUpTo + 1)) heldUpTo++;
    const r: IngestResult = {
      accepted: batch.events.length,
      duplicates: 0,
      rejected: [],
      heldUpTo,
      gaps: [],
    };
    return Response.json(r);
  }) as typeof fetch;
  return { state, fetchFn };
}

const tempDir = tempDirs('terminal');
const running: RunningTerminal[] = [];
// Registered after tempDirs' hook, so it runs first: each till stops before its folder is removed.
afterEach(async () => {
  for (const t of running.splice(0)) await t.close();
});

async function start(
  hq: ReturnType<typeof fakeHq>,
  extra: { dataDir?: string; provider?: SimulatedProvider; identity?: boolean; noManager?: boolean } = {},
) {
  const dataDir = extra.dataDir ?? tempDir();
  const t = await startTerminal({
    dataDir,
    ...(extra.identity === false
      ? {}
      : { hqUrl: 'http://hq.test', token: 'tok', storeId: 's1', terminalId: 'T1' }),
    port: 0,
    logger: pino({ level: 'silent' }),
    fetch: hq.fetchFn,
    provider: extra.provider ?? new SimulatedProvider(),
    syncIntervalMs: 60_000,
    seedManager: extra.noManager ? false : DEMO_MANAGER,
  });
  running.push(t);
  // Signed in first, so the signed-in event is seq 1 (after a restart: the next) and a test's counts start after it.
  await asCashier(t);
  return { t, dataDir };
}

const call = async (
  t: RunningTerminal,
  method: Method,
  url: string,
  payload?: object,
  headers?: Record<string, string>,
) => inject(t.app, method, url, payload, { ...(await asCashier(t)), ...headers });

describe('terminal register API', () => {
  it('sells end to end: shift, scan, change quantity, pay cash, receipt, sync', async () => {
    const hq = fakeHq();
    const { t } = await start(hq);
    expect(
      (await call(t, 'POST', '/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 10000 })).status,
    ).toBe(201);
    expect((await call(t, 'GET', '/api/v1/shifts/current')).body).toMatchObject({
      cashierId: TEST_CASHIER_ID,
    });
    expect((await call(t, 'GET', '/api/v1/items/4000000000017')).body).toMatchObject({ sku: 'MILK' });
    const cart = (await call(t, 'POST', '/api/v1/carts', {})).body as { cartId: string };
    await call(t, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'MILK', qty: 1 });
    const withWine = await call(t, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'WINE', qty: 1 });
    expect(withWine.body).toMatchObject({ currency: 'EUR', totals: { grossMinor: 1018 } });
    const patched = await call(t, 'PATCH', `/api/v1/carts/${cart.cartId}/lines/1`, { qty: 2 });
    expect(patched.body).toMatchObject({ totals: { grossMinor: 1137 } });
    expect(patched.body.lines[0]).toMatchObject({
      lineNo: 1,
      sku: 'MILK',
      qty: 2,
      unitPriceMinor: 119,
      taxRateBp: 700,
      grossMinor: 238,
    });
    const sale = await call(t, 'POST', `/api/v1/carts/${cart.cartId}/complete`, {
      tenders: [{ kind: 'cash', tenderedMinor: 2000 }],
    });
    expect(sale.status).toBe(200);
    expect(sale.body).toMatchObject({ receiptNo: 'T1-000001', grossMinor: 1137, changeMinor: 863, seq: 3 });
    expect(saleCompletedSchema.safeParse(t.ledger.saleById(sale.body.saleId)?.payload).success).toBe(true);
    expect((await call(t, 'GET', `/api/v1/carts/${cart.cartId}`)).status).toBe(404);

    const text = await call(t, 'GET', `/api/v1/sales/${sale.body.saleId}/receipt?format=text`);
    expect(text.body).toContain('T1-000001');
    const escpos = await call(t, 'GET', `/api/v1/sales/${sale.body.saleId}/receipt?format=escpos`);
    expect(escpos.raw.headers['content-type']).toBe('application/octet-stream');
    expect(escpos.raw.rawPayload[0]).toBe(0x1b);

    // The outbox may already have shipped in the background (a commit wakes it); flush finishes the job.
    expect((await call(t, 'GET', '/api/v1/sync/status')).body).toMatchObject({ lastSeq: 3 });
    expect((await call(t, 'POST', '/api/v1/sync/flush')).body).toMatchObject({ pending: 0, ackedUpTo: 3 });
    expect(hq.state.held.size).toBe(3);
  });

  it('answers errors naming the field, and leaves the ledger alone', async () => {
    const { t } = await start(fakeHq());
    const cart = (await call(t, 'POST', '/api/v1/carts', {})).body as { cartId: string };
    const unknown = await call(t, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'NOPE', qty: 1 });
    expect(unknown).toMatchObject({ status: 404, body: { error: 'not_found', field: 'code' } });
    expect((await call(t, 'GET', '/api/v1/items/NOPE')).body).toMatchObject({ field: 'code' });
    for (const qty of [0, -2, 1.5]) {
      const r = await call(t, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'MILK', qty });
      expect(r).toMatchObject({ status: 400, body: { error: 'validation', field: 'qty' } });
    }
    await call(t, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'WINE', qty: 1 });
    expect((await call(t, 'PATCH', `/api/v1/carts/${cart.cartId}/lines/1`, { qty: 0 })).body).toMatchObject({
      field: 'qty',
    });
    await call(t, 'POST', '/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 0 });
    const short = await call(t, 'POST', `/api/v1/carts/${cart.cartId}/complete`, {
      tenders: [{ kind: 'cash', tenderedMinor: 500 }],
    });
    expect(short).toMatchObject({ status: 400, body: { field: 'tenders' } });
    const pan = await call(t, 'POST', `/api/v1/carts/${cart.cartId}/complete`, {
      tenders: [{ kind: 'card', amountMinor: 899, pan: '4242424242424242' }],
    });
    expect(pan.status).toBe(400);
    expect(t.ledger.lastSeq()).toBe(2); // the sign-in and the shift
    expect((await call(t, 'GET', `/api/v1/carts/${cart.cartId}`)).body).toMatchObject({
      totals: { grossMinor: 899 },
    });
  });

  it('answers 402 for a declined card and keeps the cart open', async () => {
    const { t } = await start(fakeHq(), { provider: new SimulatedProvider({ outcome: 'decline' }) });
    await call(t, 'POST', '/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 0 });
    const cart = (await call(t, 'POST', '/api/v1/carts', {})).body as { cartId: string };
    await call(t, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'WINE', qty: 1 });
    const r = await call(t, 'POST', `/api/v1/carts/${cart.cartId}/complete`, {
      tenders: [{ kind: 'card', amountMinor: 899 }],
    });
    expect(r).toMatchObject({ status: 402, body: { error: 'payment_declined', field: 'tenders' } });
    expect((await call(t, 'GET', `/api/v1/carts/${cart.cartId}`)).status).toBe(200);
    const cash = await call(t, 'POST', `/api/v1/carts/${cart.cartId}/complete`, {
      tenders: [{ kind: 'cash', tenderedMinor: 1000 }],
    });
    expect(cash.status).toBe(200);
  });

  it('returns against a receipt: card refunded, returnable quantities, no second return', async () => {
    const provider = new SimulatedProvider();
    const { t } = await start(fakeHq(), { provider });
    await call(t, 'POST', '/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 1_000 });
    const cart = (await call(t, 'POST', '/api/v1/carts', {})).body as { cartId: string };
    await call(t, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'MILK', qty: 3 });
    const sale = await call(t, 'POST', `/api/v1/carts/${cart.cartId}/complete`, {
      tenders: [{ kind: 'card', amountMinor: 357 }],
    });
    const receiptNo = sale.body.receiptNo as string;
    const found = await call(t, 'GET', `/api/v1/sales/by-receipt/${receiptNo}`);
    expect(found).toMatchObject({
      status: 200,
      body: { saleId: sale.body.saleId, lines: [{ lineNo: 1, qty: 3, returnedQty: 0, returnableQty: 3 }] },
    });
    const body = { receiptNo, lines: [{ lineNo: 1, qty: 2 }], refundTo: 'original', reason: 'sour' };
    const r = await call(t, 'POST', '/api/v1/returns', body);
    expect(r).toMatchObject({
      status: 201,
      body: {
        refundMinor: 238,
        refunds: [{ kind: 'card', amountMinor: 238, maskedPan: '************4242' }],
      },
    });
    expect(provider.authorizations[0]?.refundedMinor).toBe(238);
    const seq = (await call(t, 'GET', '/api/v1/sync/status')).body.lastSeq;
    const again = await call(t, 'POST', '/api/v1/returns', body);
    expect(again).toMatchObject({ status: 400, body: { field: 'lines[0].qty' } });
    expect(again.body.message).toContain('only 1');
    expect((await call(t, 'GET', '/api/v1/sync/status')).body.lastSeq).toBe(seq);
    expect((await call(t, 'GET', `/api/v1/sales/by-receipt/${receiptNo}`)).body.lines[0]).toMatchObject({
      returnedQty: 2,
      returnableQty: 1,
    });
    const unknown = await call(t, 'POST', '/api/v1/returns', { ...body, receiptNo: 'T1-999999' });
    expect(unknown).toMatchObject({ status: 404, body: { field: 'receiptNo' } });
    expect((await call(t, 'GET', '/api/v1/sales/by-receipt/nope')).status).toBe(404);
  });

  it('documents every register route in /openapi.json', async () => {
    const { t } = await start(fakeHq());
    const doc = (await call(t, 'GET', '/openapi.json')).body as { paths: Record<string, unknown> };
    for (const p of [
      '/api/v1/shifts',
      '/api/v1/shifts/current',
      '/api/v1/items/{code}',
      '/api/v1/carts',
      '/api/v1/carts/{cartId}',
      '/api/v1/carts/{cartId}/lines',
      '/api/v1/carts/{cartId}/lines/{lineNo}',
      '/api/v1/carts/{cartId}/complete',
      '/api/v1/sales/{saleId}/receipt',
      '/api/v1/sync/status',
      '/api/v1/sync/flush',
      '/api/v1/shifts/current/close',
      '/api/v1/shifts/current/cash-drops',
      '/api/v1/shifts/current/paid-outs',
      '/api/v1/shifts/current/no-sale',
      '/api/v1/shifts/current/x-report',
      '/api/v1/returns',
      '/api/v1/sales/by-receipt/{receiptNo}',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });

  it('sells from the cache with HQ down, and a restart needs no flags and keeps cart and ledger', async () => {
    const hq = fakeHq();
    const first = await start(hq);
    await call(first.t, 'POST', '/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 0 });
    const open = (await call(first.t, 'POST', '/api/v1/carts', {})).body as { cartId: string };
    await call(first.t, 'POST', `/api/v1/carts/${open.cartId}/lines`, { code: 'MILK', qty: 3 });
    await call(first.t, 'POST', '/api/v1/sync/flush');
    await first.t.close();
    running.length = 0;
    const identityFile = join(first.dataDir, 'terminal.json');
    expect(JSON.parse(readFileSync(identityFile, 'utf8'))).toEqual({
      storeId: 's1',
      terminalId: 'T1',
      token: 'tok',
      hqUrl: 'http://hq.test',
    });
    expect(statSync(identityFile).mode & 0o077).toBe(0);

    hq.state.up = false;
    const { t } = await start(hq, { dataDir: first.dataDir, identity: false });
    expect((await call(t, 'GET', `/api/v1/carts/${open.cartId}`)).body).toMatchObject({
      lines: [{ qty: 3 }],
    });
    const sale = await call(t, 'POST', `/api/v1/carts/${open.cartId}/complete`, {
      tenders: [{ kind: 'cash', tenderedMinor: 357 }],
    });
    // Signed in, shift, (restart) signed in again, the sale.
    expect(sale.body).toMatchObject({ seq: 4, receiptNo: 'T1-000001' });
    expect((await call(t, 'POST', '/api/v1/sync/flush')).body).toMatchObject({
      pending: 2,
      ackedUpTo: 2,
      lastError: expect.stringMatching(/ECONNREFUSED/),
    });
    hq.state.up = true;
    expect((await call(t, 'POST', '/api/v1/sync/flush')).body).toMatchObject({ pending: 0, ackedUpTo: 4 });
  });

  it('says the catalog is not loaded yet when it never reached HQ', async () => {
    const hq = fakeHq();
    hq.state.up = false;
    const { t } = await start(hq);
    const r = await call(t, 'GET', '/api/v1/items/MILK');
    expect(r).toMatchObject({
      status: 503,
      body: { field: 'code', message: expect.stringMatching(/not loaded/) },
    });
    hq.state.up = true;
    expect(await t.pullCatalog()).toBe(true);
    expect((await call(t, 'GET', '/api/v1/items/MILK')).status).toBe(200);
  });

  it('refuses to start without an identity, naming what is missing', async () => {
    const dataDir = tempDir();
    await expect(
      startTerminal({ dataDir, port: 0, logger: pino({ level: 'silent' }), hqUrl: 'http://hq.test' }),
    ).rejects.toMatchObject({ field: 'storeId' });
  });
});

describe('terminal against an HQ over real HTTP', () => {
  it('pulls the catalog and ships gzip batches through the global fetch', async () => {
    const { gunzipSync } = await import('node:zlib');
    const Fastify = (await import('fastify')).default;
    const hq = Fastify();
    const held = new Map<number, string>();
    const auth: string[] = [];
    hq.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
      done(null, body),
    );
    hq.get('/api/v1/terminal/catalog', async (req) => {
      auth.push(String(req.headers.authorization));
      return snapshot;
    });
    hq.post('/api/v1/ingest', async (req) => {
      auth.push(String(req.headers.authorization));
      expect(req.headers['content-encoding']).toBe('gzip');
      const batch = ingestBatchSchema.parse(JSON.parse(gunzipSync(req.body as Buffer).toString('utf8')));
      for (const e of batch.events) held.set(e.seq, e.id);
      const r: IngestResult = {
        accepted: batch.events.length,
        duplicates: 0,
        rejected: [],
        heldUpTo: held.size,
        gaps: [],
      };
      return r;
    });
    const hqUrl = await hq.listen({ port: 0, host: '127.0.0.1' });
    const dataDir = tempDir();
    const t = await startTerminal({
      dataDir,
      hqUrl,
      token: 'secret',
      storeId: 's1',
      terminalId: 'T1',
      port: 0,
      logger: pino({ level: 'silent' }),
      syncIntervalMs: 60_000,
    });
    running.push(t);
    const base = t.url;
    const post = async (path: string, body: object) =>
      (await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { ...(await asCashier(t)), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json())) as Record<string, unknown>;
    await post('/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 0 });
    const cart = await post('/api/v1/carts', {});
    await post(`/api/v1/carts/${cart.cartId}/lines`, { code: 'WINE', qty: 1 });
    const sale = await post(`/api/v1/carts/${cart.cartId}/complete`, {
      tenders: [{ kind: 'cash', tenderedMinor: 899 }],
    });
    expect(sale).toMatchObject({ receiptNo: 'T1-000001' });
    expect(await post('/api/v1/sync/flush', {})).toMatchObject({ pending: 0, ackedUpTo: 3 });
    expect(held.size).toBe(3);
    expect(new Set(auth)).toEqual(new Set(['Bearer secret']));
    await t.close();
    running.length = 0;
    await hq.close();
  });
});

describe('terminal shift and drawer API', () => {
  const sellCash = async (t: RunningTerminal, sku: string, qty: number, tenderedMinor: number) => {
    const cart = (await call(t, 'POST', '/api/v1/carts', {})).body as { cartId: string };
    await call(t, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code: sku, qty });
    const done = await call(t, 'POST', `/api/v1/carts/${cart.cartId}/complete`, {
      tenders: [{ kind: 'cash', tenderedMinor }],
    });
    expect(done.status).toBe(200);
  };

  it('drops, pays out, opens the drawer, reads an X and closes with a blind count €5.00 short', async () => {
    const { t } = await start(fakeHq());
    await call(t, 'POST', '/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 10_000 });
    await sellCash(t, 'WINE', 2, 2_000); // keeps 17.98
    await sellCash(t, 'MILK', 3, 500); // keeps 3.57
    const drop = await call(t, 'POST', '/api/v1/shifts/current/cash-drops', {
      amountMinor: 5_000,
      reason: 'safe drop',
    });
    expect(drop.status).toBe(201);
    expect(drop.body).toMatchObject({
      type: 'drawer.cash_drop',
      cashierId: TEST_CASHIER_ID,
      amountMinor: 5_000,
    });
    const out = await call(t, 'POST', '/api/v1/shifts/current/paid-outs', {
      amountMinor: 1_250,
      reason: 'window cleaner',
    });
    expect(out.status).toBe(201);
    const asked = await call(t, 'POST', '/api/v1/shifts/current/no-sale', { reason: 'change for a tenner' });
    expect(asked).toMatchObject({ status: 403, body: { error: 'approval_required', field: 'noSale' } });
    const wrong = await call(
      t,
      'POST',
      '/api/v1/shifts/current/no-sale',
      { reason: 'x' },
      { 'x-manager-id': 'M1', 'x-manager-pin': '9999' },
    );
    expect(wrong).toMatchObject({ status: 403, body: { error: 'approval_denied' } });
    const noSale = await call(
      t,
      'POST',
      '/api/v1/shifts/current/no-sale',
      { reason: 'change for a tenner' },
      { 'x-manager-id': 'M1', 'x-manager-pin': '1234' },
    );
    expect(noSale.body).toMatchObject({
      type: 'drawer.no_sale',
      reason: 'change for a tenner',
      approvedBy: 'M1',
    });

    const seq = t.ledger.lastSeq();
    const x = await call(t, 'GET', '/api/v1/shifts/current/x-report');
    expect(x.status).toBe(200);
    expect(x.body).toMatchObject({ kind: 'X', noSales: { count: 1 }, cash: { expectedMinor: 5_905 } });
    expect(t.ledger.lastSeq()).toBe(seq);

    const close = await call(t, 'POST', '/api/v1/shifts/current/close', {
      counted: {
        denominations: [
          { valueMinor: 2_000, count: 2 },
          { valueMinor: 1_000, count: 1 },
          { valueMinor: 200, count: 2 },
          { valueMinor: 5, count: 1 },
        ],
      },
    });
    expect(close.status).toBe(200);
    expect(close.body).toMatchObject({
      zNumber: 1,
      countedCashMinor: 5_405,
      differenceMinor: -500,
      report: {
        kind: 'Z',
        zNumber: 1,
        sales: { count: 2, grossMinor: 2_155 },
        tenders: [
          { kind: 'cash', amountMinor: 2_155 },
          { kind: 'card', amountMinor: 0 },
        ],
        cashDrops: { totalMinor: 5_000 },
        paidOuts: { totalMinor: 1_250 },
        returns: { count: 0, totalMinor: 0 },
        voids: { count: 0, totalMinor: 0 },
        discounts: { count: 0, totalMinor: 0 },
        cash: { expectedMinor: 5_905, countedMinor: 5_405, differenceMinor: -500 },
      },
    });
  });

  it('numbers Z reports 1, 2, 3 and keeps countedCashMinor working', async () => {
    const { t } = await start(fakeHq());
    const numbers: number[] = [];
    for (const cashierId of ['alice', 'bob', 'carol']) {
      await call(t, 'POST', '/api/v1/shifts', { cashierId, openingFloatMinor: 1_000 });
      const r = await call(t, 'POST', '/api/v1/shifts/current/close', { countedCashMinor: 1_000 });
      expect(r.body).toMatchObject({ differenceMinor: 0, report: { cash: { countedMinor: 1_000 } } });
      numbers.push(r.body.zNumber);
    }
    expect(numbers).toEqual([1, 2, 3]);
  });

  it('answers bad drawer and close requests with the field at fault, writing nothing', async () => {
    const { t } = await start(fakeHq());
    const expectRefused = async (
      method: 'GET' | 'POST',
      url: string,
      payload: object | undefined,
      status: number,
      field: string,
    ) => {
      const seq = t.ledger.lastSeq();
      const r = await call(t, method, url, payload);
      expect({ url, status: r.status, field: r.body.field }).toEqual({ url, status, field });
      expect(r.body.message).toBeTruthy();
      expect(t.ledger.lastSeq()).toBe(seq);
    };
    const base = '/api/v1/shifts/current';
    await expectRefused('POST', `${base}/close`, { countedCashMinor: 0 }, 409, 'shift');
    await expectRefused('GET', `${base}/x-report`, undefined, 409, 'shift');
    await expectRefused('POST', `${base}/cash-drops`, { amountMinor: 100, reason: 'safe' }, 409, 'shift');

    await call(t, 'POST', '/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 10_000 });
    await expectRefused(
      'POST',
      `${base}/cash-drops`,
      { amountMinor: -100, reason: 'safe' },
      400,
      'amountMinor',
    );
    await expectRefused('POST', `${base}/cash-drops`, { amountMinor: 100 }, 400, 'reason');
    await expectRefused('POST', `${base}/paid-outs`, { amountMinor: -1, reason: 'milk' }, 400, 'amountMinor');
    await expectRefused('POST', `${base}/paid-outs`, { amountMinor: 100, reason: '' }, 400, 'reason');
    await expectRefused(
      'POST',
      `${base}/paid-outs`,
      { amountMinor: 10_001, reason: 'milk' },
      400,
      'amountMinor',
    );
    await expectRefused('POST', `${base}/no-sale`, {}, 400, 'reason');
    await expectRefused('POST', `${base}/close`, { countedCashMinor: -5 }, 400, 'countedCashMinor');

    expect((await call(t, 'POST', `${base}/close`, {})).status).toBe(200);
    await expectRefused('POST', `${base}/close`, { countedCashMinor: 0 }, 409, 'shift');
  });
});

describe('terminal park, resume and void API', () => {
  it('parks, survives a restart, refuses edits while parked, resumes and completes', async () => {
    const hq = fakeHq();
    const first = await start(hq);
    await call(first.t, 'POST', '/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 0 });
    const cart = (await call(first.t, 'POST', '/api/v1/carts', {})).body as { cartId: string };
    await call(first.t, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'MILK', qty: 2 });
    const parked = await call(first.t, 'POST', `/api/v1/carts/${cart.cartId}/park`, { label: 'red coat' });
    expect(parked.status).toBe(200);
    expect(parked.body).toMatchObject({
      cartId: cart.cartId,
      label: 'red coat',
      parkedAt: expect.any(String),
    });
    const before = first.t.ledger.lastSeq();
    const edit = await call(first.t, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'MILK', qty: 1 });
    expect(edit.status).toBe(409);
    expect(edit.body).toMatchObject({ field: 'cartId', message: expect.stringContaining('resume it first') });
    const pay = await call(first.t, 'POST', `/api/v1/carts/${cart.cartId}/complete`, {
      tenders: [{ kind: 'cash', tenderedMinor: 500 }],
    });
    expect(pay.status).toBe(409);
    expect((await call(first.t, 'DELETE', `/api/v1/carts/${cart.cartId}/lines/1`)).status).toBe(409);
    expect(first.t.ledger.lastSeq()).toBe(before);
    await first.t.close();
    running.length = 0;

    const { t } = await start(hq, { dataDir: first.dataDir, identity: false });
    const list = await call(t, 'GET', '/api/v1/carts?status=parked');
    expect(list.body).toEqual([
      {
        cartId: cart.cartId,
        label: 'red coat',
        itemCount: 2,
        grossMinor: 238,
        currency: 'EUR',
        parkedAt: parked.body.parkedAt,
      },
    ]);
    expect((await call(t, 'POST', `/api/v1/carts/${cart.cartId}/resume`)).status).toBe(200);
    expect((await call(t, 'GET', '/api/v1/carts?status=parked')).body).toEqual([]);
    const sale = await call(t, 'POST', `/api/v1/carts/${cart.cartId}/complete`, {
      tenders: [{ kind: 'cash', tenderedMinor: 238 }],
    });
    expect(sale.status).toBe(200);
    expect(sale.body).toMatchObject({ grossMinor: 238 });
  });

  it('voids a line and a whole sale as ledger events that reach the X report', async () => {
    const { t } = await start(fakeHq());
    await call(t, 'POST', '/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 0 });
    const cart = (await call(t, 'POST', '/api/v1/carts', {})).body as { cartId: string };
    await call(t, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'MILK', qty: 1 });
    await call(t, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'WINE', qty: 1 });
    const removed = await call(t, 'DELETE', `/api/v1/carts/${cart.cartId}/lines/2`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ totals: { grossMinor: 119 } });
    expect(t.ledger.latestOf(['cart.line_voided'])?.payload).toMatchObject({ sku: 'WINE', grossMinor: 899 });

    const before = t.ledger.lastSeq();
    const noReason = await call(t, 'POST', `/api/v1/carts/${cart.cartId}/void`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body).toMatchObject({ field: 'reason' });
    expect(t.ledger.lastSeq()).toBe(before);

    const voided = await call(t, 'POST', `/api/v1/carts/${cart.cartId}/void`, { reason: 'card forgotten' });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ cartId: cart.cartId, grossMinor: 119, seq: before + 1 });
    expect(t.ledger.lastSeq()).toBe(before + 1);
    expect((await call(t, 'GET', `/api/v1/carts/${cart.cartId}`)).status).toBe(404);
    expect((await call(t, 'GET', '/api/v1/shifts/current/x-report')).body).toMatchObject({
      voids: {
        count: 2,
        totalMinor: 1018,
        sales: { count: 1, totalMinor: 119 },
        lines: { count: 1, totalMinor: 899 },
      },
    });
    // Bodies are optional where nothing is required; a parked cart may still be voided.
    const other = (await call(t, 'POST', '/api/v1/carts', {})).body as { cartId: string };
    await call(t, 'POST', `/api/v1/carts/${other.cartId}/lines`, { code: 'MILK', qty: 1 });
    expect(await call(t, 'POST', `/api/v1/carts/${other.cartId}/park`)).toMatchObject({ status: 200 });
    expect((await call(t, 'POST', `/api/v1/carts/${other.cartId}/void`)).body).toMatchObject({
      field: 'reason',
    });
    expect((await call(t, 'POST', `/api/v1/carts/${other.cartId}/void`, { reason: 'left' })).status).toBe(
      200,
    );
    expect((await call(t, 'GET', '/api/v1/carts?status=parked')).body).toEqual([]);
    const doc = (await call(t, 'GET', '/openapi.json')).body as { paths: Record<string, unknown> };
    for (const p of [
      '/api/v1/carts/{cartId}/park',
      '/api/v1/carts/{cartId}/resume',
      '/api/v1/carts/{cartId}/void',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
  });
});
