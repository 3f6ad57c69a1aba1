import { sql } from 'kysely';
import { conflict, invalid, notFound, TallyError } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { canonicalCustomer } from './canonical-customer.ts';

/**
 * HQ's ledger of record for loyalty points (tables of migration 0029), the way stored-value/hq/ledger.ts
 * keeps gift cards: every change is a movement with a unique key, inserted before the balance moves, so
 * a second application of the same key changes nothing; the balance moves in one UPDATE that takes the
 * account's row lock, so two tills spending a customer's last points are serialised.
 *
 * An id merged into another is booked to the survivor's account (its `owner` stays the id named), so a
 * till that still holds the merged id earns and spends on the person's one balance, and an unmerge can
 * give the merged id back what is its own (merges.ts).
 */
export type PointsMovementKind = 'earn' | 'burn' | 'reverse' | 'refund' | 'adjust' | 'release';

export interface PointsMovement {
  key: string;
  /** The account booked: the person (a merge's survivor), already resolved by the caller. */
  customerId: string;
  /** Whose points these are: the id the till or head office named (default customerId); null for a transfer. */
  owner?: string | null | undefined;
  kind: PointsMovementKind;
  /** Signed: earning and giving back are positive, spending and taking back negative. */
  points: number;
  /** Net spend this adds to the customer's 12 months (negative on a return). */
  spendMinor?: number | undefined;
  eventId?: string | undefined;
  terminalId?: string | undefined;
  storeId?: string | undefined;
  /** A burn the till allowed while HQ was unreachable: applied even if it overdraws. */
  offline?: boolean | undefined;
  reason?: string | undefined;
  actor?: string | undefined;
  /** When it happened (a till event's occurredAt), so the 12-month window follows the sale. */
  at?: string | undefined;
}

export interface PointsApplied {
  applied: boolean;
  balancePoints: number;
}

const inTx = <T>(db: HqDb, fn: (trx: HqDb) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db) : db.transaction().execute(fn);

/**
 * Applies one movement in the caller's transaction. `mayOverdraw`: a burn that already happened at a
 * till (offline) goes through even below zero, flagging the account and raising an exception; any
 * other debit beyond the balance throws 402 and writes nothing.
 */
export async function applyPoints(
  trx: HqDb,
  m: PointsMovement,
  mayOverdraw: boolean,
): Promise<PointsApplied> {
  if (!Number.isSafeInteger(m.points)) throw invalid('points', `must be a whole number, got ${m.points}`);
  await sql`INSERT INTO loyalty_accounts (customer_id) VALUES (${m.customerId}) ON CONFLICT DO NOTHING`.execute(
    trx,
  );
  const claimed = await sql<{ id: number }>`
    INSERT INTO loyalty_movements
      (movement_key, customer_id, owner_id, kind, points, balance_after, spend_minor, event_id, terminal_id,
       store_id, offline, reason, actor, at)
    VALUES (${m.key}, ${m.customerId}, ${m.owner === undefined ? m.customerId : m.owner}, ${m.kind}, ${m.points}, 0,
            ${m.spendMinor ?? 0}, ${m.eventId ?? null},
            ${m.terminalId ?? null}, ${m.storeId ?? null}, ${m.offline === true}, ${m.reason ?? null},
            ${m.actor ?? null}, ${m.at ?? new Date().toISOString()})
    ON CONFLICT (movement_key) DO NOTHING
    RETURNING id`.execute(trx);
  const id = claimed.rows[0]?.id;
  if (id === undefined) {
    // An online burn HQ already debited under its authorisation id: the sale makes it final.
    if (m.eventId && m.kind === 'burn')
      await sql`UPDATE loyalty_movements SET event_id = COALESCE(event_id, ${m.eventId}), spend_minor = ${m.spendMinor ?? 0}
                 WHERE movement_key = ${m.key}`.execute(trx);
    const { rows } = await sql<{ balance_after: number }>`
      SELECT balance_after FROM loyalty_movements WHERE movement_key = ${m.key}`.execute(trx);
    return { applied: false, balancePoints: Number(rows[0]?.balance_after ?? 0) };
  }
  const moved = await sql<{ balance_points: number }>`
    UPDATE loyalty_accounts
       SET balance_points = balance_points + ${m.points},
           overdraft = overdraft OR balance_points + ${m.points} < 0,
           version = version + 1,
           updated_at = now()
     WHERE customer_id = ${m.customerId}
       AND (${mayOverdraw} OR ${m.points} >= 0 OR balance_points + ${m.points} >= 0)
    RETURNING balance_points`.execute(trx);
  const after = moved.rows[0];
  if (!after) {
    const b = await balanceOf(trx, m.customerId);
    throw new TallyError(
      'payment_declined',
      `points: the customer holds ${b} points, less than the ${-m.points} asked`,
      'points',
    );
  }
  const balancePoints = Number(after.balance_points);
  await sql`UPDATE loyalty_movements SET balance_after = ${balancePoints} WHERE id = ${id}`.execute(trx);
  if (balancePoints < 0)
    await sql`
      INSERT INTO loyalty_exceptions (customer_id, movement_key, shortfall_points, terminal_id)
      VALUES (${m.customerId}, ${m.key}, ${Math.min(-m.points, -balancePoints)}, ${m.terminalId ?? null})
      ON CONFLICT DO NOTHING`.execute(trx);
  return { applied: true, balancePoints };
}

async function balanceOf(db: HqDb, customerId: string): Promise<number> {
  const { rows } = await sql<{ balance_points: number }>`
    SELECT balance_points FROM loyalty_accounts WHERE customer_id = ${customerId}`.execute(db);
  return Number(rows[0]?.balance_points ?? 0);
}

/** Of these event ids, those HQ's ledger has applied (a till asks so it stops counting them itself). */
export async function appliedLoyaltyEvents(db: HqDb, eventIds: readonly string[]): Promise<string[]> {
  if (eventIds.length === 0) return [];
  const { rows } = await sql<{ event_id: string }>`
    SELECT DISTINCT event_id FROM loyalty_movements WHERE event_id IN (${sql.join(eventIds)})`.execute(db);
  return rows.map((r) => r.event_id).sort();
}

export interface BurnRequest {
  authId: string;
  customerId: string;
  points: number;
  terminalId: string;
  storeId?: string | undefined;
  /** The till's loyalty events it counts itself until HQ's ledger shows them: the answer says which do. */
  pending?: readonly string[] | undefined;
}

interface AuthRow {
  customer_id: string;
  owner_id: string | null;
  points: number;
  terminal_id: string | null;
  event_id: string | null;
}

async function authorisation(trx: HqDb, authId: string): Promise<AuthRow | undefined> {
  const { rows } = await sql<AuthRow>`
    SELECT customer_id, owner_id, points, terminal_id, event_id FROM loyalty_movements
     WHERE movement_key = ${authId} AND kind = 'burn'`.execute(trx);
  return rows[0];
}

const otherTill = (authId: string): TallyError =>
  new TallyError('forbidden', `authId: authorisation ${authId} was made by another till`, 'authId');

/**
 * An online burn: HQ debits now, row-locked, or refuses (402) without writing anything. The till's
 * loyalty event later carries `authId`, whose movement is then already here. A retry with the same
 * authId answers the first result.
 */
export async function authorizeBurn(
  db: HqDb,
  req: BurnRequest,
): Promise<{ authId: string; balancePoints: number; applied: string[] }> {
  if (!Number.isSafeInteger(req.points) || req.points <= 0)
    throw invalid('points', `must be a whole number of points above 0, got ${req.points}`);
  return inTx(db, async (trx) => {
    const earlier = await authorisation(trx, req.authId);
    if (earlier && earlier.terminal_id !== req.terminalId) throw otherTill(req.authId);
    // A till may name a profile merged since it cached it: the points are the survivor's.
    const person = await canonicalCustomer(trx, req.customerId);
    await sql`SELECT 1 FROM loyalty_accounts WHERE customer_id = ${person} FOR UPDATE`.execute(trx);
    const r = await applyPoints(
      trx,
      {
        key: req.authId,
        customerId: person,
        owner: req.customerId,
        kind: 'burn',
        points: -req.points,
        terminalId: req.terminalId,
        storeId: req.storeId,
      },
      false,
    );
    // Read under the account's lock: an event applied to it commits before or after, never between.
    return {
      authId: req.authId,
      balancePoints: r.balancePoints,
      applied: await appliedLoyaltyEvents(trx, req.pending ?? []),
    };
  });
}

/** A loyalty event of this till that names the authorisation (ingested, maybe not yet projected). */
async function usedBySale(trx: HqDb, authId: string, terminalId: string): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM events
     WHERE terminal_id = ${terminalId} AND type = 'loyalty.sale_points' AND payload->>'authId' = ${authId}
     LIMIT 1`.execute(trx);
  return rows.length > 0;
}

/** Gives back a burn the till could not use (its sale failed); once, by its till, while no sale used it. */
export async function releaseBurn(
  db: HqDb,
  authId: string,
  terminalId: string,
): Promise<{ released: boolean; balancePoints: number }> {
  return inTx(db, async (trx) => {
    await sql`SELECT id FROM loyalty_movements WHERE movement_key = ${authId} FOR UPDATE`.execute(trx);
    const auth = await authorisation(trx, authId);
    if (!auth) throw notFound(`authorisation ${authId}`, 'authId');
    if (auth.terminal_id !== terminalId) throw otherTill(authId);
    if (auth.event_id || (await usedBySale(trx, authId, terminalId)))
      throw conflict(`authId: authorisation ${authId} was used by a recorded sale and is final`, 'authId');
    const r = await applyPoints(
      trx,
      {
        key: `${authId}:release`,
        customerId: await canonicalCustomer(trx, auth.customer_id),
        owner: auth.owner_id ?? auth.customer_id,
        kind: 'release',
        points: -Number(auth.points),
        terminalId,
      },
      false,
    );
    return { released: r.applied, balancePoints: r.balancePoints };
  });
}

/** A manual change of a customer's points by head office, with its reason; idempotent by its id. */
export async function adjustPoints(
  db: HqDb,
  a: { adjustmentId: string; customerId: string; points: number; reason: string; actor: string },
): Promise<PointsApplied> {
  if (!Number.isSafeInteger(a.points) || a.points === 0)
    throw invalid('points', `must be a whole number of points other than 0, got ${a.points}`);
  return inTx(db, async (trx) =>
    applyPoints(
      trx,
      {
        key: `adjust:${a.adjustmentId}`,
        customerId: await canonicalCustomer(trx, a.customerId),
        owner: a.customerId,
        kind: 'adjust',
        points: a.points,
        reason: a.reason,
        actor: a.actor,
      },
      false,
    ),
  );
}
