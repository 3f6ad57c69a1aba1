import type { SchemaMigration } from '../../../../db/index.ts';

/**
 * Approved purchase orders count as on order until their units arrive, so the next replenishment run
 * does not order them again. Each line keeps what has been received against it (each supplier delivery
 * is matched to open lines once, recorded in purchase_receipts); an approved order can be cancelled;
 * a new run supersedes the untouched drafts of earlier runs instead of piling more on top.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0013OnOrder: SchemaMigration = {
  id: '0013_on_order',
  up: `
    ALTER TABLE purchase_drafts DROP CONSTRAINT purchase_drafts_status_check;
    ALTER TABLE purchase_drafts ADD CONSTRAINT purchase_drafts_status_check
      CHECK (status IN ('draft', 'approved', 'rejected', 'superseded', 'cancelled'));
    ALTER TABLE purchase_draft_decisions DROP CONSTRAINT purchase_draft_decisions_action_check;
    ALTER TABLE purchase_draft_decisions ADD CONSTRAINT purchase_draft_decisions_action_check
      CHECK (action IN ('created', 'edited', 'approved', 'rejected', 'superseded', 'cancelled', 'received'));
    ALTER TABLE purchase_draft_lines ADD COLUMN received_qty integer NOT NULL DEFAULT 0
      CHECK (received_qty >= 0);

    -- Which delivery (a stock.received event) filled which order line, and with how many units: a
    -- delivery is matched once, whoever runs replenishment and however often.
    CREATE TABLE purchase_receipts (
      event_id  uuid NOT NULL,
      draft_id  uuid NOT NULL,
      line_no   integer NOT NULL,
      qty       integer NOT NULL CHECK (qty > 0),
      at        timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (event_id, draft_id, line_no),
      FOREIGN KEY (draft_id, line_no) REFERENCES purchase_draft_lines (draft_id, line_no) ON DELETE CASCADE
    );
    CREATE INDEX purchase_receipts_line ON purchase_receipts (draft_id, line_no);
  `,
  down: `
    DROP TABLE purchase_receipts;
    ALTER TABLE purchase_draft_lines DROP COLUMN received_qty;
    ALTER TABLE purchase_draft_decisions DROP CONSTRAINT purchase_draft_decisions_action_check;
    ALTER TABLE purchase_draft_decisions ADD CONSTRAINT purchase_draft_decisions_action_check
      CHECK (action IN ('created', 'edited', 'approved', 'rejected'));
    ALTER TABLE purchase_drafts DROP CONSTRAINT purchase_drafts_status_check;
    ALTER TABLE purchase_drafts ADD CONSTRAINT purchase_drafts_status_check
      CHECK (status IN ('draft', 'approved', 'rejected'));
  `,
};
