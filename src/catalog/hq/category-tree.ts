import { conflict, invalid, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { catalogDb } from './catalog-tables.ts';

/** The category tree as HQ's admin API serves and edits it: one category at a time, fields named. */
export interface CategoryNode {
  id: string;
  name: string;
  parentId: string | null;
  /** From the root down to this category. */
  path: string[];
  productCount: number;
}

const ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** Every category with its path from the root, in tree order (a parent before its children, by name). */
export async function listCategories(db: HqDb): Promise<CategoryNode[]> {
  const cdb = catalogDb(db);
  const rows = await cdb.selectFrom('categories').select(['id', 'name', 'parent_id']).execute();
  const counts = await cdb
    .selectFrom('products')
    .select(['category_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('category_id', 'is not', null)
    .groupBy('category_id')
    .execute();
  const count = new Map(counts.map((c) => [c.category_id, Number(c.n)]));
  const children = new Map<string | null, typeof rows>();
  for (const r of rows) {
    const list = children.get(r.parent_id) ?? [];
    list.push(r);
    children.set(r.parent_id, list);
  }
  const out: CategoryNode[] = [];
  const walk = (parent: string | null, path: string[]): void => {
    const kids = [...(children.get(parent) ?? [])].sort(
      (a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1),
    );
    for (const k of kids) {
      const p = [...path, k.id];
      out.push({
        id: k.id,
        name: k.name,
        parentId: k.parent_id,
        path: p,
        productCount: count.get(k.id) ?? 0,
      });
      walk(k.id, p);
    }
  };
  walk(null, []);
  return out;
}

async function checkParent(db: HqDb, id: string, parentId: string | null): Promise<void> {
  if (parentId === null) return;
  const cdb = catalogDb(db);
  // Walk up from the new parent: meeting the category itself would close a loop.
  let at: string | null = parentId;
  for (let depth = 0; at !== null; depth++) {
    if (at === id)
      throw conflict(`category ${id} cannot move inside itself or its own subcategory`, 'parentId');
    const row = await cdb
      .selectFrom('categories')
      .select('parent_id')
      .where('id', '=', at)
      .executeTakeFirst();
    if (!row) throw notFound(`category ${parentId}`, 'parentId');
    at = row.parent_id;
    if (depth > 64) throw invalid('parentId', 'the tree would be deeper than 64 levels');
  }
}

const checkName = (name: unknown): string => {
  if (typeof name !== 'string' || name.trim() === '') throw invalid('name', 'a category needs a name');
  if (name.length > 200) throw invalid('name', 'at most 200 characters');
  return name.trim();
};

export async function createCategory(
  db: HqDb,
  input: { id: string; name: string; parentId?: string | null | undefined },
): Promise<CategoryNode> {
  if (!ID.test(input.id)) throw invalid('id', 'letters, digits, ".", "-" and "_" (up to 64)');
  const name = checkName(input.name);
  const parentId = input.parentId ?? null;
  const cdb = catalogDb(db);
  if (await cdb.selectFrom('categories').select('id').where('id', '=', input.id).executeTakeFirst())
    throw conflict(`category ${input.id} already exists`, 'id');
  await checkParent(db, input.id, parentId);
  await cdb.insertInto('categories').values({ id: input.id, name, parent_id: parentId }).execute();
  return (await listCategories(db)).find((c) => c.id === input.id)!;
}

/** Renames a category and/or moves it under another parent (null: to the top); loops are refused. */
export async function updateCategory(
  db: HqDb,
  id: string,
  change: { name?: string | undefined; parentId?: string | null | undefined },
): Promise<CategoryNode> {
  const run = async (trx: HqDb): Promise<CategoryNode> => {
    const t = catalogDb(trx);
    const row = await t.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`category ${id}`, 'id');
    const set: { name?: string; parent_id?: string | null } = {};
    if (change.name !== undefined) set.name = checkName(change.name);
    if (change.parentId !== undefined) {
      await checkParent(trx, id, change.parentId);
      set.parent_id = change.parentId;
    }
    if (Object.keys(set).length === 0) throw invalid('name', 'give a new name or a parentId to move it');
    await t.updateTable('categories').set(set).where('id', '=', id).execute();
    return (await listCategories(trx)).find((c) => c.id === id)!;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
