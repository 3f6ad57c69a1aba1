import { orderMigrations, type SchemaMigration } from '../../../db/index.ts';
import { catalog0001CatalogCache } from './0001_catalog_cache.ts';
import { catalog0002CatalogPrices } from './0002_catalog_prices.ts';
import { catalog0003ProductDetails } from './0003_product_details.ts';
import { catalog0004TillUsers } from './0004_till_users.ts';

/** catalog.db, in order: sync owns every table in it, so its list lives here rather than in apps. */
export const catalogCacheMigrations: readonly SchemaMigration[] = orderMigrations('catalog.db', [
  [catalog0001CatalogCache, catalog0002CatalogPrices, catalog0003ProductDetails, catalog0004TillUsers],
]);
