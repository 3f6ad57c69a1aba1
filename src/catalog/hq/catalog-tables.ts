import type { ColumnType, Generated, Kysely } from 'kysely';
import type { HqDb, HqSchema } from '../../db/index.ts';

/**
 * Kysely types of the tables migration 0004_catalog adds, kept in the catalog module (which owns
 * them) and joined to HQ's schema with `catalogDb(db)`.
 */
type Int8 = ColumnType<number, number | bigint | string, number | bigint | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type UnitOfMeasure = 'each' | 'kg' | 'l' | 'pack';
export type ProductStatus = 'active' | 'discontinued';

export interface ProductCatalogColumns {
  parent_id: string | null;
  option_values: ColumnType<Record<string, string>, string | undefined, string>;
  category_id: string | null;
  unit: ColumnType<UnitOfMeasure, UnitOfMeasure | undefined, UnitOfMeasure>;
  pack_size: number | null;
  supplier: string | null;
  supplier_code: string | null;
  cost_minor: ColumnType<number | null, number | null | undefined, number | null>;
  status: ColumnType<ProductStatus, ProductStatus | undefined, ProductStatus>;
  /** Migration 0023; null: classed by category or by its own rate. */
  tax_class: ColumnType<string | null, string | null | undefined, string | null>;
  gift_card: Generated<boolean>;
}

export type CatalogTables = {
  products: ProductCatalogColumns;
  categories: { id: string; name: string; parent_id: string | null };
  product_parents: { id: string; name: string; option_names: Json<string[]> };
  product_provenance: {
    source: string;
    legacy_id: string;
    sku: string;
    file: string;
    row_number: number | null;
    imported_at: Generated<Date>;
  };
  price_zones: { id: string; name: string };
  store_zones: { store_id: string; zone_id: string };
  prices: {
    id: Generated<number>;
    sku: string;
    scope: 'chain' | 'zone' | 'store';
    scope_id: string;
    price_minor: Int8;
    effective_from: Timestamp;
    effective_to: Timestamp | null;
    recorded_at: Generated<Date>;
  };
  promotions: {
    id: string;
    definition: Json<Record<string, unknown>>;
    active: boolean;
    version: Generated<number>;
    updated_at: Generated<Date>;
  };
  promotion_versions: {
    promotion_id: string;
    version: Int8;
    definition: Record<string, unknown>;
    active: boolean;
    changed_at: Timestamp;
    changed_by: string;
  };
  tax_jurisdictions: {
    id: string;
    definition: Json<Record<string, unknown>>;
    active: boolean;
    version: Generated<number>;
    updated_at: Generated<Date>;
  };
};

export type CatalogDb = Kysely<HqSchema & CatalogTables>;

/** HQ's database seen with the catalog's own tables and columns. */
export const catalogDb = (db: HqDb): CatalogDb => db.withTables<CatalogTables>();
