import type { SchemaMigration } from '../../../../db/index.ts';

/**
 * Forecasts stored at HQ so the dashboard can draw bands and say how far to trust them. One run is one
 * refresh: its model version, training window and backtest summary; per series the chosen model and its
 * backtest error; per series and day the mean and the p10/p50/p90 quantiles. Levels are 'sku' (per
 * store), 'category' (per store), 'store' (key '*') and 'chain' (store_id '*', key '*'); the totals are
 * reconciled with the SKU rows. Old runs are deleted by the refresh, so the cascade keeps this small.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0007Forecasts: SchemaMigration = {
  id: '0007_forecasts',
  up: `
    CREATE TABLE forecast_runs (
      id uuid PRIMARY KEY,
      model_version text NOT NULL,
      trained_from date,
      trained_to date,
      horizon_days integer NOT NULL CHECK (horizon_days > 0),
      series integer NOT NULL DEFAULT 0,
      status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      -- Summary of the backtest, e.g. {"mae": 0.8, "wrmsse": 0.9}; the error text when failed.
      backtest jsonb NOT NULL DEFAULT '{}',
      error text
    );
    CREATE INDEX forecast_runs_started ON forecast_runs (started_at DESC);
    -- One refresh at a time, whichever process starts it: a second 'running' row is refused.
    CREATE UNIQUE INDEX forecast_runs_one_running ON forecast_runs ((true)) WHERE status = 'running';

    CREATE TABLE forecast_series (
      run_id uuid NOT NULL REFERENCES forecast_runs (id) ON DELETE CASCADE,
      level text NOT NULL CHECK (level IN ('sku', 'category', 'store', 'chain')),
      store_id text NOT NULL,
      key text NOT NULL,
      model text NOT NULL,
      backtest_mae double precision,
      backtest_bias double precision,
      history_days integer NOT NULL DEFAULT 0,
      PRIMARY KEY (run_id, level, store_id, key)
    );

    CREATE TABLE forecast_days (
      run_id uuid NOT NULL REFERENCES forecast_runs (id) ON DELETE CASCADE,
      level text NOT NULL,
      store_id text NOT NULL,
      key text NOT NULL,
      date date NOT NULL,
      mean double precision NOT NULL,
      p10 double precision NOT NULL,
      p50 double precision NOT NULL,
      p90 double precision NOT NULL,
      PRIMARY KEY (run_id, level, store_id, key, date)
    );
  `,
  down: `DROP TABLE forecast_days, forecast_series, forecast_runs`,
};
