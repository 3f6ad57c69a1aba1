import type { BatchCheck, BatchProblem } from '../../sync/index.ts';
import { INVENTORY_EVENT_TYPES } from '../events.ts';

/**
 * A transfer names the store at its other end; it must be a store HQ knows and not the till's own,
 * or the units would move into a location nobody can see. Such an event is one event's problem:
 * ingest quarantines it (one query per batch), the rest of the batch goes in.
 */
export const counterpartProblems: BatchCheck = async (db, auth, events) => {
  const named: { index: number; field: string; storeId: string }[] = [];
  events.forEach((e, index) => {
    const p = e.payload as { toStoreId?: unknown; fromStoreId?: unknown };
    if (e.type === INVENTORY_EVENT_TYPES.transferShipped && typeof p.toStoreId === 'string')
      named.push({ index, field: 'payload.toStoreId', storeId: p.toStoreId });
    if (e.type === INVENTORY_EVENT_TYPES.transferReceived && typeof p.fromStoreId === 'string')
      named.push({ index, field: 'payload.fromStoreId', storeId: p.fromStoreId });
  });
  if (named.length === 0) return [];
  const known = new Set(
    (
      await db
        .selectFrom('stores')
        .select('id')
        .where('id', 'in', [...new Set(named.map((n) => n.storeId))])
        .execute()
    ).map((r) => r.id),
  );
  return named.flatMap((n): BatchProblem[] => {
    if (n.storeId === auth.storeId)
      return [{ ...n, reason: `a transfer must name another store than ${auth.storeId}` }];
    if (!known.has(n.storeId))
      return [{ ...n, reason: `store ${n.storeId} is not known to HQ; check the store id` }];
    return [];
  });
};
