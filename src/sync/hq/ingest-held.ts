import type { EventEnvelope } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import type { EventRegistry } from '../event-kinds.ts';
import { eventContentHash } from './content-hash.ts';
import { checkEvent } from './event-checks.ts';
import type { HeldEvent, HeldIndex } from './ingest-classify.ts';
import { rowToEnvelope } from './ingest-projections.ts';
import { quarantinedEnvelope } from './quarantine.ts';
import { syncDb } from './sync-tables.ts';

/**
 * What HQ already holds under a batch's ids and under its terminal's seqs, in the log and in
 * quarantine: two indexed lookups per batch, never one per event.
 */
export async function loadHeld(
  trx: HqDb,
  registry: EventRegistry,
  terminalId: string,
  events: readonly EventEnvelope[],
): Promise<HeldIndex> {
  const index: HeldIndex = { byId: new Map(), bySeq: new Map() };
  if (events.length === 0) return index;
  const ids = [...new Set(events.map((e) => e.id))];
  const seqs = [...new Set(events.map((e) => e.seq))];
  const db = syncDb(trx);
  const logged = await db
    .selectFrom('events')
    .select(['id', 'terminal_id', 'seq', 'content_hash'])
    .where((eb) =>
      eb.or([eb('id', 'in', ids), eb.and([eb('terminal_id', '=', terminalId), eb('seq', 'in', seqs)])]),
    )
    .execute();
  const legacy = await legacyHashes(
    trx,
    registry,
    logged.filter((r) => r.content_hash === null).map((r) => r.id),
  );
  const quarantined = await db
    .selectFrom('sync_quarantine')
    .select(['event_id', 'terminal_id', 'seq', 'content_hash', 'reason'])
    .where((eb) =>
      eb.or([eb('event_id', 'in', ids), eb.and([eb('terminal_id', '=', terminalId), eb('seq', 'in', seqs)])]),
    )
    .execute();
  const add = (h: HeldEvent): void => {
    index.byId.set(h.id, h);
    if (h.terminalId === terminalId) index.bySeq.set(h.seq, h);
  };
  for (const r of logged)
    add({
      where: 'log',
      id: r.id,
      terminalId: r.terminal_id,
      seq: r.seq,
      hash: r.content_hash ?? legacy.get(r.id) ?? '',
    });
  for (const r of quarantined)
    add({
      where: 'quarantine',
      id: r.event_id,
      terminalId: r.terminal_id,
      seq: r.seq,
      hash: r.content_hash,
      reason: r.reason,
    });
  return index;
}

/**
 * Hashes of events stored before content hashes existed, computed the way ingest hashes a delivery
 * (after checkEvent's stripping, so a resend of what was sent then still matches) and written back.
 */
async function legacyHashes(
  trx: HqDb,
  registry: EventRegistry,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  if (ids.length === 0) return hashes;
  const rows = await trx.selectFrom('events').selectAll().where('id', 'in', ids).execute();
  for (const r of rows) {
    const e = rowToEnvelope(r);
    const checked = checkEvent(e, { registry, now: new Date() });
    const hash = eventContentHash(checked.ok ? checked.event : e);
    hashes.set(r.id, hash);
    await syncDb(trx).updateTable('events').set({ content_hash: hash }).where('id', '=', r.id).execute();
  }
  return hashes;
}

/** The envelope HQ holds for a conflict's record: from the batch, the log or the quarantine. */
export async function heldEnvelope(trx: HqDb, h: HeldEvent): Promise<EventEnvelope | undefined> {
  if (h.envelope) return h.envelope;
  if (h.where === 'log') {
    const row = await trx.selectFrom('events').selectAll().where('id', '=', h.id).executeTakeFirst();
    return row ? rowToEnvelope(row) : undefined;
  }
  const row = await syncDb(trx)
    .selectFrom('sync_quarantine')
    .selectAll()
    .where('event_id', '=', h.id)
    .executeTakeFirst();
  return row ? quarantinedEnvelope(row) : undefined;
}
