import type { SchemaMigration } from '../../../db/index.ts';

/**
 * A product's tax class ("standard", "reduced", "exempt", or any class a jurisdiction defines): what
 * the tax engine charges it at wherever the store's jurisdiction has that class. Null for products
 * made before it, which keep being classed by category or by their own rate (pricing/store-pricing.ts).
 */
export const hq0023ProductTaxClass: SchemaMigration = {
  id: '0023_product_tax_class',
  up: `ALTER TABLE products ADD COLUMN tax_class text;`,
  down: `ALTER TABLE products DROP COLUMN tax_class;`,
};
