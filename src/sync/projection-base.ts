import { type RawBuilder, sql } from 'kysely';
import type { HqDb } from '../db/index.ts';

/**
 * Sales facts that did not come from the event log (`tally import m5`, the demo's seeded past) cannot
 * be replayed, so each projection row carries them in base_* columns beside its totals (migration 0011):
 * totals = base + what the log added. A rebuild resets rows to their base and replays the log on top;
 * an import writes its rows with addWithBase and, when re-run, first takes its old base out. Columns
 * rather than a separate table: a store-day can hold both imported and live sales in one row, and the
 * readers of these tables need not change.
 */
export const BASE_COLUMNS = {
  sales_daily: ['qty', 'net_minor', 'tax_minor', 'gross_minor', 'lines'],
  sales_hourly: ['transactions', 'units', 'net_minor', 'gross_minor', 'cost_minor', 'costed_net_minor'],
} as const;

export type BaseTable = keyof typeof BASE_COLUMNS;

const KEYS: Record<BaseTable, string[]> = {
  sales_daily: ['business_date', 'store_id', 'sku'],
  sales_hourly: ['business_date', 'store_id', 'hour'],
};

const ref = (c: string) => sql.ref(c);
const base = (c: string) => sql.ref(`base_${c}`);
const all = (parts: RawBuilder<unknown>[]) => sql.join(parts, sql` AND `);
const any = (parts: RawBuilder<unknown>[]) => sql.join(parts, sql` OR `);

/** For a rebuild: rows with no base go, the others go back to their base, before the log is replayed. */
export async function resetToBase(trx: HqDb, table: BaseTable): Promise<void> {
  const cols = BASE_COLUMNS[table];
  await sql`DELETE FROM ${sql.table(table)} WHERE ${all(cols.map((c) => sql`${base(c)} = 0`))}`.execute(trx);
  await sql`UPDATE ${sql.table(table)} SET ${sql.join(cols.map((c) => sql`${ref(c)} = ${base(c)}`))}
    WHERE ${any(cols.map((c) => sql`${ref(c)} <> ${base(c)}`))}`.execute(trx);
}

/**
 * For an import that replaces its earlier rows: takes the base of the rows matching `where` out of their
 * totals, leaving what the log added, and deletes rows left all zero (nothing from the log either).
 */
export async function takeOutBase(trx: HqDb, table: BaseTable, where: RawBuilder<unknown>): Promise<void> {
  const cols = BASE_COLUMNS[table];
  await sql`UPDATE ${sql.table(table)}
    SET ${sql.join(cols.flatMap((c) => [sql`${ref(c)} = ${ref(c)} - ${base(c)}`, sql`${base(c)} = 0`]))}
    WHERE (${where}) AND (${any(cols.map((c) => sql`${base(c)} <> 0`))})`.execute(trx);
  await sql`DELETE FROM ${sql.table(table)}
    WHERE (${where}) AND ${all(cols.map((c) => sql`${ref(c)} = 0`))}`.execute(trx);
}

/** The columns an import inserts into: the totals, then the same values again as base. */
export const baseTargets = (table: BaseTable): RawBuilder<unknown> =>
  sql.join([...KEYS[table], ...BASE_COLUMNS[table], ...BASE_COLUMNS[table].map((c) => `base_${c}`)].map(ref));

/** ON CONFLICT clause for an import's insert: adds the new totals and base to a row already there. */
export function addWithBase(table: BaseTable): RawBuilder<unknown> {
  const t = sql.table(table);
  const set = BASE_COLUMNS[table].flatMap((c) => [
    sql`${ref(c)} = ${t}.${ref(c)} + excluded.${ref(c)}`,
    sql`${base(c)} = ${t}.${base(c)} + excluded.${base(c)}`,
  ]);
  return sql`ON CONFLICT (${sql.join(KEYS[table].map(ref))}) DO UPDATE SET ${sql.join(set)}`;
}

/**
 * ON CONFLICT's SET for a projection's live upsert (events, not an import): every total adds the new
 * row's value to the one stored; the base columns stay as they are.
 */
export const addToTotals = <T extends BaseTable>(
  table: T,
): Record<(typeof BASE_COLUMNS)[T][number], RawBuilder<number>> =>
  Object.fromEntries(
    BASE_COLUMNS[table].map((c) => [c, sql<number>`${sql.table(table)}.${ref(c)} + excluded.${ref(c)}`]),
  ) as Record<(typeof BASE_COLUMNS)[T][number], RawBuilder<number>>;
