import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from '../../../test/helpers/calls.ts';
import { catalogOnlyHq, startTestTill } from '../../../test/helpers/offline-till.ts';
import { asCashier } from '../../../test/helpers/till-session.ts';
import { DEMO_MANAGER, type RunningTerminal } from '../../apps/terminal/start.ts';

/** The till's coupon route: a code typed at the till is kept on the cart and its outcome answered. */
let t: RunningTerminal;
beforeAll(async () => {
  t = await startTestTill(
    catalogOnlyHq([
      { sku: 'WINE', name: 'Red wine', barcodes: [], priceMinor: 899, taxRateBp: 1900, active: true },
    ]),
    { seedManager: DEMO_MANAGER },
  );
}, 120_000);
afterAll(async () => {
  await t.close();
});

const call = async (method: 'POST' | 'DELETE', url: string, payload?: object) =>
  inject(t.app, method, url, payload, await asCashier(t));

describe('coupons at the till over HTTP', () => {
  it('keeps a presented code, says why it did nothing, takes it off, and names the field on bad input', async () => {
    const cart = await call('POST', '/api/v1/carts');
    const id = cart.body.cartId as string;
    await call('POST', `/api/v1/carts/${id}/lines`, { code: 'WINE', qty: 1 });
    const added = await call('POST', `/api/v1/carts/${id}/coupons`, { code: ' spring25 ' });
    expect(added.status).toBe(200);
    expect(added.body.couponCodes).toEqual(['SPRING25']);
    expect(added.body.coupons).toEqual([{ code: 'SPRING25', applied: false, reason: 'unknown coupon code' }]);
    expect(added.body.totals.grossMinor).toBe(899);
    const empty = await call('POST', `/api/v1/carts/${id}/coupons`, { code: '  ' });
    expect([empty.status, empty.body.field]).toEqual([400, 'code']);
    const missing = await call('POST', `/api/v1/carts/${id}/coupons`, {});
    expect([missing.status, missing.body.field]).toEqual([400, 'code']);
    const removed = await call('DELETE', `/api/v1/carts/${id}/coupons/spring25`);
    expect([removed.status, removed.body.couponCodes]).toEqual([200, []]);
    const again = await call('DELETE', `/api/v1/carts/${id}/coupons/SPRING25`);
    expect([again.status, again.body.field]).toEqual([404, 'code']);
  });
});
