export type { Role, SessionUser } from './access.ts';
export { meResponse, ROLES, role, SESSION_COOKIE, signInBody, signOutResponse } from './access.ts';
export type { ErrorBody } from './api.ts';
export { errorBody } from './api.ts';
export type {
  AtRiskRow,
  BriefingAction,
  CashDifference,
  DeadStockRow,
  DrillLevel,
  DrillQuery,
  DrillResponse,
  DrillRow,
  ForecastResponse,
  InventoryResponse,
  Named,
  NegativeRow,
  PaceFigures,
  PaceResponse,
  PaceTotals,
  ScopeResponse,
  SeriesLevel,
  SlowMoverRow,
  Source,
  TillsResponse,
  TillTerminal,
} from './dashboard.ts';
export {
  briefingResponse,
  DASHBOARD_PATHS,
  draftDetail,
  draftStatus,
  draftSummary,
  drillQuery,
  drillResponse,
  forecastQuery,
  forecastResponse,
  inventoryResponse,
  paceQuery,
  paceResponse,
  scopeResponse,
  storeQuery,
  tillsResponse,
} from './dashboard.ts';
export type { ShiftReport, SyncStatus } from './register.ts';
export {
  balanceSchema,
  cartSchema,
  customerSchema,
  exchangeResultSchema,
  giftCardResultSchema,
  itemSchema,
  managerSchema,
  parkedCartSchema,
  parkedCartSummarySchema,
  returnableSaleSchema,
  returnResultSchema,
  saleResultSchema,
  shiftClosedResultSchema,
  shiftReportSchema,
  shiftSchema,
  syncStatusSchema,
  terminalInfoSchema,
} from './register.ts';
// The sale nouns the ledger's events are built from (src/sales/events.ts adds the money handles).
export * from './register-sale.ts';
export type {
  CatalogProduct,
  CatalogSnapshot,
  EnrollResponse,
  IngestBatch,
  IngestResult,
  SeqRange,
  StoreInfo,
} from './wire.ts';
export {
  API_PREFIX,
  catalogSnapshotSchema,
  enrollRequestSchema,
  enrollResponseSchema,
  ingestBatchSchema,
  ingestResultSchema,
  priceEntrySchema,
  seqRangeSchema,
  storeInfoSchema,
} from './wire.ts';
