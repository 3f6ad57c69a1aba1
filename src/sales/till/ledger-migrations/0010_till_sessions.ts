import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Cashiers sign in at the till (src/sales/till/till-sessions.ts):
 * - `till_sessions`: one row per sign-in, the token kept as its sha256 only; locked by idle time or by
 *   hand, ended by signing out or by the next cashier signing in.
 * - `ledger.actor` / `ledger.approver`: who did each event and who approved it (the envelope's
 *   optional `actor` and `approver`).
 * - `managers.permissions`: the till permissions of a local till user (JSON); NULL, as for every
 *   manager added before, is all of them.
 * Wrong PINs, at sign-in and in approvals alike, count in `pin_failures` by till code.
 *
 * Frozen once released (test/fixtures/migrations.sha256.json).
 */
export const ledger0010TillSessions: SchemaMigration = {
  id: '0010_till_sessions',
  up: `
  CREATE TABLE till_sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL,
    code          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    locked_at     TEXT,
    ended_at      TEXT
  );
  CREATE INDEX till_sessions_open ON till_sessions (ended_at);
  ALTER TABLE ledger ADD COLUMN actor TEXT;
  ALTER TABLE ledger ADD COLUMN approver TEXT;
  ALTER TABLE managers ADD COLUMN permissions TEXT;
  `,
};
