import type { SchemaMigration } from '../../../db/index.ts';

/**
 * What the pricing engine needs of a product: its category path, product groups and unit (JSON).
 *
 * Released (catalog.db step 3): this text is frozen (test/fixtures/migrations.sha256.json);
 * change the schema with a new migration.
 */
export const catalog0003ProductDetails: SchemaMigration = {
  id: '0003_product_details',
  up: `ALTER TABLE catalog_products ADD COLUMN details TEXT`,
};
