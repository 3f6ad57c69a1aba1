import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect as natsConnect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { enrollTerminal } from '../../src/access/terminals.ts';
import { type RunningHq, type StartHqOptions, startHq } from '../../src/apps/hq/server.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import type { IngestResult } from '../../src/contracts/wire.ts';
import type { EventEnvelope } from '../../src/core/event.ts';
import { newId } from '../../src/core/ids.ts';
import { createLogger } from '../../src/core/log.ts';
import { dropSchema, type HqDb } from '../../src/db/hq-db.ts';
import { inventoryDb, parkedTillCounts, stockOnHand } from '../../src/inventory/hq/index.ts';
import { salesDaily } from '../../src/sales/hq/facts-projection.ts';
import type { StoreSyncFigures } from '../../src/sync/hq/figures.ts';
import { rebuildProjections } from '../../src/sync/hq/ingest-projections.ts';
import { encodeBatch } from '../../src/sync/till/wire-codec.ts';
import { saleEvent, tillEvent } from '../fixtures/ingest.ts';
import { cleanupsAfterEach } from '../helpers/cleanups.ts';
import { freePort } from '../helpers/processes.ts';
import { twoStoresWithStock } from '../helpers/stores.ts';

/**
 * Faults the backbone must survive without losing or duplicating an event: a batch delivered twice
 * and out of order, a till offline for a day while another store sells the same SKU (and receives a
 * transfer before its shipment reaches HQ), HQ restarted during ingest, NATS unreachable and back.
 * After recovery: the events at HQ are exactly those the tills made, stock is the sum of the
 * movements, and every projection equals a rebuild by replay. Runs on PGlite with the in-process
 * bus always; on PostgreSQL and NATS JetStream when TALLY_TEST_PG_URL / TALLY_TEST_NATS_URL are set.
 */
const pgUrl = process.env.TALLY_TEST_PG_URL;
const natsUrl = process.env.TALLY_TEST_NATS_URL;
const logger = createLogger('e2e', 'silent');
const SKU = 'MILK-1L';
const OPENING = 500;
/** Each test starts HQ (and NATS clients) more than once on a shared 2-core machine. */
const SLOW = 180_000;

interface Setup {
  name: string;
  pg: boolean;
  nats: boolean;
}
const setups: Setup[] = [
  { name: 'PGlite + in-process bus', pg: false, nats: false },
  ...(natsUrl ? [{ name: 'PGlite + NATS', pg: false, nats: true }] : []),
  ...(pgUrl ? [{ name: 'PostgreSQL + in-process bus', pg: true, nats: false }] : []),
  ...(pgUrl && natsUrl ? [{ name: 'PostgreSQL + NATS', pg: true, nats: true }] : []),
];

const cleanup = cleanupsAfterEach();

interface Till {
  terminalId: string;
  storeId: string;
  token: string;
  seq: number;
  made: EventEnvelope[];
}

interface World {
  hq: RunningHq;
  start(overrides?: Partial<StartHqOptions>): Promise<RunningHq>;
  tills: { a: Till; b: Till };
  natsOpts?: StartHqOptions['nats'];
}

async function world(setup: Setup, opts: { natsUrl?: string } = {}): Promise<World> {
  const root = mkdtempSync(join(tmpdir(), 'tally-backbone-'));
  const id = randomBytes(4).toString('hex');
  const schema = setup.pg ? `bb_${id}` : undefined;
  const port = await freePort();
  const natsOpts =
    setup.nats && natsUrl
      ? { url: opts.natsUrl ?? natsUrl, stream: `TEST_${id}`, subjectPrefix: `test.${id}`, durable: 'hq' }
      : undefined;
  const base: StartHqOptions = {
    port,
    logger,
    ...(setup.pg ? { dbUrl: pgUrl, schema } : { dataDir: join(root, 'hq') }),
    ...(natsOpts ? { nats: natsOpts } : {}),
  };
  const w = { natsOpts } as World;
  w.start = async (overrides = {}) => {
    w.hq = await startHq({ ...base, ...overrides });
    return w.hq;
  };
  await w.start();
  cleanup(async () => {
    await w.hq.close().catch(() => undefined);
    if (schema && pgUrl) await dropSchema(pgUrl, schema);
    if (natsOpts && natsUrl) {
      const nc = await natsConnect({ servers: natsUrl });
      await (await jetstreamManager(nc)).streams.delete(natsOpts.stream).catch(() => undefined);
      await nc.close();
    }
    rmSync(root, { recursive: true, force: true });
  });
  const db = w.hq.db;
  // Before the tills' days, so a count taken at a till measures against it.
  await twoStoresWithStock(
    db,
    { sku: SKU, qty: OPENING, reason: 'opening_balance' },
    new Date('2026-03-01T00:00:00Z'),
  );
  const till = async (storeId: string): Promise<Till> => ({
    ...(await enrollTerminal(db, { storeId })),
    seq: 0,
    made: [],
  });
  w.tills = { a: await till('S001'), b: await till('S002') };
  return w;
}

/** The till writes an event to its ledger: next seq, remembered as made. */
function make(t: Till, type: string, payload: Record<string, unknown>, businessDate: string): EventEnvelope {
  t.seq++;
  const e =
    type === 'sale.completed'
      ? saleEvent(t, t.seq, [{ sku: SKU, qty: payload.qty as number, unitPriceMinor: 119, taxRateBp: 700 }], {
          businessDate,
          occurredAt: `${businessDate}T10:00:00.000Z`,
        })
      : tillEvent(t, t.seq, type, payload, `${businessDate}T09:00:00.000Z`);
  t.made.push(e);
  return e;
}

async function send(
  hq: RunningHq,
  t: Till,
  events: EventEnvelope[],
  outbox?: { pending: number; oldestAgeSeconds: number },
): Promise<IngestResult> {
  const res = await fetch(`${hq.url}/api/v1/ingest`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${t.token}`,
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    },
    body: encodeBatch({ terminalId: t.terminalId, events, ...(outbox ? { outbox } : {}) }),
  });
  if (!res.ok) throw new Error(`ingest → ${res.status} ${await res.text()}`);
  return (await res.json()) as IngestResult;
}

/** Sends like a till: a 429 (another batch of this till being stored) is sent again after a moment. */
async function sendUntilTaken(hq: RunningHq, t: Till, events: EventEnvelope[]): Promise<IngestResult> {
  for (;;) {
    try {
      return await send(hq, t, events);
    } catch (err) {
      if (!String(err).includes('ingest → 429')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const batches = (events: EventEnvelope[], size: number): EventEnvelope[][] =>
  Array.from({ length: Math.ceil(events.length / size) }, (_, i) => events.slice(i * size, (i + 1) * size));

async function eventIdsAtHq(db: HqDb, terminalId: string): Promise<string[]> {
  const rows = await db.selectFrom('events').select('id').where('terminal_id', '=', terminalId).execute();
  return rows.map((r) => r.id).sort();
}

async function projections(db: HqDb) {
  return { stock: await stockOnHand(db), sales: await salesDaily(db) };
}

/** What every test must find once the faults are over. */
async function expectRecovered(w: World): Promise<void> {
  await w.hq.backbone.settle(120_000);
  const { db } = w.hq;
  for (const t of [w.tills.a, w.tills.b])
    expect(await eventIdsAtHq(db, t.terminalId)).toEqual(t.made.map((e) => e.id).sort());
  // Stock is what the tills made of it, on top of the opening balance: a count taken at a till sets
  // the level to what was counted at its freeze (every earlier event of that store's till included).
  const expected = (storeId: string): number =>
    [w.tills.a, w.tills.b]
      .flatMap((x) => x.made)
      .filter((e) => e.storeId === storeId)
      .reduce((s, e) => {
        const p = e.payload as { qty?: number; lines?: { qty: number; countedQty?: number }[] };
        if (e.type === 'sale.completed') return s - p.lines![0]!.qty;
        if (e.type === 'stock.received') return s + p.qty!;
        if (e.type === 'stock.adjusted') return s + p.qty!;
        if (e.type === 'stock.transfer_shipped') return s - p.lines![0]!.qty;
        if (e.type === 'stock.transfer_received') return s + p.lines![0]!.qty;
        if (e.type === 'stock.count_taken') return p.lines![0]!.countedQty!;
        return s;
      }, OPENING);
  const live = await projections(db);
  const qty = (storeId: string) => live.stock.find((r) => r.storeId === storeId && r.sku === SKU)?.qty;
  expect(qty('S001')).toBe(expected('S001'));
  expect(qty('S002')).toBe(expected('S002'));
  // Every location's level is the sum of its movements, till-made inventory events included.
  const sums = await inventoryDb(db)
    .selectFrom('inventory_movements')
    .select(['store_id', 'sku', (eb) => eb.fn.sum<number>('on_hand').as('qty')])
    .groupBy(['store_id', 'sku'])
    .orderBy('store_id')
    .orderBy('sku')
    .execute();
  expect(sums.map((r) => ({ storeId: r.store_id, sku: r.sku, qty: Number(r.qty) }))).toEqual(live.stock);
  expect(await parkedTillCounts(inventoryDb(db))).toEqual([]);
  await rebuildProjections(db, hqEventRegistry, { atomic: w.hq.kind === 'postgres' });
  expect(await projections(db)).toEqual(live);
}

describe.each(setups)('event backbone under faults on $name', (setup) => {
  it(
    'takes batches twice and out of order from a till offline for a day, while another store sells the same SKU',
    async () => {
      const w = await world(setup);
      const { a, b } = w.tills;
      // Day 1: store 2 sells and syncs as it goes; store 1's till is offline all day, selling the same
      // SKU, taking a delivery, correcting a count, and shipping 12 units to store 2.
      const offline: EventEnvelope[] = [];
      for (let i = 0; i < 60; i++) {
        offline.push(make(a, 'sale.completed', { qty: 1 + (i % 3) }, '2026-03-02'));
        make(b, 'sale.completed', { qty: 1 }, '2026-03-02');
        if (i % 10 === 9) await send(w.hq, b, b.made.slice(-10));
      }
      offline.push(make(a, 'stock.received', { sku: SKU, qty: 48, reason: 'delivery' }, '2026-03-02'));
      offline.push(make(a, 'stock.adjusted', { sku: SKU, qty: -2, reason: 'correction' }, '2026-03-02'));
      const transfer = { transferId: `TR-${newId()}`, lines: [{ sku: SKU, qty: 12 }] };
      offline.push(make(a, 'stock.transfer_shipped', { ...transfer, toStoreId: 'S002' }, '2026-03-02'));
      // The day ends with a shelf count at the till, 3 short of what its own events leave; sent newest
      // first below, it reaches HQ before the sales it is measured against.
      const sold = a.made.reduce(
        (n, e) =>
          n + (e.type === 'sale.completed' ? (e.payload as { lines: { qty: number }[] }).lines[0]!.qty : 0),
        0,
      );
      const countedQty = OPENING - sold + 48 - 2 - 12 - 3;
      offline.push(
        make(
          a,
          'stock.count_taken',
          {
            countId: `C-${newId()}`,
            kind: 'cycle',
            freezeAt: '2026-03-02T20:00:00.000Z',
            lines: [{ sku: SKU, countedQty }],
          },
          '2026-03-02',
        ),
      );
      // Store 2 receives the transfer before store 1's shipment reaches HQ.
      await send(w.hq, b, [
        make(b, 'stock.transfer_received', { ...transfer, fromStoreId: 'S001', final: true }, '2026-03-02'),
      ]);

      // The offline till reports what it still holds (as a till does: before the batch, the batch
      // included); HQ shows the store behind by what is left once it holds the batch.
      const day = 86_400;
      await send(w.hq, a, [offline[0]!], { pending: offline.length, oldestAgeSeconds: day });
      const status = await fetchStatus(w);
      const s1 = status.stores.find((s) => s.storeId === 'S001')!;
      expect(s1.unsentEvents).toBe(offline.length - 1);
      expect(s1.syncLagSeconds).toBeGreaterThanOrEqual(day);
      expect(status.stores.find((s) => s.storeId === 'S002')!.unsentEvents).toBe(0);

      // Back online: batches arrive newest first, each twice, one of them twice at the same moment
      // (HQ stores one batch per till at a time: the other is told 429 and sent again).
      const chunks = batches(offline.slice(1), 17).reverse();
      let gapsSeen = false;
      for (const [i, chunk] of chunks.entries()) {
        const r = await send(w.hq, a, chunk);
        gapsSeen ||= r.gaps.length > 0;
        const again =
          i === 1
            ? await Promise.all([sendUntilTaken(w.hq, a, chunk), sendUntilTaken(w.hq, a, chunk)])
            : [await send(w.hq, a, chunk)];
        for (const x of again) expect(x.accepted).toBe(0);
      }
      expect(gapsSeen).toBe(true);
      const last = await send(w.hq, a, offline.slice(0, 5), { pending: 0, oldestAgeSeconds: 0 });
      expect(last).toMatchObject({ accepted: 0, heldUpTo: a.seq, gaps: [] });

      await expectRecovered(w);
      const after = await fetchStatus(w);
      const s1After = after.stores.find((s) => s.storeId === 'S001')!;
      expect(s1After).toMatchObject({ unsentEvents: 0, syncLagSeconds: 0, missingEvents: 0 });
      expect(s1After.days[0]!.events).toBe(offline.length);
      expect(s1After.days[0]!.bytes).toBeGreaterThan(0);
      expect(after.backbone).toMatchObject({ outbox: 0, unprojected: 0, lastError: null });
      const stock = await stockOnHand(w.hq.db, { storeId: 'S002', sku: SKU });
      expect(stock[0]?.qty).toBe(OPENING - 60 + 12);
    },
    SLOW,
  );

  it(
    'loses and duplicates nothing when HQ is restarted in the middle of ingest',
    async () => {
      const w = await world(setup);
      const { a, b } = w.tills;
      for (let i = 0; i < 300; i++) {
        make(a, 'sale.completed', { qty: 1 }, '2026-03-03');
        make(b, 'sale.completed', { qty: 2 }, '2026-03-03');
      }
      // Both tills send in parallel; HQ goes down while batches are in flight.
      const inFlight = [a, b].map(async (t) => {
        for (const chunk of batches(t.made, 25)) await send(w.hq, t, chunk).catch(() => undefined);
      });
      const atHq = async (): Promise<number> => (await eventIdsAtHq(w.hq.db, a.terminalId)).length;
      for (let i = 0; i < 400 && (await atHq()) < 50; i++) await new Promise((r) => setTimeout(r, 10));
      const stopped = w.hq.close();
      await Promise.all(inFlight);
      await stopped;

      // HQ comes back; each till resends from what HQ acknowledged (here: everything, as a till
      // that lost the answers would), and the bus drains what was accepted but not yet projected.
      const hq = await w.start();
      for (const t of [a, b]) for (const chunk of batches(t.made, 50)) await send(hq, t, chunk);
      await expectRecovered(w);
    },
    SLOW,
  );

  it.runIf(setup.nats)(
    'keeps accepting while NATS is unreachable and drains the outbox when it returns',
    async () => {
      const proxy = await natsProxy(natsUrl!);
      cleanup(proxy.close);
      // NATS is unreachable from the start: HQ must start and accept anyway.
      await proxy.down();
      const w = await world(setup, { natsUrl: proxy.url });
      const { a, b } = w.tills;
      for (let i = 0; i < 80; i++) make(a, 'sale.completed', { qty: 1 }, '2026-03-04');
      for (const chunk of batches(a.made, 20)) expect((await send(w.hq, a, chunk)).accepted).toBe(20);
      const down = await w.hq.backbone.status();
      expect(down.connected).toBe(false);
      expect(down.outbox).toBeGreaterThanOrEqual(80);

      await proxy.up();
      await w.hq.backbone.settle(60_000);
      expect((await w.hq.backbone.status()).outbox).toBe(0);

      // NATS goes away again mid-stream (a restart), then returns.
      for (let i = 0; i < 80; i++) make(b, 'sale.completed', { qty: 1 }, '2026-03-04');
      await send(w.hq, b, b.made.slice(0, 40));
      await proxy.down();
      for (const chunk of batches(b.made.slice(40), 20))
        expect((await send(w.hq, b, chunk)).accepted).toBe(20);
      await proxy.up();
      await expectRecovered(w);
    },
    SLOW,
  );
});

async function fetchStatus(w: World): Promise<{
  backbone: { outbox: number; unprojected: number; lastError: string | null };
  stores: StoreSyncFigures[];
}> {
  const token = w.hq.adminToken;
  const res = await fetch(`${w.hq.url}/api/v1/sync/status`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`sync status → ${res.status} ${await res.text()}`);
  return (await res.json()) as Awaited<ReturnType<typeof fetchStatus>>;
}

/**
 * A TCP proxy in front of NATS that the test can take down (every connection cut, new ones refused)
 * and bring back on the same port: NATS unreachable or restarted, without touching the real server
 * other tests share.
 */
async function natsProxy(
  target: string,
): Promise<{ url: string; down(): Promise<void>; up(): Promise<void>; close(): Promise<void> }> {
  const t = new URL(target);
  const port = await freePort();
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const up = async (): Promise<void> => {
    server = createServer((client) => {
      const upstream = tcpConnect(Number(t.port || 4222), t.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
  };
  const down = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
  };
  await up();
  return { url: `nats://127.0.0.1:${port}`, up, down, close: down };
}
