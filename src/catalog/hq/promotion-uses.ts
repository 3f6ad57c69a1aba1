import { sql } from 'kysely';
import { conflict, newId, notFound, TallyError } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import {
  type ActiveUses,
  countedLimitsOf,
  decideUse,
  type Promotion,
  parsePromotions,
  refusalText,
  type UseLimits,
  type UseRefusal,
} from '../../pricing/index.ts';

/**
 * HQ's ledger of promotion uses (migration 0028), the counter of record for `limits.total`,
 * `perCustomer` and `perCode`. Every change to a promotion's uses first takes the row lock of its
 * `promotions` row, so two tills asking for the last use are answered one after the other: one gets
 * it, the other is refused. The rules are pricing's (`decideUse`); this file only counts and writes.
 */

/** How long a reservation holds a use for a till that has not committed its sale yet. */
export const RESERVATION_TTL_MS = 10 * 60_000;

export interface ReserveRequest {
  promotionId: string;
  /** The till's cart: a retried request for the same cart and promotion gets the same answer. */
  cartId: string;
  terminalId: string;
  storeId: string;
  customerId?: string | undefined;
  couponCode?: string | undefined;
}

export type ReserveAnswer =
  | { status: 'reserved'; useId: string; expiresAt: string }
  | { status: 'refused'; reason: UseRefusal | 'ended'; message: string };

const inTx = <T>(db: HqDb, fn: (trx: HqDb) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db) : db.transaction().execute(fn);

interface Locked {
  promotion: Promotion | undefined;
  active: boolean;
}

/** Takes the promotion's row lock (the one queue every use of it waits in) and reads its definition. */
async function lockPromotion(trx: HqDb, promotionId: string): Promise<Locked | undefined> {
  const { rows } = await sql<{ definition: unknown; active: boolean }>`
    SELECT definition, active FROM promotions WHERE id = ${promotionId} FOR UPDATE`.execute(trx);
  const r = rows[0];
  if (!r) return undefined;
  let promotion: Promotion | undefined;
  try {
    promotion = parsePromotions([r.definition])[0];
  } catch {
    promotion = undefined; // a definition today's schema refuses: counted, never limited
  }
  return { promotion, active: r.active };
}

/** Uses that count now: confirmed, or reserved and not expired; `except` leaves one row out. */
async function countActive(
  trx: HqDb,
  promotionId: string,
  req: { customerId?: string | undefined; couponCode?: string | undefined },
  now: Date,
  except: string | null,
): Promise<ActiveUses> {
  const { rows } = await sql<{ total: number; customer: number; code: number }>`
    SELECT count(*)::int AS total,
           count(*) FILTER (WHERE customer_id = ${req.customerId ?? null})::int AS customer,
           count(*) FILTER (WHERE coupon_code = ${req.couponCode ?? null})::int AS code
      FROM promotion_uses
     WHERE promotion_id = ${promotionId}
       AND (state = 'confirmed' OR (state = 'reserved' AND expires_at > ${now}))
       AND id IS DISTINCT FROM ${except}::uuid`.execute(trx);
  const r = rows[0];
  return { total: Number(r?.total ?? 0), customer: Number(r?.customer ?? 0), code: Number(r?.code ?? 0) };
}

/**
 * Reserves one use of a limited promotion for a till's sale, or refuses it naming the limit reached.
 * Idempotent by (cart, promotion): a use this cart holds is answered again, not taken twice.
 */
export async function reservePromotionUse(
  db: HqDb,
  req: ReserveRequest,
  now = new Date(),
  ttlMs = RESERVATION_TTL_MS,
): Promise<ReserveAnswer> {
  return inTx(db, async (trx) => {
    const locked = await lockPromotion(trx, req.promotionId);
    if (!locked) throw notFound(`promotion ${req.promotionId}`, 'promotionId');
    const name = locked.promotion?.name ?? req.promotionId;
    const { rows } = await sql<{ id: string; state: string; expires_at: Date | null; terminal_id: string }>`
      SELECT id, state, expires_at, terminal_id FROM promotion_uses
       WHERE promotion_id = ${req.promotionId} AND cart_id = ${req.cartId}`.execute(trx);
    const had = rows[0];
    if (had && had.terminal_id !== req.terminalId)
      throw new TallyError(
        'forbidden',
        `cartId: cart ${req.cartId} holds a use made by another till`,
        'cartId',
      );
    const live =
      had &&
      (had.state === 'confirmed' ||
        (had.state === 'reserved' && had.expires_at !== null && had.expires_at.getTime() > now.getTime()));
    if (had && live)
      return { status: 'reserved', useId: had.id, expiresAt: (had.expires_at ?? now).toISOString() };
    if (!locked.active) return { status: 'refused', reason: 'ended', message: `${name}: has ended` };
    const limits: UseLimits = (locked.promotion && countedLimitsOf(locked.promotion)) ?? {};
    const active = await countActive(trx, req.promotionId, req, now, had?.id ?? null);
    const d = decideUse(limits, active, req);
    if (!d.ok) return { status: 'refused', reason: d.reason, message: refusalText(name, d.reason) };
    const expiresAt = new Date(now.getTime() + ttlMs);
    const useId = had?.id ?? newId();
    if (had)
      await sql`
        UPDATE promotion_uses
           SET state = 'reserved', at = ${now}, expires_at = ${expiresAt}, released_at = NULL,
               released_why = NULL, customer_id = ${req.customerId ?? null},
               coupon_code = ${req.couponCode ?? null}
         WHERE id = ${useId}`.execute(trx);
    else
      await sql`
        INSERT INTO promotion_uses
          (id, promotion_id, coupon_code, customer_id, cart_id, terminal_id, store_id, state, at, expires_at)
        VALUES (${useId}, ${req.promotionId}, ${req.couponCode ?? null}, ${req.customerId ?? null},
                ${req.cartId}, ${req.terminalId}, ${req.storeId}, 'reserved', ${now}, ${expiresAt})`.execute(
        trx,
      );
    return { status: 'reserved', useId, expiresAt: expiresAt.toISOString() };
  });
}

/**
 * Gives back a reservation whose sale was not recorded. Only the till that made it (403), and only
 * while it is a reservation (409 once a sale confirmed it); a repeat changes nothing.
 */
export async function releasePromotionUse(
  db: HqDb,
  useId: string,
  terminalId: string,
  now = new Date(),
): Promise<{ released: boolean }> {
  return inTx(db, async (trx) => {
    const { rows } = await sql<{ promotion_id: string; state: string; terminal_id: string | null }>`
      SELECT promotion_id, state, terminal_id FROM promotion_uses WHERE id = ${useId}`.execute(trx);
    const r = rows[0];
    if (!r) throw notFound(`promotion use ${useId}`, 'useId');
    if (r.terminal_id !== terminalId)
      throw new TallyError('forbidden', `useId: use ${useId} was reserved by another till`, 'useId');
    if (r.state === 'confirmed') throw conflict(`useId: use ${useId} belongs to a recorded sale`, 'useId');
    if (r.state === 'released') return { released: false };
    await lockPromotion(trx, r.promotion_id);
    await sql`
      UPDATE promotion_uses SET state = 'released', released_at = ${now}, released_why = 'till'
       WHERE id = ${useId} AND state = 'reserved'`.execute(trx);
    return { released: true };
  });
}

/** A promotion a recorded sale applied, as the sales projection hands it over. */
export interface UseFact {
  promotionId: string;
  saleId: string;
  /** HQ's reservation, when the till had one. */
  useId?: string | undefined;
  terminalId: string;
  storeId: string;
  customerId?: string | undefined;
  couponCode?: string | undefined;
  /** Units of the sale, so a return of all of them gives the use back. */
  units: number;
}

const overBy = (limits: UseLimits, active: ActiveUses, reason: UseRefusal): number => {
  if (reason === 'fully_redeemed') return active.total + 1 - (limits.total ?? 0);
  if (reason === 'customer_limit') return active.customer + 1 - (limits.perCustomer ?? 0);
  if (reason === 'code_used') return active.code + 1 - (limits.perCode ?? 0);
  return 1;
};

/**
 * Counts the uses of recorded sales (call inside the ingest transaction). A reserved use becomes
 * confirmed; a use made offline, or whose reservation had expired or been released, is counted all the
 * same (the sale happened) and raises an exception when it took a promotion past a limit.
 */
export async function recordPromotionUses(
  trx: HqDb,
  facts: readonly UseFact[],
  now = new Date(),
): Promise<void> {
  // One lock order for every batch, so two ingests cannot deadlock on promotion rows.
  const sorted = [...facts].sort((a, b) =>
    a.promotionId === b.promotionId ? (a.saleId < b.saleId ? -1 : 1) : a.promotionId < b.promotionId ? -1 : 1,
  );
  for (const f of sorted) {
    const locked = await lockPromotion(trx, f.promotionId);
    const reserved = f.useId
      ? (
          await sql<{ state: string; expires_at: Date | null; sale_id: string | null }>`
            SELECT state, expires_at, sale_id FROM promotion_uses
             WHERE id = ${f.useId} AND promotion_id = ${f.promotionId}`.execute(trx)
        ).rows[0]
      : undefined;
    let useId: string;
    let checkOverrun: boolean;
    if (f.useId && reserved) {
      if (reserved.state === 'confirmed') continue; // seen already
      checkOverrun =
        reserved.state === 'released' || (reserved.expires_at !== null && reserved.expires_at <= now);
      useId = f.useId;
      await sql`
        UPDATE promotion_uses
           SET state = 'confirmed', sale_id = ${f.saleId}, units = ${f.units}, confirmed_at = ${now},
               released_at = NULL, released_why = NULL
         WHERE id = ${useId}`.execute(trx);
    } else {
      useId = newId();
      const inserted = await sql`
        INSERT INTO promotion_uses
          (id, promotion_id, coupon_code, customer_id, sale_id, terminal_id, store_id, state, offline,
           units, at, confirmed_at)
        VALUES (${useId}, ${f.promotionId}, ${f.couponCode ?? null}, ${f.customerId ?? null}, ${f.saleId},
                ${f.terminalId}, ${f.storeId}, 'confirmed', true, ${f.units}, ${now}, ${now})
        ON CONFLICT DO NOTHING`.execute(trx);
      if ((inserted.numAffectedRows ?? 0n) === 0n) continue;
      checkOverrun = true;
    }
    const limits = locked?.promotion && countedLimitsOf(locked.promotion);
    if (!checkOverrun || !limits) continue;
    const req = { customerId: f.customerId, couponCode: f.couponCode };
    const active = await countActive(trx, f.promotionId, req, now, useId);
    const d = decideUse(limits, active, req);
    if (d.ok) continue;
    await sql`
      INSERT INTO promotion_use_exceptions (promotion_id, sale_id, store_id, terminal_id, limit_name, over_by)
      VALUES (${f.promotionId}, ${f.saleId}, ${f.storeId}, ${f.terminalId}, ${d.reason},
              ${overBy(limits, active, d.reason)})
      ON CONFLICT DO NOTHING`.execute(trx);
  }
}

/**
 * Units of a recorded sale came back: when all of them have (one return or several), its uses are
 * released, so a customer who returned the whole purchase may use a per-customer offer again.
 */
export async function returnPromotionUnits(
  trx: HqDb,
  ret: { returnId: string; saleId: string; units: number },
  now = new Date(),
): Promise<void> {
  const { saleId, units } = ret;
  const first = await sql`
    INSERT INTO promotion_use_returns (return_id, sale_id, units)
    VALUES (${ret.returnId}, ${saleId}, ${units}) ON CONFLICT DO NOTHING`.execute(trx);
  if ((first.numAffectedRows ?? 0n) === 0n) return; // a replayed return: counted already
  await sql`
    UPDATE promotion_uses
       SET returned_units = returned_units + ${units},
           state = CASE WHEN returned_units + ${units} >= units THEN 'released' ELSE state END,
           released_at = CASE WHEN returned_units + ${units} >= units THEN ${now} ELSE released_at END,
           released_why = CASE WHEN returned_units + ${units} >= units THEN 'returned' ELSE released_why END
     WHERE sale_id = ${saleId} AND state = 'confirmed'`.execute(trx);
}

/** A cart voided at the till: any use still reserved for it is given back. */
export async function releaseCartUses(trx: HqDb, cartId: string, terminalId: string, now = new Date()) {
  await sql`
    UPDATE promotion_uses SET state = 'released', released_at = ${now}, released_why = 'voided'
     WHERE cart_id = ${cartId} AND terminal_id = ${terminalId} AND state = 'reserved'`.execute(trx);
}

export interface PromotionUseCount {
  promotionId: string;
  confirmed: number;
  reserved: number;
}

/** Uses counted now per promotion (confirmed, and reservations not yet expired). */
export async function promotionUseCounts(db: HqDb, now = new Date()): Promise<PromotionUseCount[]> {
  const { rows } = await sql<{ promotion_id: string; confirmed: number; reserved: number }>`
    SELECT promotion_id,
           count(*) FILTER (WHERE state = 'confirmed')::int AS confirmed,
           count(*) FILTER (WHERE state = 'reserved' AND expires_at > ${now})::int AS reserved
      FROM promotion_uses WHERE state <> 'released'
     GROUP BY promotion_id ORDER BY promotion_id`.execute(db);
  return rows.map((r) => ({
    promotionId: r.promotion_id,
    confirmed: Number(r.confirmed),
    reserved: Number(r.reserved),
  }));
}

export interface PromotionUseException {
  id: number;
  promotionId: string;
  saleId: string;
  storeId: string | null;
  terminalId: string | null;
  limitName: string;
  overBy: number;
  at: string;
}

/** Offline uses that took a promotion past a limit, newest first, in the stores given ('all': every one). */
export async function promotionUseExceptions(
  db: HqDb,
  opts: { stores: 'all' | readonly string[]; limit: number },
): Promise<PromotionUseException[]> {
  if (opts.stores !== 'all' && opts.stores.length === 0) return [];
  const where =
    opts.stores === 'all' ? sql`true` : sql`store_id IN (${sql.join(opts.stores.map((s) => sql`${s}`))})`;
  const { rows } = await sql<{
    id: number;
    promotion_id: string;
    sale_id: string;
    store_id: string | null;
    terminal_id: string | null;
    limit_name: string;
    over_by: number;
    at: Date;
  }>`
    SELECT * FROM promotion_use_exceptions WHERE ${where} ORDER BY id DESC LIMIT ${opts.limit}`.execute(db);
  return rows.map((r) => ({
    id: Number(r.id),
    promotionId: r.promotion_id,
    saleId: r.sale_id,
    storeId: r.store_id,
    terminalId: r.terminal_id,
    limitName: r.limit_name,
    overBy: Number(r.over_by),
    at: new Date(r.at).toISOString(),
  }));
}
