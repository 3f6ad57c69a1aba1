import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuthenticatedTerminal, enrollTerminal } from '../../src/access/terminals.ts';
import { appendToHqLog, hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { createStore } from '../../src/catalog/hq/stores.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { EventEnvelope } from '../../src/core/event.ts';
import { newId } from '../../src/core/ids.ts';
import type { OpenHqDb } from '../../src/db/hq-db.ts';
import {
  adjustStock,
  applyInventoryProjection,
  availability,
  confirmReservation,
  getReservation,
  getTransfer,
  type InventoryDeps,
  inventoryDb,
  listExceptions,
  listMovements,
  postCount,
  receiveFromSupplier,
  receiveTransfer,
  releaseReservation,
  reserve,
  reviewException,
  shipTransfer,
  shrinkage,
  sweepExpiredReservations,
  writeOffStock,
} from '../../src/inventory/hq/index.ts';
import { ingestBatch } from '../../src/sync/hq/ingest.ts';
import { rebuildProjections } from '../../src/sync/hq/ingest-projections.ts';
import { tillEvent as anyTillEvent, saleEvent } from '../fixtures/ingest.ts';
import { hqBackends } from '../helpers/hq-db.ts';
import { berlinStore as store } from '../helpers/stores.ts';

/** An inventory event as a till writes it: now, on today's business date (HQ refuses far-off dates). */
const tillEvent = (
  t: AuthenticatedTerminal,
  seq: number,
  type: string,
  payload: Record<string, unknown>,
): EventEnvelope => anyTillEvent(t, seq, type, payload, new Date().toISOString());

describe.each(hqBackends())('inventory ledger on $name', ({ open }) => {
  let h: OpenHqDb;
  let deps: InventoryDeps;
  let clock: ReturnType<typeof fixedClock>;
  let t1: AuthenticatedTerminal;
  let t2: AuthenticatedTerminal;
  const level = async (storeId: string, sku: string) =>
    (await availability(h.db, { storeIds: [storeId], sku }, clock.now()))[0];

  beforeEach(async () => {
    h = await open();
    for (const s of ['S001', 'S002']) await createStore(h.db, store(s));
    t1 = await enrollTerminal(h.db, { storeId: 'S001', terminalId: 'S001-T01' });
    t2 = await enrollTerminal(h.db, { storeId: 'S002', terminalId: 'S002-T01' });
    clock = fixedClock(new Date());
    deps = { db: h.db, append: appendToHqLog, clock };
  });
  afterEach(async () => {
    await h.close();
  });

  /** Every level column equals the sum of its movements, for every location × SKU. */
  const expectLevelsAreSumsOfMovements = async () => {
    const db = inventoryDb(h.db);
    const levels = await db
      .selectFrom('stock_on_hand')
      .select(['store_id', 'sku', 'qty', 'reserved', 'in_transit_in', 'in_transit_out'])
      .orderBy('store_id')
      .orderBy('sku')
      .execute();
    const sums = await db
      .selectFrom('inventory_movements')
      .select([
        'store_id',
        'sku',
        (eb) => eb.fn.sum<number>('on_hand').as('qty'),
        (eb) => eb.fn.sum<number>('reserved').as('reserved'),
        (eb) => eb.fn.sum<number>('in_transit_in').as('in_transit_in'),
        (eb) => eb.fn.sum<number>('in_transit_out').as('in_transit_out'),
      ])
      .groupBy(['store_id', 'sku'])
      .execute();
    const byKey = new Map(sums.map((s) => [`${s.store_id}/${s.sku}`, s]));
    for (const l of levels) {
      const s = byKey.get(`${l.store_id}/${l.sku}`);
      expect([l.qty, l.reserved, l.in_transit_in, l.in_transit_out], `${l.store_id}/${l.sku}`).toEqual([
        Number(s?.qty ?? 0),
        Number(s?.reserved ?? 0),
        Number(s?.in_transit_in ?? 0),
        Number(s?.in_transit_out ?? 0),
      ]);
    }
  };

  it('reserves, confirms and releases, and never counts an expired reservation as held', async () => {
    await receiveFromSupplier(deps, {
      storeId: 'S001',
      supplier: 'Acme',
      lines: [{ sku: 'A', qty: 3, unitCostMinor: 100 }],
    });
    const r1 = await reserve(deps, { storeId: 'S001', lines: [{ sku: 'A', qty: 2 }], ttlSeconds: 60 });
    expect(await level('S001', 'A')).toMatchObject({ onHand: 3, reserved: 2, available: 1 });
    await expect(reserve(deps, { storeId: 'S001', lines: [{ sku: 'A', qty: 2 }] })).rejects.toMatchObject({
      status: 409,
      field: 'lines.0.qty',
    });

    clock.advance(61_000);
    // Not swept yet, but no longer held: availability and the reservation both say so.
    expect(await level('S001', 'A')).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    expect((await getReservation(deps, r1.reservationId)).status).toBe('expired');
    await expect(confirmReservation(deps, r1.reservationId)).rejects.toMatchObject({ status: 409 });

    const r2 = await reserve(deps, { storeId: 'S001', lines: [{ sku: 'A', qty: 3 }], orderId: 'web-1' });
    expect(r2.expiresAt).toBe(new Date(clock.now().getTime() + 20 * 60_000).toISOString());
    expect((await confirmReservation(deps, r2.reservationId)).status).toBe('confirmed');
    // A retried confirm answers the same; a release after it is refused.
    expect((await confirmReservation(deps, r2.reservationId)).status).toBe('confirmed');
    await expect(releaseReservation(deps, r2.reservationId)).rejects.toMatchObject({ status: 409 });
    expect(await level('S001', 'A')).toMatchObject({ onHand: 0, reserved: 0, available: 0 });

    await receiveFromSupplier(deps, {
      storeId: 'S001',
      supplier: 'Acme',
      lines: [{ sku: 'A', qty: 2, unitCostMinor: 100 }],
    });
    const r3 = await reserve(deps, { storeId: 'S001', lines: [{ sku: 'A', qty: 1 }] });
    expect((await releaseReservation(deps, r3.reservationId)).status).toBe('released');
    const r4 = await reserve(deps, { storeId: 'S001', lines: [{ sku: 'A', qty: 2 }], ttlSeconds: 5 });
    clock.advance(6_000);
    expect(await sweepExpiredReservations(deps)).toBe(1);
    expect(await sweepExpiredReservations(deps)).toBe(0);
    expect((await getReservation(deps, r4.reservationId)).status).toBe('expired');
    const counter = await inventoryDb(h.db)
      .selectFrom('stock_on_hand')
      .select('reserved')
      .where('store_id', '=', 'S001')
      .where('sku', '=', 'A')
      .executeTakeFirstOrThrow();
    expect(counter.reserved).toBe(0);
    await expectLevelsAreSumsOfMovements();
  });

  it('a retried reservation with the same id is answered once, not held twice', async () => {
    await receiveFromSupplier(deps, {
      storeId: 'S001',
      supplier: 'Acme',
      lines: [{ sku: 'A', qty: 5, unitCostMinor: 1 }],
    });
    const req = { storeId: 'S001', lines: [{ sku: 'A', qty: 2 }], reservationId: 'order-77' };
    const [a, b] = await Promise.all([reserve(deps, req), reserve(deps, req)]);
    expect(a.reservationId).toBe(b.reservationId);
    expect(await level('S001', 'A')).toMatchObject({ reserved: 2, available: 3 });
    await expect(reserve(deps, { ...req, lines: [{ sku: 'A', qty: 1 }] })).rejects.toMatchObject({
      status: 409,
    });
  });

  it('ships a transfer, receives it in parts and records the shortfall when it is closed', async () => {
    await receiveFromSupplier(deps, {
      storeId: 'S001',
      supplier: 'Acme',
      lines: [
        { sku: 'A', qty: 10, unitCostMinor: 250 },
        { sku: 'B', qty: 4, unitCostMinor: 80 },
      ],
    });
    await reserve(deps, { storeId: 'S001', lines: [{ sku: 'A', qty: 3 }] });
    // Reserved units may not leave: 10 on hand, 3 held.
    await expect(
      shipTransfer(deps, { fromStoreId: 'S001', toStoreId: 'S002', lines: [{ sku: 'A', qty: 8 }] }),
    ).rejects.toMatchObject({ status: 409, field: 'lines.0.qty' });
    const t = await shipTransfer(deps, {
      fromStoreId: 'S001',
      toStoreId: 'S002',
      lines: [
        { sku: 'A', qty: 6 },
        { sku: 'B', qty: 4 },
      ],
    });
    expect(await level('S001', 'A')).toMatchObject({ onHand: 4, inTransitOut: 6 });
    expect(await level('S002', 'A')).toMatchObject({ onHand: 0, inTransitIn: 6 });

    await receiveTransfer(deps, t.transferId, { lines: [{ sku: 'A', qty: 4 }] });
    expect(await level('S002', 'A')).toMatchObject({ onHand: 4, inTransitIn: 2 });
    const closed = await receiveTransfer(deps, t.transferId, {
      lines: [
        { sku: 'A', qty: 1 },
        { sku: 'B', qty: 4 },
      ],
      final: true,
    });
    expect(closed.lines).toEqual([
      { sku: 'A', shipped: 6, received: 5, inTransit: 0, discrepancy: -1 },
      { sku: 'B', shipped: 4, received: 4, inTransit: 0, discrepancy: 0 },
    ]);
    expect(await level('S001', 'A')).toMatchObject({ onHand: 4, inTransitOut: 0 });
    expect(await level('S002', 'A')).toMatchObject({ onHand: 5, inTransitIn: 0 });
    await expect(
      receiveTransfer(deps, t.transferId, { lines: [{ sku: 'A', qty: 1 }] }),
    ).rejects.toMatchObject({
      status: 409,
    });
    await expectLevelsAreSumsOfMovements();
  });

  it('ends consistent when a till receives a transfer before the shipment reaches HQ', async () => {
    const tid = newId();
    const seed = tillEvent(t1, 1, 'stock.received', { sku: 'A', qty: 10, reason: 'delivery' });
    const received = tillEvent(t2, 1, 'stock.transfer_received', {
      transferId: tid,
      fromStoreId: 'S001',
      lines: [{ sku: 'A', qty: 4 }],
      final: true,
    });
    const shipped = tillEvent(t1, 2, 'stock.transfer_shipped', {
      transferId: tid,
      toStoreId: 'S002',
      lines: [{ sku: 'A', qty: 5 }],
    });
    await ingestBatch(h.db, hqEventRegistry, t2, { terminalId: t2.terminalId, events: [received] });
    expect(await level('S002', 'A')).toMatchObject({ onHand: 4, inTransitIn: 0 });
    await ingestBatch(h.db, hqEventRegistry, t1, { terminalId: t1.terminalId, events: [seed, shipped] });
    // The same batch again, out of order, changes nothing.
    await ingestBatch(h.db, hqEventRegistry, t1, { terminalId: t1.terminalId, events: [shipped, seed] });
    expect(await level('S001', 'A')).toMatchObject({ onHand: 5, inTransitOut: 0 });
    expect(await level('S002', 'A')).toMatchObject({ onHand: 4, inTransitIn: 0 });
    expect((await getTransfer(deps, tid)).lines).toEqual([
      { sku: 'A', shipped: 5, received: 4, inTransit: 0, discrepancy: -1 },
    ]);
    // A till cannot grant itself a reservation: HQ keeps the event but does not fold it.
    await ingestBatch(h.db, hqEventRegistry, t1, {
      terminalId: t1.terminalId,
      events: [
        tillEvent(t1, 3, 'stock.reserved', {
          reservationId: 'till-made',
          expiresAt: new Date(Date.now() + 60_000).toISOString(),
          lines: [{ sku: 'A', qty: 5 }],
        }),
      ],
    });
    expect(await level('S001', 'A')).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    await expectLevelsAreSumsOfMovements();
  });

  it('counts against the ledger at the freeze time and books the loss as shrinkage at cost', async () => {
    await receiveFromSupplier(deps, {
      storeId: 'S001',
      supplier: 'Acme',
      lines: [
        { sku: 'A', qty: 10, unitCostMinor: 120 },
        { sku: 'B', qty: 5, unitCostMinor: 40 },
      ],
    });
    await new Promise((r) => setTimeout(r, 5));
    const freezeAt = new Date();
    await new Promise((r) => setTimeout(r, 5));
    // Two sold while the shelves were being counted: not a variance.
    await ingestBatch(h.db, hqEventRegistry, t1, {
      terminalId: t1.terminalId,
      events: [
        saleEvent(t1, 1, [{ sku: 'A', qty: 2, unitPriceMinor: 199, taxRateBp: 1900 }], {
          occurredAt: new Date().toISOString(),
        }),
      ],
    });
    clock.set(new Date(Date.now() + 1_000));
    const preview = await postCount(deps, {
      storeId: 'S001',
      kind: 'cycle',
      freezeAt: freezeAt.toISOString(),
      lines: [{ sku: 'A', countedQty: 9 }],
      dryRun: true,
    });
    expect(preview.lines).toEqual([
      { sku: 'A', countedQty: 9, expectedQty: 10, variance: -1, unitCostMinor: 120, valueMinor: -120 },
    ]);
    expect((await level('S001', 'A'))?.onHand).toBe(8);

    // A full count: B, not counted, is counted as none.
    const posted = await postCount(deps, {
      storeId: 'S001',
      kind: 'full',
      freezeAt: freezeAt.toISOString(),
      lines: [
        { sku: 'A', countedQty: 5 },
        { sku: 'A', countedQty: 4 },
      ],
    });
    expect(posted.shrinkValueMinor).toBe(120 + 5 * 40);
    expect((await level('S001', 'A'))?.onHand).toBe(7);
    expect((await level('S001', 'B'))?.onHand).toBe(0);

    const w = await writeOffStock(deps, { storeId: 'S001', sku: 'A', qty: 2, reason: 'damaged' });
    expect(w).toEqual({ onHand: 5, valueMinor: 240 });
    expect(await shrinkage(h.db, { storeIds: ['S001'] })).toEqual([
      { storeId: 'S001', sku: 'A', units: 3, valueMinor: 360 },
      { storeId: 'S001', sku: 'B', units: 5, valueMinor: 200 },
    ]);
    await expect(
      adjustStock(deps, { storeId: 'S001', sku: 'A', qty: -6, reason: 'correction' }),
    ).rejects.toMatchObject({ status: 409, field: 'qty' });
    expect(await adjustStock(deps, { storeId: 'S001', sku: 'A', qty: 2, reason: 'found' })).toEqual({
      onHand: 7,
    });
    await expectLevelsAreSumsOfMovements();
  });

  it('lets an offline sale take stock below zero and raises it for review', async () => {
    await receiveFromSupplier(deps, {
      storeId: 'S001',
      supplier: 'Acme',
      lines: [{ sku: 'A', qty: 1, unitCostMinor: 1 }],
    });
    await ingestBatch(h.db, hqEventRegistry, t1, {
      terminalId: t1.terminalId,
      events: [1, 2, 3].map((seq) =>
        saleEvent(t1, seq, [{ sku: 'A', qty: 1, unitPriceMinor: 100, taxRateBp: 1900 }]),
      ),
    });
    expect((await level('S001', 'A'))?.onHand).toBe(-2);
    const [ex] = await listExceptions(h.db, { status: 'open' });
    expect(ex).toMatchObject({ storeId: 'S001', sku: 'A', lowestOnHand: -2, events: 2, status: 'open' });
    expect(await listExceptions(h.db, { storeIds: ['S002'] })).toEqual([]);
    const reviewed = await reviewException(deps, ex!.exceptionId, 'shelf had stock HQ did not know of');
    expect(reviewed).toMatchObject({ status: 'reviewed', note: 'shelf had stock HQ did not know of' });
    expect(await listExceptions(h.db, { status: 'open' })).toEqual([]);
    // One sale can take several SKUs below zero at once: one exception each.
    await ingestBatch(h.db, hqEventRegistry, t1, {
      terminalId: t1.terminalId,
      events: [
        saleEvent(t1, 4, [
          { sku: 'B', qty: 1, unitPriceMinor: 100, taxRateBp: 1900 },
          { sku: 'C', qty: 2, unitPriceMinor: 100, taxRateBp: 1900 },
        ]),
      ],
    });
    expect(
      (await listExceptions(h.db, { status: 'open' })).map((e) => [e.sku, e.lowestOnHand]).sort(),
    ).toEqual([
      ['B', -1],
      ['C', -2],
    ]);
  });

  it('folds each event once, and a replay of the log rebuilds the same ledger', async () => {
    await receiveFromSupplier(deps, {
      storeId: 'S001',
      supplier: 'Acme',
      lines: [{ sku: 'A', qty: 10, unitCostMinor: 100 }],
    });
    const t = await shipTransfer(deps, {
      fromStoreId: 'S001',
      toStoreId: 'S002',
      lines: [{ sku: 'A', qty: 4 }],
    });
    await receiveTransfer(deps, t.transferId, { lines: [{ sku: 'A', qty: 3 }] });
    await reserve(deps, { storeId: 'S001', lines: [{ sku: 'A', qty: 2 }] });
    await ingestBatch(h.db, hqEventRegistry, t1, {
      terminalId: t1.terminalId,
      events: [saleEvent(t1, 1, [{ sku: 'A', qty: 1, unitPriceMinor: 100, taxRateBp: 1900 }])],
    });
    const snapshot = async () => ({
      levels: await availability(h.db, {}, clock.now()),
      movements: (await listMovements(h.db, { limit: 100 })).length,
      transfer: await getTransfer(deps, t.transferId),
    });
    const before = await snapshot();
    const events = await h.db.selectFrom('events').selectAll().execute();
    await applyInventoryProjection(
      h.db,
      events.map((r) => ({
        id: r.id,
        type: r.type,
        schemaVersion: r.schema_version,
        storeId: r.store_id,
        terminalId: r.terminal_id,
        seq: r.seq,
        businessDate: r.business_date,
        occurredAt: r.occurred_at.toISOString(),
        payload: r.payload,
      })),
    );
    expect(await snapshot()).toEqual(before);
    await rebuildProjections(h.db, hqEventRegistry);
    const after = await snapshot();
    const strip = (s: typeof before) => ({ ...s, levels: s.levels.map(({ version: _v, ...l }) => l) });
    expect(strip(after)).toEqual(strip(before));
    await expectLevelsAreSumsOfMovements();
  });
});
