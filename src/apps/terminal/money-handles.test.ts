import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cornerShop } from '../../../test/fixtures/till.ts';
import { startTestTill } from '../../../test/helpers/offline-till.ts';
import { asCashier } from '../../../test/helpers/till-session.ts';
import { MONEY_HANDLES } from '../../contracts/register.ts';
import type { CatalogSnapshot, IngestResult } from '../../contracts/wire.ts';
import { newId } from '../../core/ids.ts';
import { SimulatedProvider } from '../../payments/simulated.ts';
import { DEMO_MANAGER, type RunningTerminal } from './start.ts';

/**
 * The till's API answers anyone who can reach it (the cashier session comes later), so no answer may
 * carry a handle that acts on money: a gift card's account id or HQ authorisation id, its code's hash,
 * a card's processor token. Checked two ways: no route's response schema declares such a key, and
 * after a day of gift cards, cards and a return, no answer contains any such value from the ledger.
 */
const snapshot: CatalogSnapshot = {
  cursor: 'c1',
  full: true,
  store: cornerShop,
  products: [{ sku: 'WINE', name: 'Red wine', barcodes: [], priceMinor: 899, taxRateBp: 1900, active: true }],
};

/** HQ for this till: the catalog, ingest, and online gift-card authorisations (so tenders carry authIds). */
const fakeHq = (async (url: URL | string) => {
  const u = new URL(String(url));
  if (u.pathname === '/api/v1/terminal/catalog') return Response.json(snapshot);
  if (u.pathname === '/api/v1/stored-value/lookup')
    return Response.json({ error: 'not_found' }, { status: 404 });
  if (u.pathname === '/api/v1/stored-value/redemptions')
    return Response.json({ authId: newId(), balanceMinor: 0 });
  if (u.pathname.endsWith('/reverse')) return Response.json({ reversed: true, balanceMinor: 0 });
  const r: IngestResult = { accepted: 0, duplicates: 0, rejected: [], heldUpTo: 0, gaps: [] };
  return Response.json(r);
}) as typeof fetch;

let t: RunningTerminal;
const answers: string[] = [];

async function call(method: 'GET' | 'POST', url: string, payload?: object) {
  const cashier = await asCashier(t);
  const send = (headers: Record<string, string>) =>
    t.app.inject({ method, url, headers: { ...cashier, ...headers }, ...(payload ? { payload } : {}) });
  let res = await send({});
  if (res.statusCode === 403 && res.body.includes('approval_required'))
    res = await send({ 'x-manager-pin': DEMO_MANAGER.pin });
  answers.push(res.body);
  if (res.statusCode >= 400) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
  return res.json() as Record<string, unknown>;
}

beforeAll(async () => {
  t = await startTestTill(fakeHq, {
    provider: new SimulatedProvider(),
    syncIntervalMs: 3_600_000,
    seedManager: DEMO_MANAGER,
  });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** Every value under one of the handle keys anywhere in the ledger's payloads. */
function handlesInLedger(): Set<string> {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if ((MONEY_HANDLES as readonly string[]).includes(k) && typeof x === 'string') found.add(x);
        walk(x);
      }
  };
  for (const p of t.ledger.db.prepare('SELECT payload FROM ledger').pluck().all() as string[])
    walk(JSON.parse(p));
  return found;
}

describe('the till never answers with a handle on the money', () => {
  it('no route of the till declares an account id, authorisation id, code hash or card token in its answers', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    };
    const offenders: string[] = [];
    const walk = (where: string, v: unknown): void => {
      if (Array.isArray(v)) for (const x of v) walk(where, x);
      else if (v && typeof v === 'object') {
        const props = (v as { properties?: Record<string, unknown> }).properties;
        if (props)
          for (const k of Object.keys(props))
            if ((MONEY_HANDLES as readonly string[]).includes(k)) offenders.push(`${where}: ${k}`);
        for (const x of Object.values(v)) walk(where, x);
      }
    };
    for (const [path, methods] of Object.entries(spec.paths))
      for (const [method, op] of Object.entries(methods))
        walk(`${method.toUpperCase()} ${path}`, op.responses);
    expect(Object.keys(spec.paths).length).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });

  it('after gift cards, cards, a receipt lookup and a return, no answer holds a handle the ledger keeps', async () => {
    await call('POST', '/api/v1/shifts', { cashierId: 'ana', openingFloatMinor: 0 });
    const sold = await call('POST', '/api/v1/gift-cards', {
      amountMinor: 5_000,
      tenders: [{ kind: 'card', amountMinor: 5_000 }],
    });
    const code = String(sold.code);
    await call('POST', '/api/v1/gift-cards/balance', { code });
    const cart = await call('POST', '/api/v1/carts', {});
    await call('POST', `/api/v1/carts/${cart.cartId}/lines`, { code: 'WINE', qty: 2 });
    const sale = await call('POST', `/api/v1/carts/${cart.cartId}/complete`, {
      tenders: [
        { kind: 'gift_card', code, amountMinor: 1_000 },
        { kind: 'card', amountMinor: 798 },
      ],
    });
    await call('GET', `/api/v1/sales/by-receipt/${sale.receiptNo}`);
    await call('POST', '/api/v1/returns', {
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, qty: 1 }],
      refundTo: 'original',
      reason: 'customer changed their mind',
    });
    const handles = handlesInLedger();
    // The day must have made every kind of handle, or the scan proves nothing.
    const ledger = (t.ledger.db.prepare('SELECT payload FROM ledger').pluck().all() as string[]).join('\n');
    for (const key of MONEY_HANDLES) expect(ledger).toContain(`"${key}"`);
    const leaked = [...handles].filter((h) => answers.some((a) => a.includes(h)));
    expect(leaked).toEqual([]);
  });
});
