import type { SchemaMigration } from '../../../db/index.ts';

/**
 * What HQ refused of this till's events, so the refusal outlives a restart: a conflict (HQ holds
 * another event under that seq) stops the outbox until an operator clears it; a quarantined event is
 * held by HQ and only shown. The rollback columns record HQ holding more than this ledger has.
 *
 * Released (ledger.db step 7): this text is frozen (test/fixtures/migrations.sha256.json);
 * change the schema with a new migration.
 */
export const ledger0007SyncRejections: SchemaMigration = {
  id: '0007_sync_rejections',
  up: `
  CREATE TABLE sync_rejections (
    terminal_id    TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('quarantined', 'conflict')),
    reason         TEXT NOT NULL,
    first_seen_at  TEXT NOT NULL,
    last_seen_at   TEXT NOT NULL,
    cleared_at     TEXT,
    cleared_by     TEXT,
    PRIMARY KEY (terminal_id, event_id)
  );
  CREATE INDEX sync_rejections_open ON sync_rejections (terminal_id, kind, seq) WHERE cleared_at IS NULL;
  ALTER TABLE sync_state ADD COLUMN rollback_hq_seq INTEGER;
  ALTER TABLE sync_state ADD COLUMN rollback_till_seq INTEGER;
  ALTER TABLE sync_state ADD COLUMN rollback_detected_at TEXT;
  `,
};
