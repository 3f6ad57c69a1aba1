import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enrollTerminal } from '../../src/access/index.ts';
import { type RunningHq, startHq } from '../../src/apps/hq/server.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { type RunningTerminal, startTerminal } from '../../src/apps/terminal/start.ts';
import { readLocalSyncStatus, retryLocalSync } from '../../src/apps/terminal/sync-local.ts';
import { createLogger } from '../../src/core/log.ts';
import { seedDemoChain } from '../../src/demo/index.ts';
import type { SyncStatus } from '../../src/sync/till/sync-status.ts';
import { syncBannerText } from '../../src/web/register/sync-banner.ts';
import { cleanupsAfterEach } from '../helpers/cleanups.ts';
import { signIn } from '../helpers/till-session.ts';

/**
 * Defect 1 end to end: a till restored from an older copy of its ledger (a backup, a VM snapshot)
 * reuses seqs HQ already holds under other sales. It must stop sending at the first of them, say so in
 * its status and on the register screen, keep every new sale in its ledger, and leave HQ's events
 * alone, instead of both sides saying "synced" while the new sales exist only on the till.
 */
const logger = createLogger('e2e', 'silent');
const cleanup = cleanupsAfterEach();

/** Signed in once on Monday: the session lives in ledger.db, so it outlives restarts (and is in the backup). */
let cashier: Record<string, string> = {};

async function call<T>(
  t: RunningTerminal,
  method: 'GET' | 'POST',
  url: string,
  payload?: object,
): Promise<T> {
  const res = await t.app.inject({
    method,
    url,
    headers: cashier,
    ...(payload ? { payload } : {}),
  });
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

describe('a till restored from an older copy of its ledger', () => {
  it('stops sending at the first reused seq, says so in its status and on the screen, and loses no sale on either side', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tally-rollback-'));
    const hq: RunningHq = await startHq({ port: 0, logger });
    cleanup(async () => {
      await hq.close();
      rmSync(root, { recursive: true, force: true });
    });
    await seedDemoChain(hq.db, hqEventRegistry, { stores: 1, products: 5 });
    const sku = (await hq.db.selectFrom('products').select('sku').orderBy('sku').executeTakeFirstOrThrow())
      .sku;
    const enrolled = await enrollTerminal(hq.db, { storeId: 'S001' });
    const dataDir = join(root, 'till');
    const ledgerFile = join(dataDir, 'ledger.db');
    const open = async (): Promise<RunningTerminal> => {
      const t = await startTerminal({
        dataDir,
        hqUrl: hq.url,
        token: enrolled.token,
        storeId: 'S001',
        terminalId: enrolled.terminalId,
        port: 0,
        logger,
        syncIntervalMs: 60_000,
      });
      cleanup(() => t.close());
      return t;
    };
    const hqEvents = () =>
      hq.db
        .selectFrom('events')
        .select(['seq', 'id'])
        .where('terminal_id', '=', enrolled.terminalId)
        .orderBy('seq')
        .execute();

    // Monday: a shift and two sales, all at HQ. The nightly backup is taken after them.
    let till = await open();
    cashier = await signIn(till);
    await call(till, 'POST', '/api/v1/shifts', { openingFloatMinor: 10_000 });
    await sell(till, sku);
    await sell(till, sku);
    expect(await call(till, 'POST', '/api/v1/sync/flush')).toMatchObject({ state: 'synced', ackedUpTo: 4 });
    await till.close();
    copyFileSync(ledgerFile, join(root, 'backup.db'));

    // Tuesday: two more sales reach HQ; then the disk fails and the backup is restored.
    till = await open();
    await sell(till, sku);
    await sell(till, sku);
    expect(await call(till, 'POST', '/api/v1/sync/flush')).toMatchObject({ state: 'synced', ackedUpTo: 6 });
    await till.close();
    const atHq = await hqEvents();
    expect(atHq.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    copyFileSync(join(root, 'backup.db'), ledgerFile);
    for (const f of [`${ledgerFile}-wal`, `${ledgerFile}-shm`]) if (existsSync(f)) rmSync(f);

    // The restored till asks HQ at start and sees that HQ holds more than its ledger has.
    till = await open();
    const atStart = await call<SyncStatus>(till, 'GET', '/api/v1/sync/status');
    expect(atStart).toMatchObject({ lastSeq: 4, rollback: { hqSeq: 6, tillSeq: 4 } });
    expect(atStart.action).toMatch(/HQ holds events up to seq 6/);

    // Selling goes on; the new sale reuses seq 5, which HQ holds under Tuesday's sale.
    const wednesday = await sell(till, sku);
    const stopped = await call<SyncStatus>(till, 'POST', '/api/v1/sync/flush');
    expect(stopped).toMatchObject({ state: 'conflict', ackedUpTo: 4, lastSeq: 5, pending: 1 });
    expect(stopped.conflicts.map((c) => c.seq)).toEqual([5]);
    expect(stopped.action).toMatch(/stopped sending/);
    // The register screen's banner (SyncBanner.tsx) says it, from the same status the screen polls.
    expect(syncBannerText(stopped)).toMatchObject({
      tone: 'stopped',
      title: expect.stringMatching(/^Sync stopped: head office refused an event of this till \(seq 5\)/),
    });
    // Nothing more is sent, HQ's events are untouched, and the new sale is in the till's ledger.
    await sell(till, sku);
    expect(await call(till, 'POST', '/api/v1/sync/flush')).toMatchObject({ state: 'conflict', ackedUpTo: 4 });
    expect(await hqEvents()).toEqual(atHq);
    expect(till.ledger.saleById(wednesday)).toBeDefined();
    expect(till.ledger.lastSeq()).toBe(6);
    await till.close();

    // The till's console says the same, survives the restart, and a retry asks HQ again but never skips.
    expect(readLocalSyncStatus(dataDir)).toMatchObject({ state: 'conflict', conflicts: [{ seq: 5 }] });
    expect(retryLocalSync(dataDir, 'Ana Weber')).toEqual({ conflicts: 1, rollback: true });
    till = await open();
    expect(await call(till, 'POST', '/api/v1/sync/flush')).toMatchObject({ state: 'conflict', ackedUpTo: 4 });
    expect(await hqEvents()).toEqual(atHq);
  });
});
