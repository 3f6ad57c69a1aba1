import { type ColumnType, type Kysely, type RawBuilder, sql } from 'kysely';
import type { HqDb, HqSchema } from '../../db/index.ts';

/**
 * Kysely types of the tables migration 0002 adds or grows. Kept here, beside the module that owns
 * them, and joined onto HQ's schema with `withTables`, so other modules never see them.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Int8 = ColumnType<number, number | bigint | string, number | bigint | string>;
type Stamped<T> = ColumnType<T, T | undefined, T>;

export type StockLevelColumns = {
  reserved: Stamped<number>;
  in_transit_in: Stamped<number>;
  in_transit_out: Stamped<number>;
  avg_cost_minor: number | null;
  /** Set by a trigger on every write. */
  version: Stamped<number>;
  xid: ColumnType<string | null, never, never>;
};

// A type alias, not an interface: withTables needs an index-signature-compatible shape.
export type InventoryTables = {
  stock_on_hand: StockLevelColumns;
  inventory_applied: { event_id: string };
  inventory_movements: {
    event_id: string;
    line_no: number;
    store_id: string;
    sku: string;
    kind: string;
    on_hand: Int8;
    reserved: Int8;
    in_transit_in: Int8;
    in_transit_out: Int8;
    unit_cost_minor: Int8 | null;
    value_minor: Int8 | null;
    reason: string | null;
    ref: string | null;
    occurred_at: Timestamp;
    business_date: string;
  };
  inventory_reservations: {
    id: string;
    store_id: string;
    order_id: string | null;
    status: string;
    expires_at: Timestamp;
    created_at: Timestamp;
    closed_at: Timestamp | null;
  };
  inventory_reservation_lines: { reservation_id: string; sku: string; store_id: string; qty: Int8 };
  inventory_transfers: {
    id: string;
    from_store_id: string;
    to_store_id: string;
    closed: boolean;
    updated_at: Timestamp;
  };
  inventory_transfer_lines: { transfer_id: string; sku: string; shipped: Int8; received: Int8 };
  inventory_counts: {
    id: string;
    store_id: string;
    kind: string;
    freeze_at: Timestamp;
    posted_at: Timestamp;
    lines: number;
    shrink_value_minor: Int8;
    gain_value_minor: Int8;
  };
  inventory_exceptions: {
    id: string;
    store_id: string;
    sku: string;
    lowest_on_hand: Int8;
    events: Stamped<number>;
    raised_at: Timestamp;
    status: Stamped<string>;
    reviewed_at: Timestamp | null;
    note: string | null;
  };
  inventory_parked: {
    event_id: string;
    terminal_id: string;
    seq: Int8;
    store_id: string;
    reason: string;
    parked_at: Stamped<Date>;
  };
  inventory_count_valuations: {
    event_id: string;
    lines: ColumnType<ValuedCountLine[], string, string>;
    valued_at: Stamped<Date>;
  };
};

/** One line of a till count as HQ valued it (the shape of a posted count's line). */
export interface ValuedCountLine {
  sku: string;
  countedQty: number;
  expectedQty: number;
  variance: number;
  unitCostMinor: number;
}

export type InventoryDb = Kysely<HqSchema & InventoryTables>;

/** The same connection or transaction, typed with the inventory tables. */
export const inventoryDb = (db: HqDb): InventoryDb =>
  db.withTables<InventoryTables>() as unknown as InventoryDb;

/** Tables the ledger owns, emptied before a replay rebuilds them. */
export const INVENTORY_TABLES = [
  'stock_on_hand',
  'inventory_applied',
  'inventory_movements',
  'inventory_reservations',
  'inventory_reservation_lines',
  'inventory_transfers',
  'inventory_transfer_lines',
  'inventory_counts',
  'inventory_exceptions',
  // Parked till counts are re-derived by the replay; their valuations (not listed) are kept.
  'inventory_parked',
] as const;

/**
 * `(store_id, sku)` among the keys, as two array parameters: the SQL text stays the same size however
 * many keys there are (a long list of row literals crashes PGlite and bloats PostgreSQL's parse).
 */
export const keyIn = (keys: readonly { storeId: string; sku: string }[], prefix = ''): RawBuilder<boolean> =>
  sql<boolean>`(${sql.ref(`${prefix}store_id`)}, ${sql.ref(`${prefix}sku`)}) in (select * from unnest(${keys.map((k) => k.storeId)}::text[], ${keys.map((k) => k.sku)}::text[]))`;
