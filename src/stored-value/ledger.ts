import { sql } from 'kysely';
import { invalid, notFound, TallyError } from '../core/errors.ts';
import type { EventEnvelope } from '../core/event.ts';
import type { HqDb } from '../db/hq-db.ts';
import { type AccountKind, type Movement, movementsOf } from './movements.ts';

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

/** Projection hook for ingest: every stored-value movement in the events, each applied once. */
export async function applyStoredValueProjection(trx: HqDb, events: readonly EventEnvelope[]): Promise<void> {
  for (const e of events) for (const m of movementsOf(e)) await applyMovement(trx, m, true);
}

export interface AuthorizeRequest {
  authId: string;
  accountId: string;
  amountMinor: number;
  currency: string;
  terminalId: string;
}

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
  return inTx(db, async (trx) => {
    const a = await accountById(trx, req.accountId);
    if (!a) throw notFound(`stored-value account ${req.accountId}`, 'accountId');
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

/** Gives back an authorisation the till could not use (the sale failed after it); once only. */
export async function reverseRedemption(
  db: HqDb,
  authId: string,
  terminalId: string,
): Promise<{ reversed: boolean; balanceMinor: number }> {
  return inTx(db, async (trx) => {
    const { rows } = await sql<{ account_id: string; amount_minor: number }>`
      SELECT account_id, amount_minor FROM stored_value_movements
       WHERE movement_key = ${authId} AND kind = 'redeem'`.execute(trx);
    const auth = rows[0];
    if (!auth) throw notFound(`authorisation ${authId}`, 'authId');
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
