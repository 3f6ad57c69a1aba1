import { sql } from 'kysely';
import { type EventEnvelope, invalid, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import {
  applyIdentityEvent,
  customerMergedSchema,
  customerUnmergedSchema,
  emptyIdentityState,
  type IdentityResolver,
  type IdentityState,
  CUSTOMER_MERGE_EVENT_TYPES as M,
  resolverOf,
} from '../merge-events.ts';
import { customerErasedError, isErased } from './customer-keys.ts';
import type { AppendCustomerEvents } from './hq-customer-writes.ts';
import { applyPoints } from './loyalty-ledger.ts';

/**
 * Merges at HQ: the projection's side (customer_merges, one row per merge in force, and the loyalty
 * balance moved by ledger movements keyed by the event, so a replay moves nothing twice) and the
 * commands that check a merge or unmerge against the fold of merge-events.ts before appending it.
 * Reads follow customer_merges to the survivor at query time, so an unmerge restores both profiles
 * exactly: nothing about the merged profile is rewritten.
 */

/** The merge forest as it stands, from customer_merges. */
export async function identityState(db: HqDb): Promise<IdentityState> {
  const { rows } = await sql<{ merged_id: string; survivor_id: string }>`
    SELECT merged_id, survivor_id FROM customer_merges`.execute(db);
  const state = emptyIdentityState();
  for (const r of rows) {
    state.parent.set(r.merged_id, r.survivor_id);
    const kids = state.children.get(r.survivor_id);
    if (kids) kids.add(r.merged_id);
    else state.children.set(r.survivor_id, new Set([r.merged_id]));
  }
  return state;
}

export const identityResolver = async (db: HqDb): Promise<IdentityResolver> =>
  resolverOf(await identityState(db));

/** The survivor an id stands for now (itself unless merged), following chains. */
export async function canonicalCustomer(db: HqDb, customerId: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE up(id, depth) AS (
      SELECT ${customerId}::uuid, 0
      UNION ALL SELECT m.survivor_id, up.depth + 1 FROM customer_merges m JOIN up ON m.merged_id = up.id
        WHERE up.depth < 1000)
    SELECT id FROM up ORDER BY depth DESC LIMIT 1`.execute(db);
  return rows[0]?.id ?? customerId;
}

/** Every profile folded into the survivor, the survivor first, then the rest sorted. */
export async function membersOf(db: HqDb, survivorId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE down(id) AS (
      SELECT ${survivorId}::uuid
      UNION SELECT m.merged_id FROM customer_merges m JOIN down ON m.survivor_id = down.id)
    SELECT id FROM down`.execute(db);
  const rest = rows.map((r) => r.id).filter((id) => id !== survivorId);
  return [survivorId, ...rest.sort()];
}

const movementPoints = async (trx: HqDb, key: string): Promise<number | undefined> => {
  const { rows } = await sql<{ points: string | number }>`
    SELECT points FROM loyalty_movements WHERE movement_key = ${key}`.execute(trx);
  return rows[0] === undefined ? undefined : Number(rows[0].points);
};

/** Moves the merged profile's points to the survivor (once per merge event, whatever replays). */
async function moveBalanceOnMerge(trx: HqDb, e: EventEnvelope, survivorId: string, mergedId: string) {
  const outKey = `${e.id}:merge-out`;
  if ((await movementPoints(trx, outKey)) !== undefined) return;
  const { rows } = await sql<{ balance_points: string | number }>`
    SELECT balance_points FROM loyalty_accounts WHERE customer_id = ${mergedId}`.execute(trx);
  const balance = Number(rows[0]?.balance_points ?? 0);
  if (balance === 0) return;
  const base = { kind: 'adjust' as const, eventId: e.id, storeId: e.storeId, at: e.occurredAt };
  await applyPoints(
    trx,
    { ...base, key: outKey, customerId: mergedId, points: -balance, reason: `merged into ${survivorId}` },
    true,
  );
  await applyPoints(
    trx,
    {
      ...base,
      key: `${e.id}:merge-in`,
      customerId: survivorId,
      points: balance,
      reason: `merged ${mergedId}`,
    },
    true,
  );
}

/** Gives back what the merge moved (the survivor may go below zero if the points were spent since). */
async function moveBalanceOnUnmerge(
  trx: HqDb,
  e: EventEnvelope,
  mergeEventId: string,
  survivorId: string,
  mergedId: string,
) {
  const moved = await movementPoints(trx, `${mergeEventId}:merge-out`);
  if (moved === undefined || moved === 0) return;
  const base = { kind: 'adjust' as const, eventId: e.id, storeId: e.storeId, at: e.occurredAt };
  await applyPoints(
    trx,
    {
      ...base,
      key: `${e.id}:unmerge-out`,
      customerId: survivorId,
      points: moved,
      reason: `unmerged ${mergedId}`,
    },
    true,
  );
  await applyPoints(
    trx,
    {
      ...base,
      key: `${e.id}:unmerge-in`,
      customerId: mergedId,
      points: -moved,
      reason: `unmerged from ${survivorId}`,
    },
    true,
  );
}

/**
 * The projection's handling of customer.merged / customer.unmerged. Lenient: the commands below checked
 * the event against the fold before appending it; here a merge naming an erased profile, or an unmerge of
 * a merge no longer in force (erasure ends the merges of the erased profile), changes nothing.
 */
export async function applyMergeEvent(trx: HqDb, e: EventEnvelope): Promise<void> {
  if (e.type === M.customerMerged) {
    const p = customerMergedSchema.parse(e.payload);
    if ((await isErased(trx, p.survivorId)) || (await isErased(trx, p.mergedId))) return;
    await sql`INSERT INTO customer_merges (merged_id, survivor_id, merged_at, event_id)
      VALUES (${p.mergedId}, ${p.survivorId}, ${p.at}, ${e.id}) ON CONFLICT DO NOTHING`.execute(trx);
    await moveBalanceOnMerge(trx, e, p.survivorId, p.mergedId);
    return;
  }
  const p = customerUnmergedSchema.parse(e.payload);
  const { rows } = await sql<{ event_id: string }>`
    DELETE FROM customer_merges WHERE merged_id = ${p.mergedId} AND survivor_id = ${p.survivorId}
    RETURNING event_id`.execute(trx);
  const mergeEventId = rows[0]?.event_id;
  if (mergeEventId) await moveBalanceOnUnmerge(trx, e, mergeEventId, p.survivorId, p.mergedId);
}

export interface MergeDecision {
  survivorId: string;
  mergedId: string;
  reason: string;
  actor?: string | undefined;
  duplicateScorePct?: number | undefined;
}

async function registeringStore(trx: HqDb, customerId: string, field: string): Promise<string> {
  if (await isErased(trx, customerId)) throw customerErasedError(customerId);
  const { rows } = await sql<{ registered_store_id: string | null }>`
    SELECT registered_store_id FROM customer_profiles WHERE customer_id = ${customerId}`.execute(trx);
  const row = rows[0];
  if (!row) throw notFound(`customer ${customerId}`, field);
  if (!row.registered_store_id)
    throw invalid(field, `customer ${customerId} has not been registered yet (only sales name them)`);
  return row.registered_store_id;
}

async function decide(
  db: HqDb,
  append: AppendCustomerEvents,
  type: (typeof M)[keyof typeof M],
  d: MergeDecision,
  at: Date,
): Promise<EventEnvelope> {
  if (d.survivorId === d.mergedId)
    throw invalid('mergedId', `customer ${d.mergedId} cannot be merged into itself`);
  const run = async (trx: HqDb) => {
    // One merge decision at a time: the check below and the append must see the same forest.
    await sql`SELECT pg_advisory_xact_lock(hashtext('customer_merges'))`.execute(trx);
    const storeId = await registeringStore(trx, d.survivorId, 'survivorId');
    await registeringStore(trx, d.mergedId, 'mergedId');
    const base = {
      survivorId: d.survivorId,
      mergedId: d.mergedId,
      at: at.toISOString(),
      reason: d.reason,
      ...(d.actor ? { actor: d.actor.slice(0, 64) } : {}),
    };
    const payload =
      type === M.customerMerged
        ? customerMergedSchema.parse({
            ...base,
            ...(d.duplicateScorePct !== undefined ? { duplicateScorePct: d.duplicateScorePct } : {}),
          })
        : customerUnmergedSchema.parse(base);
    // Throws invalid(survivorId|mergedId) for an id already merged, a cycle or a merge not in force.
    applyIdentityEvent(await identityState(trx), { type, payload });
    const [e] = await append(trx, [{ storeId, type, payload }]);
    return e!;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** A reviewer's merge: mergedId is the same person as survivorId. */
export const mergeCustomers = (db: HqDb, append: AppendCustomerEvents, d: MergeDecision, at = new Date()) =>
  decide(db, append, M.customerMerged, d, at);

/** Undoes the merge of mergedId into survivorId, which must be in force. */
export const unmergeCustomers = (db: HqDb, append: AppendCustomerEvents, d: MergeDecision, at = new Date()) =>
  decide(db, append, M.customerUnmerged, d, at);
