import type { RunningTerminal } from '../../src/apps/terminal/start.ts';
import type { CatalogProduct } from '../../src/contracts/wire.ts';
import { milkAndWine } from '../fixtures/till.ts';
import type { FuzzRequest, Known } from './openapi-fuzz.ts';
import { asCashier, forgetSession } from './till-session.ts';

/**
 * What the tests that walk every till route share: two products, a way to send a request and read
 * its answer as the signed-in test cashier, and a till state (open shift, one sale, a fresh cart with a line) in which routes get
 * past "no such cart" to the fields under test, with the values a plausible request would carry.
 */
export const fuzzProducts: CatalogProduct[] = milkAndWine;

export function tillRoutes(till: RunningTerminal) {
  const state = { cartId: '', saleId: '', receiptNo: '' };
  const send = async (r: Pick<FuzzRequest, 'method' | 'url' | 'headers' | 'payload'>) => {
    const res = await till.app.inject({
      method: r.method,
      url: r.url,
      // Signed in as the test cashier unless the request says otherwise (a test of the gate itself).
      headers: { ...(await asCashier(till)), ...r.headers },
      ...(r.payload !== undefined ? { payload: r.payload } : {}),
    });
    const json = String(res.headers['content-type']).includes('json')
      ? (res.json() as Record<string, unknown>)
      : undefined;
    // A walk over every route signs out (DELETE /api/v1/session) and locks on its way: the next
    // request signs in afresh, so the routes after those are still reached signed in.
    if (r.url.startsWith('/api/v1/session') && res.statusCode < 300) forgetSession(till);
    return { status: res.statusCode, json, headers: res.headers };
  };
  const post = (url: string, body: object) =>
    send({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  const get = (url: string) => send({ method: 'GET', url, headers: {}, payload: undefined });

  /** A shift open, a sale done and a fresh cart with a line. */
  const freshState = async (): Promise<void> => {
    if ((await get('/api/v1/shifts/current')).status !== 200)
      await post('/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 10_000 });
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
  };

  const known: Known = (name) =>
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

  return { state, send, post, get, freshState, known };
}
