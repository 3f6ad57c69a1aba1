import type { EnrollmentCode, EnrollResponse } from '../contracts/index.ts';
import { notFound, TallyError } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { devicesDb } from './device-tables.ts';
import { newEnrollmentCode, normalizeEnrollmentCode } from './enrollment-code-text.ts';
import { enrollTerminal } from './terminals.ts';
import { hashToken } from './tokens.ts';

/**
 * One-time enrollment codes: head office issues one for a store (and maybe a terminal id), reads it
 * to whoever installs the till, and the till exchanges it once, before it expires, for its terminal id
 * and token. The code is the only credential of that exchange, so HQ keeps only its hash, and using it
 * and creating the terminal happen in one transaction: a refused enrollment leaves the code unused.
 */
export const DEFAULT_CODE_TTL_MS = 15 * 60_000;

const codeRefused = (message: string): TallyError =>
  new TallyError('unauthorized', `code: ${message}`, 'code');

const ASK_AGAIN = 'ask head office for a new one (tally hq tills code --store <store>)';

export async function issueEnrollmentCode(
  db: HqDb,
  req: { storeId: string; terminalId?: string; ttlMs?: number; createdBy: string },
  now: Date = new Date(),
): Promise<EnrollmentCode> {
  const store = await db.selectFrom('stores').select('id').where('id', '=', req.storeId).executeTakeFirst();
  if (!store) throw notFound(`store ${req.storeId}`, 'storeId');
  if (req.terminalId !== undefined) {
    const taken = await db
      .selectFrom('terminals')
      .select('id')
      .where('id', '=', req.terminalId)
      .executeTakeFirst();
    if (taken)
      throw new TallyError(
        'conflict',
        `terminalId: terminal ${req.terminalId} is already enrolled; leave it out for the next free id`,
        'terminalId',
      );
  }
  const code = newEnrollmentCode();
  const expiresAt = new Date(now.getTime() + (req.ttlMs ?? DEFAULT_CODE_TTL_MS));
  await devicesDb(db)
    .insertInto('enrollment_codes')
    .values({
      code_hash: hashToken(normalizeEnrollmentCode(code)),
      store_id: req.storeId,
      terminal_id: req.terminalId ?? null,
      created_by: req.createdBy,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return {
    code,
    storeId: req.storeId,
    terminalId: req.terminalId ?? null,
    expiresAt: expiresAt.toISOString(),
  };
}

/** Exchanges a code for a terminal id and token, once; wrong, expired and used codes each say what to do. */
export async function enrollWithCode(
  db: HqDb,
  req: { code: string; name?: string },
  now: Date = new Date(),
): Promise<EnrollResponse> {
  const codeHash = hashToken(normalizeEnrollmentCode(req.code));
  return db.transaction().execute(async (trx) => {
    const d = devicesDb(trx);
    const row = await d
      .selectFrom('enrollment_codes')
      .selectAll()
      .where('code_hash', '=', codeHash)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw codeRefused(`no such enrollment code; check what was typed, or ${ASK_AGAIN}`);
    if (row.used_at)
      throw codeRefused(
        `this enrollment code was already used at ${row.used_at.toISOString()} (terminal ${row.used_by_terminal}); a code works once, ${ASK_AGAIN}`,
      );
    if (row.expires_at.getTime() <= now.getTime())
      throw codeRefused(`this enrollment code expired at ${row.expires_at.toISOString()}; ${ASK_AGAIN}`);
    const enrolled = await enrollTerminal(trx, {
      storeId: row.store_id,
      ...(row.terminal_id ? { terminalId: row.terminal_id } : {}),
      ...(req.name ? { name: req.name } : {}),
    });
    await d
      .updateTable('enrollment_codes')
      .set({ used_at: now, used_by_terminal: enrolled.terminalId })
      .where('code_hash', '=', codeHash)
      .execute();
    return enrolled;
  });
}
