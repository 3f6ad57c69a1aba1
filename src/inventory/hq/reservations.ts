import { conflict, invalid, newId, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { INVENTORY_EVENT_TYPES, type StockLine } from '../events.ts';
import { mergeLines, sortKeys } from '../keys.ts';
import {
  availability,
  type InventoryDeps,
  inTransaction,
  lockedAvailability,
  nowOf,
} from './availability.ts';
import { type InventoryDb, inventoryDb } from './inventory-tables.ts';
import { applyInventoryProjection, lockLevels } from './stock-projection.ts';

export const DEFAULT_RESERVATION_TTL_SECONDS = 20 * 60;

export type ReservationStatus = 'active' | 'confirmed' | 'released' | 'expired';

export interface Reservation {
  reservationId: string;
  storeId: string;
  orderId: string | null;
  status: ReservationStatus;
  expiresAt: string;
  createdAt: string;
  lines: StockLine[];
}

export interface ReserveRequest {
  storeId: string;
  lines: readonly StockLine[];
  orderId?: string;
  /** Chosen by the caller to make a retried request safe: the same id returns the same reservation. */
  reservationId?: string;
  ttlSeconds?: number;
}

/**
 * Holds stock for an order, all lines or none. The level rows are locked before availability is read,
 * so of two clients asking for the last unit one waits for the other, sees it gone and is refused.
 */
export async function reserve(deps: InventoryDeps, req: ReserveRequest): Promise<Reservation> {
  const ttl = req.ttlSeconds ?? DEFAULT_RESERVATION_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 7 * 24 * 3600)
    throw invalid('ttlSeconds', 'between 1 second and 7 days');
  if (req.lines.length === 0) throw invalid('lines', 'at least one line');
  const lines = mergeLines(req.lines);
  const id = req.reservationId ?? newId();
  // Most requests for the last units are refusals: answer those from a plain read, without queueing
  // on the row locks the winners hold. Only a retry (its own id) must look for its earlier answer.
  if (!req.reservationId) refuseShort(lines, await quickAvailability(deps, req.storeId, lines), req.storeId);
  return inTransaction(deps.db, async (trx) => {
    const db = inventoryDb(trx);
    const now = nowOf(deps);
    const avail = await lockedAvailability(
      db,
      req.storeId,
      lines.map((l) => l.sku),
      now,
    );
    // Checked under the level locks, so a retry racing its original waits and then finds it.
    // A new id (none given) cannot exist yet: only a retry has an earlier answer to find.
    const existing = req.reservationId ? await findReservation(db, id) : undefined;
    if (existing) return sameRequest(existing, req.storeId, lines, now);
    refuseShort(lines, avail, req.storeId);
    const expiresAt = new Date(now.getTime() + ttl * 1000).toISOString();
    const events = await deps.append(trx, [
      {
        storeId: req.storeId,
        type: INVENTORY_EVENT_TYPES.stockReserved,
        payload: { reservationId: id, ...(req.orderId ? { orderId: req.orderId } : {}), expiresAt, lines },
      },
    ]);
    await applyInventoryProjection(trx, events);
    return {
      reservationId: id,
      storeId: req.storeId,
      orderId: req.orderId ?? null,
      status: 'active',
      expiresAt,
      createdAt: events[0]?.occurredAt ?? now.toISOString(),
      lines,
    };
  });
}

function refuseShort(
  lines: readonly StockLine[],
  avail: ReadonlyMap<string, { available: number }>,
  storeId: string,
): void {
  lines.forEach((l, i) => {
    const a = avail.get(l.sku)?.available ?? 0;
    if (a < l.qty)
      throw conflict(`only ${Math.max(a, 0)} of ${l.sku} available at ${storeId}`, `lines.${i}.qty`);
  });
}

/** Availability without locks: may be a moment old, so it can refuse early but never grant. */
async function quickAvailability(
  deps: InventoryDeps,
  storeId: string,
  lines: readonly StockLine[],
): Promise<Map<string, { available: number }>> {
  const rows = await availability(
    deps.db,
    { keys: lines.map((l) => ({ storeId, sku: l.sku })) },
    nowOf(deps),
  );
  return new Map(rows.map((r) => [r.sku, r]));
}

function sameRequest(r: Reservation, storeId: string, lines: StockLine[], now: Date): Reservation {
  const same =
    r.storeId === storeId &&
    r.lines.length === lines.length &&
    r.lines.every((l, i) => l.sku === lines[i]?.sku && l.qty === lines[i]?.qty);
  if (!same) throw conflict(`reservation ${r.reservationId} exists with other lines`, 'reservationId');
  return withLazyExpiry(r, now);
}

const withLazyExpiry = (r: Reservation, now: Date): Reservation =>
  r.status === 'active' && new Date(r.expiresAt) <= now ? { ...r, status: 'expired' } : r;

async function findReservation(db: InventoryDb, id: string, lock = false): Promise<Reservation | undefined> {
  let q = db.selectFrom('inventory_reservations').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  if (!r) return undefined;
  const lines = await db
    .selectFrom('inventory_reservation_lines')
    .select(['sku', 'qty'])
    .where('reservation_id', '=', id)
    .orderBy('sku')
    .execute();
  return {
    reservationId: r.id,
    storeId: r.store_id,
    orderId: r.order_id,
    status: r.status as ReservationStatus,
    expiresAt: r.expires_at.toISOString(),
    createdAt: r.created_at.toISOString(),
    lines: lines.map((l) => ({ sku: l.sku, qty: l.qty })),
  };
}

/** A reservation as of now: an active one past its expiry reads as expired before the sweeper runs. */
export async function getReservation(deps: InventoryDeps, id: string): Promise<Reservation> {
  const r = await findReservation(inventoryDb(deps.db), id);
  if (!r) throw notFound(`reservation ${id}`, 'reservationId');
  return withLazyExpiry(r, nowOf(deps));
}

/**
 * Turns a reservation into a committed decrement of on-hand. Confirming twice returns the same answer;
 * confirming one that was released or has expired is refused (its stock may be sold already), and an
 * expired one is released on the spot.
 */
export async function confirmReservation(deps: InventoryDeps, id: string): Promise<Reservation> {
  const outcome = await inTransaction(deps.db, async (trx) => {
    const r = await lockedReservation(trx, id);
    const now = nowOf(deps);
    if (r.status === 'confirmed') return r;
    if (r.status !== 'active') return { refused: r };
    if (new Date(r.expiresAt) <= now) {
      await closeReservations(deps, trx, [r], 'expired');
      return { refused: { ...r, status: 'expired' as const } };
    }
    await lockLevels(
      inventoryDb(trx),
      r.lines.map((l) => ({ storeId: r.storeId, sku: l.sku })),
    );
    const events = await deps.append(trx, [
      {
        storeId: r.storeId,
        type: INVENTORY_EVENT_TYPES.reservationConfirmed,
        payload: { reservationId: r.reservationId, lines: r.lines },
      },
    ]);
    await applyInventoryProjection(trx, events);
    return { ...r, status: 'confirmed' as const };
  });
  if ('refused' in outcome)
    throw conflict(`reservation ${id} is ${outcome.refused.status} and cannot be confirmed`, 'reservationId');
  return outcome;
}

/** Gives the units back (an order cancelled). Releasing twice, or after expiry, changes nothing. */
export async function releaseReservation(deps: InventoryDeps, id: string): Promise<Reservation> {
  return inTransaction(deps.db, async (trx) => {
    const r = await lockedReservation(trx, id);
    if (r.status === 'confirmed') throw conflict(`reservation ${id} is confirmed already`, 'reservationId');
    if (r.status !== 'active') return r;
    const expired = new Date(r.expiresAt) <= nowOf(deps);
    await closeReservations(deps, trx, [r], expired ? 'expired' : 'cancelled');
    return { ...r, status: expired ? 'expired' : 'released' };
  });
}

async function lockedReservation(trx: HqDb, id: string): Promise<Reservation> {
  const r = await findReservation(inventoryDb(trx), id, true);
  if (!r) throw notFound(`reservation ${id}`, 'reservationId');
  return r;
}

/** Releases reservations (their rows locked by the caller), locking the levels before the log. */
async function closeReservations(
  deps: InventoryDeps,
  trx: HqDb,
  rs: readonly Reservation[],
  reason: 'cancelled' | 'expired',
): Promise<void> {
  if (rs.length === 0) return;
  await lockLevels(
    inventoryDb(trx),
    sortKeys(rs.flatMap((r) => r.lines.map((l) => ({ storeId: r.storeId, sku: l.sku })))),
  );
  const events = await deps.append(
    trx,
    rs.map((r) => ({
      storeId: r.storeId,
      type: INVENTORY_EVENT_TYPES.reservationReleased,
      payload: { reservationId: r.reservationId, reason, lines: r.lines },
    })),
  );
  await applyInventoryProjection(trx, events);
}

/**
 * Releases reservations past their expiry, oldest first, up to `limit` per call. Rows another
 * transaction holds (a confirm in flight) are skipped and caught on the next sweep.
 */
export async function sweepExpiredReservations(
  deps: InventoryDeps,
  opts: { limit?: number } = {},
): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const db = inventoryDb(trx);
    const due = await db
      .selectFrom('inventory_reservations')
      .select('id')
      .where('status', '=', 'active')
      .where('expires_at', '<=', nowOf(deps))
      .orderBy('expires_at')
      .limit(opts.limit ?? 500)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return 0;
    const rs: Reservation[] = [];
    for (const d of due) {
      const r = await findReservation(db, d.id);
      if (r) rs.push(r);
    }
    await closeReservations(deps, trx, rs, 'expired');
    return rs.length;
  });
}
