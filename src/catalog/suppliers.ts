import type { Generated, Kysely } from 'kysely';
import { invalid, notFound } from '../core/index.ts';
import type { HqDb, HqSchema } from '../db/index.ts';

/**
 * Suppliers and their ordering terms (migration 0010). The id is what a product's `supplier` holds, so
 * replenishment finds an item's lead time, review period and minimum order line through it.
 */
export type SupplierTables = {
  suppliers: {
    id: string;
    name: string;
    lead_days: number;
    review_days: number | null;
    min_order: number | null;
    updated_at: Generated<Date>;
  };
};

export type SuppliersDb = Kysely<HqSchema & SupplierTables>;
export const suppliersDb = (db: HqDb): SuppliersDb => db.withTables<SupplierTables>();

export interface Supplier {
  id: string;
  name: string;
  /** Days from placing an order to having the goods on the shelf. */
  leadDays: number;
  /** Days between orders; undefined = reviewed daily. */
  reviewDays?: number;
  /** Fewest units on an order line; undefined = no minimum. */
  minOrder?: number;
}

type Terms = Partial<Omit<Supplier, 'id'>>;

/** What `set` changes; `null` clears review days (back to daily) or the minimum order. */
export interface SupplierChange {
  name?: string;
  leadDays?: number;
  reviewDays?: number | null;
  minOrder?: number | null;
}

function checkTerms(s: Terms): void {
  const whole = (v: number | undefined, field: string, min: number): void => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min))
      throw invalid(field, `expected a whole number ≥ ${min}, got ${v}`);
  };
  whole(s.leadDays, '--lead-days', 0);
  whole(s.reviewDays, '--review-days', 1);
  whole(s.minOrder, '--min-order', 0);
  if (s.name !== undefined && !s.name.trim()) throw invalid('--name', 'a supplier needs a name');
}

const toRow = (s: Supplier) => ({
  id: s.id,
  name: s.name.trim(),
  lead_days: s.leadDays,
  review_days: s.reviewDays ?? null,
  min_order: s.minOrder ?? null,
});

/**
 * Adds suppliers. `keepExisting` leaves a supplier already there as it is (an import must not undo
 * terms set by hand); otherwise adding one that exists is refused.
 */
export async function addSuppliers(
  db: HqDb,
  suppliers: readonly Supplier[],
  o: { keepExisting?: boolean } = {},
): Promise<number> {
  if (suppliers.length === 0) return 0;
  for (const s of suppliers) {
    if (!s.id.trim()) throw invalid('id', 'a supplier needs an id');
    checkTerms(s);
  }
  const q = suppliersDb(db).insertInto('suppliers').values(suppliers.map(toRow));
  if (o.keepExisting) {
    const r = await q.onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  const existing = await suppliersDb(db)
    .selectFrom('suppliers')
    .select('id')
    .where(
      'id',
      'in',
      suppliers.map((s) => s.id),
    )
    .execute();
  if (existing.length > 0)
    throw invalid('id', `supplier ${existing.map((e) => e.id).join(', ')} exists; change it with set`);
  await q.execute();
  return suppliers.length;
}

/** Changes the given terms of a supplier. */
export async function setSupplier(db: HqDb, id: string, change: SupplierChange): Promise<Supplier> {
  checkTerms({
    ...change,
    reviewDays: change.reviewDays ?? undefined,
    minOrder: change.minOrder ?? undefined,
  });
  const set = {
    ...(change.name !== undefined ? { name: change.name.trim() } : {}),
    ...(change.leadDays !== undefined ? { lead_days: change.leadDays } : {}),
    ...(change.reviewDays !== undefined ? { review_days: change.reviewDays } : {}),
    ...(change.minOrder !== undefined ? { min_order: change.minOrder } : {}),
  };
  if (Object.keys(set).length === 0) throw invalid('set', 'nothing to change');
  const r = await suppliersDb(db)
    .updateTable('suppliers')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!r) throw notFound(`supplier ${id}`, 'supplier');
  return fromRow(r);
}

const fromRow = (r: {
  id: string;
  name: string;
  lead_days: number;
  review_days: number | null;
  min_order: number | null;
}): Supplier => ({
  id: r.id,
  name: r.name,
  leadDays: r.lead_days,
  ...(r.review_days !== null ? { reviewDays: r.review_days } : {}),
  ...(r.min_order !== null ? { minOrder: r.min_order } : {}),
});

/** Every supplier, by id; with `ids`, only those. */
export async function listSuppliers(db: HqDb, ids?: readonly string[]): Promise<Supplier[]> {
  if (ids?.length === 0) return [];
  let q = suppliersDb(db)
    .selectFrom('suppliers')
    .select(['id', 'name', 'lead_days', 'review_days', 'min_order'])
    .orderBy('id');
  if (ids) q = q.where('id', 'in', [...ids]);
  return (await q.execute()).map(fromRow);
}
