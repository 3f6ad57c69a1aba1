import { afterEach, describe, expect, it } from 'vitest';
import { cornerShop, milkAndWine } from '../../../test/fixtures/till.ts';
import { inject, type Method } from '../../../test/helpers/calls.ts';
import { catalogOnlyHq, startTestTill } from '../../../test/helpers/offline-till.ts';
import { signIn, TEST_CASHIER, type TillPerson } from '../../../test/helpers/till-session.ts';
import { hashPin } from '../../access/index.ts';
import type { CatalogSnapshot, TillUserWire } from '../../contracts/index.ts';
import { fixedClock } from '../../core/clock.ts';
import { DEMO_MANAGER, type RunningTerminal } from './start.ts';

/**
 * Cashiers sign in at the register with a till code and PIN; every event says who did it and who
 * approved it. The shop-floor cases: a wrong PIN, a guessed PIN, a cashier walking away, a change of
 * cashier mid-shift, a cashier asking a manager, and a till signing people in with HQ unreachable.
 */
const clock = fixedClock('2026-12-02T09:00:00Z');
const running: (RunningTerminal & { dataDir: string })[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.close();
});

const start = async (fetchFn = catalogOnlyHq(milkAndWine), extra = {}) => {
  const t = await startTestTill(fetchFn, { seedManager: DEMO_MANAGER, clock, ...extra });
  running.push(t);
  return t;
};

const as = (t: RunningTerminal, headers: Record<string, string>) => ({
  call: (method: Method, url: string, payload?: object, more: Record<string, string> = {}) =>
    inject(t.app, method, url, payload, { ...headers, ...more }),
});

const events = (t: RunningTerminal, type?: string) =>
  t.ledger.range(1, 10_000).filter((e) => type === undefined || e.type === type);

const sellOne = async (c: ReturnType<typeof as>, code = 'MILK') => {
  const cart = (await c.call('POST', '/api/v1/carts', {})).body as { cartId: string };
  await c.call('POST', `/api/v1/carts/${cart.cartId}/lines`, { code, qty: 1 });
  return (
    await c.call('POST', `/api/v1/carts/${cart.cartId}/complete`, {
      tenders: [{ kind: 'cash', tenderedMinor: 1_000 }],
    })
  ).body as { saleId: string; receiptNo: string };
};

const BEA: TillPerson = {
  code: 'C2',
  name: 'Bea',
  pin: '3690',
  permissions: ['sell', 'refund_with_receipt'],
};

describe('signing in at the till', () => {
  it('a wrong PIN is refused and recorded with the code tried, never the PIN', async () => {
    const t = await start();
    await signIn(t); // makes the test cashier C1
    const wrong = await inject(t.app, 'POST', '/api/v1/session', { code: 'C1', pin: '9999' });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'unauthorized', field: 'pin' } });
    const failed = events(t, 'auth.sign_in_failed');
    expect(failed.map((e) => e.payload)).toEqual([{ code: 'C1', reason: 'wrong_pin' }]);
    const unknown = await inject(t.app, 'POST', '/api/v1/session', { code: 'NOBODY', pin: '1234' });
    expect(unknown.status).toBe(401);
    expect(events(t, 'auth.sign_in_failed').at(-1)?.payload).toEqual({
      code: 'NOBODY',
      reason: 'unknown_code',
    });
    const stored = JSON.stringify(events(t));
    expect(stored).not.toContain('9999');
    expect((await inject(t.app, 'GET', '/api/v1/session')).status).toBe(401);
  });

  it('five wrong PINs lock that code for a minute, even with the right PIN; other cashiers sign in', async () => {
    const t = await start();
    await signIn(t);
    await signIn(t, BEA);
    for (let i = 0; i < 5; i++)
      expect((await inject(t.app, 'POST', '/api/v1/session', { code: 'C1', pin: '0000' })).status).toBe(401);
    const locked = await inject(t.app, 'POST', '/api/v1/session', { code: 'C1', pin: TEST_CASHIER.pin });
    expect(locked.status).toBe(401);
    expect(locked.body.message).toMatch(/too many wrong PINs for C1.*try again in 60 s/);
    expect(events(t, 'auth.sign_in_failed').at(-1)?.payload).toEqual({ code: 'C1', reason: 'locked' });
    expect((await inject(t.app, 'POST', '/api/v1/session', { code: 'C2', pin: BEA.pin })).status).toBe(200);
    clock.advance(61_000);
    expect(
      (await inject(t.app, 'POST', '/api/v1/session', { code: 'C1', pin: TEST_CASHIER.pin })).status,
    ).toBe(200);
  });

  it('a register left idle locks; signing in again unlocks it with the cart kept', async () => {
    const t = await start(undefined, { registerConfig: { session: { idleLockSeconds: 120 } } });
    const c = as(t, await signIn(t));
    await c.call('POST', '/api/v1/shifts', { openingFloatMinor: 0 });
    const cart = (await c.call('POST', '/api/v1/carts', {})).body as { cartId: string };
    await c.call('POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'WINE', qty: 2 });
    clock.advance(121_000);
    const locked = await c.call('GET', `/api/v1/carts/${cart.cartId}`);
    expect(locked).toMatchObject({ status: 401, body: { field: 'session' } });
    expect(locked.body.message).toMatch(/^session locked/);
    expect((await c.call('GET', '/api/v1/session')).body).toMatchObject({ locked: true });
    const again = as(t, await signIn(t));
    expect((await again.call('GET', `/api/v1/carts/${cart.cartId}`)).body).toMatchObject({
      lines: [{ sku: 'WINE', qty: 2 }],
    });
    // The lock button locks at once.
    expect((await again.call('POST', '/api/v1/session/lock')).status).toBe(204);
    expect((await again.call('GET', '/api/v1/shifts/current')).body.message).toMatch(/^session locked/);
  });

  it('a second cashier signing in mid-shift is recorded as a switch, and the first session ends', async () => {
    const t = await start();
    const ana = as(t, await signIn(t));
    await ana.call('POST', '/api/v1/shifts', { openingFloatMinor: 0 });
    const bea = as(t, await signIn(t, BEA));
    const shiftId = (await bea.call('GET', '/api/v1/shifts/current')).body.shiftId;
    expect(events(t, 'auth.cashier_switched').map((e) => ({ ...e.payload, actor: e.actor }))).toEqual([
      { fromUserId: 'local:C1', toUserId: 'local:C2', shiftId, actor: 'local:C2' },
    ]);
    expect((await ana.call('GET', '/api/v1/shifts/current')).status).toBe(401);
    expect((await bea.call('DELETE', '/api/v1/session')).status).toBe(204);
    expect((await bea.call('GET', '/api/v1/shifts/current')).status).toBe(401);
    expect(events(t, 'auth.signed_out').map((e) => e.actor)).toEqual(['local:C2']);
  });
});

describe('permissions and approvals at the till', () => {
  it('a cashier without refund_without_receipt needs an approver who has it; a refusal is recorded', async () => {
    const t = await start();
    await signIn(t, BEA);
    const ana = as(t, await signIn(t));
    await ana.call('POST', '/api/v1/shifts', { openingFloatMinor: 5_000 });
    await sellOne(ana);
    const body = { lines: [{ code: 'MILK', qty: 1 }], reason: 'no receipt' };
    const asked = await ana.call('POST', '/api/v1/returns/without-receipt', body);
    expect(asked).toMatchObject({ status: 403, body: { error: 'approval_required' } });
    expect(asked.body.message).toMatch(/someone with refund_without_receipt/);

    // Bea may not approve it: she lacks the permission herself.
    const bea = await ana.call('POST', '/api/v1/returns/without-receipt', body, {
      'x-manager-id': 'C2',
      'x-manager-pin': BEA.pin,
    });
    expect(bea).toMatchObject({ status: 403, body: { error: 'approval_denied' } });
    expect(bea.body.message).toMatch(/lack refund_without_receipt/);
    expect(events(t, 'auth.approval_refused').map((e) => e.payload)).toEqual([
      {
        code: 'C2',
        field: 'returnWithoutReceipt',
        what: 'a return without a receipt',
        reason: 'no_permission',
      },
    ]);

    const ok = await ana.call('POST', '/api/v1/returns/without-receipt', body, {
      'x-manager-id': DEMO_MANAGER.managerId,
      'x-manager-pin': DEMO_MANAGER.pin,
    });
    expect(ok.status).toBe(201);
    const ret = events(t, 'sale.returned').at(-1)!;
    expect({ actor: ret.actor, approver: ret.approver, approvedBy: ret.payload.approvedBy }).toEqual({
      actor: 'local:C1',
      approver: 'local:M1',
      approvedBy: 'M1',
    });
  });

  it('a manager signed in needs nobody for what a cashier is asked about; a cashier cannot even sell without sell', async () => {
    const t = await start();
    const m = as(t, await signIn(t, { code: DEMO_MANAGER.managerId, name: 'M', pin: DEMO_MANAGER.pin }));
    await m.call('POST', '/api/v1/shifts', { openingFloatMinor: 0 });
    expect((await m.call('POST', '/api/v1/shifts/current/no-sale', { reason: 'change' })).status).toBe(201);
    const viewer = as(t, await signIn(t, { code: 'V1', name: 'Viewer', pin: '1470', permissions: [] }));
    const cart = await viewer.call('POST', '/api/v1/carts', {});
    expect(cart).toMatchObject({ status: 403, body: { error: 'approval_required' } });
    expect(cart.body.message).toMatch(/someone with sell/);
  });

  it('every event a signed-in cashier causes names them, and an approved one its approver', async () => {
    const t = await start();
    const ana = as(t, await signIn(t));
    await ana.call('POST', '/api/v1/shifts', { openingFloatMinor: 1_000 });
    const sale = await sellOne(ana);
    await ana.call('POST', '/api/v1/shifts/current/cash-drops', { amountMinor: 500, reason: 'safe' });
    await ana.call(
      'POST',
      '/api/v1/shifts/current/no-sale',
      { reason: 'change' },
      {
        'x-manager-id': 'M1',
        'x-manager-pin': '1234',
      },
    );
    await ana.call('GET', `/api/v1/sales/${sale.saleId}/receipt?copy=true`);
    await ana.call('POST', '/api/v1/returns', {
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      refundTo: 'cash',
      reason: 'changed mind',
    });
    await ana.call('POST', '/api/v1/shifts/current/close', { countedCashMinor: 0 });
    const all = events(t);
    expect(all.length).toBeGreaterThan(7);
    expect(all.filter((e) => e.actor === undefined).map((e) => e.type)).toEqual([]);
    expect(all.filter((e) => e.approver).map((e) => [e.type, e.approver])).toEqual([
      ['drawer.no_sale', 'local:M1'],
    ]);
    expect(all.find((e) => e.type === 'shift.opened')?.payload.cashierId).toBe('local:C1');
  });

  it('the X and Z reports break the shift down by cashier', async () => {
    const t = await start();
    const ana = as(t, await signIn(t));
    await ana.call('POST', '/api/v1/shifts', { openingFloatMinor: 0 });
    await sellOne(ana, 'MILK');
    await sellOne(ana, 'WINE');
    const bea = as(t, await signIn(t, BEA));
    const sale = await sellOne(bea, 'WINE');
    await bea.call('POST', '/api/v1/returns', {
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      refundTo: 'cash',
      reason: 'wrong wine',
    });
    const cart = (await bea.call('POST', '/api/v1/carts', {})).body as { cartId: string };
    await bea.call('POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'MILK', qty: 1 });
    await bea.call('POST', `/api/v1/carts/${cart.cartId}/void`, { reason: 'customer left' });
    const x = (await bea.call('GET', '/api/v1/shifts/current/x-report')).body;
    const mgr = as(t, await signIn(t, { code: 'M1', name: 'M', pin: '1234' }));
    const z = (await mgr.call('POST', '/api/v1/shifts/current/close', { countedCashMinor: 0 })).body.report;
    for (const report of [x, z])
      expect(report.byCashier).toEqual([
        {
          userId: 'local:C1',
          sales: { count: 2, netMinor: 111 + 755 },
          refunds: { count: 0, totalMinor: 0 },
          voids: { count: 0, totalMinor: 0 },
          noSales: 0,
          discounts: { count: 0, totalMinor: 0 },
        },
        {
          userId: 'local:C2',
          sales: { count: 1, netMinor: 755 },
          refunds: { count: 1, totalMinor: 899 },
          voids: { count: 1, totalMinor: 119 },
          noSales: 0,
          discounts: { count: 0, totalMinor: 0 },
        },
      ]);
  });
});

describe('signing in offline with the users HQ sent', () => {
  const user = (over: Partial<TillUserWire> = {}): TillUserWire => ({
    userId: 'ana',
    code: '1001',
    name: 'Ana Weber',
    permissions: ['sell', 'refund_with_receipt'],
    pinHash: hashPin('1111'),
    active: true,
    ...over,
  });

  it('signs in from the cached users with HQ down, and a deactivation in the next pull ends the session', async () => {
    const hq = { up: true, users: [user()], cursor: 1 };
    const fetchFn = (async (url: URL | string) => {
      if (!hq.up) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      if (new URL(String(url)).pathname !== '/api/v1/terminal/catalog')
        return new Response('', { status: 503 });
      const snap: CatalogSnapshot = {
        cursor: `c${hq.cursor++}`,
        full: true,
        store: cornerShop,
        products: milkAndWine,
        tillUsers: hq.users,
      };
      return Response.json(snap);
    }) as typeof fetch;
    const t = await start(fetchFn, { seedManager: false });
    hq.up = false;
    const signedIn = await inject(t.app, 'POST', '/api/v1/session', { code: '1001', pin: '1111' });
    expect(signedIn).toMatchObject({
      status: 200,
      body: { user: { userId: 'ana', name: 'Ana Weber', permissions: ['sell', 'refund_with_receipt'] } },
    });
    const ana = as(t, { authorization: `Bearer ${signedIn.body.sessionToken}` });
    expect((await ana.call('POST', '/api/v1/shifts', { openingFloatMinor: 0 })).status).toBe(201);
    expect(events(t, 'shift.opened')[0]?.actor).toBe('ana');

    hq.up = true;
    hq.users = [user({ active: false })];
    expect(await t.pullCatalog()).toBe(true);
    expect((await ana.call('GET', '/api/v1/shifts/current')).status).toBe(401);
    expect((await inject(t.app, 'POST', '/api/v1/session', { code: '1001', pin: '1111' })).status).toBe(401);
  });
});
