import { conflict, invalid, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { catalogDb } from './catalog-tables.ts';

export interface CategoryInput {
  id: string;
  name: string;
  parentId?: string | null;
}

/**
 * Creates or renames categories, and moves them in the tree. A parent must exist (or come earlier in
 * the same call), and a move that would make a category its own ancestor is refused.
 */
export async function upsertCategories(db: HqDb, inputs: readonly CategoryInput[]): Promise<number> {
  const run = async (trx: HqDb): Promise<number> => {
    const cdb = catalogDb(trx);
    for (const [i, c] of inputs.entries()) {
      if (c.id.trim() === '') throw invalid(`categories.${i}.id`, 'is required');
      if (c.name.trim() === '') throw invalid(`categories.${i}.name`, 'is required');
      const parent = c.parentId ?? null;
      if (parent !== null) {
        // Walk up from the new parent: meeting the category itself would close a loop.
        let at: string | null = parent;
        for (let depth = 0; at !== null; depth++) {
          if (at === c.id)
            throw conflict(`category ${c.id} cannot be inside itself`, `categories.${i}.parentId`);
          const row = await cdb
            .selectFrom('categories')
            .select('parent_id')
            .where('id', '=', at)
            .executeTakeFirst();
          if (!row) {
            if (at === parent) throw notFound(`category ${parent}`, `categories.${i}.parentId`);
            break;
          }
          at = row.parent_id;
          if (depth > 64) throw invalid(`categories.${i}.parentId`, 'the tree is deeper than 64 levels');
        }
      }
      await cdb
        .insertInto('categories')
        .values({ id: c.id, name: c.name, parent_id: parent })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: c.name, parent_id: parent }))
        .execute();
    }
    return inputs.length;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** A category and its ancestors, nearest first: what cart lines carry for category promotions. */
export async function categoryPath(db: HqDb, id: string): Promise<string[]> {
  const cdb = catalogDb(db);
  const path: string[] = [];
  for (let at: string | null = id; at !== null && path.length <= 64; ) {
    const row = await cdb
      .selectFrom('categories')
      .select(['id', 'parent_id'])
      .where('id', '=', at)
      .executeTakeFirst();
    if (!row) break;
    path.push(row.id);
    at = row.parent_id;
  }
  return path;
}

/** Every category's path (itself, then its ancestors), from one read of the tree, memoised per id. */
export async function categoryPaths(db: HqDb): Promise<(id: string) => string[]> {
  const rows = await catalogDb(db).selectFrom('categories').select(['id', 'parent_id']).execute();
  const parent = new Map(rows.map((r) => [r.id, r.parent_id]));
  const memo = new Map<string, string[]>();
  const path = (id: string): string[] => {
    const hit = memo.get(id);
    if (hit) return hit;
    const out: string[] = [];
    for (let at: string | null | undefined = id; at != null && out.length <= 64; at = parent.get(at)) {
      if (!parent.has(at)) break;
      out.push(at);
    }
    memo.set(id, out);
    return out;
  };
  return path;
}

/** Declares a product with variants: its name and the names of its options (Size, Colour). */
export async function upsertProductParent(
  db: HqDb,
  parent: { id: string; name: string; optionNames: readonly string[] },
): Promise<void> {
  if (parent.id.trim() === '') throw invalid('id', 'is required');
  await catalogDb(db)
    .insertInto('product_parents')
    .values({ id: parent.id, name: parent.name, option_names: JSON.stringify(parent.optionNames) })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ name: parent.name, option_names: JSON.stringify(parent.optionNames) }),
    )
    .execute();
}
