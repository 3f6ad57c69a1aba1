import { conflict, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { INVENTORY_EVENT_TYPES } from '../events.ts';
import { type InventoryDeps, inTransaction } from './availability.ts';
import { inventoryDb } from './inventory-tables.ts';
import { applyInventoryProjection } from './stock-projection.ts';

export interface NegativeStockException {
  exceptionId: string;
  storeId: string;
  sku: string;
  lowestOnHand: number;
  /** How many movements took or kept this level below zero while the exception was open. */
  events: number;
  raisedAt: string;
  status: 'open' | 'reviewed';
  reviewedAt: string | null;
  note: string | null;
}

/** Negative on-hand raised by till sales HQ could not cover, for someone to review. */
export async function listExceptions(
  db: HqDb,
  filter: { storeIds?: readonly string[]; status?: 'open' | 'reviewed'; id?: string; limit?: number } = {},
): Promise<NegativeStockException[]> {
  if (filter.storeIds?.length === 0) return [];
  let q = inventoryDb(db).selectFrom('inventory_exceptions').selectAll();
  if (filter.id) q = q.where('id', '=', filter.id);
  if (filter.storeIds) q = q.where('store_id', 'in', filter.storeIds);
  if (filter.status) q = q.where('status', '=', filter.status);
  const rows = await q
    .orderBy('raised_at', 'desc')
    .limit(filter.limit ?? 1_000)
    .execute();
  return rows.map((r) => ({
    exceptionId: r.id,
    storeId: r.store_id,
    sku: r.sku,
    lowestOnHand: r.lowest_on_hand,
    events: r.events,
    raisedAt: r.raised_at.toISOString(),
    status: r.status as 'open' | 'reviewed',
    reviewedAt: r.reviewed_at?.toISOString() ?? null,
    note: r.note,
  }));
}

export async function getException(db: HqDb, id: string): Promise<NegativeStockException> {
  const [e] = await listExceptions(db, { id });
  if (!e) throw notFound(`exception ${id}`, 'exceptionId');
  return e;
}

/** Marks an exception reviewed, as an event so a replay keeps the review. */
export async function reviewException(
  deps: InventoryDeps,
  id: string,
  note: string,
): Promise<NegativeStockException> {
  return inTransaction(deps.db, async (trx) => {
    const row = await inventoryDb(trx)
      .selectFrom('inventory_exceptions')
      .select(['store_id', 'status'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound(`exception ${id}`, 'exceptionId');
    if (row.status !== 'open') throw conflict(`exception ${id} is reviewed already`, 'exceptionId');
    const events = await deps.append(trx, [
      {
        storeId: row.store_id,
        type: INVENTORY_EVENT_TYPES.exceptionReviewed,
        payload: { exceptionId: id, note },
      },
    ]);
    await applyInventoryProjection(trx, events);
    return getException(trx, id);
  });
}

export interface MovementRow {
  eventId: string;
  lineNo: number;
  storeId: string;
  sku: string;
  kind: string;
  onHand: number;
  reserved: number;
  inTransitIn: number;
  inTransitOut: number;
  unitCostMinor: number | null;
  valueMinor: number | null;
  reason: string | null;
  ref: string | null;
  occurredAt: string;
}

/** The movements behind a level, newest first: every number on a stock screen traces back here. */
export async function listMovements(
  db: HqDb,
  filter: {
    storeIds?: readonly string[];
    sku?: string;
    kinds?: readonly string[];
    from?: string;
    to?: string;
    limit?: number;
  } = {},
): Promise<MovementRow[]> {
  if (filter.storeIds?.length === 0) return [];
  let q = inventoryDb(db).selectFrom('inventory_movements').selectAll();
  if (filter.storeIds) q = q.where('store_id', 'in', filter.storeIds);
  if (filter.sku) q = q.where('sku', '=', filter.sku);
  if (filter.kinds) q = q.where('kind', 'in', filter.kinds);
  if (filter.from) q = q.where('business_date', '>=', filter.from);
  if (filter.to) q = q.where('business_date', '<=', filter.to);
  const rows = await q
    .orderBy('occurred_at', 'desc')
    .orderBy('event_id', 'desc')
    .orderBy('line_no')
    .limit(filter.limit ?? 1_000)
    .execute();
  return rows.map((r) => ({
    eventId: r.event_id,
    lineNo: r.line_no,
    storeId: r.store_id,
    sku: r.sku,
    kind: r.kind,
    onHand: r.on_hand,
    reserved: r.reserved,
    inTransitIn: r.in_transit_in,
    inTransitOut: r.in_transit_out,
    unitCostMinor: r.unit_cost_minor,
    valueMinor: r.value_minor,
    reason: r.reason,
    ref: r.ref,
    occurredAt: r.occurred_at.toISOString(),
  }));
}

export interface ShrinkageRow {
  storeId: string;
  sku: string;
  units: number;
  /** Value at cost of the units lost (positive). */
  valueMinor: number;
}

/** Shrinkage per store and SKU: write-offs and count losses, valued at cost. */
export async function shrinkage(
  db: HqDb,
  filter: { storeIds?: readonly string[]; from?: string; to?: string } = {},
): Promise<ShrinkageRow[]> {
  if (filter.storeIds?.length === 0) return [];
  let q = inventoryDb(db)
    .selectFrom('inventory_movements')
    .select([
      'store_id',
      'sku',
      (eb) => eb.fn.sum<number>('on_hand').as('units'),
      (eb) => eb.fn.sum<number>('value_minor').as('value'),
    ])
    .where((eb) =>
      eb.or([eb('kind', '=', 'write_off'), eb.and([eb('kind', '=', 'count'), eb('on_hand', '<', 0)])]),
    )
    .groupBy(['store_id', 'sku']);
  if (filter.storeIds) q = q.where('store_id', 'in', filter.storeIds);
  if (filter.from) q = q.where('business_date', '>=', filter.from);
  if (filter.to) q = q.where('business_date', '<=', filter.to);
  const rows = await q.orderBy('store_id').orderBy('sku').execute();
  return rows.map((r) => ({
    storeId: r.store_id,
    sku: r.sku,
    units: -Number(r.units),
    valueMinor: -Number(r.value ?? 0),
  }));
}
