import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogOnlyHq, startTestTill } from '../../../test/helpers/offline-till.ts';
import { type FuzzRequest, operationsOf, requestsFor } from '../../../test/helpers/openapi-fuzz.ts';
import { unsafeStoredValues } from '../../../test/helpers/stored-text-scan.ts';
import { DEMO_MANAGER, type RunningTerminal } from './start.ts';

/**
 * The class behind "one NUL in a customer name blocks the till's sync forever": the till's API edge
 * must refuse anything it could not store or send on. Every route and every field comes from the
 * till's own /openapi.json, so a route added tomorrow is fuzzed without anyone editing this test.
 * For each, hostile values: the till never answers 5xx, every 4xx names the field, and afterwards
 * nothing in ledger.db holds a text or number HQ could not take.
 */
const products = [
  {
    sku: 'MILK',
    name: 'Milk 1l',
    barcodes: ['4000000000017'],
    priceMinor: 119,
    taxRateBp: 700,
    active: true,
  },
  { sku: 'WINE', name: 'Red wine', barcodes: [], priceMinor: 899, taxRateBp: 1900, active: true },
];

let till: RunningTerminal;
const state = { cartId: '', saleId: '', receiptNo: '' };

const send = async (r: Pick<FuzzRequest, 'method' | 'url' | 'headers' | 'payload'>) => {
  const res = await till.app.inject({
    method: r.method,
    url: r.url,
    headers: r.headers,
    ...(r.payload !== undefined ? { payload: r.payload } : {}),
  });
  const json = String(res.headers['content-type']).includes('json')
    ? (res.json() as Record<string, unknown>)
    : undefined;
  return { status: res.statusCode, json };
};
const post = (url: string, body: object) =>
  send({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });

/** A shift open, a sale done and a fresh cart with a line, so routes get past "no such cart". */
async function freshState(): Promise<void> {
  const shift = await send({ method: 'GET', url: '/api/v1/shifts/current', headers: {}, payload: undefined });
  if (shift.status !== 200) await post('/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 10_000 });
  if (!state.saleId) {
    const cart = (await post('/api/v1/carts', {})).json as { cartId: string };
    await post(`/api/v1/carts/${cart.cartId}/lines`, { code: 'MILK', qty: 3 });
    const sale = (
      await post(`/api/v1/carts/${cart.cartId}/complete`, {
        tenders: [{ kind: 'cash', tenderedMinor: 1_000 }],
      })
    ).json as { saleId: string; receiptNo: string };
    Object.assign(state, { saleId: sale.saleId, receiptNo: sale.receiptNo });
  }
  const cart = (await post('/api/v1/carts', {})).json as { cartId: string };
  await post(`/api/v1/carts/${cart.cartId}/lines`, { code: 'WINE', qty: 1 });
  state.cartId = cart.cartId;
}

const known = (name: string): unknown =>
  ({
    cartId: state.cartId,
    saleId: state.saleId,
    receiptNo: state.receiptNo,
    lineNo: 1,
    code: 'MILK',
    sku: 'MILK',
    qty: 1,
    countedQty: 1,
    amountMinor: 100,
    tenderedMinor: 10_000,
    unitPriceMinor: 100,
    unitCostMinor: 50,
    openingFloatMinor: 0,
    cashierId: 'alice',
    q: 'milk',
    reason: 'fuzz',
    refundTo: 'original',
    phone: '+49 30 1234567',
    email: 'ana@example.org',
    name: 'Ana',
    managerId: 'M7',
    pin: '5678',
    toStoreId: 's2',
    fromStoreId: 's2',
    transferId: 'TR-1',
    supplier: 'ACME',
    status: 'parked',
  })[name];

beforeAll(async () => {
  till = await startTestTill(catalogOnlyHq(products), { seedManager: DEMO_MANAGER });
});
afterAll(async () => {
  await till?.close();
});

describe('the till refuses hostile input on every documented route', () => {
  it('never answers 5xx, names the field of every 4xx, and stores nothing HQ could not take', async () => {
    const doc = (await send({ method: 'GET', url: '/openapi.json', headers: {}, payload: undefined }))
      .json as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(40);
    const failures: string[] = [];
    let sent = 0;
    for (const op of ops) {
      await freshState();
      for (const r of requestsFor(op, known)) {
        const res = await send(r);
        sent++;
        const answer = JSON.stringify(res.json)?.slice(0, 200);
        if (res.status >= 500) failures.push(`${r.label} → ${res.status} ${answer}`);
        else if (res.status >= 400 && !(typeof res.json?.field === 'string' && res.json.field !== ''))
          failures.push(`${r.label} → ${res.status} without a field: ${answer}`);
      }
    }
    expect(sent).toBeGreaterThan(2_000);
    expect({ failures, stored: unsafeStoredValues(till.ledger.db.name) }).toEqual({
      failures: [],
      stored: [],
    });
  }, 300_000);
});
