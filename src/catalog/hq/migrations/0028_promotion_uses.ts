import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Promotion limits that hold across the chain (issue 19). HQ is the counter of record:
 * `promotion_uses` holds one row per use — reserved by a till as its sale completes (keyed by cart, so
 * a retried request finds its first answer), confirmed when the sale reaches HQ, released when the
 * till gives it back, the sale is voided or every unit comes back; a reservation past `expires_at`
 * counts for nothing (the till stopped before committing). A till that sold offline records the use
 * unreserved; HQ counts it on ingest and writes `promotion_use_exceptions` when it overran a limit.
 * `promotion_daily` and `promotion_skus` are the sales projection's facts for the promotions panel:
 * uses, discount and discounted units per store-local day, and the products each promotion touched.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0028PromotionUses: SchemaMigration = {
  id: '0028_promotion_uses',
  up: `
    CREATE TABLE promotion_uses (
      id uuid PRIMARY KEY,
      promotion_id text NOT NULL,
      coupon_code text,
      customer_id text,
      cart_id text,
      sale_id uuid,
      terminal_id text,
      store_id text,
      state text NOT NULL CHECK (state IN ('reserved', 'confirmed', 'released')),
      offline boolean NOT NULL DEFAULT false,
      units integer NOT NULL DEFAULT 0,
      returned_units integer NOT NULL DEFAULT 0,
      at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz,
      confirmed_at timestamptz,
      released_at timestamptz,
      released_why text,
      UNIQUE (promotion_id, cart_id),
      UNIQUE (promotion_id, sale_id)
    );
    CREATE INDEX promotion_uses_counted ON promotion_uses (promotion_id) WHERE state <> 'released';
    CREATE INDEX promotion_uses_sale ON promotion_uses (sale_id) WHERE sale_id IS NOT NULL;

    -- Each return counted once against its sale's uses, however often the log is replayed.
    CREATE TABLE promotion_use_returns (
      return_id uuid PRIMARY KEY,
      sale_id uuid NOT NULL,
      units integer NOT NULL
    );

    CREATE TABLE promotion_use_exceptions (
      id bigserial PRIMARY KEY,
      promotion_id text NOT NULL,
      sale_id uuid NOT NULL,
      store_id text,
      terminal_id text,
      limit_name text NOT NULL,
      over_by integer NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (promotion_id, sale_id)
    );

    CREATE TABLE promotion_daily (
      promotion_id text NOT NULL,
      store_id text NOT NULL,
      business_date date NOT NULL,
      uses bigint NOT NULL,
      discount_minor bigint NOT NULL,
      units bigint NOT NULL,
      PRIMARY KEY (promotion_id, store_id, business_date)
    );
    CREATE TABLE promotion_skus (
      promotion_id text NOT NULL,
      sku text NOT NULL,
      PRIMARY KEY (promotion_id, sku)
    );
  `,
  down: `DROP TABLE promotion_skus, promotion_daily, promotion_use_exceptions, promotion_use_returns, promotion_uses`,
};
