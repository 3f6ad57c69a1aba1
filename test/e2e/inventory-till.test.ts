import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enrollTerminal } from '../../src/access/terminals.ts';
import { type RunningHq, type StartHqOptions, startHq } from '../../src/apps/hq/server.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { startTerminal } from '../../src/apps/terminal/start.ts';
import type { IngestResult } from '../../src/contracts/wire.ts';
import type { EventEnvelope } from '../../src/core/event.ts';
import { newId } from '../../src/core/ids.ts';
import { createLogger } from '../../src/core/log.ts';
import { dropSchema } from '../../src/db/hq-db.ts';
import { inventoryDb, parkedTillCounts, shrinkage, stockOnHand } from '../../src/inventory/hq/index.ts';
import { rebuildProjections } from '../../src/sync/hq/ingest-projections.ts';
import { encodeBatch } from '../../src/sync/till/wire-codec.ts';
import { saleEvent, tillEvent } from '../fixtures/ingest.ts';
import { cleanupsAfterEach } from '../helpers/cleanups.ts';
import { twoStoresWithStock } from '../helpers/stores.ts';
import { asCashier } from '../helpers/till-session.ts';

/**
 * Stock work done at tills (counts, transfers, supplier deliveries) reaches HQ in event batches and is
 * folded into the ledger like HQ's own: a count is valued at HQ against the ledger at its freeze, once
 * every earlier event of its till has arrived (parked until then, across an HQ restart); a transfer may
 * be received before its shipment reaches HQ. Runs on PGlite, and on PostgreSQL with TALLY_TEST_PG_URL.
 */
const pgUrl = process.env.TALLY_TEST_PG_URL;
const backends = [{ name: 'PGlite' }, ...(pgUrl ? [{ name: 'PostgreSQL', url: pgUrl }] : [])];
const logger = createLogger('e2e', 'silent');
const SKU = 'SOAP-1';
const SLOW = 120_000;

const cleanup = cleanupsAfterEach();

interface Till {
  terminalId: string;
  storeId: string;
  token: string;
  seq: number;
}

async function world(backend: { url?: string }) {
  const root = mkdtempSync(join(tmpdir(), 'tally-inv-till-'));
  const schema = backend.url ? `invtill_${randomBytes(4).toString('hex')}` : undefined;
  const opts: StartHqOptions = {
    port: 0,
    logger,
    ...(backend.url ? { dbUrl: backend.url, schema } : { dataDir: join(root, 'hq') }),
  };
  const w = { hq: await startHq(opts), root } as { hq: RunningHq; root: string; restart(): Promise<void> };
  w.restart = async () => {
    await w.hq.close();
    w.hq = await startHq(opts);
  };
  cleanup(async () => {
    await w.hq.close();
    if (backend.url && schema) await dropSchema(backend.url, schema);
    rmSync(root, { recursive: true, force: true });
  });
  // Opening stock at cost 250 in both stores, booked at HQ the day before.
  await twoStoresWithStock(
    w.hq.db,
    { sku: SKU, qty: 100, reason: 'delivery', unitCostMinor: 250, supplier: 'Acme' },
    new Date('2026-03-01T08:00:00Z'),
  );
  const till = async (storeId: string): Promise<Till> => ({
    ...(await enrollTerminal(w.hq.db, { storeId })),
    seq: 0,
  });
  return { w, a: await till('S001'), b: await till('S002') };
}

function make(t: Till, type: string, payload: Record<string, unknown>, at: string): EventEnvelope {
  t.seq++;
  if (type === 'sale.completed')
    return saleEvent(
      t,
      t.seq,
      [{ sku: SKU, qty: payload.qty as number, unitPriceMinor: 500, taxRateBp: 700 }],
      {
        businessDate: at.slice(0, 10),
        occurredAt: at,
      },
    );
  return tillEvent(t, t.seq, type, payload, at);
}

async function send(hq: RunningHq, t: Till, events: EventEnvelope[]): Promise<Response> {
  const res = await fetch(`${hq.url}/api/v1/ingest`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${t.token}`,
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    },
    body: encodeBatch({ terminalId: t.terminalId, events }),
  });
  return res;
}

async function sendOk(hq: RunningHq, t: Till, events: EventEnvelope[]): Promise<void> {
  const res = await send(hq, t, events);
  if (!res.ok) throw new Error(`ingest → ${res.status} ${await res.text()}`);
  await hq.backbone.settle(60_000);
}

const onHand = async (hq: RunningHq, storeId: string): Promise<number | undefined> =>
  (await stockOnHand(hq.db, { storeId, sku: SKU }))[0]?.qty;

describe.each(backends)('inventory events from tills on $name', (backend) => {
  it(
    'values a till count at HQ once the sales before it arrive, even across an HQ restart, and a rebuild books the same',
    async () => {
      const { w, a } = await world(backend);
      const sales = [
        make(a, 'sale.completed', { qty: 2 }, '2026-03-02T09:00:00.000Z'),
        make(a, 'sale.completed', { qty: 1 }, '2026-03-02T10:00:00.000Z'),
      ];
      // 97 expected at the freeze; 90 on the shelf: 7 units short, at the moving-average cost of 250.
      const count = make(
        a,
        'stock.count_taken',
        {
          countId: `C-${newId()}`,
          kind: 'cycle',
          freezeAt: '2026-03-02T18:00:00.000Z',
          lines: [{ sku: SKU, countedQty: 90 }],
        },
        '2026-03-02T18:05:00.000Z',
      );
      const later = make(a, 'sale.completed', { qty: 4 }, '2026-03-03T09:00:00.000Z');

      // The count and the next day's sale arrive first (the till's batches came back newest first).
      await sendOk(w.hq, a, [count, later]);
      expect(await onHand(w.hq, 'S001')).toBe(96);
      expect(await parkedTillCounts(inventoryDb(w.hq.db))).toMatchObject([
        { eventId: count.id, storeId: 'S001' },
      ]);
      expect(await shrinkage(w.hq.db, { storeIds: ['S001'] })).toEqual([]);
      const status = await fetch(`${w.hq.url}/api/v1/sync/status`, {
        headers: { authorization: `Bearer ${w.hq.adminToken}` },
      });
      expect(((await status.json()) as { parkedCounts: unknown[] }).parkedCounts).toMatchObject([
        { eventId: count.id, seq: 3, reason: expect.stringContaining('2 earlier event(s)') },
      ]);

      // HQ restarts with the count parked; the sales it waited for arrive afterwards.
      await w.restart();
      expect(await parkedTillCounts(inventoryDb(w.hq.db))).toHaveLength(1);
      await sendOk(w.hq, a, sales);
      expect(await parkedTillCounts(inventoryDb(w.hq.db))).toEqual([]);
      // 90 counted at the freeze, then 4 sold the next day.
      expect(await onHand(w.hq, 'S001')).toBe(86);
      expect(await shrinkage(w.hq.db, { storeIds: ['S001'] })).toEqual([
        { storeId: 'S001', sku: SKU, units: 7, valueMinor: 7 * 250 },
      ]);

      const before = { stock: await stockOnHand(w.hq.db), shrink: await shrinkage(w.hq.db) };
      await rebuildProjections(w.hq.db, hqEventRegistry, { atomic: w.hq.kind === 'postgres' });
      expect({ stock: await stockOnHand(w.hq.db), shrink: await shrinkage(w.hq.db) }).toEqual(before);
    },
    SLOW,
  );

  it(
    'books a transfer the destination received before the source shipment arrived, at both stores',
    async () => {
      const { w, a, b } = await world(backend);
      const transferId = `TR-${newId()}`;
      const shipped = make(
        a,
        'stock.transfer_shipped',
        { transferId, toStoreId: 'S002', lines: [{ sku: SKU, qty: 12 }] },
        '2026-03-02T08:00:00.000Z',
      );
      const received = make(
        b,
        'stock.transfer_received',
        { transferId, fromStoreId: 'S001', lines: [{ sku: SKU, qty: 10 }], final: true },
        '2026-03-02T15:00:00.000Z',
      );
      await sendOk(w.hq, b, [received]);
      expect(await onHand(w.hq, 'S002')).toBe(110);
      expect(await onHand(w.hq, 'S001')).toBe(100);
      await sendOk(w.hq, a, [shipped]);
      await sendOk(w.hq, a, [shipped]);
      expect(await onHand(w.hq, 'S001')).toBe(88);
      expect(await onHand(w.hq, 'S002')).toBe(110);
      const levels = await inventoryDb(w.hq.db)
        .selectFrom('stock_on_hand')
        .select(['store_id', 'in_transit_in', 'in_transit_out'])
        .where('sku', '=', SKU)
        .orderBy('store_id')
        .execute();
      // Closed with 2 units short: nothing stays in transit at either end.
      expect(levels).toEqual([
        { store_id: 'S001', in_transit_in: 0, in_transit_out: 0 },
        { store_id: 'S002', in_transit_in: 0, in_transit_out: 0 },
      ]);
    },
    SLOW,
  );

  it(
    'quarantines a till transfer naming its own store or an unknown one, naming the field, and moves no stock',
    async () => {
      const { w, a } = await world(backend);
      const toSelf = make(
        a,
        'stock.transfer_shipped',
        { transferId: 'T1', toStoreId: 'S001', lines: [{ sku: SKU, qty: 1 }] },
        '2026-03-02T08:00:00.000Z',
      );
      const nowhere = make(
        a,
        'stock.transfer_received',
        { transferId: 'T2', fromStoreId: 'S999', lines: [{ sku: SKU, qty: 1 }] },
        '2026-03-02T08:00:00.000Z',
      );
      // One bad event is that event's problem: the till's later events still arrive.
      const res = await send(w.hq, a, [toSelf, nowhere]);
      expect(res.status).toBe(200);
      expect(((await res.json()) as IngestResult).rejected).toEqual([
        expect.objectContaining({
          kind: 'quarantined',
          reason: expect.stringMatching(/^payload\.toStoreId: /),
        }),
        expect.objectContaining({
          kind: 'quarantined',
          reason: expect.stringMatching(/^payload\.fromStoreId: /),
        }),
      ]);
      expect(
        await w.hq.db.selectFrom('events').select('id').where('terminal_id', '=', a.terminalId).execute(),
      ).toEqual([]);
    },
    SLOW,
  );

  it(
    'records a count, a delivery and a transfer at the till offline and folds them at HQ once it syncs',
    async () => {
      const { w, a } = await world(backend);
      const till = await startTerminal({
        dataDir: join(w.root, 'till'),
        hqUrl: w.hq.url,
        token: a.token,
        storeId: a.storeId,
        terminalId: a.terminalId,
        port: 0,
        logger,
        syncIntervalMs: 60_000,
        seedManager: false,
      });
      cleanup(() => till.close());
      const cashier = await asCashier(till);
      const post = async (path: string, body: unknown): Promise<Response> =>
        fetch(`${till.url}${path}`, {
          method: 'POST',
          headers: { ...cashier, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const bad = await post('/api/v1/inventory/counts', {
        kind: 'cycle',
        lines: [{ sku: SKU, countedQty: -1 }],
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ field: 'body.lines.0.countedQty' });
      const ok = async (path: string, body: unknown) => {
        const r = await post(path, body);
        expect(r.status, await r.clone().text()).toBe(201);
      };
      await ok('/api/v1/inventory/deliveries', {
        supplier: 'Acme',
        reference: 'PO-7',
        lines: [{ sku: SKU, qty: 20, unitCostMinor: 400 }],
      });
      await ok('/api/v1/inventory/transfers', { toStoreId: 'S002', lines: [{ sku: SKU, qty: 5 }] });
      // On the shelf after the delivery and the shipment: 115 expected, 113 counted.
      await ok('/api/v1/inventory/counts', { kind: 'cycle', lines: [{ sku: SKU, countedQty: 113 }] });
      const flushed = (await (await post('/api/v1/sync/flush', {})).json()) as { pending: number };
      expect(flushed.pending).toBe(0);
      await w.hq.backbone.settle(60_000);
      expect(await onHand(w.hq, 'S001')).toBe(113);
      // 100 at 250 and 20 at 400 average to 275 a unit.
      expect(await shrinkage(w.hq.db, { storeIds: ['S001'] })).toEqual([
        { storeId: 'S001', sku: SKU, units: 2, valueMinor: 2 * 275 },
      ]);
      const s2 = await inventoryDb(w.hq.db)
        .selectFrom('stock_on_hand')
        .select(['qty', 'in_transit_in'])
        .where('store_id', '=', 'S002')
        .where('sku', '=', SKU)
        .executeTakeFirstOrThrow();
      expect(s2).toEqual({ qty: 100, in_transit_in: 5 });
    },
    SLOW,
  );
});
