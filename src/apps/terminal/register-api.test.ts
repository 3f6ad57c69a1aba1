import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bananas, milkAndWine } from '../../../test/fixtures/till.ts';
import { inject } from '../../../test/helpers/calls.ts';
import { catalogOnlyHq, startTestTill } from '../../../test/helpers/offline-till.ts';
import { asCashier } from '../../../test/helpers/till-session.ts';
import { DEMO_MANAGER, type RunningTerminal } from './start.ts';

const fetchFn = catalogOnlyHq([
  ...milkAndWine,
  { sku: 'WHITE', name: 'White wine', barcodes: [], priceMinor: 799, taxRateBp: 1900, active: true },
  bananas,
]);

let t: RunningTerminal;
beforeEach(async () => {
  t = await startTestTill(fetchFn, {
    registerConfig: { weighedSkus: ['BANANA'] },
    seedManager: DEMO_MANAGER,
  });
});
afterEach(async () => {
  await t.close();
});

/** `approver` is "M1:1234": the manager's id and PIN, sent as X-Manager-Id and X-Manager-PIN. */
async function call(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
  approver?: string,
) {
  const [id, pin] = approver?.split(':') ?? [];
  return inject(t.app, method, url, payload, {
    ...(await asCashier(t)),
    ...(approver ? { 'x-manager-id': id ?? '', 'x-manager-pin': pin ?? '' } : {}),
  });
}

describe('register actions over HTTP', () => {
  it('searches, discounts with a manager PIN, pays with a gift card and cash, returns, exchanges', async () => {
    await call('POST', '/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 10_000 });
    const found = await call('GET', '/api/v1/items?q=wine');
    expect(found.body.map((p: { sku: string }) => p.sku).sort()).toEqual(['WHITE', 'WINE']);
    expect((await call('GET', '/api/v1/items?q=4011')).body[0]).toMatchObject({
      sku: 'BANANA',
      soldBy: 'weight',
    });

    const created = await call('POST', '/api/v1/carts');
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const cart = created.body;
    await call('POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'WINE', qty: 2 });
    const weighed = await call('POST', `/api/v1/carts/${cart.cartId}/lines`, {
      code: '4011',
      weightGrams: 1_000,
    });
    expect(weighed.status, JSON.stringify(weighed.body)).toBe(200);
    expect(weighed.body.totals.grossMinor).toBe(1_798 + 249);
    const unknown = await call('POST', `/api/v1/carts/${cart.cartId}/lines`, { code: '4006381333931' });
    expect(unknown).toMatchObject({ status: 404, body: { field: 'code' } });

    const big = { percent: 30, reason: 'loyal customer' };
    const asked = await call('POST', `/api/v1/carts/${cart.cartId}/discounts`, big);
    expect(asked).toMatchObject({ status: 403, body: { error: 'approval_required', field: 'discount' } });
    const denied = await call('POST', `/api/v1/carts/${cart.cartId}/discounts`, big, 'M1:9999');
    expect(denied).toMatchObject({ status: 403, body: { error: 'approval_denied' } });
    const ok = await call('POST', `/api/v1/carts/${cart.cartId}/discounts`, big, 'M1:1234');
    expect(ok.status).toBe(200);
    expect(ok.body.discounts[0]).toMatchObject({ percentBp: 3_000, approvedBy: 'M1' });
    const total = ok.body.totals.grossMinor as number;
    expect(ok.body.totals.discountMinor).toBe(2_047 - total);

    const gift = await call('POST', '/api/v1/gift-cards', {
      amountMinor: 1_000,
      tenders: [{ kind: 'cash', tenderedMinor: 1_000 }],
    });
    expect(gift.status).toBe(201);
    const code = gift.body.code as string;
    expect((await call('POST', '/api/v1/gift-cards/balance', { code })).body.balanceMinor).toBe(1_000);

    const customer = await call('POST', '/api/v1/customers', {
      phone: '+49 170 1234567',
      marketingConsent: true,
    });
    expect(customer.status).toBe(201);
    const lookedUp = await call('GET', '/api/v1/customers?phone=%2B491701234567');
    expect(lookedUp.body.customerId).toBe(customer.body.customerId);
    const attached = await call('PUT', `/api/v1/carts/${cart.cartId}/customer`, {
      phone: '+49 170 123 4567',
    });
    expect(attached.body.customerId).toBe(customer.body.customerId);
    const nobody = await call('PUT', `/api/v1/carts/${cart.cartId}/customer`, { email: 'who@example.org' });
    expect(nobody).toMatchObject({ status: 404, body: { field: 'email' } });

    const sale = await call('POST', `/api/v1/carts/${cart.cartId}/complete`, {
      tenders: [
        { kind: 'gift_card', code, amountMinor: 1_000 },
        { kind: 'cash', tenderedMinor: 2_000 },
      ],
    });
    expect(sale.status).toBe(200);
    expect(sale.body).toMatchObject({ grossMinor: total, customerId: customer.body.customerId });
    expect((await call('POST', '/api/v1/gift-cards/balance', { code })).body.balanceMinor).toBe(0);

    const copy = await call('GET', `/api/v1/sales/${sale.body.saleId}/receipt?copy=true`);
    expect(copy.body).toContain('*** COPY ***');
    const giftReceipt = await call('GET', `/api/v1/sales/${sale.body.saleId}/receipt?gift=true`);
    expect(giftReceipt.body).toContain('GIFT RECEIPT');

    // Exchange one (discounted) red wine for a white wine: the credit pays first, cash the rest.
    const newCart = (await call('POST', '/api/v1/carts')).body;
    await call('POST', `/api/v1/carts/${newCart.cartId}/lines`, { code: 'WHITE' });
    const exchange = await call('POST', '/api/v1/exchanges', {
      receiptNo: sale.body.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      cartId: newCart.cartId,
      tenders: [{ kind: 'cash', tenderedMinor: 500 }],
      reason: 'prefers white',
    });
    expect(exchange.status, JSON.stringify(exchange.body)).toBe(201);
    const credit = exchange.body.sale.tenders.find((x: { kind: string }) => x.kind === 'exchange_credit');
    expect(credit.amountMinor).toBe(exchange.body.return.refundMinor);
    expect(exchange.body.return.refunds).toEqual([
      { kind: 'exchange', amountMinor: credit.amountMinor, saleId: exchange.body.sale.saleId },
    ]);
    // The slips, from the API: the return half of the exchange, and the gift card sold earlier.
    const slip = await call('GET', `/api/v1/returns/${exchange.body.return.returnId}/receipt`);
    expect(slip.body).toContain('EXCHANGE - RETURN');
    expect(slip.body).toContain(`Original receipt ${sale.body.receiptNo}`);
    expect(slip.body).toMatch(/Exchange \(new items\)/);
    expect(gift.body.codeHash).toBeUndefined();
    const giftSlip = await call('GET', `/api/v1/gift-cards/receipts/${gift.body.eventId}`);
    expect(giftSlip.body).toMatch(/NEW BALANCE\s+EUR 10,00/);
    expect(giftSlip.body).not.toContain(code);
    const escpos = await t.app.inject({
      headers: await asCashier(t),
      method: 'GET',
      url: `/api/v1/gift-cards/receipts/${gift.body.eventId}?format=escpos`,
    });
    expect(escpos.headers['content-type']).toBe('application/octet-stream');
    expect((await call('GET', '/api/v1/returns/nope/receipt')).status).toBe(404);

    const again = await call('POST', '/api/v1/returns', {
      receiptNo: sale.body.receiptNo,
      lines: [{ lineNo: 1, qty: 2 }],
      reason: 'x',
    });
    expect(again).toMatchObject({ status: 400, body: { field: 'lines[0].qty' } });

    const x = await call('GET', '/api/v1/shifts/current/x-report');
    expect(x.body.discounts.totalMinor).toBe(2_047 - total);
    expect(x.body.giftCards).toMatchObject({ count: 1, totalMinor: 1_000 });
  });

  it('documents the new routes and the 403 answers in /openapi.json', async () => {
    const doc = (await call('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    for (const p of [
      '/api/v1/items',
      '/api/v1/carts/{cartId}/discounts',
      '/api/v1/carts/{cartId}/lines/{lineNo}/price',
      '/api/v1/customers',
      '/api/v1/gift-cards',
      '/api/v1/gift-cards/balance',
      '/api/v1/returns/without-receipt',
      '/api/v1/sales/{saleId}/void',
      '/api/v1/exchanges',
      '/api/v1/register/config',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
    expect(doc.paths['/api/v1/carts/{cartId}/discounts']!.post!.responses['403']).toBeDefined();
  });

  it('replaces the demo manager: adding needs a manager, the new manager approves, the last manager stays', async () => {
    const add = { managerId: 'M2', name: 'Maya', pin: '482913' };
    expect(await call('POST', '/api/v1/managers', add)).toMatchObject({
      status: 403,
      body: { error: 'approval_required' },
    });
    expect((await call('POST', '/api/v1/managers', add, 'M1:1234')).status).toBe(201);
    // A PIN alone approves nothing: it would say whether the PIN is someone's.
    expect((await call('DELETE', '/api/v1/managers/M1', undefined, ':482913')).status).toBe(403);
    expect((await call('DELETE', '/api/v1/managers/M1', undefined, 'M2:482913')).status).toBe(204);
    expect((await call('GET', '/api/v1/managers')).body).toEqual([{ managerId: 'M2', name: 'Maya' }]);
    expect((await call('DELETE', '/api/v1/managers/M2', undefined, 'M2:482913')).status).toBe(409);
    expect((await call('POST', '/api/v1/managers', { ...add, managerId: 'M4' }, 'M1:1234')).body.error).toBe(
      'approval_denied',
    );
  });

  it('refuses a Z report on a closed shift and a second close, with the ledger unchanged', async () => {
    await call('POST', '/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 0 });
    expect((await call('POST', '/api/v1/shifts/current/close', {})).status).toBe(200);
    const seq = t.ledger.lastSeq();
    const again = await call('POST', '/api/v1/shifts/current/close', {});
    expect(again).toMatchObject({ status: 409, body: { field: 'shift' } });
    expect(t.ledger.lastSeq()).toBe(seq);
  });
});
