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

import { canonicalCustomer, membersOf } from './canonical-customer.ts';

export { canonicalCustomer, membersOf };

const movementPoints = async (trx: HqDb, key: string): Promise<number | undefined> => {
  const { rows } = await sql<{ points: string | number }>`
    SELECT points FROM loyalty_movements WHERE movement_key = ${key}`.execute(trx);
  return rows[0] === undefined ? undefined : Number(rows[0].points);
};

/**
 * Moves the merged profile's points to the person it now belongs to (the survivor, or whoever the
 * survivor was merged into), once per merge event whatever replays: the merge-out movement is written
 * even for a zero balance, so a replay finds it and moves nothing.
 */
async function moveBalanceOnMerge(trx: HqDb, e: EventEnvelope, survivorId: string, mergedId: string) {
  const outKey = `${e.id}:merge-out`;
  if ((await movementPoints(trx, outKey)) !== undefined) return;
  const { rows } = await sql<{ balance_points: string | number }>`
    SELECT balance_points FROM loyalty_accounts WHERE customer_id = ${mergedId}`.execute(trx);
  const balance = Number(rows[0]?.balance_points ?? 0);
  const person = await canonicalCustomer(trx, survivorId);
  const base = { kind: 'adjust' as const, owner: null, eventId: e.id, storeId: e.storeId, at: e.occurredAt };
  await applyPoints(
    trx,
    { ...base, key: outKey, customerId: mergedId, points: -balance, reason: `merged into ${survivorId}` },
    true,
  );
  await applyPoints(
    trx,
    { ...base, key: `${e.id}:merge-in`, customerId: person, points: balance, reason: `merged ${mergedId}` },
    true,
  );
}

/**
 * What the profiles leaving with an unmerge own but is booked elsewhere: the points of every movement
 * they own (brought, earned, spent, adjusted under their ids, before or during the merge) less what
 * their own accounts hold. Transfers own nothing, so this counts each point once however merges chain.
 */
async function ownedElsewhere(trx: HqDb, leaving: readonly string[]): Promise<number> {
  const { rows } = await sql<{ owned: string | number | null; held: string | number | null }>`
    SELECT (SELECT sum(points) FROM loyalty_movements WHERE owner_id IN (${sql.join(leaving)})) AS owned,
           (SELECT sum(balance_points) FROM loyalty_accounts WHERE customer_id IN (${sql.join(leaving)})) AS held`.execute(
    trx,
  );
  return Number(rows[0]?.owned ?? 0) - Number(rows[0]?.held ?? 0);
}

/**
 * Gives the merged profile (and what was merged into it) its own points back from the person's account
 * (the survivor's, or whoever holds it now): what it brought plus what was earned, spent or adjusted
 * under its ids while merged. The survivor may go below zero if it spent the merged profile's points.
 * Runs after the merge row is gone, so the profiles leaving are mergedId's own subtree.
 */
async function moveBalanceOnUnmerge(trx: HqDb, e: EventEnvelope, survivorId: string, mergedId: string) {
  const outKey = `${e.id}:unmerge-out`;
  if ((await movementPoints(trx, outKey)) !== undefined) return;
  // Written even when nothing moves, so a replay finds it and does not count again.
  const moved = await ownedElsewhere(trx, await membersOf(trx, mergedId));
  const person = await canonicalCustomer(trx, survivorId);
  const base = { kind: 'adjust' as const, owner: null, eventId: e.id, storeId: e.storeId, at: e.occurredAt };
  await applyPoints(
    trx,
    { ...base, key: outKey, customerId: person, points: -moved, reason: `unmerged ${mergedId}` },
    true,
  );
  await applyPoints(
    trx,
    {
      ...base,
      key: `${e.id}:unmerge-in`,
      customerId: mergedId,
      points: moved,
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
  if (rows[0]) await moveBalanceOnUnmerge(trx, e, p.survivorId, p.mergedId);
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
