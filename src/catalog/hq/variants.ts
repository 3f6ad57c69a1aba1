import { conflict, invalid, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { catalogDb } from './catalog-tables.ts';
import { upsertProductParent } from './categories.ts';
import { upsertProducts } from './products.ts';

/** Products with variants: a parent names its options (Colour, Size); each variant is a product. */

export interface VariantInput {
  sku: string;
  name?: string | undefined;
  options: Record<string, string>;
  priceMinor: number;
  taxRateBp: number;
  barcodes?: string[] | undefined;
  costMinor?: number | null | undefined;
}

export interface ParentInput {
  id: string;
  name: string;
  optionNames: string[];
  categoryId?: string | null | undefined;
  variants?: VariantInput[] | undefined;
}

export interface VariantView {
  sku: string;
  name: string;
  options: Record<string, string>;
  priceMinor: number;
  active: boolean;
  barcodes: string[];
}

export interface ParentView {
  id: string;
  name: string;
  optionNames: string[];
  variantCount: number;
}

const ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** Checks a parent and its variants before anything is written; every error names its field. */
export function checkParent(p: ParentInput): void {
  if (!ID.test(p.id)) throw invalid('id', 'letters, digits, ".", "-" and "_" (up to 64)');
  if (typeof p.name !== 'string' || p.name.trim() === '') throw invalid('name', 'a product needs a name');
  if (!Array.isArray(p.optionNames) || p.optionNames.length === 0)
    throw invalid('optionNames', 'name at least one option (Size, Colour)');
  const names = new Set<string>();
  p.optionNames.forEach((n, i) => {
    if (typeof n !== 'string' || n.trim() === '') throw invalid(`optionNames[${i}]`, 'is empty');
    if (names.has(n)) throw invalid(`optionNames[${i}]`, `"${n}" is listed twice`);
    names.add(n);
  });
  const combos = new Map<string, number>();
  (p.variants ?? []).forEach((v, i) => {
    const f = `variants[${i}]`;
    for (const n of p.optionNames)
      if (typeof v.options?.[n] !== 'string' || v.options[n]!.trim() === '')
        throw invalid(`${f}.options.${n}`, `variant ${v.sku} needs a value for ${n}`);
    for (const k of Object.keys(v.options))
      if (!names.has(k)) throw invalid(`${f}.options.${k}`, `${p.name} has no option ${k}`);
    const key = p.optionNames.map((n) => v.options[n]).join('\u0000');
    const first = combos.get(key);
    if (first !== undefined)
      throw invalid(
        `${f}.options`,
        `the same options as variants[${first}] (${p.optionNames.map((n) => v.options[n]).join(' / ')})`,
      );
    combos.set(key, i);
  });
}

/**
 * Creates (or updates) a parent with its variants in one transaction: a variant's name defaults to the
 * parent's with its option values ("Classic Tee Blue / M").
 */
export async function createParent(
  db: HqDb,
  p: ParentInput,
): Promise<{ parent: ParentView; variants: VariantView[] }> {
  checkParent(p);
  const run = async (trx: HqDb) => {
    if (p.categoryId) {
      const cat = await catalogDb(trx)
        .selectFrom('categories')
        .select('id')
        .where('id', '=', p.categoryId)
        .executeTakeFirst();
      if (!cat) throw notFound(`category ${p.categoryId}`, 'categoryId');
    }
    await upsertProductParent(trx, { id: p.id, name: p.name.trim(), optionNames: p.optionNames });
    const variants = p.variants ?? [];
    try {
      await upsertProducts(
        trx,
        variants.map((v) => ({
          sku: v.sku,
          name: v.name ?? `${p.name.trim()} ${p.optionNames.map((n) => v.options[n]).join(' / ')}`,
          priceMinor: v.priceMinor,
          taxRateBp: v.taxRateBp,
          barcodes: v.barcodes ?? [],
          parentId: p.id,
          options: v.options,
          ...(p.categoryId !== undefined ? { categoryId: p.categoryId } : {}),
          ...(v.costMinor !== undefined ? { costMinor: v.costMinor } : {}),
        })),
      );
    } catch (e) {
      // upsertProducts names fields as products.<i>.<field>; the caller sent them as variants[i].
      const field = (e as { field?: unknown }).field;
      if (typeof field === 'string' && field.startsWith('products.'))
        Object.assign(e as object, { field: field.replace(/^products\.(\d+)/, 'variants[$1]') });
      throw e;
    }
    return { parent: (await listParents(trx, p.id))[0]!, variants: await listVariants(trx, p.id) };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

export async function listParents(db: HqDb, id?: string): Promise<ParentView[]> {
  let q = catalogDb(db)
    .selectFrom('product_parents as pp')
    .leftJoin('products as p', 'p.parent_id', 'pp.id')
    .select(['pp.id', 'pp.name', 'pp.option_names', (eb) => eb.fn.count<number>('p.sku').as('n')])
    .groupBy(['pp.id', 'pp.name', 'pp.option_names'])
    .orderBy('pp.id');
  if (id !== undefined) q = q.where('pp.id', '=', id);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    optionNames: r.option_names,
    variantCount: Number(r.n),
  }));
}

/** The variants of a parent, by SKU, with their option values and price. */
export async function listVariants(db: HqDb, parentId: string): Promise<VariantView[]> {
  const cdb = catalogDb(db);
  const parent = await cdb
    .selectFrom('product_parents')
    .select('id')
    .where('id', '=', parentId)
    .executeTakeFirst();
  if (!parent) throw notFound(`product ${parentId}`, 'id');
  const rows = await cdb
    .selectFrom('products')
    .select(['sku', 'name', 'option_values', 'price_minor', 'active'])
    .where('parent_id', '=', parentId)
    .orderBy('sku')
    .execute();
  const codes = rows.length
    ? await cdb
        .selectFrom('barcodes')
        .select(['sku', 'code'])
        .where(
          'sku',
          'in',
          rows.map((r) => r.sku),
        )
        .orderBy('code')
        .execute()
    : [];
  return rows.map((r) => ({
    sku: r.sku,
    name: r.name,
    options: r.option_values,
    priceMinor: Number(r.price_minor),
    active: r.active,
    barcodes: codes.filter((c) => c.sku === r.sku).map((c) => c.code),
  }));
}

export const refuseExistingParent = async (db: HqDb, id: string): Promise<void> => {
  const row = await catalogDb(db)
    .selectFrom('product_parents')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (row) throw conflict(`product ${id} already exists`, 'id');
};
