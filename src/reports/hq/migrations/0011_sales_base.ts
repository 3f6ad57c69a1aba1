import type { SchemaMigration } from '../../../db/index.ts';

/**
 * The part of each sales fact that did not come from the event log — history loaded by `tally import
 * m5` and the demo's seeded past — kept beside the totals in base_* columns. A rebuild resets every row
 * to its base (dropping rows with none) and replays the log on top, so imported history survives it;
 * an import re-run takes its old base out of the totals before adding the new one.
 *
 * Rows written before this migration carry no mark. Those on a store-day with no sale in the log can
 * only have been imported, so they become base; a store-day with sales in the log stays all event
 * (a rebuild recomputes it), the one place older imported history can still be lost.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0011SalesBase: SchemaMigration = {
  id: '0011_sales_base',
  up: `
    ALTER TABLE sales_daily
      ADD COLUMN base_qty bigint NOT NULL DEFAULT 0,
      ADD COLUMN base_net_minor bigint NOT NULL DEFAULT 0,
      ADD COLUMN base_tax_minor bigint NOT NULL DEFAULT 0,
      ADD COLUMN base_gross_minor bigint NOT NULL DEFAULT 0,
      ADD COLUMN base_lines bigint NOT NULL DEFAULT 0;
    ALTER TABLE sales_hourly
      ADD COLUMN base_transactions bigint NOT NULL DEFAULT 0,
      ADD COLUMN base_units bigint NOT NULL DEFAULT 0,
      ADD COLUMN base_net_minor bigint NOT NULL DEFAULT 0,
      ADD COLUMN base_gross_minor bigint NOT NULL DEFAULT 0,
      ADD COLUMN base_cost_minor bigint NOT NULL DEFAULT 0,
      ADD COLUMN base_costed_net_minor bigint NOT NULL DEFAULT 0;

    UPDATE sales_daily d SET base_qty = qty, base_net_minor = net_minor, base_tax_minor = tax_minor,
      base_gross_minor = gross_minor, base_lines = lines
    WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.store_id = d.store_id
      AND e.business_date = d.business_date AND e.type IN ('sale.completed', 'sale.returned'));
    UPDATE sales_hourly h SET base_transactions = transactions, base_units = units,
      base_net_minor = net_minor, base_gross_minor = gross_minor, base_cost_minor = cost_minor,
      base_costed_net_minor = costed_net_minor
    WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.store_id = h.store_id
      AND e.business_date = h.business_date AND e.type IN ('sale.completed', 'sale.returned'));
  `,
  down: `
    ALTER TABLE sales_daily DROP COLUMN base_qty, DROP COLUMN base_net_minor, DROP COLUMN base_tax_minor,
      DROP COLUMN base_gross_minor, DROP COLUMN base_lines;
    ALTER TABLE sales_hourly DROP COLUMN base_transactions, DROP COLUMN base_units,
      DROP COLUMN base_net_minor, DROP COLUMN base_gross_minor, DROP COLUMN base_cost_minor,
      DROP COLUMN base_costed_net_minor;
  `,
};
