import type { SqliteDb } from '../../db/index.ts';

/**
 * Redacting a ledger event's payload in place at the till: the one exception to the ledger being
 * append-only, as at HQ (sync/hq/redactions.ts), for data the law says must go. The removal is recorded
 * in `ledger_redactions` first, which is what lets the ledger's update trigger pass it (the table and the
 * trigger come with ledger.db step 15, the erasure step that is its reason), and the chain hashes stay
 * as written: verify-ledger checks a redacted event's links and counts it, not its content.
 *
 * Only an event HQ already holds is redacted: HQ checks what it receives against the event's hash, so a
 * redacted event sent later would be refused as a conflict. One HQ does not hold yet is left `unsent`
 * for the caller to try again after the outbox has shipped it (HQ redacts its own copy then).
 */
export type LedgerRedaction = 'redacted' | 'nothing to remove' | 'unsent' | 'absent';

export function redactLedgerFields(
  db: SqliteDb,
  eventId: string,
  fields: readonly string[],
  reason: string,
  at: string,
): LedgerRedaction {
  return db.transaction((): LedgerRedaction => {
    const row = db
      .prepare(
        `SELECT l.payload, l.seq, COALESCE(s.acked_up_to, 0) AS acked FROM ledger l
         LEFT JOIN sync_state s ON s.terminal_id = l.terminal_id WHERE l.id = ?`,
      )
      .get(eventId) as { payload: string; seq: number; acked: number } | undefined;
    if (!row) return 'absent';
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    const present = fields.filter((f) => Object.hasOwn(payload, f));
    if (present.length === 0) return 'nothing to remove';
    if (row.seq > row.acked) return 'unsent';
    for (const f of present) delete payload[f];
    const held = db.prepare('SELECT fields FROM ledger_redactions WHERE event_id = ?').pluck().get(eventId) as
      | string
      | undefined;
    const all = [...new Set([...(held ? (JSON.parse(held) as string[]) : []), ...present])].sort();
    db.prepare(
      `INSERT INTO ledger_redactions (event_id, redacted_at, reason, fields) VALUES (?, ?, ?, ?)
       ON CONFLICT (event_id) DO UPDATE SET fields = excluded.fields`,
    ).run(eventId, at, reason, JSON.stringify(all));
    db.prepare('UPDATE ledger SET payload = ? WHERE id = ?').run(JSON.stringify(payload), eventId);
    return 'redacted';
  })();
}

/** The ids of events redacted in place (none on a ledger.db from before step 15). */
export function redactedLedgerEvents(db: SqliteDb): Set<string> {
  const has = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger_redactions'")
    .get();
  if (!has) return new Set();
  return new Set(db.prepare('SELECT event_id FROM ledger_redactions').pluck().all() as string[]);
}
