import { timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { conflict, invalid, notFound, TallyError } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { checkCode, hashCode } from '../code.ts';
import type { AccountKind, Movement } from './movements.ts';

/**
 * HQ's ledger of record for gift cards and store credit (tables of migration 0009). Every change is a
 * movement with a unique key, inserted before the balance moves: a second application of the same key
 * (a redelivered event, a retried authorisation) finds the key taken and changes nothing. The balance
 * moves in one UPDATE, which takes the account's row lock, so two tills redeeming the last value of a
 * card are serialised and the second one sees the balance the first one left.
 */
export interface HqAccount {
  accountId: string;
  kind: AccountKind;
  last4: string;
  currency: string;
  balanceMinor: number;
  overdraft: boolean;
  version: number;
}

export interface StoredValueException {
  id: number;
  accountId: string;
  movementKey: string;
  kind: 'overdraft' | 'unknown_account';
  shortfallMinor: number;
  terminalId: string | null;
  at: string;
}

interface AccountRow {
  account_id: string;
  kind: AccountKind;
  last4: string;
  currency: string;
  balance_minor: number;
  overdraft: boolean;
  version: number;
}
const toAccount = (r: AccountRow): HqAccount => ({
  accountId: r.account_id,
  kind: r.kind,
  last4: r.last4,
  currency: r.currency,
  balanceMinor: Number(r.balance_minor),
  overdraft: r.overdraft,
  version: r.version,
});

const inTx = <T>(db: HqDb, fn: (trx: HqDb) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db) : db.transaction().execute(fn);

export async function accountByCodeHash(db: HqDb, codeHash: string): Promise<HqAccount | undefined> {
  const { rows } = await sql<AccountRow>`
    SELECT * FROM stored_value_accounts WHERE code_hash = ${codeHash}`.execute(db);
  return rows[0] && toAccount(rows[0]);
}

export async function accountById(db: HqDb, accountId: string): Promise<HqAccount | undefined> {
  const { rows } = await sql<AccountRow>`
    SELECT * FROM stored_value_accounts WHERE account_id = ${accountId}`.execute(db);
  return rows[0] && toAccount(rows[0]);
}

/** Opens the account a movement names when HQ has not heard of it yet (the till opened it). */
async function ensureAccount(trx: HqDb, m: Movement): Promise<boolean> {
  const inserted = await sql`
    INSERT INTO stored_value_accounts (account_id, kind, code_hash, last4, currency)
    VALUES (${m.accountId}, ${m.accountKind}, ${m.codeHash ?? null}, ${m.last4}, ${m.currency})
    ON CONFLICT DO NOTHING`.execute(trx);
  if ((inserted.numAffectedRows ?? 0n) > 0n) return true;
  if (await accountById(trx, m.accountId)) return false;
  // Another account already holds this code hash (two tills opened the same pre-printed card while
  // apart): keep the money under this account id without the hash rather than drop it.
  await sql`
    INSERT INTO stored_value_accounts (account_id, kind, last4, currency)
    VALUES (${m.accountId}, ${m.accountKind}, ${m.last4}, ${m.currency})`.execute(trx);
  return true;
}

export interface ApplyResult {
  applied: boolean;
  balanceMinor: number;
}

/**
 * Applies one movement in the caller's transaction. `mayOverdraw`: a redemption that already happened
 * at a till (offline) is applied even below zero, flagging the account and raising an exception;
 * otherwise a debit beyond the balance throws `insufficient` and nothing is written.
 */
export async function applyMovement(trx: HqDb, m: Movement, mayOverdraw: boolean): Promise<ApplyResult> {
  const opened = await ensureAccount(trx, m);
  const claimed = await sql<{ id: number }>`
    INSERT INTO stored_value_movements
      (movement_key, account_id, kind, amount_minor, balance_after, event_id, terminal_id, offline)
    VALUES (${m.key}, ${m.accountId}, ${m.kind}, ${m.amountMinor}, 0, ${m.eventId ?? null},
            ${m.terminalId ?? null}, ${m.offline})
    ON CONFLICT (movement_key) DO NOTHING
    RETURNING id`.execute(trx);
  const id = claimed.rows[0]?.id;
  if (id === undefined) {
    if (m.eventId && m.kind === 'redeem') return settleAuthorisedRedemption(trx, m);
    const { rows } = await sql<{ balance_after: number }>`
      SELECT balance_after FROM stored_value_movements WHERE movement_key = ${m.key}`.execute(trx);
    return { applied: false, balanceMinor: Number(rows[0]?.balance_after ?? 0) };
  }
  const moved = await sql<{ balance_minor: number }>`
    UPDATE stored_value_accounts
       SET balance_minor = balance_minor + ${m.amountMinor},
           overdraft = overdraft OR balance_minor + ${m.amountMinor} < 0,
           version = version + 1,
           updated_at = now()
     WHERE account_id = ${m.accountId}
       AND (${mayOverdraw} OR ${m.amountMinor} >= 0 OR balance_minor + ${m.amountMinor} >= 0)
    RETURNING balance_minor`.execute(trx);
  const after = moved.rows[0];
  if (!after) {
    const a = await accountById(trx, m.accountId);
    throw new TallyError(
      'payment_declined',
      `amountMinor: the ${m.accountKind === 'gift_card' ? 'gift card' : 'store credit'} ending ${m.last4} holds ${a?.balanceMinor ?? 0}, less than the ${-m.amountMinor} asked`,
      'amountMinor',
    );
  }
  const balanceMinor = Number(after.balance_minor);
  await sql`UPDATE stored_value_movements SET balance_after = ${balanceMinor} WHERE id = ${id}`.execute(trx);
  if (balanceMinor < 0 || (opened && m.amountMinor < 0)) {
    await sql`
      INSERT INTO stored_value_exceptions (account_id, movement_key, kind, shortfall_minor, terminal_id)
      VALUES (${m.accountId}, ${m.key}, ${balanceMinor < 0 ? 'overdraft' : 'unknown_account'},
              ${Math.min(-m.amountMinor, Math.max(0, -balanceMinor))}, ${m.terminalId ?? null})
      ON CONFLICT DO NOTHING`.execute(trx);
  }
  return { applied: true, balanceMinor };
}

/**
 * A sale event whose tender carries HQ's authorisation id: the debit is already here (made online), so
 * the sale only makes it final (the authorisation can no longer be given back). Should the
 * authorisation have been given back before the sale arrived, the sale still took the money: it is
 * debited again, even below zero, and shows as an exception rather than as goods given away.
 */
async function settleAuthorisedRedemption(trx: HqDb, m: Movement): Promise<ApplyResult> {
  const { rows } = await sql<{ balance_after: number; reversed: boolean }>`
    UPDATE stored_value_movements SET event_id = COALESCE(event_id, ${m.eventId ?? null})
     WHERE movement_key = ${m.key}
    RETURNING balance_after,
      EXISTS (SELECT 1 FROM stored_value_movements WHERE movement_key = ${`${m.key}:reversal`}) AS reversed`.execute(
    trx,
  );
  if (rows[0]?.reversed)
    return applyMovement(trx, { ...m, key: `${m.key}:used-after-reversal`, offline: true }, true);
  return { applied: false, balanceMinor: Number(rows[0]?.balance_after ?? 0) };
}

export interface AuthorizeRequest {
  authId: string;
  accountId: string;
  /** The card's code as the customer presented it: proof of the card, not only of its account id. */
  code: string;
  amountMinor: number;
  currency: string;
  terminalId: string;
}

/** The code presented hashes to what HQ holds for the account (compared in constant time). */
const codeMatches = (code: string, codeHash: string): boolean => {
  const given = Buffer.from(hashCode(code), 'hex');
  const held = Buffer.from(codeHash, 'hex');
  return given.length === held.length && timingSafeEqual(given, held);
};

interface AuthRow {
  account_id: string;
  amount_minor: number;
  terminal_id: string | null;
  event_id: string | null;
}

async function authorisation(trx: HqDb, authId: string): Promise<AuthRow | undefined> {
  const { rows } = await sql<AuthRow>`
    SELECT account_id, amount_minor, terminal_id, event_id FROM stored_value_movements
     WHERE movement_key = ${authId} AND kind = 'redeem'`.execute(trx);
  return rows[0];
}

const otherTill = (authId: string): TallyError =>
  new TallyError(
    'forbidden',
    `authId: authorisation ${authId} was made by another till; only the till that made it may use or give it back`,
    'authId',
  );

/**
 * An online redemption: HQ debits now, atomically, or refuses (402) without writing anything. The
 * till's sale event later carries `authId`, whose movement is then already here. A retry with the
 * same authId answers the first result.
 */
export async function authorizeRedemption(
  db: HqDb,
  req: AuthorizeRequest,
): Promise<{ authId: string; balanceMinor: number }> {
  if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0)
    throw invalid('amountMinor', `must be a whole number of minor units above 0, got ${req.amountMinor}`);
  const code = checkCode(req.code, 'code');
  return inTx(db, async (trx) => {
    const earlier = await authorisation(trx, req.authId);
    if (earlier && earlier.terminal_id !== req.terminalId) throw otherTill(req.authId);
    const { rows } = await sql<{ code_hash: string | null }>`
      SELECT code_hash FROM stored_value_accounts WHERE account_id = ${req.accountId} FOR UPDATE`.execute(
      trx,
    );
    const a = rows[0] && (await accountById(trx, req.accountId));
    // HQ holds no code for an account a till opened under a code another account already had: it cannot
    // check the card, so it answers as for an unknown account and the till's own offline rule applies.
    if (!a || !rows[0]?.code_hash) throw notFound(`stored-value account ${req.accountId}`, 'accountId');
    if (!codeMatches(code, rows[0].code_hash))
      throw new TallyError(
        'forbidden',
        'code: the code does not belong to this gift card or voucher; ask for the card and enter its code again',
        'code',
      );
    if (a.currency !== req.currency)
      throw invalid('currency', `the account is in ${a.currency}, the sale in ${req.currency}`);
    const r = await applyMovement(
      trx,
      {
        key: req.authId,
        accountId: a.accountId,
        accountKind: a.kind,
        kind: 'redeem',
        amountMinor: -req.amountMinor,
        last4: a.last4,
        currency: a.currency,
        terminalId: req.terminalId,
        offline: false,
      },
      false,
    );
    return { authId: req.authId, balanceMinor: r.balanceMinor };
  });
}

/** A sale.completed of this till that names the authorisation among its tenders (ingested, maybe not yet projected). */
async function usedBySale(trx: HqDb, authId: string, terminalId: string): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM events
     WHERE terminal_id = ${terminalId} AND type = 'sale.completed'
       AND payload->'tenders' @> ${JSON.stringify([{ authId }])}::jsonb
     LIMIT 1`.execute(trx);
  return rows.length > 0;
}

/**
 * Gives back an authorisation the till could not use (the sale failed after it); once only. Only the
 * till that made it may (403 otherwise), and only while no sale it recorded used it (409: final).
 */
export async function reverseRedemption(
  db: HqDb,
  authId: string,
  terminalId: string,
): Promise<{ reversed: boolean; balanceMinor: number }> {
  return inTx(db, async (trx) => {
    const { rows: locked } = await sql`
      SELECT id FROM stored_value_movements WHERE movement_key = ${authId} FOR UPDATE`.execute(trx);
    const auth = locked.length > 0 ? await authorisation(trx, authId) : undefined;
    if (!auth) throw notFound(`authorisation ${authId}`, 'authId');
    if (auth.terminal_id !== terminalId) throw otherTill(authId);
    if (auth.event_id || (await usedBySale(trx, authId, terminalId)))
      throw conflict(
        `authId: authorisation ${authId} was used by a recorded sale and is final; give the money back with a return of that sale`,
        'authId',
      );
    const a = (await accountById(trx, auth.account_id))!;
    const r = await applyMovement(
      trx,
      {
        key: `${authId}:reversal`,
        accountId: a.accountId,
        accountKind: a.kind,
        kind: 'reversal',
        amountMinor: -Number(auth.amount_minor),
        last4: a.last4,
        currency: a.currency,
        terminalId,
        offline: false,
      },
      false,
    );
    return { reversed: r.applied, balanceMinor: r.balanceMinor };
  });
}

export async function storedValueExceptions(db: HqDb, limit = 100): Promise<StoredValueException[]> {
  const { rows } = await sql<{
    id: number;
    account_id: string;
    movement_key: string;
    kind: 'overdraft' | 'unknown_account';
    shortfall_minor: number;
    terminal_id: string | null;
    at: Date;
  }>`SELECT * FROM stored_value_exceptions WHERE resolved_at IS NULL ORDER BY id LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({
    id: Number(r.id),
    accountId: r.account_id,
    movementKey: r.movement_key,
    kind: r.kind,
    shortfallMinor: Number(r.shortfall_minor),
    terminalId: r.terminal_id,
    at: new Date(r.at).toISOString(),
  }));
}
