import type { EnrollResponse } from '../contracts/index.ts';
import { conflict, invalid, notFound } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
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

/** The terminal a bearer token belongs to, or null for an unknown token. */
export async function authenticateTerminal(db: HqDb, token: string): Promise<AuthenticatedTerminal | null> {
  if (!token) return null;
  const row = await db
    .selectFrom('terminals')
    .select(['id', 'store_id'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row?.store_id) return null;
  return { terminalId: row.id, storeId: row.store_id };
}
