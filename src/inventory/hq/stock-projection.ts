import { sql } from 'kysely';
import { HQ_SOURCE_ID } from '../../access/index.ts';
import type { EventEnvelope } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { INVENTORY_EVENT_TYPES } from '../events.ts';
import {
  type FoldState,
  foldInventory,
  foldsEvent,
  levelKey,
  type TransferState,
  touchedKeys,
} from './fold.ts';
import { type InventoryDb, inventoryDb } from './inventory-tables.ts';
import { lockLevels } from './levels.ts';
import { type Folder, foldOrParkTillCount, unparkTillCounts } from './till-counts.ts';

export { lockLevels } from './levels.ts';

const CHUNK = 2_000;

/**
 * Folds newly stored events into the inventory ledger, inside the caller's transaction. Idempotent by
 * event id: an event already folded (a redelivery, or a command that applied its own events before
 * the runner did) changes nothing. Levels are locked in (store, sku) order before they are read, so
 * concurrent folds from several tills and HQ commands serialise per row and never deadlock.
 * A count taken at a till is folded once every earlier event of its till is folded, and parked until
 * then (see till-counts.ts); the events given here may be what it was waiting for.
 */
export async function applyInventoryProjection(trx: HqDb, events: readonly EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  const db = inventoryDb(trx);
  const relevant = events.filter((e) => foldsEvent(e, HQ_SOURCE_ID));
  const folder: Folder = { claim: (es) => claimEvents(db, es), fold: (es) => foldClaimed(db, es) };
  let run: EventEnvelope[] = [];
  const flush = async (): Promise<void> => {
    if (run.length > 0) await foldClaimed(db, await claimEvents(db, run));
    run = [];
  };
  for (const e of relevant) {
    if (e.type !== INVENTORY_EVENT_TYPES.stockCountTaken) {
      run.push(e);
      continue;
    }
    // Everything before the count folds first: the count is measured against it.
    await flush();
    await foldOrParkTillCount(db, e, folder);
  }
  await flush();
  await unparkTillCounts(
    db,
    events.map((e) => e.terminalId).filter((t) => t !== HQ_SOURCE_ID),
    folder,
  );
}

/** Folds events already claimed (recorded in inventory_applied by this transaction). */
async function foldClaimed(db: InventoryDb, fresh: readonly EventEnvelope[]): Promise<void> {
  if (fresh.length === 0) return;
  const keys = touchedKeys(fresh);
  const levels = await lockLevels(db, keys);
  const transfers = await loadTransfers(db, fresh);
  const state: FoldState = { levels, transfers };
  const out = foldInventory(state, fresh);

  const touched = new Set(out.movements.map((m) => levelKey(m.storeId, m.sku)));
  const rows = [...touched].map((k) => state.levels.get(k)!);
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('stock_on_hand')
      .values(
        rows.slice(i, i + CHUNK).map((l) => ({
          store_id: l.storeId,
          sku: l.sku,
          qty: l.onHand,
          reserved: l.reserved,
          in_transit_in: l.inTransitIn,
          in_transit_out: l.inTransitOut,
          avg_cost_minor: l.avgCostMinor,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['store_id', 'sku']).doUpdateSet((eb) => ({
          qty: eb.ref('excluded.qty'),
          reserved: eb.ref('excluded.reserved'),
          in_transit_in: eb.ref('excluded.in_transit_in'),
          in_transit_out: eb.ref('excluded.in_transit_out'),
          avg_cost_minor: eb.ref('excluded.avg_cost_minor'),
        })),
      )
      .execute();
  }
  for (let i = 0; i < out.movements.length; i += CHUNK) {
    await db
      .insertInto('inventory_movements')
      .values(
        out.movements.slice(i, i + CHUNK).map((m) => ({
          event_id: m.eventId,
          line_no: m.lineNo,
          store_id: m.storeId,
          sku: m.sku,
          kind: m.kind,
          on_hand: m.onHand,
          reserved: m.reserved,
          in_transit_in: m.inTransitIn,
          in_transit_out: m.inTransitOut,
          unit_cost_minor: m.unitCostMinor,
          value_minor: m.valueMinor,
          reason: m.reason,
          ref: m.ref,
          occurred_at: m.occurredAt,
          business_date: m.businessDate,
        })),
      )
      .execute();
  }
  await writeTransfers(db, state, out.touchedTransfers);
  await writeReservations(db, out);
  for (const n of out.negatives) {
    await db
      .insertInto('inventory_exceptions')
      .values({ id: n.id, store_id: n.storeId, sku: n.sku, lowest_on_hand: n.onHand, raised_at: n.raisedAt })
      .onConflict((oc) =>
        oc.columns(['store_id', 'sku']).where('status', '=', 'open').doUpdateSet({
          lowest_on_hand: sql`least(inventory_exceptions.lowest_on_hand, excluded.lowest_on_hand)`,
          events: sql`inventory_exceptions.events + 1`,
        }),
      )
      .execute();
  }
  for (const r of out.reviews) {
    await db
      .updateTable('inventory_exceptions')
      .set({ status: 'reviewed', reviewed_at: r.at, note: r.note })
      .where('id', '=', r.id)
      .execute();
  }
  if (out.counts.length > 0) {
    await db
      .insertInto('inventory_counts')
      .values(
        out.counts.map((c) => ({
          id: c.id,
          store_id: c.storeId,
          kind: c.kind,
          freeze_at: c.freezeAt,
          posted_at: c.postedAt,
          lines: c.lines,
          shrink_value_minor: c.shrinkValueMinor,
          gain_value_minor: c.gainValueMinor,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

/** The registration name the projection runner has always used. */
export const applyStockProjection = applyInventoryProjection;

/** Records the events as folded and returns those not folded before, in their given order. */
async function claimEvents(db: InventoryDb, events: readonly EventEnvelope[]): Promise<EventEnvelope[]> {
  const claimed = new Set<string>();
  for (let i = 0; i < events.length; i += CHUNK) {
    const rows = await db
      .insertInto('inventory_applied')
      .values(events.slice(i, i + CHUNK).map((e) => ({ event_id: e.id })))
      .onConflict((oc) => oc.doNothing())
      .returning('event_id')
      .execute();
    for (const r of rows) claimed.add(r.event_id);
  }
  return events.filter((e) => claimed.has(e.id));
}

async function loadTransfers(
  db: InventoryDb,
  events: readonly EventEnvelope[],
): Promise<Map<string, TransferState>> {
  const ids = [
    ...new Set(
      events
        .map((e) => (e.payload as { transferId?: unknown }).transferId)
        .filter((id): id is string => typeof id === 'string' && id.length > 0),
    ),
  ].sort();
  const transfers = new Map<string, TransferState>();
  if (ids.length === 0) return transfers;
  const rows = await db
    .selectFrom('inventory_transfers')
    .selectAll()
    .where('id', 'in', ids)
    .forUpdate()
    .execute();
  const lines = await db
    .selectFrom('inventory_transfer_lines')
    .selectAll()
    .where('transfer_id', 'in', ids)
    .execute();
  for (const r of rows)
    transfers.set(r.id, {
      id: r.id,
      fromStoreId: r.from_store_id,
      toStoreId: r.to_store_id,
      closed: r.closed,
      lines: new Map(),
    });
  for (const l of lines)
    transfers.get(l.transfer_id)?.lines.set(l.sku, { shipped: l.shipped, received: l.received });
  return transfers;
}

async function writeTransfers(db: InventoryDb, state: FoldState, ids: ReadonlySet<string>): Promise<void> {
  for (const id of ids) {
    const t = state.transfers.get(id)!;
    await db
      .insertInto('inventory_transfers')
      .values({ id, from_store_id: t.fromStoreId, to_store_id: t.toStoreId, closed: t.closed })
      .onConflict((oc) => oc.column('id').doUpdateSet({ closed: t.closed, updated_at: sql`now()` }))
      .execute();
    const lines = [...t.lines].map(([sku, l]) => ({
      transfer_id: id,
      sku,
      shipped: l.shipped,
      received: l.received,
    }));
    if (lines.length > 0)
      await db
        .insertInto('inventory_transfer_lines')
        .values(lines)
        .onConflict((oc) =>
          oc.columns(['transfer_id', 'sku']).doUpdateSet((eb) => ({
            shipped: eb.ref('excluded.shipped'),
            received: eb.ref('excluded.received'),
          })),
        )
        .execute();
  }
}

async function writeReservations(db: InventoryDb, out: ReturnType<typeof foldInventory>): Promise<void> {
  for (const r of out.reservations) {
    // One round trip for the reservation and its lines (a data-modifying CTE).
    await db
      .with('r', (q) =>
        q
          .insertInto('inventory_reservations')
          .values({
            id: r.id,
            store_id: r.storeId,
            order_id: r.orderId,
            status: 'active',
            expires_at: r.expiresAt,
            created_at: r.createdAt,
          })
          .onConflict((oc) => oc.column('id').doNothing()),
      )
      .insertInto('inventory_reservation_lines')
      .values(r.lines.map((l) => ({ reservation_id: r.id, sku: l.sku, store_id: r.storeId, qty: l.qty })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  for (const c of out.reservationClosures) {
    await db
      .updateTable('inventory_reservations')
      .set({ status: c.status, closed_at: c.at })
      .where('id', '=', c.id)
      .where('status', '=', 'active')
      .execute();
  }
}

export interface StockRow {
  storeId: string;
  sku: string;
  qty: number;
}

/** On-hand stock by store and SKU (the ledger's `on hand` column). */
export async function stockOnHand(
  db: HqDb,
  filter: { storeId?: string; sku?: string; limit?: number } = {},
): Promise<StockRow[]> {
  let q = db.selectFrom('stock_on_hand').select(['store_id', 'sku', 'qty']);
  if (filter.storeId) q = q.where('store_id', '=', filter.storeId);
  if (filter.sku) q = q.where('sku', '=', filter.sku);
  const rows = await q
    .orderBy('store_id')
    .orderBy('sku')
    .limit(filter.limit ?? 10_000)
    .execute();
  return rows.map((r) => ({ storeId: r.store_id, sku: r.sku, qty: r.qty }));
}
