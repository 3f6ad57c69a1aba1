import type { SchemaMigration } from '../../../../db/index.ts';

/**
 * Draft purchase orders from replenishment runs and every decision taken on them. A draft is only ever
 * sent after approval (status 'approved'); decisions are appended, never updated, so who did what and
 * when survives later edits.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0005Replenish: SchemaMigration = {
  id: '0005_replenish',
  up: `
    CREATE TABLE purchase_drafts (
      id uuid PRIMARY KEY,
      supplier_id text NOT NULL,
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'rejected')),
      -- One replenishment run makes one draft per supplier; the run names the policy it used.
      run_id uuid NOT NULL,
      policy jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by text NOT NULL,
      decided_at timestamptz,
      decided_by text
    );
    CREATE INDEX purchase_drafts_status ON purchase_drafts (status, created_at);

    CREATE TABLE purchase_draft_lines (
      draft_id uuid NOT NULL REFERENCES purchase_drafts (id) ON DELETE CASCADE,
      line_no integer NOT NULL,
      store_id text NOT NULL,
      sku text NOT NULL,
      series_id text NOT NULL,
      qty integer NOT NULL CHECK (qty >= 0),
      suggested_qty integer NOT NULL CHECK (suggested_qty >= 0),
      unit_cost_minor bigint NOT NULL CHECK (unit_cost_minor >= 0),
      -- The forecast and inputs the suggestion came from, and the reason in words.
      inputs jsonb NOT NULL,
      reason text NOT NULL,
      PRIMARY KEY (draft_id, line_no)
    );

    CREATE TABLE purchase_draft_decisions (
      id bigserial PRIMARY KEY,
      draft_id uuid NOT NULL REFERENCES purchase_drafts (id) ON DELETE CASCADE,
      action text NOT NULL CHECK (action IN ('created', 'edited', 'approved', 'rejected')),
      actor text NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      detail jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX purchase_draft_decisions_draft ON purchase_draft_decisions (draft_id, id);
  `,
  down: `DROP TABLE purchase_draft_decisions, purchase_draft_lines, purchase_drafts`,
};
