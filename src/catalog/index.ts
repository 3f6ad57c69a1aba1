export * from './gtin.ts';
export type { ImportPlan } from './import/consolidate.ts';
export type {
  FieldChange,
  ImportKind,
  ReadResult,
  TaxClassPolicy,
  UpdatableField,
} from './import/index.ts';
export {
  applyPlan,
  catalogFingerprint,
  classRates,
  consolidate,
  emptyCatalog,
  formatSummary,
  loadExistingCatalog,
  parseTaxClassMap,
  parseUpdateFields,
  readExport,
  readExportText,
  singleClassPolicy,
  UPDATABLE_FIELDS,
} from './import/index.ts';
export * from './price-change.ts';
export * from './pricebook.ts';
export { addSuppliers, listSuppliers, setSupplier } from './suppliers.ts';
