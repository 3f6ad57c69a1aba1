import type { EnrollResponse } from '../contracts/index.ts';
import { conflict, invalid, notFound, TallyError } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { devicesDb } from './device-tables.ts';
import { hashToken, newToken } from './tokens.ts';

export interface AuthenticatedTerminal {
  terminalId: string;
  storeId: string;
}

/** The id HQ writes its own events under (opening balances, adjustments made at head office). */
export const HQ_SOURCE_ID = 'hq';

const terminalIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Enrolls a till for a store and returns its token, once: HQ keeps only the hash. Re-enrolling an
 * existing terminal id is refused rather than silently re-keyed, since that would orphan its ledger.
 */
export async function enrollTerminal(
  db: HqDb,
  req: { storeId: string; terminalId?: string; name?: string },
): Promise<EnrollResponse> {
  const store = await db.selectFrom('stores').select('id').where('id', '=', req.storeId).executeTakeFirst();
  if (!store) throw notFound(`store ${req.storeId}`, 'storeId');
  const terminalId = req.terminalId ?? (await nextTerminalId(db, req.storeId));
  if (!terminalIdPattern.test(terminalId))
    throw invalid('terminalId', 'use letters, digits, "-", "_" or "." (at most 64)');
  if (terminalId.toLowerCase() === HQ_SOURCE_ID) throw invalid('terminalId', `"${HQ_SOURCE_ID}" is reserved`);
  const token = newToken();
  const inserted = await db
    .insertInto('terminals')
    .values({
      id: terminalId,
      store_id: req.storeId,
      name: req.name ?? null,
      token_hash: hashToken(token),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw conflict(`terminal ${terminalId} is already enrolled`, 'terminalId');
  return { terminalId, storeId: req.storeId, token };
}

/** S001-T01, S001-T02, …: readable on a receipt and in logs. */
async function nextTerminalId(db: HqDb, storeId: string): Promise<string> {
  const { n } = await db
    .selectFrom('terminals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('store_id', '=', storeId)
    .executeTakeFirstOrThrow();
  return `${storeId}-T${String(Number(n) + 1).padStart(2, '0')}`;
}

/**
 * The terminal a bearer token belongs to, or null for an unknown token. A revoked till is refused
 * with `terminal_revoked` (401) and the reason, so it stops and says why instead of asking again. The
 * token a rotation replaced still works until the new one is first used (terminal-lifecycle.ts); that
 * first use retires it.
 */
export async function authenticateTerminal(db: HqDb, token: string): Promise<AuthenticatedTerminal | null> {
  if (!token) return null;
  const hash = hashToken(token);
  const d = devicesDb(db);
  const row = await d
    .selectFrom('terminals')
    .select(['id', 'store_id', 'token_hash', 'previous_token_hash', 'revoked_at', 'revoked_reason'])
    .where((eb) => eb.or([eb('token_hash', '=', hash), eb('previous_token_hash', '=', hash)]))
    .executeTakeFirst();
  if (!row?.store_id) return null;
  if (row.revoked_at) throw revokedError(row.id, row.store_id, row.revoked_at, row.revoked_reason ?? '');
  if (row.token_hash === hash && row.previous_token_hash !== null)
    await d
      .updateTable('terminals')
      .set({ previous_token_hash: null })
      .where('id', '=', row.id)
      .where('token_hash', '=', hash)
      .execute();
  return { terminalId: row.id, storeId: row.store_id };
}

/** What a revoked till is told, and shows its cashier: that it was revoked, why, and what to do. */
export const revokedError = (terminalId: string, storeId: string, at: Date, reason: string): TallyError =>
  new TallyError(
    'terminal_revoked',
    `this till was revoked at HQ: ${reason} (terminal ${terminalId}, ${at.toISOString()}). ` +
      `Keep its data folder: its unsent sales stay in its ledger for head office to recover. To put the machine back in service, enroll it afresh in a new data folder with a new code (tally hq tills code --store ${storeId}, then tally terminal --data <new folder> --enroll-code -).`,
    'terminal',
  );
