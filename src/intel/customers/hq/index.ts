/** Customer intelligence's HQ side: scores from HQ's own sales, stored per run, and their reads. */

export { type CustomerScore, customerScore } from './customer-score.ts';
export { customerScoresPlace } from './erasure-place.ts';
export { linesFromSales, loadCustomerSales, type SaleRow } from './hq-lines.ts';
export { customerIntelHqMigrations } from './migrations/index.ts';
export {
  CUSTOMERS_NIGHTLY_ENV,
  type CustomersNightlyHandle,
  DEFAULT_CUSTOMERS_NIGHTLY_AT,
  startNightlyCustomerScores,
} from './nightly.ts';
export * from './score-read.ts';
export * from './score-refresh.ts';
