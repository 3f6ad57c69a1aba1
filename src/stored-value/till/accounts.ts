import type { Logger } from 'pino';
import { conflict, invalid, newId, notFound, TallyError } from '../../core/index.ts';
import type { SqliteDb } from '../../db/index.ts';
import { checkCode, hashCode, makeCode } from '../code.ts';
import { AuthorityRefused, AuthorityUnreachable, type StoredValueAuthority } from './hq-client.ts';

/**
 * Gift cards and store credit: accounts with a balance, known by a code the customer holds. The till
 * keeps only a hash of the code and its last 4 digits; events carry the account id. Balances change
 * inside the transaction of the event that moves them, and a CHECK keeps them from going below zero.
 *
 * Across the chain HQ keeps the ledger of record. With an `authority` (HQ) the till looks cards up
 * there (a card sold at another till, a balance spent elsewhere), and a redemption is authorised by
 * HQ before the sale commits; when HQ cannot be reached the till allows up to `offlineLimitMinor` per
 * card against its last known balance and marks the tender `offline`, for HQ to apply on ingest.
 */
export type StoredValueKind = 'gift_card' | 'store_credit';

export interface StoredValueAccount {
  accountId: string;
  kind: StoredValueKind;
  last4: string;
  currency: string;
  balanceMinor: number;
  codeHash: string;
}

/** A redemption made safe before the sale commits: authorised at HQ, allowed offline, or till-only. */
export interface Hold {
  account: StoredValueAccount;
  amountMinor: number;
  field: string;
  mode: 'local' | 'online' | 'offline';
  authId?: string;
  /** HQ's balance after an online authorisation. */
  balanceAfter?: number;
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
  /**
   * Asks HQ for the account behind `code` and brings the till's copy up to date (a card sold at
   * another till, a balance spent elsewhere). Best effort: the till's own copy stands when HQ is
   * unreachable or the code is malformed (the caller's lookup names that error).
   */
  refresh(code: unknown): Promise<'hq' | 'till'>;
  /** Before any card is charged: authorises each redemption at HQ or allows it offline; all or none. */
  /** `code`: as the customer presented it; HQ redeems only with it, not with the account id alone. */
  holdAll(
    wanted: { account: StoredValueAccount; code: string; amountMinor: number; field: string }[],
  ): Promise<Hold[]>;
  /** In the sale's transaction: moves the till's balance and returns the tender's stored-value fields. */
  settle(hold: Hold): { authId?: string; offline?: true; codeHash: string };
  /** Gives HQ back the authorisations of a sale that was not recorded. */
  release(holds: readonly Hold[]): Promise<void>;
}

export interface StoredValueOptions {
  authority?: StoredValueAuthority | undefined;
  /** Most a card may be redeemed for at this till while HQ is unreachable, until HQ answers again. */
  offlineLimitMinor?: number;
  logger?: Logger;
}

interface Row {
  account_id: string;
  kind: StoredValueKind;
  last4: string;
  currency: string;
  balance_minor: number;
  code_hash: string;
  offline_spent_minor: number;
}
const toAccount = (r: Row): StoredValueAccount => ({
  accountId: r.account_id,
  kind: r.kind,
  last4: r.last4,
  currency: r.currency,
  balanceMinor: r.balance_minor,
  codeHash: r.code_hash,
});

const label = (kind: StoredValueKind): string => (kind === 'gift_card' ? 'gift card' : 'store credit');

export function createStoredValue(db: SqliteDb, now: () => Date, opts: StoredValueOptions = {}): StoredValue {
  const { authority, logger } = opts;
  const offlineLimit = opts.offlineLimitMinor ?? 0;
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
    adopt: db.prepare(
      `INSERT INTO stored_value (account_id, kind, code_hash, last4, currency, balance_minor, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // HQ's balance, less what this till redeemed offline and HQ may not have heard of yet.
    fromHq: db.prepare(
      `UPDATE stored_value SET balance_minor = MAX(0, ? - offline_spent_minor), offline_spent_minor = 0,
              updated_at = ? WHERE account_id = ?`,
    ),
    setBalance: db.prepare(
      'UPDATE stored_value SET balance_minor = MAX(0, ?), offline_spent_minor = 0, updated_at = ? WHERE account_id = ?',
    ),
    spentOffline: db.prepare(
      'UPDATE stored_value SET offline_spent_minor = offline_spent_minor + ? WHERE account_id = ?',
    ),
    owed: db.prepare('SELECT auth_id FROM stored_value_reversals ORDER BY created_at').pluck(),
    owe: db.prepare(
      `INSERT OR IGNORE INTO stored_value_reversals (auth_id, account_id, amount_minor, created_at)
       VALUES (?, ?, ?, ?)`,
    ),
    paid: db.prepare('DELETE FROM stored_value_reversals WHERE auth_id = ?'),
  };
  const byId = (id: string): StoredValueAccount | undefined => {
    const r = q.byId.get(id) as Row | undefined;
    return r && toAccount(r);
  };
  const checkAmount = (amountMinor: number, field: string): void => {
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0)
      throw invalid(field, `must be a whole number of minor units above 0, got ${amountMinor}`);
  };
  const api: StoredValue = {
    open(kind, currency, given) {
      const code = given === undefined ? makeCode() : checkCode(given, 'code');
      const hash = hashCode(code);
      if (q.byHash.get(hash)) throw conflict(`card ending ${code.slice(-4)} is already in use`, 'code');
      const at = now().toISOString();
      const accountId = newId();
      q.insert.run(accountId, kind, hash, code.slice(-4), currency, at, at);
      return { accountId, kind, last4: code.slice(-4), currency, balanceMinor: 0, code, codeHash: hash };
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

    async refresh(code) {
      if (!authority) return 'till';
      let hash: string;
      try {
        hash = hashCode(checkCode(code, 'code'));
      } catch {
        return 'till';
      }
      let remote: Awaited<ReturnType<StoredValueAuthority['lookup']>>;
      try {
        remote = await authority.lookup(hash);
      } catch (err) {
        logger?.info({ reason: String(err) }, 'HQ unreachable for a card lookup; using the till’s balance');
        return 'till';
      }
      // HQ answers: a good moment to give back what it could not be told about before.
      await giveBackOwed();
      if (!remote) return 'till';
      const at = now().toISOString();
      const local = q.byHash.get(hash) as Row | undefined;
      if (!local)
        q.adopt.run(
          remote.accountId,
          remote.kind,
          hash,
          remote.last4,
          remote.currency,
          Math.max(0, remote.balanceMinor),
          at,
          at,
        );
      else if (local.account_id === remote.accountId) q.fromHq.run(remote.balanceMinor, at, local.account_id);
      return 'hq';
    },

    async holdAll(wanted) {
      const holds: Hold[] = [];
      try {
        for (const w of wanted) holds.push(await hold(w));
      } catch (err) {
        await release(holds);
        throw err;
      }
      return holds;
    },

    settle(h) {
      const { accountId } = h.account;
      if (h.mode === 'online') {
        q.setBalance.run(h.balanceAfter ?? 0, now().toISOString(), accountId);
        return { authId: h.authId!, codeHash: h.account.codeHash };
      }
      api.debit(accountId, h.amountMinor, h.field);
      if (h.mode === 'offline') {
        q.spentOffline.run(h.amountMinor, accountId);
        return { offline: true, codeHash: h.account.codeHash };
      }
      return { codeHash: h.account.codeHash };
    },

    release,
  };
  return api;

  async function hold(w: {
    account: StoredValueAccount;
    code: string;
    amountMinor: number;
    field: string;
  }): Promise<Hold> {
    const { account, amountMinor, field } = w;
    const base = { account, amountMinor, field };
    const codeField = field.replace(/\.amountMinor$/, '.code');
    if (!authority) return { ...base, mode: 'local' };
    const authId = newId();
    let answer: Awaited<ReturnType<StoredValueAuthority['authorize']>>;
    try {
      answer = await authority.authorize({
        authId,
        accountId: account.accountId,
        code: checkCode(w.code, codeField),
        amountMinor,
        currency: account.currency,
      });
    } catch (err) {
      if (!(err instanceof AuthorityUnreachable)) throw err;
      return offlineHold(base, err.message);
    }
    if (answer.status === 'approved')
      return { ...base, mode: 'online', authId, balanceAfter: answer.balanceMinor };
    // Sold at this till and not yet at HQ: only this till knows the balance, so the offline rule applies.
    if (answer.status === 'unknown_account') return offlineHold(base, 'HQ does not know this card yet');
    // HQ refuses a code that is not the card's on `code`: point the cashier at the code, not the amount.
    if (answer.message.startsWith('code: ')) throw invalid(codeField, answer.message.replace(/^code: /, ''));
    throw invalid(
      field,
      answer.message.replace(/^amountMinor: /, '') ||
        `the ${label(account.kind)} ending ${account.last4} does not hold ${amountMinor}`,
    );
  }

  function offlineHold(
    w: { account: StoredValueAccount; amountMinor: number; field: string },
    why: string,
  ): Hold {
    const r = q.byId.get(w.account.accountId) as Row;
    const room = Math.min(r.balance_minor, offlineLimit - r.offline_spent_minor);
    if (w.amountMinor > room)
      throw new TallyError(
        'unavailable',
        `${w.field}: HQ cannot confirm the ${label(r.kind)} ending ${r.last4} (offline); up to ${Math.max(0, room)} can be taken from it now (offline limit ${offlineLimit}, last known balance ${r.balance_minor}) — take less, or use another tender`,
        w.field,
      );
    logger?.warn(
      { accountId: r.account_id, amountMinor: w.amountMinor, why },
      'stored value redeemed offline',
    );
    return { ...w, mode: 'offline' };
  }

  async function release(holds: readonly Hold[]): Promise<void> {
    for (const h of holds) {
      if (h.mode !== 'online' || !authority) continue;
      try {
        await authority.reverse(h.authId!);
      } catch (err) {
        if (err instanceof AuthorityRefused) {
          logger?.error(
            { authId: h.authId, reason: err.message },
            'HQ refused to give back a stored-value authorisation',
          );
          continue;
        }
        // Kept, and given back the next time HQ answers: the customer must not lose it.
        q.owe.run(h.authId!, h.account.accountId, h.amountMinor, now().toISOString());
        logger?.warn(
          { authId: h.authId, accountId: h.account.accountId, amountMinor: h.amountMinor, err: String(err) },
          'stored-value authorisation not given back yet; retried when HQ answers',
        );
      }
    }
  }

  /** Gives HQ back the authorisations it could not be told about; stops at the first failure. */
  async function giveBackOwed(): Promise<void> {
    for (const authId of q.owed.all() as string[]) {
      try {
        await authority!.reverse(authId);
      } catch (err) {
        if (err instanceof AuthorityRefused) {
          // Another till's, or used by a recorded sale: nothing this till may give back; stop asking.
          logger?.error(
            { authId, reason: err.message },
            'HQ refused to give back a stored-value authorisation',
          );
          q.paid.run(authId);
          continue;
        }
        logger?.debug({ authId, err: String(err) }, 'HQ still unreachable for a reversal');
        return;
      }
      q.paid.run(authId);
      logger?.info({ authId }, 'stored-value authorisation given back');
    }
  }
}

export { checkCode, hashCode, makeCode } from '../code.ts';
