/** Forecasting's HQ-only entry: the tables it owns in HQ's database. */
export { forecastHqMigrations } from './migrations/index.ts';
