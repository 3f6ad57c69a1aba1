import { newId } from '../core/index.ts';
import type { SqliteDb } from '../db/index.ts';
import type { Approval } from './provider.ts';

/**
 * The till's durable memory of card payments, in ledger.db: an attempt is written (and fsynced)
 * before the card reader is asked, so a till killed while the reader works still knows a charge may
 * exist, and can ask the processor and void it. An attempt ends `captured` (in the same transaction
 * as the sale or gift card event that records it), `reversed` (voided at the processor) or `declined`
 * (the processor confirms nothing was charged). `pending`, `approved` and `unknown` are open.
 */
export type AttemptState = 'pending' | 'approved' | 'captured' | 'reversed' | 'unknown' | 'declined';

export const OPEN_STATES: readonly AttemptState[] = ['pending', 'approved', 'unknown'];

export interface CardAttempt {
  attemptId: string;
  /** The cart being paid (or `giftcard:<id>` for a gift card sale, which has no cart). */
  cartId: string;
  tenderIndex: number;
  amountMinor: number;
  currency: string;
  /** cart + tender index + generation: the same on every retry of this tender, new after a decline. */
  idempotencyKey: string;
  state: AttemptState;
  provider: string;
  approval: Approval | undefined;
  saleId: string | undefined;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  attempt_id: string;
  cart_id: string;
  tender_index: number;
  amount_minor: number;
  currency: string;
  idempotency_key: string;
  state: AttemptState;
  provider: string;
  approval: string | null;
  sale_id: string | null;
  created_at: string;
  updated_at: string;
}

const toAttempt = (r: Row): CardAttempt => ({
  attemptId: r.attempt_id,
  cartId: r.cart_id,
  tenderIndex: r.tender_index,
  amountMinor: r.amount_minor,
  currency: r.currency,
  idempotencyKey: r.idempotency_key,
  state: r.state,
  provider: r.provider,
  approval: r.approval ? (JSON.parse(r.approval) as Approval) : undefined,
  saleId: r.sale_id ?? undefined,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface CardAttempts {
  /** The open attempt for this tender of this cart, if a previous try left one. */
  open(cartId: string, tenderIndex: number): CardAttempt | undefined;
  /** Records a new pending attempt and commits it durably; call before asking the card reader. */
  begin(input: {
    cartId: string;
    tenderIndex: number;
    amountMinor: number;
    currency: string;
    provider: string;
  }): CardAttempt;
  approve(attemptId: string, approval: Approval): CardAttempt;
  mark(attemptId: string, state: 'unknown' | 'reversed' | 'declined'): CardAttempt;
  /** In the transaction of the event that records the money: the charges are the sale's now. */
  capture(attemptIds: readonly string[], saleId: string): void;
  /** Every open attempt, oldest first: what the resolver must settle. */
  unresolved(): CardAttempt[];
  byId(attemptId: string): CardAttempt | undefined;
}

export function cardAttempts(db: SqliteDb, now: () => Date): CardAttempts {
  const q = {
    open: db.prepare(
      `SELECT * FROM card_attempts WHERE cart_id = ? AND tender_index = ?
         AND state IN ('pending', 'approved', 'unknown') ORDER BY generation DESC LIMIT 1`,
    ),
    generation: db
      .prepare(
        'SELECT COALESCE(MAX(generation), 0) + 1 FROM card_attempts WHERE cart_id = ? AND tender_index = ?',
      )
      .pluck(),
    insert: db.prepare(
      `INSERT INTO card_attempts (attempt_id, cart_id, tender_index, generation, amount_minor, currency,
         idempotency_key, state, provider, created_at, updated_at)
       VALUES (@attemptId, @cartId, @tenderIndex, @generation, @amountMinor, @currency, @key, 'pending',
         @provider, @at, @at)`,
    ),
    byId: db.prepare('SELECT * FROM card_attempts WHERE attempt_id = ?'),
    approve: db.prepare(
      `UPDATE card_attempts SET state = 'approved', approval = ?, updated_at = ?
        WHERE attempt_id = ? AND state IN ('pending', 'approved', 'unknown')`,
    ),
    mark: db.prepare(
      `UPDATE card_attempts SET state = ?, updated_at = ?
        WHERE attempt_id = ? AND state IN ('pending', 'approved', 'unknown')`,
    ),
    capture: db.prepare(
      `UPDATE card_attempts SET state = 'captured', sale_id = ?, updated_at = ?
        WHERE attempt_id = ? AND state = 'approved'`,
    ),
    unresolved: db.prepare(
      "SELECT * FROM card_attempts WHERE state IN ('pending', 'approved', 'unknown') ORDER BY created_at, attempt_id",
    ),
  };
  const byId = (attemptId: string): CardAttempt | undefined => {
    const r = q.byId.get(attemptId) as Row | undefined;
    return r && toAttempt(r);
  };
  const mustGet = (attemptId: string): CardAttempt => {
    const a = byId(attemptId);
    if (!a) throw new Error(`card attempt ${attemptId} vanished`);
    return a;
  };
  // The connection runs synchronous=FULL (openSqlite) except inside a cart edit, which restores it: so
  // this commit is on disk before the reader is asked, which is the whole point of the record.
  const durably = <T>(fn: () => T): T => (db.inTransaction ? fn() : db.transaction(fn).immediate());

  return {
    open(cartId, tenderIndex) {
      const r = q.open.get(cartId, tenderIndex) as Row | undefined;
      return r && toAttempt(r);
    },
    begin(input) {
      const attemptId = newId();
      durably(() => {
        const generation = q.generation.get(input.cartId, input.tenderIndex) as number;
        q.insert.run({
          ...input,
          attemptId,
          generation,
          key: `${input.cartId}:t${input.tenderIndex}:g${generation}`,
          at: now().toISOString(),
        });
      });
      return mustGet(attemptId);
    },
    approve(attemptId, approval) {
      const { approvalCode, token, maskedPan, brand } = approval;
      durably(() =>
        q.approve.run(
          JSON.stringify({ approvalCode, token, maskedPan, brand }),
          now().toISOString(),
          attemptId,
        ),
      );
      return mustGet(attemptId);
    },
    mark(attemptId, state) {
      durably(() => q.mark.run(state, now().toISOString(), attemptId));
      return mustGet(attemptId);
    },
    capture(attemptIds, saleId) {
      const at = now().toISOString();
      for (const id of attemptIds) {
        const changed = q.capture.run(saleId, at, id).changes;
        // Capturing what is not an approval (voided meanwhile) would record money the customer did not pay.
        if (changed !== 1) throw new Error(`card attempt ${id} is no longer approved; it cannot be captured`);
      }
    },
    unresolved: () => (q.unresolved.all() as Row[]).map(toAttempt),
    byId,
  };
}
