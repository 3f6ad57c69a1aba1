import type { SchemaMigration } from '../../../../db/index.ts';

/**
 * Customer scores computed at HQ from its own sales: one run per refresh (its as-of day, horizon,
 * counts, and the model's figures as JSON, or the reason it had too little history), and one row per
 * customer scored in it. Money is integer minor units. Old runs are deleted by the refresh; the cascade
 * takes their scores. Erasure deletes a customer's rows (src/apps/shared/customer-data-places.ts).
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0031CustomerScores: SchemaMigration = {
  id: '0031_customer_scores',
  up: `
    CREATE TABLE customer_score_runs (
      id uuid PRIMARY KEY,
      as_of date NOT NULL,
      horizon_days integer NOT NULL,
      status text NOT NULL CHECK (status IN ('running', 'done', 'not_enough_history', 'failed')),
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      customers integer NOT NULL DEFAULT 0,
      lines integer NOT NULL DEFAULT 0,
      currency text,
      model jsonb,
      segments jsonb,
      message text
    );
    CREATE UNIQUE INDEX customer_score_runs_one_running ON customer_score_runs (status) WHERE status = 'running';

    CREATE TABLE customer_scores (
      run_id uuid NOT NULL REFERENCES customer_score_runs (id) ON DELETE CASCADE,
      customer_id uuid NOT NULL,
      p_active double precision NOT NULL,
      expected_spend_minor bigint NOT NULL,
      clv12_minor bigint NOT NULL,
      segment text NOT NULL,
      cluster integer NOT NULL,
      last_store_id text,
      last_purchase_at timestamptz,
      PRIMARY KEY (run_id, customer_id)
    );
    CREATE INDEX customer_scores_customer ON customer_scores (customer_id);
  `,
};
