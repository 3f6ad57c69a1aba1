import { sql } from 'kysely';
import { z } from 'zod';
import type { HqDb } from '../../db/index.ts';
import { backboneDb } from './bus/backbone-tables.ts';

export const syncDaySchema = z.object({
  day: z.string(),
  batches: z.number().int(),
  events: z.number().int(),
  /** Compressed bytes received on the wire. */
  bytes: z.number().int(),
});

export const storeSyncFiguresSchema = z.object({
  storeId: z.string(),
  terminals: z.number().int(),
  /** The last time any till of the store reached HQ. */
  lastSeenAt: z.string().nullable(),
  /**
   * Events the store's tills still had unsent after their last batch reached HQ (what they reported
   * when it left, less that batch's events HQ now holds).
   */
  unsentEvents: z.number().int(),
  /**
   * How far behind HQ is on this store: the age, now, of the oldest event a till still had unsent
   * after its last batch (its reported age plus the time since it reported); 0 when no till has
   * anything left unsent. A till with events left that stops reporting keeps aging here, so a silent
   * store shows a growing lag; a till that sent everything shows none, however long it stays quiet.
   */
  syncLagSeconds: z.number(),
  /** Events HQ knows exist (a later seq arrived) but does not hold: gaps. */
  missingEvents: z.number().int(),
  /** Events of the store's tills HQ refused as conflicts (another event holds their seq or id). */
  conflicts: z.number().int(),
  /** Events of the store's tills HQ keeps in quarantine (they broke HQ's rules). */
  quarantined: z.number().int(),
  /** Received per UTC day, newest first, over the window asked for. */
  days: z.array(syncDaySchema),
});
export type StoreSyncFigures = z.infer<typeof storeSyncFiguresSchema>;

/** Per-store sync figures for the stores asked (all when none), over the last `days` UTC days. */
export async function storeSyncFigures(
  db: HqDb,
  opts: { storeId?: string; days?: number; now?: Date } = {},
): Promise<StoreSyncFigures[]> {
  const now = opts.now ?? new Date();
  const days = opts.days ?? 7;
  const since = new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  let stores = db.selectFrom('stores').select('id').orderBy('id');
  if (opts.storeId) stores = stores.where('id', '=', opts.storeId);
  const storeIds = (await stores.execute()).map((s) => s.id);
  if (storeIds.length === 0) return [];

  const tills = await db
    .selectFrom('terminals')
    .select([
      'store_id',
      'last_seen_at',
      'held_up_to',
      'max_seq',
      'outbox_pending',
      'outbox_oldest_age_s',
      'outbox_reported_at',
    ])
    .where('store_id', 'in', storeIds)
    .execute();
  // held_up_to and max_seq are refreshed by every ingest, so their difference bounds the gaps without
  // rescanning the log; it counts seqs not held between them.
  // Quarantined events are held too (their seqs count), so they are counted with the log's.
  const { rows: heldBetween } = await sql<{ store_id: string; n: number }>`
    SELECT t.store_id, count(*)::bigint AS n
    FROM terminals t JOIN (
      SELECT terminal_id, seq FROM events
      UNION ALL SELECT terminal_id, seq FROM sync_quarantine
    ) e ON e.terminal_id = t.id AND e.seq > t.held_up_to
    WHERE t.store_id IN (${sql.join(storeIds)})
    GROUP BY t.store_id`.execute(db);
  const held = new Map(heldBetween.map((r) => [r.store_id, Number(r.n)]));
  const refused = await refusedByStore(db, storeIds);
  const daily = await backboneDb(db)
    .selectFrom('sync_daily')
    .select(['store_id', 'day', 'batches', 'events', 'bytes'])
    .where('store_id', 'in', storeIds)
    .where('day', '>=', since)
    .orderBy('day', 'desc')
    .execute();

  return storeIds.map((storeId) => {
    const mine = tills.filter((t) => t.store_id === storeId);
    let lastSeen: Date | null = null;
    let unsent = 0;
    let lag = 0;
    let ahead = 0;
    for (const t of mine) {
      if (t.last_seen_at && (!lastSeen || t.last_seen_at > lastSeen)) lastSeen = t.last_seen_at;
      ahead += t.max_seq - t.held_up_to;
      if (t.outbox_pending && t.outbox_pending > 0 && t.outbox_reported_at) {
        unsent += t.outbox_pending;
        const since = (now.getTime() - t.outbox_reported_at.getTime()) / 1000;
        lag = Math.max(lag, (t.outbox_oldest_age_s ?? 0) + Math.max(0, since));
      }
    }
    return {
      storeId,
      terminals: mine.length,
      lastSeenAt: lastSeen?.toISOString() ?? null,
      unsentEvents: unsent,
      syncLagSeconds: Math.round(lag),
      missingEvents: Math.max(0, ahead - (held.get(storeId) ?? 0)),
      conflicts: refused.conflicts.get(storeId) ?? 0,
      quarantined: refused.quarantined.get(storeId) ?? 0,
      days: daily
        .filter((d) => d.store_id === storeId)
        .map((d) => ({ day: d.day, batches: d.batches, events: d.events, bytes: d.bytes })),
    };
  });
}

/** Conflicts and quarantined events per store. */
async function refusedByStore(
  db: HqDb,
  storeIds: readonly string[],
): Promise<{ conflicts: Map<string, number>; quarantined: Map<string, number> }> {
  const { rows } = await sql<{ store_id: string; what: 'conflicts' | 'quarantined'; n: number }>`
    SELECT store_id, 'conflicts' AS what, count(*)::bigint AS n FROM sync_conflicts
    WHERE store_id IN (${sql.join(storeIds)}) GROUP BY store_id
    UNION ALL
    SELECT store_id, 'quarantined' AS what, count(*)::bigint AS n FROM sync_quarantine
    WHERE store_id IN (${sql.join(storeIds)}) GROUP BY store_id`.execute(db);
  const out = { conflicts: new Map<string, number>(), quarantined: new Map<string, number>() };
  for (const r of rows) out[r.what].set(r.store_id, Number(r.n));
  return out;
}
