import type { SqliteDb } from '../../db/index.ts';
import { redactLedgerFields } from '../../sync/till/index.ts';
import { CUSTOMER_EVENT_TYPES } from '../events.ts';

/**
 * A customer erased at HQ, forgotten at this till (the ids come with the catalog pull, or as HQ's
 * refusal of a key): the cached row, key, consents and kept points go, the id is remembered in
 * `erased_customers` so nothing brings them back (a lookup HQ answered before the erasure, a reprint),
 * and this till's own copies of a plaintext registration (customer.created v1: phone, email, name in
 * clear) are redacted in place as HQ redacts its copy, recorded in `ledger_redactions` (ledger.db step
 * 15). One the outbox has not shipped yet is redacted on a later call, once HQ holds it.
 */
const V1_PERSONAL_FIELDS = ['phone', 'email', 'name'] as const;

export interface TillErasure {
  /** Customers this till held (row or key) that are now gone. */
  forgotten: number;
  /** Ledger events whose personal fields were removed now. */
  redacted: number;
  /** Plaintext registrations of erased customers waiting for HQ to hold them before redaction. */
  waiting: number;
}

/** Whether HQ said this customer was erased. */
export function isErasedAtTill(db: SqliteDb, customerId: string): boolean {
  return db.prepare('SELECT 1 FROM erased_customers WHERE customer_id = ?').get(customerId) !== undefined;
}

export function eraseAtTill(db: SqliteDb, customerIds: readonly string[], at = new Date()): TillErasure {
  const when = at.toISOString();
  const del = ['customers', 'customer_keys', 'customer_consents', 'loyalty_balances', 'loyalty_releases'].map(
    (t) => db.prepare(`DELETE FROM ${t} WHERE customer_id = ?`),
  );
  const remember = db.prepare(
    'INSERT OR IGNORE INTO erased_customers (customer_id, erased_at) VALUES (?, ?)',
  );
  const forgotten = db.transaction(() => {
    let held = 0;
    for (const id of customerIds) {
      const [row, key] = del.map((d) => d.run(id).changes);
      if ((row ?? 0) + (key ?? 0) > 0) held++;
      remember.run(id, when);
    }
    return held;
  })();
  return { forgotten, ...redactErasedRegistrations(db, when) };
}

/** Redacts every plaintext registration of an erased customer that HQ holds and is not redacted yet. */
function redactErasedRegistrations(db: SqliteDb, at: string): Omit<TillErasure, 'forgotten'> {
  const rows = db
    .prepare(
      `SELECT l.id, json_extract(l.payload, '$.customerId') AS customer_id FROM ledger l
       JOIN erased_customers e ON e.customer_id = json_extract(l.payload, '$.customerId')
       WHERE l.type = ? AND l.schema_version = 1
         AND NOT EXISTS (SELECT 1 FROM ledger_redactions r WHERE r.event_id = l.id)`,
    )
    .all(CUSTOMER_EVENT_TYPES.customerCreated) as { id: string; customer_id: string }[];
  const out = { redacted: 0, waiting: 0 };
  for (const r of rows) {
    const done = redactLedgerFields(db, r.id, V1_PERSONAL_FIELDS, `customer ${r.customer_id} erased`, at);
    if (done === 'redacted') out.redacted++;
    else if (done === 'unsent') out.waiting++;
  }
  return out;
}
