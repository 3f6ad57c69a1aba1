import type { SchemaMigration } from '../../../db/index.ts';

/**
 * The catalog grows up: variants under a parent, a category tree, units of measure, supplier and
 * cost, a status; legacy ids kept as provenance; pricebooks (chain, price zones, store overrides)
 * with effective-dated, append-only prices; promotions and tax jurisdictions published to tills.
 * Everything a till must learn takes a number from catalog_version_seq, so one cursor covers it all.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0004Catalog: SchemaMigration = {
  id: '0004_catalog',
  up: `
    CREATE TABLE categories (
      id text PRIMARY KEY,
      name text NOT NULL,
      parent_id text REFERENCES categories (id)
    );

    -- A product with variants: the parent names the options, each variant is a product row.
    CREATE TABLE product_parents (
      id text PRIMARY KEY,
      name text NOT NULL,
      option_names jsonb NOT NULL DEFAULT '[]'
    );

    ALTER TABLE products
      ADD COLUMN parent_id text REFERENCES product_parents (id),
      ADD COLUMN option_values jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN category_id text REFERENCES categories (id),
      ADD COLUMN unit text NOT NULL DEFAULT 'each' CHECK (unit IN ('each', 'kg', 'l', 'pack')),
      ADD COLUMN pack_size integer CHECK (pack_size IS NULL OR pack_size > 0),
      ADD COLUMN supplier text,
      ADD COLUMN supplier_code text,
      ADD COLUMN cost_minor bigint CHECK (cost_minor IS NULL OR cost_minor >= 0),
      ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'discontinued')),
      ADD COLUMN gift_card boolean NOT NULL DEFAULT false;
    CREATE INDEX products_parent ON products (parent_id);

    -- Where a product came from: one row per legacy record (Shopify variant, Square variation, ...).
    CREATE TABLE product_provenance (
      source text NOT NULL,
      legacy_id text NOT NULL,
      sku text NOT NULL REFERENCES products (sku),
      file text NOT NULL DEFAULT '',
      row_number integer,
      imported_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source, legacy_id)
    );
    CREATE INDEX product_provenance_sku ON product_provenance (sku);

    CREATE TABLE price_zones (
      id text PRIMARY KEY,
      name text NOT NULL
    );
    -- A store prices in at most one zone.
    CREATE TABLE store_zones (
      store_id text PRIMARY KEY REFERENCES stores (id),
      zone_id text NOT NULL REFERENCES price_zones (id)
    );

    -- Append-only: a change is a new row, so the price in force at any past instant can be replayed.
    CREATE TABLE prices (
      id bigserial PRIMARY KEY,
      sku text NOT NULL REFERENCES products (sku),
      scope text NOT NULL CHECK (scope IN ('chain', 'zone', 'store')),
      scope_id text NOT NULL DEFAULT '',
      price_minor bigint NOT NULL CHECK (price_minor >= 0),
      effective_from timestamptz NOT NULL,
      effective_to timestamptz,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CHECK (effective_to IS NULL OR effective_to > effective_from),
      CHECK ((scope = 'chain') = (scope_id = ''))
    );
    CREATE INDEX prices_sku ON prices (sku, effective_from);

    -- A price row is a product change for the tills: the product's version moves.
    CREATE FUNCTION prices_touch_product() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE products SET updated_at = now() WHERE sku IN (SELECT DISTINCT sku FROM new_rows);
      RETURN NULL;
    END $$;
    CREATE TRIGGER prices_touch AFTER INSERT ON prices REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION prices_touch_product();

    -- The same touch as 0001's barcodes trigger, once per statement instead of once per row: an
    -- import writing 100,000 barcodes then runs one UPDATE, not 100,000.
    DROP TRIGGER barcodes_touch ON barcodes;
    CREATE FUNCTION barcodes_touch_products() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        UPDATE products SET updated_at = now() WHERE sku IN (SELECT DISTINCT sku FROM new_rows);
      ELSIF TG_OP = 'DELETE' THEN
        UPDATE products SET updated_at = now() WHERE sku IN (SELECT DISTINCT sku FROM old_rows);
      ELSE
        UPDATE products SET updated_at = now()
          WHERE sku IN (SELECT sku FROM new_rows UNION SELECT sku FROM old_rows);
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER barcodes_touch_insert AFTER INSERT ON barcodes REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION barcodes_touch_products();
    CREATE TRIGGER barcodes_touch_update AFTER UPDATE ON barcodes
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION barcodes_touch_products();
    CREATE TRIGGER barcodes_touch_delete AFTER DELETE ON barcodes REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION barcodes_touch_products();

    -- Promotions and tax jurisdictions as their pricing-engine JSON; a retired one stays, inactive.
    CREATE TABLE promotions (
      id text PRIMARY KEY,
      definition jsonb NOT NULL,
      active boolean NOT NULL DEFAULT true,
      version bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE tax_jurisdictions (
      id text PRIMARY KEY,
      definition jsonb NOT NULL,
      active boolean NOT NULL DEFAULT true,
      version bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TRIGGER promotions_version BEFORE INSERT OR UPDATE ON promotions
      FOR EACH ROW EXECUTE FUNCTION products_bump_version();
    CREATE TRIGGER tax_jurisdictions_version BEFORE INSERT OR UPDATE ON tax_jurisdictions
      FOR EACH ROW EXECUTE FUNCTION products_bump_version();
  `,
  down: `
    DROP TABLE tax_jurisdictions, promotions, prices, store_zones, price_zones, product_provenance;
    DROP FUNCTION prices_touch_product;
    DROP TRIGGER barcodes_touch_insert ON barcodes;
    DROP TRIGGER barcodes_touch_update ON barcodes;
    DROP TRIGGER barcodes_touch_delete ON barcodes;
    DROP FUNCTION barcodes_touch_products;
    CREATE TRIGGER barcodes_touch AFTER INSERT OR UPDATE OR DELETE ON barcodes
      FOR EACH ROW EXECUTE FUNCTION barcodes_touch_product();
    ALTER TABLE products DROP COLUMN parent_id, DROP COLUMN option_values, DROP COLUMN category_id,
      DROP COLUMN unit, DROP COLUMN pack_size, DROP COLUMN supplier, DROP COLUMN supplier_code,
      DROP COLUMN cost_minor, DROP COLUMN status, DROP COLUMN gift_card;
    DROP TABLE product_parents, categories;
  `,
};
