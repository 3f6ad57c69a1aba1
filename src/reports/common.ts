import { type RawBuilder, sql } from 'kysely';
import type { Source } from '../contracts/index.ts';

/** Stores a query covers: a list, or every store (head office), which needs no filter at all. */
export type StoreSet = readonly string[] | 'all';

/** `column IN (…)` for a store set; an empty list matches nothing rather than everything. */
export function storeIn(column: string, stores: StoreSet): RawBuilder<boolean> {
  if (stores === 'all') return sql<boolean>`true`;
  if (stores.length === 0) return sql<boolean>`false`;
  return sql<boolean>`${sql.ref(column)} IN (${sql.join(stores)})`;
}

/** A product's category key, as the forecasts store it: its category id, else its category text. */
export const categoryKeySql = (alias: string): RawBuilder<string> =>
  sql<string>`coalesce(${sql.ref(`${alias}.category_id`)}, nullif(${sql.ref(`${alias}.category`)}, ''), 'uncategorised')`;

const DAY_MS = 86_400_000;

/** Calendar arithmetic on YYYY-MM-DD dates (UTC, so no daylight-saving surprises). */
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

export const describeStores = (stores: StoreSet): string =>
  stores === 'all'
    ? 'all stores'
    : stores.length === 1
      ? `store ${stores[0]}`
      : `stores ${stores.join(', ')}`;

export const source = (tables: string[], query: string, asOf: Date | string = new Date()): Source => ({
  tables,
  query,
  asOf: typeof asOf === 'string' ? asOf : asOf.toISOString(),
});

/** Numbers from SQL sums arrive as numbers or, for empty sums, null. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
