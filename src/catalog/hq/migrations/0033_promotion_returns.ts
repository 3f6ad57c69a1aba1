import type { SchemaMigration } from '../../../db/index.ts';

/**
 * What the promotions panel needs to take a return off a promotion's figures: each sale that used a
 * promotion (its store-local day, its units, what came back) and, per line and promotion, the units and
 * discount given and what returns took back. A return is booked on the sale's own store-day, so a
 * promotion's days keep adding up to what it gave net of returns. Part of the panel's facts (emptied and
 * replayed by a rebuild, with promotion_daily).
 *
 * Released once merged: then this text is frozen (test/fixtures/migrations.sha256.json); change the
 * schema with a new migration.
 */
export const hq0033PromotionReturns: SchemaMigration = {
  id: '0033_promotion_returns',
  up: `
    CREATE TABLE promotion_sales (
      sale_id text PRIMARY KEY,
      store_id text NOT NULL,
      business_date date NOT NULL,
      units bigint NOT NULL,
      returned_units bigint NOT NULL DEFAULT 0,
      promotion_ids text[] NOT NULL
    );
    CREATE TABLE promotion_sale_lines (
      sale_id text NOT NULL,
      line_no integer NOT NULL,
      promotion_id text NOT NULL,
      qty bigint NOT NULL,
      discount_minor bigint NOT NULL,
      returned_qty bigint NOT NULL DEFAULT 0,
      returned_discount_minor bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (sale_id, line_no, promotion_id)
    );
  `,
  down: 'DROP TABLE promotion_sale_lines, promotion_sales',
};
