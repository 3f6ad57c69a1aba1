import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { enrollTerminal } from '../../src/access/index.ts';
import { type RunningHq, startHq } from '../../src/apps/hq/server.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { createLogger } from '../../src/core/log.ts';
import { dropSchema } from '../../src/db/hq-db.ts';
import { seedDemoChain } from '../../src/demo/index.ts';
import { fetchJson } from '../helpers/calls.ts';
import { cleanupsAfterEach } from '../helpers/cleanups.ts';
import { freePort, type RunningCli, startCli } from '../helpers/processes.ts';
import { addHqCashier, signInAt } from '../helpers/till-session.ts';

/**
 * The sale path across real processes: a till in its own process (killed with SIGKILL, like a power
 * cut) selling to an HQ that goes down and comes back. What must hold afterwards: every sale the
 * cashier saw acknowledged is at HQ exactly once, and HQ's stock is the seed minus what was sold.
 */
const pgUrl = process.env.TALLY_TEST_PG_URL;
const backends = [{ name: 'PGlite' }, ...(pgUrl ? [{ name: 'PostgreSQL', url: pgUrl }] : [])];
const logger = createLogger('e2e', 'silent');

interface World {
  hq: RunningHq;
  till: RunningCli;
  port: number;
  startHqAgain(): Promise<RunningHq>;
  startTillAgain(): Promise<RunningCli>;
  terminalId: string;
}

const cleanup = cleanupsAfterEach();

async function world(backend: { name: string; url?: string }): Promise<World> {
  const root = mkdtempSync(join(tmpdir(), 'tally-e2e-'));
  const schema = backend.url ? `e2e_${process.pid}_${Date.now()}` : undefined;
  const port = await freePort();
  const hqOpts = {
    port,
    logger,
    ...(backend.url ? { dbUrl: backend.url, schema } : { dataDir: join(root, 'hq') }),
  };
  const w = { port } as World;
  w.hq = await startHq(hqOpts);
  await seedDemoChain(w.hq.db, hqEventRegistry, { stores: 1, products: 40 });
  await addHqCashier(w.hq.db, 'S001');
  const enrolled = await enrollTerminal(w.hq.db, { storeId: 'S001' });
  w.terminalId = enrolled.terminalId;
  const tillDir = join(root, 'till');
  const tillPort = await freePort();
  const tillArgs = ['terminal', '--data', tillDir, '--port', String(tillPort)];
  w.till = await startCli([
    ...tillArgs,
    ...['--hq', w.hq.url, '--store', 'S001', '--terminal', enrolled.terminalId, '--token', enrolled.token],
  ]);
  // After the first start the till knows who it is from terminal.json: a restart needs no identity flags.
  w.startTillAgain = async () => {
    w.till = await startCli(tillArgs);
    return w.till;
  };
  w.startHqAgain = async () => {
    w.hq = await startHq(hqOpts);
    return w.hq;
  };
  cleanup(async () => {
    await w.till.stop();
    await w.hq.close();
    if (backend.url && schema) await dropSchema(backend.url, schema);
    rmSync(root, { recursive: true, force: true });
  });
  return w;
}

/** The signed-in cashier's headers, set once the till is up. */
let cashier: Record<string, string> = {};
const call = <T>(base: string, method: string, path: string, body?: unknown): Promise<T> =>
  fetchJson<T>(base, method, path, body, cashier);

async function barcodes(hq: RunningHq): Promise<string[]> {
  return (await hq.db.selectFrom('barcodes').select('code').orderBy('code').limit(8).execute()).map(
    (r) => r.code,
  );
}

/** One sale of `qty` units of `code` paid in cash; resolves with the sale id once it is acknowledged. */
async function sell(till: string, code: string, qty: number): Promise<string> {
  const cart = await call<{ cartId: string }>(till, 'POST', '/api/v1/carts', {});
  await call(till, 'POST', `/api/v1/carts/${cart.cartId}/lines`, { code, qty });
  const sale = await call<{ saleId: string }>(till, 'POST', `/api/v1/carts/${cart.cartId}/complete`, {
    tenders: [{ kind: 'cash', tenderedMinor: 1_000_000 }],
  });
  return sale.saleId;
}

interface SyncStatus {
  pending: number;
  lastSeq: number;
  ackedUpTo: number;
}

/** Asks the till to send until nothing is pending; bounded by attempts, not by time. */
async function drain(till: string): Promise<SyncStatus> {
  let status = await call<SyncStatus>(till, 'POST', '/api/v1/sync/flush');
  for (let i = 0; i < 50 && status.pending > 0; i++)
    status = await call<SyncStatus>(till, 'POST', '/api/v1/sync/flush');
  return status;
}

async function hqSaleIds(hq: RunningHq, terminalId: string): Promise<string[]> {
  const rows = await hq.db
    .selectFrom('events')
    .select(sql<string>`payload->>'saleId'`.as('saleId'))
    .where('terminal_id', '=', terminalId)
    .where('type', '=', 'sale.completed')
    .execute();
  return rows.map((r) => r.saleId);
}

async function hqEventCount(hq: RunningHq, terminalId: string): Promise<number> {
  const r = await hq.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('terminal_id', '=', terminalId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function stockOf(hq: RunningHq, code: string): Promise<number> {
  const r = await hq.db
    .selectFrom('stock_on_hand')
    .innerJoin('barcodes', 'barcodes.sku', 'stock_on_hand.sku')
    .select('stock_on_hand.qty')
    .where('barcodes.code', '=', code)
    .where('stock_on_hand.store_id', '=', 'S001')
    .executeTakeFirstOrThrow();
  return Number(r.qty);
}

// Tills and HQ run as child processes that each start, seed and sync; under a busy 2-core machine one
// test has taken 56 s, so the cap leaves room (it bounds a hang, it measures nothing).
vi.setConfig({ testTimeout: 180_000 });

describe.each(backends)('sale path across processes on $name', (backend) => {
  it('keeps selling while HQ is down and delivers every sale once when it returns', async () => {
    const w = await world(backend);
    const [a, b] = await barcodes(w.hq);
    const before = { a: await stockOf(w.hq, a!), b: await stockOf(w.hq, b!) };
    cashier = await signInAt(w.till.url);
    await call(w.till.url, 'POST', '/api/v1/shifts', { openingFloatMinor: 10_000 });
    const sold: string[] = [];
    for (let i = 0; i < 3; i++) sold.push(await sell(w.till.url, a!, 1));
    await drain(w.till.url);

    await w.hq.close();
    for (let i = 0; i < 5; i++) sold.push(await sell(w.till.url, b!, 2));
    const offline = await call<SyncStatus>(w.till.url, 'POST', '/api/v1/sync/flush');
    expect(offline.pending).toBe(5);

    await w.startHqAgain();
    const after = await drain(w.till.url);
    expect(after.pending).toBe(0);
    expect((await hqSaleIds(w.hq, w.terminalId)).sort()).toEqual([...sold].sort());
    expect(await hqEventCount(w.hq, w.terminalId)).toBe(after.lastSeq);
    expect(await stockOf(w.hq, a!)).toBe(before.a - 3);
    expect(await stockOf(w.hq, b!)).toBe(before.b - 10);
  });

  it('loses no acknowledged sale and duplicates none when the till is killed mid-sale', async () => {
    const w = await world(backend);
    const codes = await barcodes(w.hq);
    cashier = await signInAt(w.till.url);
    await call(w.till.url, 'POST', '/api/v1/shifts', { openingFloatMinor: 10_000 });
    const acknowledged: string[] = [];
    let killed = false;
    // Eight cashiers' worth of concurrent sales; the till dies once 40 have been acknowledged.
    const lane = async (k: number): Promise<void> => {
      for (let i = 0; !killed; i++) {
        try {
          acknowledged.push(await sell(w.till.url, codes[(k + i) % codes.length]!, 1));
        } catch {
          return; // the till is gone: whatever was not acknowledged may or may not have been kept
        }
        if (acknowledged.length >= 40 && !killed) {
          killed = true;
          await w.till.kill();
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, k) => lane(k)));
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);

    const till = await w.startTillAgain();
    const status = await drain(till.url);
    expect(status.pending).toBe(0);
    const atHq = await hqSaleIds(w.hq, w.terminalId);
    expect(new Set(atHq).size).toBe(atHq.length);
    for (const id of acknowledged) expect(atHq).toContain(id);
    expect(await hqEventCount(w.hq, w.terminalId)).toBe(status.lastSeq);
  });

  it('loses and duplicates nothing when the till is killed in the middle of a sync', async () => {
    const w = await world(backend);
    const [code] = await barcodes(w.hq);
    cashier = await signInAt(w.till.url);
    await call(w.till.url, 'POST', '/api/v1/shifts', { openingFloatMinor: 10_000 });
    await w.hq.close();
    const sold: string[] = [];
    for (let i = 0; i < 520; i++) sold.push(await sell(w.till.url, code!, 1));
    await w.startHqAgain();

    // The first batch (500 events) reaches HQ; the till dies before it can send the rest.
    const flushing = fetch(`${w.till.url}/api/v1/sync/flush`, { method: 'POST' }).catch(() => undefined);
    for (let i = 0; i < 200 && (await hqEventCount(w.hq, w.terminalId)) === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    await w.till.kill();
    await flushing;

    const till = await w.startTillAgain();
    const status = await drain(till.url);
    expect(status.pending).toBe(0);
    const atHq = await hqSaleIds(w.hq, w.terminalId);
    expect(atHq.length).toBe(520);
    expect(new Set(atHq)).toEqual(new Set(sold));
    expect(await hqEventCount(w.hq, w.terminalId)).toBe(status.lastSeq);
  });
});
