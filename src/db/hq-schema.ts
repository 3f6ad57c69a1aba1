import type { ColumnType, Generated } from 'kysely';

/**
 * Kysely table types for HQ's PostgreSQL/PGlite database. int8 and numeric columns arrive as JS numbers
 * (see the type parsers in hq-db.ts): every count and amount here stays far below 2^53.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Int8 = ColumnType<number, number | bigint | string, number | bigint | string>;

export interface HqConfigTable {
  key: string;
  value: string;
}

export interface StoresTable {
  id: string;
  name: string;
  address: string;
  currency: string;
  time_zone: string;
  tax_inclusive: boolean;
  /** BCP 47; null: the time zone's usual locale (contracts/locale.ts). Migration 0022. */
  locale: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}

export interface ProductsTable {
  sku: string;
  name: string;
  category: Generated<string>;
  price_minor: Int8;
  tax_rate_bp: number;
  active: Generated<boolean>;
  /** Set from catalog_version_seq by a trigger on every insert and update: the catalog cursor. */
  version: Generated<number>;
  updated_at: Generated<Date>;
}

export interface BarcodesTable {
  code: string;
  sku: string;
}

export interface TerminalsTable {
  id: string;
  /** Null only for the synthetic `hq` source, whose events span every store. */
  store_id: string | null;
  name: string | null;
  /** sha256 hex of the bearer token; null for `hq`, which cannot authenticate. */
  token_hash: string | null;
  enrolled_at: Generated<Date>;
  last_seen_at: Timestamp | null;
  held_up_to: ColumnType<number, number | undefined, number>;
  max_seq: ColumnType<number, number | undefined, number>;
  outbox_pending: number | null;
  outbox_oldest_age_s: number | null;
  outbox_reported_at: Timestamp | null;
}

export interface EventsTable {
  id: string;
  terminal_id: string;
  seq: Int8;
  store_id: string;
  type: string;
  schema_version: number;
  business_date: string;
  occurred_at: Timestamp;
  received_at: Generated<Date>;
  payload: ColumnType<Record<string, unknown>, string, string>;
}

export interface StockOnHandTable {
  store_id: string;
  sku: string;
  qty: Int8;
  updated_at: Generated<Date>;
}

export interface SalesDailyTable {
  business_date: string;
  store_id: string;
  sku: string;
  qty: Int8;
  net_minor: Int8;
  tax_minor: Int8;
  gross_minor: Int8;
  lines: Int8;
}

/** A forecast refresh (migration 0007): what trained it, on which window, and how well it backtested. */
export interface ForecastRunsTable {
  id: string;
  model_version: string;
  trained_from: string | null;
  trained_to: string | null;
  horizon_days: number;
  series: ColumnType<number, number | undefined, number>;
  status: 'running' | 'done' | 'failed';
  started_at: Generated<Date>;
  finished_at: Timestamp | null;
  backtest: ColumnType<Record<string, unknown>, string | undefined, string>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
}

export type ForecastLevel = 'sku' | 'category' | 'store' | 'chain';

export interface ForecastSeriesTable {
  run_id: string;
  level: ForecastLevel;
  store_id: string;
  key: string;
  model: string;
  backtest_mae: number | null;
  backtest_bias: number | null;
  history_days: number;
}

export interface ForecastDaysTable {
  run_id: string;
  level: ForecastLevel;
  store_id: string;
  key: string;
  date: string;
  mean: number;
  p10: number;
  p50: number;
  p90: number;
}

export interface HqSchema {
  hq_config: HqConfigTable;
  stores: StoresTable;
  products: ProductsTable;
  barcodes: BarcodesTable;
  terminals: TerminalsTable;
  events: EventsTable;
  stock_on_hand: StockOnHandTable;
  sales_daily: SalesDailyTable;
  forecast_runs: ForecastRunsTable;
  forecast_series: ForecastSeriesTable;
  forecast_days: ForecastDaysTable;
}
