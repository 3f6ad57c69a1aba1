import type { SchemaMigration } from '../../../db/index.ts';
import { hq0004Catalog } from './0004_catalog.ts';
import { hq0010CalendarSuppliers } from './0010_calendar_suppliers.ts';
import { hq0019PromotionVersions } from './0019_promotion_versions.ts';
import { hq0022StoreLocale } from './0022_store_locale.ts';
import { hq0023ProductTaxClass } from './0023_product_tax_class.ts';
import { hq0028PromotionUses } from './0028_promotion_uses.ts';
import { hq0033PromotionReturns } from './0033_promotion_returns.ts';

/**
 * The HQ tables the catalog owns: variants, pricebooks, promotions and tax (0004); calendar and suppliers
 * (0010); promotions' version history (0019); stores' locale (0022); products' tax class (0023);
 * promotion uses, their exceptions and the promotions panel's facts (0028); the sales and lines a return
 * takes off those facts (0033).
 */
export const catalogHqMigrations: readonly SchemaMigration[] = [
  hq0004Catalog,
  hq0010CalendarSuppliers,
  hq0019PromotionVersions,
  hq0022StoreLocale,
  hq0023ProductTaxClass,
  hq0028PromotionUses,
  hq0033PromotionReturns,
];
