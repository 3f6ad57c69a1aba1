import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Pricebook entries in force and scheduled (see src/catalog/pricebook.ts), instants in ISO UTC.
 *
 * Released (catalog.db step 2): this text is frozen (test/fixtures/migrations.sha256.json);
 * change the schema with a new migration.
 */
export const catalog0002CatalogPrices: SchemaMigration = {
  id: '0002_catalog_prices',
  up: `
  CREATE TABLE catalog_prices (
    id              INTEGER PRIMARY KEY,
    sku             TEXT NOT NULL,
    scope           TEXT NOT NULL,
    scope_id        TEXT NOT NULL,
    price_minor     INTEGER NOT NULL,
    effective_from  TEXT NOT NULL,
    effective_to    TEXT
  );
  CREATE INDEX catalog_prices_sku ON catalog_prices (sku);
  `,
};
