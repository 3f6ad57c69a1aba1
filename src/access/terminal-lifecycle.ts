import type { RotatedToken, TerminalListEntry } from '../contracts/index.ts';
import { conflict, notFound } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { devicesDb } from './device-tables.ts';
import { HQ_SOURCE_ID } from './terminals.ts';
import { hashToken, newToken } from './tokens.ts';

/**
 * What head office does with an enrolled till: revoke it (a stolen or retired till), list the tills
 * with when each was last heard from, and give a till a new token when it asks (rotation).
 */

/** Refuses the till from now on; its row and events stay. Revoking twice is refused with the first reason. */
export async function revokeTerminal(
  db: HqDb,
  req: { terminalId: string; reason: string; by: string },
  now: Date = new Date(),
): Promise<TerminalListEntry> {
  const d = devicesDb(db);
  const t = await d
    .selectFrom('terminals')
    .select(['id', 'revoked_at', 'revoked_reason'])
    .where('id', '=', req.terminalId)
    .where('id', '!=', HQ_SOURCE_ID)
    .executeTakeFirst();
  if (!t) throw notFound(`terminal ${req.terminalId}`, 'id');
  if (t.revoked_at)
    throw conflict(
      `terminal ${t.id} was already revoked at ${t.revoked_at.toISOString()}: ${t.revoked_reason}`,
      'id',
    );
  await d
    .updateTable('terminals')
    .set({ revoked_at: now, revoked_reason: req.reason, revoked_by: req.by, previous_token_hash: null })
    .where('id', '=', t.id)
    .execute();
  const entry = (await listTerminals(db)).find((x) => x.terminalId === t.id);
  if (!entry) throw notFound(`terminal ${t.id}`, 'id');
  return entry;
}

/**
 * A new token for a till that proved itself with its current (or, mid-rotation, its previous) token.
 * The token it had stays valid until the new one is first used, so a till that never saved this
 * answer still gets in and can ask again. Asked again before the new token was ever used, HQ keeps
 * the same previous token and replaces only the unused one: an authenticated call with the current
 * token clears `previous_token_hash` before this runs, so a set one means the till called with it.
 */
export async function rotateTerminalToken(
  db: HqDb,
  terminalId: string,
  now: Date = new Date(),
): Promise<RotatedToken> {
  const token = newToken();
  const d = devicesDb(db);
  const updated = await d
    .updateTable('terminals')
    .set((eb) => ({
      previous_token_hash: eb.fn.coalesce('previous_token_hash', 'token_hash'),
      token_hash: hashToken(token),
      token_rotated_at: now,
    }))
    .where('id', '=', terminalId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!updated) throw notFound(`terminal ${terminalId}`, 'id');
  return { terminalId, token, rotatedAt: now.toISOString() };
}

/** Every enrolled till, by store and id, with when HQ last heard from it and whether it is revoked. */
export async function listTerminals(db: HqDb, storeId?: string): Promise<TerminalListEntry[]> {
  let q = devicesDb(db)
    .selectFrom('terminals')
    .select([
      'id',
      'store_id',
      'name',
      'enrolled_at',
      'last_seen_at',
      'token_rotated_at',
      'revoked_at',
      'revoked_reason',
      'revoked_by',
    ])
    .where('id', '!=', HQ_SOURCE_ID)
    .where('store_id', 'is not', null);
  if (storeId !== undefined) q = q.where('store_id', '=', storeId);
  const rows = await q.orderBy('store_id').orderBy('id').execute();
  return rows.map((r) => ({
    terminalId: r.id,
    storeId: r.store_id ?? '',
    name: r.name,
    enrolledAt: r.enrolled_at.toISOString(),
    lastSeenAt: r.last_seen_at ? new Date(r.last_seen_at).toISOString() : null,
    tokenRotatedAt: r.token_rotated_at?.toISOString() ?? null,
    revoked: r.revoked_at
      ? { at: r.revoked_at.toISOString(), reason: r.revoked_reason ?? '', by: r.revoked_by ?? '' }
      : null,
  }));
}
