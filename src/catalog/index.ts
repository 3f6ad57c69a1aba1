export * from './gtin.ts';
export type { ImportPlan } from './import/consolidate.ts';
export type { ImportKind, ReadResult } from './import/index.ts';
export {
  applyPlan,
  consolidate,
  emptyCatalog,
  formatSummary,
  loadExistingCatalog,
  readExport,
} from './import/index.ts';
export * from './price-change.ts';
export * from './pricebook.ts';
export { addSuppliers, listSuppliers, setSupplier } from './suppliers.ts';
