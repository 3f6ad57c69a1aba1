import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildHqApp } from '../../src/apps/hq/server.ts';
import type { App } from '../../src/apps/shared/http.ts';
import type { EnrollResponse } from '../../src/contracts/wire.ts';
import type { OpenHqDb } from '../../src/db/hq-db.ts';
import { hqBackends, silentLogger } from '../helpers/hq-db.ts';
import { storesWithTill, TWO_STORES } from '../helpers/stores.ts';

const ADMIN = 'inventory-admin-token';
const P = '/api/v1/inventory';

/** Reads a server-sent event stream, collecting `availability` events as they arrive. */
async function openStream(url: string, token: string) {
  const ctrl = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted by close()
    }
  })();
  const until = async (pred: (t: string) => boolean, what: string): Promise<void> => {
    for (let i = 0; i < 400 && !pred(text); i++) await new Promise((r) => setTimeout(r, 25));
    if (!pred(text)) throw new Error(`stream never showed ${what}; got:\n${text}`);
  };
  const events = () =>
    text
      .split('\n\n')
      .filter((b) => b.includes('event: availability'))
      .flatMap(
        (b) =>
          JSON.parse(
            b
              .split('\n')
              .find((l) => l.startsWith('data: '))!
              .slice(6),
          ) as unknown[],
      );
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    until,
    events,
    close: async () => {
      ctrl.abort();
      await pump;
    },
  };
}

describe.each(hqBackends())('inventory API on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  let base: string;
  let till: EnrollResponse;
  const admin = { authorization: `Bearer ${ADMIN}` };
  const asTill = () => ({ authorization: `Bearer ${till.token}` });

  beforeEach(async () => {
    h = await open();
    till = await storesWithTill(h.db, TWO_STORES);
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  const receive = (storeId: string, sku: string, qty: number, unitCostMinor = 100) =>
    app.inject({
      method: 'POST',
      url: `${P}/receipts`,
      headers: admin,
      payload: { storeId, supplier: 'Acme', lines: [{ sku, qty, unitCostMinor }] },
    });

  it('serves availability and reservations to a terminal for its own store only', async () => {
    expect((await receive('S001', 'A', 5)).statusCode).toBe(201);
    expect((await receive('S002', 'A', 9)).statusCode).toBe(201);

    expect((await app.inject({ url: `${P}/availability` })).statusCode).toBe(401);
    const own = await app.inject({ url: `${P}/availability`, headers: asTill() });
    expect(own.json()).toEqual([
      expect.objectContaining({
        storeId: 'S001',
        sku: 'A',
        onHand: 5,
        reserved: 0,
        available: 5,
        avgCostMinor: 100,
      }),
    ]);
    const other = await app.inject({ url: `${P}/availability?store=S002`, headers: asTill() });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ error: 'forbidden', field: 'store' });
    expect((await app.inject({ url: `${P}/availability?sku=A`, headers: admin })).json()).toHaveLength(2);

    const reserveAt = (storeId: string, qty: number) =>
      app.inject({
        method: 'POST',
        url: `${P}/reservations`,
        headers: asTill(),
        payload: { storeId, lines: [{ sku: 'A', qty }], orderId: 'web-1' },
      });
    expect((await reserveAt('S002', 1)).statusCode).toBe(403);
    const short = await reserveAt('S001', 6);
    expect(short.statusCode).toBe(409);
    expect(short.json()).toMatchObject({ error: 'conflict', field: 'lines.0.qty' });
    const made = await reserveAt('S001', 4);
    expect(made.statusCode).toBe(201);
    const r = made.json();
    expect(r).toMatchObject({
      storeId: 'S001',
      status: 'active',
      orderId: 'web-1',
      lines: [{ sku: 'A', qty: 4 }],
    });

    const confirmed = await app.inject({
      method: 'POST',
      url: `${P}/reservations/${r.reservationId}/confirm`,
      headers: admin,
    });
    expect(confirmed.json()).toMatchObject({ status: 'confirmed' });
    const release = await app.inject({
      method: 'POST',
      url: `${P}/reservations/${r.reservationId}/release`,
      headers: admin,
    });
    expect(release.statusCode).toBe(409);
    expect((await app.inject({ url: `${P}/availability?store=S001`, headers: admin })).json()).toEqual([
      expect.objectContaining({ onHand: 1, reserved: 0, available: 1 }),
    ]);
  });

  it('scopes transfers, counts, adjustments and exceptions, and documents them in OpenAPI', async () => {
    await receive('S001', 'A', 10, 300);
    const shipped = await app.inject({
      method: 'POST',
      url: `${P}/transfers`,
      headers: asTill(),
      payload: { fromStoreId: 'S001', toStoreId: 'S002', lines: [{ sku: 'A', qty: 4 }] },
    });
    expect(shipped.statusCode).toBe(201);
    const { transferId } = shipped.json();
    // S001's till shipped it; receiving belongs to S002.
    const wrongEnd = await app.inject({
      method: 'POST',
      url: `${P}/transfers/${transferId}/receipts`,
      headers: asTill(),
      payload: { lines: [{ sku: 'A', qty: 4 }] },
    });
    expect(wrongEnd.statusCode).toBe(403);
    const received = await app.inject({
      method: 'POST',
      url: `${P}/transfers/${transferId}/receipts`,
      headers: admin,
      payload: { lines: [{ sku: 'A', qty: 3 }], final: true },
    });
    expect(received.json().lines).toEqual([
      { sku: 'A', shipped: 4, received: 3, inTransit: 0, discrepancy: -1 },
    ]);

    const preview = await app.inject({
      method: 'POST',
      url: `${P}/counts`,
      headers: asTill(),
      payload: { storeId: 'S001', kind: 'cycle', lines: [{ sku: 'A', countedQty: 5 }], dryRun: true },
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ posted: false, shrinkValueMinor: 300 });
    const writeOff = await app.inject({
      method: 'POST',
      url: `${P}/write-offs`,
      headers: asTill(),
      payload: { storeId: 'S001', sku: 'A', qty: 1, reason: 'damaged' },
    });
    expect(writeOff.json()).toEqual({ onHand: 5, valueMinor: 300 });
    const foreign = await app.inject({
      method: 'POST',
      url: `${P}/adjustments`,
      headers: asTill(),
      payload: { storeId: 'S002', sku: 'A', qty: 1, reason: 'found' },
    });
    expect(foreign.statusCode).toBe(403);
    const badReason = await app.inject({
      method: 'POST',
      url: `${P}/adjustments`,
      headers: admin,
      payload: { storeId: 'S002', sku: 'A', qty: 1, reason: 'because' },
    });
    expect(badReason.statusCode).toBe(400);
    expect(badReason.json().field).toContain('reason');
    expect((await app.inject({ url: `${P}/shrinkage`, headers: asTill() })).json()).toEqual([
      { storeId: 'S001', sku: 'A', units: 1, valueMinor: 300 },
    ]);
    expect((await app.inject({ url: `${P}/exceptions?store=S002`, headers: asTill() })).statusCode).toBe(403);
    expect((await app.inject({ url: `${P}/exceptions`, headers: asTill() })).json()).toEqual([]);

    const spec = (await app.inject({ url: '/openapi.json' })).json();
    for (const path of [
      'availability',
      'reservations',
      'reservations/{id}/confirm',
      'reservations/{id}/release',
      'stream',
      'transfers',
      'transfers/{id}/receipts',
      'receipts',
      'counts',
      'adjustments',
      'write-offs',
      'exceptions',
    ])
      expect(Object.keys(spec.paths)).toContain(`${P}/${path}`);
  });

  it('streams availability changes of the caller’s stores as server-sent events', async () => {
    await receive('S001', 'A', 2);
    const refused = await fetch(`${base}${P}/stream?store=S002`, { headers: asTill() });
    expect(refused.status).toBe(403);

    const stream = await openStream(`${base}${P}/stream`, till.token);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    await stream.until((t) => t.includes(': ready'), 'the ready comment');
    await receive('S002', 'B', 7);
    await receive('S001', 'B', 3);
    await app.inject({
      method: 'POST',
      url: `${P}/reservations`,
      headers: admin,
      payload: { storeId: 'S001', lines: [{ sku: 'A', qty: 2 }] },
    });
    await stream.until(
      (t) => t.includes('"sku":"A"') && t.includes('"sku":"B"'),
      'the receipt of B and the reservation of A',
    );
    const seen = stream.events() as { storeId: string; sku: string; available: number }[];
    await stream.close();
    expect(seen.every((e) => e.storeId === 'S001')).toBe(true);
    expect(seen.filter((e) => e.sku === 'B').at(-1)).toMatchObject({ available: 3 });
    expect(seen.filter((e) => e.sku === 'A').at(-1)).toMatchObject({ available: 0 });
  });
});
