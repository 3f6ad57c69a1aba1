/** The catalog's HQ-only entry: the tables it owns in HQ's database. */

export { applyBulkPrices, BULK_PRICE_MAX, type BulkPriceInput, planBulkPrices } from './bulk-prices.ts';
export type { CalendarEvent } from './calendar.ts';
export {
  addCalendarEvents,
  CLOSED_TYPE,
  listCalendarEvents,
  replaceCalendarSource,
  SNAP_TYPE,
  setStoreRegions,
  storeCalendars,
  storeRegions,
} from './calendar.ts';
export * from './catalog-tables.ts';
export * from './categories.ts';
export { createCategory, listCategories, updateCategory } from './category-tree.ts';
export { catalogHqMigrations } from './migrations/index.ts';
export { quoteFromSnapshot } from './price-quote.ts';
export * from './price-schedule.ts';
export * from './prices.ts';
export { createProduct, setArchived, updateProduct } from './product-admin.ts';
export { listProducts, matchingSkus, productDetail, productFacets, productRows } from './product-list.ts';
export * from './products.ts';
export * from './promotion-facts.ts';
export * from './promotion-uses.ts';
export * from './promotion-versions.ts';
export * from './snapshot.ts';
export * from './store-setup.ts';
export * from './stores.ts';
export { createParent, listParents, listVariants, refuseExistingParent } from './variants.ts';
