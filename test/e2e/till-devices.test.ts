import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueEnrollmentCode, revokeTerminal } from '../../src/access/index.ts';
import { enrollWithCodeOverHttp } from '../../src/apps/commands/terminal.ts';
import { type RunningHq, startHq } from '../../src/apps/hq/server.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { hqLine } from '../../src/apps/terminal/hq-line.ts';
import { type RunningTerminal, startTerminal } from '../../src/apps/terminal/start.ts';
import { formatSyncStatus, readLocalSyncStatus } from '../../src/apps/terminal/sync-local.ts';
import { rotateTillToken } from '../../src/apps/terminal/token-rotation.ts';
import { createLogger } from '../../src/core/log.ts';
import { seedDemoChain } from '../../src/demo/index.ts';
import type { SyncStatus } from '../../src/sync/till/sync-status.ts';
import { syncBannerText } from '../../src/web/register/sync-banner.ts';
import { cleanupsAfterEach } from '../helpers/cleanups.ts';
import { signIn } from '../helpers/till-session.ts';

/**
 * A till's life as a device, against a real HQ: enrolled with a one-time code, given a new token
 * while sales wait to be sent (none lost), surviving a rotation whose answer never arrived, and
 * revoked by head office, after which it stops sending, keeps every unsent sale and says why.
 */
const logger = createLogger('e2e', 'silent');
const cleanup = cleanupsAfterEach();
/** The signed-in cashier of each till: the register API refuses anyone else. */
const cashiers = new WeakMap<RunningTerminal, Record<string, string>>();

async function call<T>(
  t: RunningTerminal,
  method: 'GET' | 'POST',
  url: string,
  payload?: object,
): Promise<T> {
  const headers = cashiers.get(t) ?? {};
  const res = await t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json() as T;
}

async function sell(t: RunningTerminal, sku: string): Promise<string> {
  const cart = await call<{ cartId: string }>(t, 'POST', '/api/v1/carts', {});
  await call(t, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code: sku, qty: 1 });
  const sale = await call<{ saleId: string }>(t, 'POST', `/api/v1/carts/${cart.cartId}/complete`, {
    tenders: [{ kind: 'cash', tenderedMinor: 1_000_000 }],
  });
  return sale.saleId;
}

async function hqAndTill(): Promise<{ hq: RunningHq; till: RunningTerminal; dataDir: string; sku: string }> {
  const root = mkdtempSync(join(tmpdir(), 'tally-devices-'));
  const hq = await startHq({ port: 0, logger });
  cleanup(async () => {
    await hq.close();
    rmSync(root, { recursive: true, force: true });
  });
  await seedDemoChain(hq.db, hqEventRegistry, { stores: 1, products: 3 });
  const sku = (await hq.db.selectFrom('products').select('sku').orderBy('sku').executeTakeFirstOrThrow()).sku;
  const { code } = await issueEnrollmentCode(hq.db, { storeId: 'S001', createdBy: 'admin' });
  const enrolled = await enrollWithCodeOverHttp(hq.url, code.toLowerCase());
  const dataDir = join(root, 'till');
  const till = await startTerminal({
    dataDir,
    hqUrl: hq.url,
    token: enrolled.token,
    storeId: enrolled.storeId,
    terminalId: enrolled.terminalId,
    port: 0,
    logger,
    syncIntervalMs: 60_000,
  });
  cleanup(() => till.close());
  // Seq 1 is the sign-in, seq 2 the shift.
  cashiers.set(till, await signIn(till));
  await call(till, 'POST', '/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 10_000 });
  expect(await call(till, 'POST', '/api/v1/sync/flush')).toMatchObject({ state: 'synced', ackedUpTo: 2 });
  return { hq, till, dataDir, sku };
}

const hqSeqs = async (hq: RunningHq, terminalId: string) =>
  (
    await hq.db
      .selectFrom('events')
      .select('seq')
      .where('terminal_id', '=', terminalId)
      .orderBy('seq')
      .execute()
  ).map((e) => Number(e.seq));

describe('a till as a device of the chain', () => {
  it('enrolled with a code, it rotates its token with sales waiting and HQ gets every one of them', async () => {
    const { hq, till, dataDir, sku } = await hqAndTill();
    const { terminalId } = till.identity;
    const oldToken = till.identity.token;
    await sell(till, sku);
    expect(await call(till, 'POST', '/api/v1/sync/flush')).toMatchObject({ state: 'synced', ackedUpTo: 3 });

    // A rotation whose answer was lost on the way: the till's token must still be accepted.
    const lost = await fetch(`${hq.url}/api/v1/terminal/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${oldToken}` },
    });
    expect(lost.status).toBe(200);
    await sell(till, sku);
    await sell(till, sku);
    const rotated = await till.rotateToken();
    expect(rotated).toMatchObject({ terminalId, confirmed: true });
    expect(JSON.parse(readFileSync(join(dataDir, 'terminal.json'), 'utf8')).token).toBe(rotated.token);
    await sell(till, sku);
    expect(await call(till, 'POST', '/api/v1/sync/flush')).toMatchObject({
      state: 'synced',
      ackedUpTo: 6,
      pending: 0,
    });
    expect(await hqSeqs(hq, terminalId)).toEqual([1, 2, 3, 4, 5, 6]);
    // The old token and the one whose answer was lost are both dead now.
    for (const token of [oldToken, ((await lost.json()) as { token: string }).token]) {
      const probe = await fetch(`${hq.url}/api/v1/terminal/sync`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(probe.status).toBe(401);
    }

    // `tally terminal rotate-token` from another process: the running till sends with the new token.
    const fromConsole = await rotateTillToken(dataDir, hqLine({ dataDir, token: rotated.token }));
    expect(fromConsole.confirmed).toBe(true);
    await sell(till, sku);
    expect(await call(till, 'POST', '/api/v1/sync/flush')).toMatchObject({ state: 'synced', ackedUpTo: 7 });
  });

  it('revoked at HQ, it stops sending, keeps every unsent sale and says why everywhere it reports', async () => {
    const { hq, till, dataDir, sku } = await hqAndTill();
    const { terminalId } = till.identity;
    await sell(till, sku);
    expect(await call(till, 'POST', '/api/v1/sync/flush')).toMatchObject({ state: 'synced' });
    await revokeTerminal(hq.db, { terminalId, reason: 'reported stolen from Berlin Mitte', by: 'admin' });
    const kept = [await sell(till, sku), await sell(till, sku)];

    const status = await call<SyncStatus>(till, 'POST', '/api/v1/sync/flush');
    expect(status).toMatchObject({ state: 'revoked', ackedUpTo: 3, lastSeq: 5, pending: 2 });
    expect(status.revoked?.message).toMatch(
      /^this till was revoked at HQ: reported stolen from Berlin Mitte/,
    );
    expect(status.action).toContain('this till was revoked at HQ: reported stolen from Berlin Mitte');
    expect(await call<SyncStatus>(till, 'GET', '/api/v1/sync/status')).toMatchObject({ state: 'revoked' });
    expect(syncBannerText(status)).toMatchObject({
      tone: 'stopped',
      detail: expect.stringContaining('reported stolen from Berlin Mitte'),
    });
    for (const saleId of kept) expect(till.ledger.saleById(saleId)).toBeDefined();
    expect(await hqSeqs(hq, terminalId)).toEqual([1, 2, 3]);
    await till.close();

    // The console, from the data folder, says the same after the till stopped.
    const local = readLocalSyncStatus(dataDir);
    expect(local).toMatchObject({ state: 'revoked', pending: 2 });
    expect(formatSyncStatus(local)).toContain(
      'this till was revoked at HQ: reported stolen from Berlin Mitte',
    );
  });
});
