import type { SchemaMigration } from '../../../db/index.ts';

/**
 * The till's copy of its store's catalog (catalog.db), so a scan resolves with HQ unreachable: products,
 * their barcodes and the cache's own marks (cursor, store, last pull).
 *
 * Released (catalog.db step 1): this text is frozen (test/fixtures/migrations.sha256.json);
 * change the schema with a new migration.
 */
export const catalog0001CatalogCache: SchemaMigration = {
  id: '0001_catalog_cache',
  up: `
  CREATE TABLE catalog_products (
    sku          TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    barcodes     TEXT NOT NULL,
    price_minor  INTEGER NOT NULL,
    tax_rate_bp  INTEGER NOT NULL,
    active       INTEGER NOT NULL
  );
  CREATE TABLE catalog_barcodes (
    code  TEXT PRIMARY KEY,
    sku   TEXT NOT NULL
  );
  CREATE INDEX catalog_barcodes_sku ON catalog_barcodes (sku);
  CREATE TABLE catalog_meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
  );
  `,
};
