import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from '../../../test/helpers/calls.ts';
import { asCashier } from '../../../test/helpers/till-session.ts';
import { enrollTerminal } from '../../access/index.ts';
import { seedDemoChain } from '../../demo/index.ts';
import { type RunningHq, startHq } from '../hq/server.ts';
import { hqEventRegistry } from '../shared/event-registry.ts';
import { type RunningTerminal, startTerminal } from './start.ts';

/**
 * Gift cards across the chain, over real HTTP: a card sold at one till is redeemed at another, HQ
 * authorises every online redemption, and a till cut off from HQ redeems within its offline limit,
 * which HQ applies on ingest as an overdraft exception rather than losing it.
 */
const logger = pino({ level: 'silent' });
const ADMIN = 'admin-token-for-the-stored-value-chain-test';
let root: string;
let hq: RunningHq;
let tillA: RunningTerminal;
let tillB: RunningTerminal;
let item: { code: string; priceMinor: number };
/** Till A's network line to HQ. */
const lineA = { down: false };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'tally-sv-chain-'));
  hq = await startHq({ port: 0, logger, adminToken: ADMIN });
  await seedDemoChain(hq.db, hqEventRegistry, { stores: 1, products: 5 });
  const row = await hq.db
    .selectFrom('barcodes')
    .innerJoin('products', 'products.sku', 'barcodes.sku')
    .select(['barcodes.code', 'products.price_minor'])
    .orderBy('barcodes.code')
    .limit(1)
    .executeTakeFirstOrThrow();
  item = { code: row.code, priceMinor: Number(row.price_minor) };
  const start = async (name: string, fetchFn?: typeof fetch) =>
    startTerminal({
      dataDir: join(root, name),
      hqUrl: hq.url,
      ...(await enrollTerminal(hq.db, { storeId: 'S001' })),
      port: 0,
      logger,
      syncIntervalMs: 3_600_000,
      registerConfig: { storedValue: { offlineLimitMinor: 500 } },
      ...(fetchFn ? { fetch: fetchFn } : {}),
    });
  tillA = await start('a', (async (url: URL | string, init?: RequestInit) => {
    if (lineA.down) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    return fetch(url, init);
  }) as typeof fetch);
  tillB = await start('b');
  for (const t of [tillA, tillB])
    expect((await call(t, 'POST', '/api/v1/shifts', { cashierId: 'ana', openingFloatMinor: 0 })).status).toBe(
      201,
    );
}, 180_000);

afterAll(async () => {
  await tillA?.close();
  await tillB?.close();
  await hq?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

const call = async (t: RunningTerminal, method: 'GET' | 'POST', url: string, payload?: object) =>
  inject(t.app, method, url, payload, await asCashier(t));

/** A cart worth at least `minor`, paid with `amountMinor` from the card and the rest in cash. */
async function payWithCard(t: RunningTerminal, code: string, amountMinor: number) {
  const cart = (await call(t, 'POST', '/api/v1/carts', {})).body as { cartId: string };
  const qty = Math.ceil((amountMinor + 1) / item.priceMinor);
  await call(t, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code: item.code, qty });
  return call(t, 'POST', `/api/v1/carts/${cart.cartId}/complete`, {
    tenders: [
      { kind: 'gift_card', code, amountMinor },
      { kind: 'cash', tenderedMinor: qty * item.priceMinor * 2 },
    ],
  });
}

const hqAccount = async (accountId: string) =>
  (
    await hq.app.inject({
      method: 'GET',
      url: `/api/v1/stored-value/accounts/${accountId}`,
      headers: { authorization: `Bearer ${ADMIN}` },
    })
  ).json() as { balanceMinor: number; overdraft: boolean };

describe('gift cards across the chain', () => {
  it('sells at one till, redeems at another through HQ, and reconciles an offline redemption', async () => {
    const sold = await call(tillA, 'POST', '/api/v1/gift-cards', {
      amountMinor: 3_000,
      tenders: [{ kind: 'cash', tenderedMinor: 3_000 }],
    });
    expect(sold.status).toBe(201);
    const code = sold.body.code as string;
    // The API shows the card by its last 4 digits only; the account id is the till's own business.
    expect(sold.body).not.toHaveProperty('accountId');
    const accountId = tillA.register.balance(code).accountId;
    await call(tillA, 'POST', '/api/v1/sync/flush');

    // Till B never saw the card: HQ knows it.
    expect((await call(tillB, 'POST', '/api/v1/gift-cards/balance', { code })).body).toMatchObject({
      balanceMinor: 3_000,
      source: 'hq',
      last4: code.slice(-4),
    });
    const atB = await payWithCard(tillB, code, 2_000);
    expect(atB.status).toBe(200);
    // Authorised online at HQ: the ledger's tender carries HQ's authorisation; the answer shows last 4 only.
    expect((atB.body.tenders as { kind: string; authId?: string }[])[0]).toEqual({
      kind: 'gift_card',
      amountMinor: 2_000,
      last4: code.slice(-4),
    });
    expect(tillB.register.sale(atB.body.saleId as string).payload.tenders[0]).toMatchObject({
      authId: expect.any(String),
    });
    expect((await hqAccount(accountId)).balanceMinor).toBe(1_000);

    // Till A still has 3000 on its own books; HQ refuses what the card no longer holds.
    const tooMuch = await payWithCard(tillA, code, 2_000);
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body).toMatchObject({ field: 'tenders[0].amountMinor' });
    expect(tooMuch.body.message).toMatch(/holds 1000, less than the 2000 asked/);

    // Till A loses HQ: it takes up to its offline limit against the balance it last heard (1000), up to 500 in all.
    lineA.down = true;
    const offline = await payWithCard(tillA, code, 400);
    expect(offline.status).toBe(200);
    expect((offline.body.tenders as { offline?: boolean }[])[0]).toMatchObject({ offline: true });
    const over = await payWithCard(tillA, code, 300);
    expect(over).toMatchObject({ status: 503, body: { field: 'tenders[0].amountMinor' } });
    expect(over.body.message).toMatch(/offline.*up to 100 .*offline limit 500, last known balance 600/);
    expect((await call(tillA, 'POST', '/api/v1/gift-cards/balance', { code })).body).toMatchObject({
      balanceMinor: 600,
      source: 'till',
    });

    // Meanwhile till B spends the rest online; then A's offline sale reaches HQ: applied, flagged.
    expect((await payWithCard(tillB, code, 1_000)).status).toBe(200);
    lineA.down = false;
    await call(tillA, 'POST', '/api/v1/sync/flush');
    expect(await hqAccount(accountId)).toMatchObject({ balanceMinor: -400, overdraft: true });
    const exceptions = (
      await hq.app.inject({
        method: 'GET',
        url: '/api/v1/stored-value/exceptions',
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    ).json() as { accountId: string; kind: string; shortfallMinor: number }[];
    expect(exceptions).toEqual([
      expect.objectContaining({
        accountId,
        kind: 'overdraft',
        shortfallMinor: 400,
        terminalId: tillA.identity.terminalId,
      }),
    ]);
    // A flush again (the same events) changes nothing.
    await call(tillA, 'POST', '/api/v1/sync/flush');
    expect((await hqAccount(accountId)).balanceMinor).toBe(-400);
  });
});
