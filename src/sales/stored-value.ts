import { createHash, randomInt } from 'node:crypto';
import { conflict, invalid, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { SqliteDb } from '../db/sqlite.ts';

/**
 * Gift cards and store credit: accounts with a balance, known by a code the customer holds. The till
 * keeps only a hash of the code and its last 4 digits; events carry the account id. Balances change
 * inside the transaction of the event that moves them, and a CHECK keeps them from going below zero.
 */
export type StoredValueKind = 'gift_card' | 'store_credit';

export interface StoredValueAccount {
  accountId: string;
  kind: StoredValueKind;
  last4: string;
  currency: string;
  balanceMinor: number;
}

export interface StoredValue {
  /** A new account with a zero balance; `code` is a pre-printed card's, or one is made up. */
  open(kind: StoredValueKind, currency: string, code?: string): StoredValueAccount & { code: string };
  byCode(code: string, field?: string): StoredValueAccount;
  byId(accountId: string): StoredValueAccount | undefined;
  /** Adds to the balance (call inside the event's transaction). */
  credit(accountId: string, amountMinor: number): number;
  /** Takes from the balance, refusing to go below zero (call inside the event's transaction). */
  debit(accountId: string, amountMinor: number, field: string): number;
}

export const hashCode = (code: string): string => createHash('sha256').update(code).digest('hex');

export const checkCode = (code: unknown, field: string): string => {
  if (typeof code !== 'string') throw invalid(field, 'the card or voucher code is required');
  const c = code.replace(/[\s-]/g, '');
  if (!/^\d{8,19}$/.test(c)) throw invalid(field, 'a card or voucher code is 8 to 19 digits');
  return c;
};

/** 16 random digits: unguessable enough for a code that also needs the physical card or voucher. */
const makeCode = (): string =>
  Array.from({ length: 16 }, (_, i) => (i === 0 ? randomInt(1, 10) : randomInt(0, 10))).join('');

interface Row {
  account_id: string;
  kind: StoredValueKind;
  last4: string;
  currency: string;
  balance_minor: number;
}
const toAccount = (r: Row): StoredValueAccount => ({
  accountId: r.account_id,
  kind: r.kind,
  last4: r.last4,
  currency: r.currency,
  balanceMinor: r.balance_minor,
});

export function createStoredValue(db: SqliteDb, now: () => Date): StoredValue {
  const q = {
    byHash: db.prepare('SELECT * FROM stored_value WHERE code_hash = ?'),
    byId: db.prepare('SELECT * FROM stored_value WHERE account_id = ?'),
    insert: db.prepare(
      `INSERT INTO stored_value (account_id, kind, code_hash, last4, currency, balance_minor, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 0, ?, ?)`,
    ),
    move: db
      .prepare(
        'UPDATE stored_value SET balance_minor = balance_minor + ?, updated_at = ? WHERE account_id = ? RETURNING balance_minor',
      )
      .pluck(),
  };
  const byId = (id: string): StoredValueAccount | undefined => {
    const r = q.byId.get(id) as Row | undefined;
    return r && toAccount(r);
  };
  const checkAmount = (amountMinor: number, field: string): void => {
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0)
      throw invalid(field, `must be a whole number of minor units above 0, got ${amountMinor}`);
  };
  return {
    open(kind, currency, given) {
      const code = given === undefined ? makeCode() : checkCode(given, 'code');
      const hash = hashCode(code);
      if (q.byHash.get(hash)) throw conflict(`card ending ${code.slice(-4)} is already in use`, 'code');
      const at = now().toISOString();
      const accountId = newId();
      q.insert.run(accountId, kind, hash, code.slice(-4), currency, at, at);
      return { accountId, kind, last4: code.slice(-4), currency, balanceMinor: 0, code };
    },
    byCode(code, field = 'code') {
      const c = checkCode(code, field);
      const r = q.byHash.get(hashCode(c)) as Row | undefined;
      if (!r) throw notFound(`card or voucher ending ${c.slice(-4)}`, field);
      return toAccount(r);
    },
    byId,
    credit(accountId, amountMinor) {
      checkAmount(amountMinor, 'amountMinor');
      return q.move.get(amountMinor, now().toISOString(), accountId) as number;
    },
    debit(accountId, amountMinor, field) {
      checkAmount(amountMinor, field);
      const a = byId(accountId);
      if (!a) throw notFound(`account ${accountId}`, field);
      if (a.balanceMinor < amountMinor)
        throw invalid(
          field,
          `the ${a.kind === 'gift_card' ? 'gift card' : 'store credit'} ending ${a.last4} holds ${a.balanceMinor}, less than the ${amountMinor} asked`,
        );
      return q.move.get(-amountMinor, now().toISOString(), accountId) as number;
    },
  };
}
