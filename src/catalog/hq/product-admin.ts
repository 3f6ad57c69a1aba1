import type { ProductCreate, ProductPatch, ProductRow } from '../../contracts/index.ts';
import { conflict, invalid, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { catalogDb } from './catalog-tables.ts';
import { productRows } from './product-list.ts';
import { normalizeIdentifier, type ProductInput, upsertProducts } from './products.ts';

/**
 * Creating and editing one product from the back office. Every check names the field as the form
 * shows it (`barcodes.1`, `options.Size`), and a barcode or SKU that is taken names its owner, so the
 * user knows which product to look at. Writes go through `upsertProducts`, which moves the product's
 * catalog version: tills receive the change with their next pull.
 */

const inTransaction = <T>(db: HqDb, run: (trx: HqDb) => Promise<T>): Promise<T> =>
  db.isTransaction ? run(db) : db.transaction().execute(run);

/** The barcodes in normal form; one held by another product is a 409 naming that product. */
async function checkBarcodes(db: HqDb, sku: string, codes: readonly string[]): Promise<string[]> {
  const normal = codes.map((c, i) => normalizeIdentifier(c, `barcodes.${i}`));
  normal.forEach((c, i) => {
    const first = normal.indexOf(c);
    if (first !== i) throw invalid(`barcodes.${i}`, `"${c}" is listed twice (as barcodes.${first} too)`);
  });
  if (normal.length === 0) return normal;
  const taken = await catalogDb(db)
    .selectFrom('barcodes')
    .innerJoin('products', 'products.sku', 'barcodes.sku')
    .select(['barcodes.code', 'barcodes.sku', 'products.name'])
    .where('barcodes.code', 'in', normal)
    .where('barcodes.sku', '!=', sku)
    .execute();
  const hit = taken[0];
  if (hit) {
    const i = normal.indexOf(hit.code);
    throw conflict(`barcodes.${i}: ${hit.code} already belongs to ${hit.sku} (${hit.name})`, `barcodes.${i}`);
  }
  return normal;
}

/** A category given by id must exist; its name becomes the product's reporting category unless one is given. */
async function categoryName(db: HqDb, id: string | null | undefined): Promise<string | undefined> {
  if (!id) return undefined;
  const row = await catalogDb(db)
    .selectFrom('categories')
    .select('name')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`category ${id}`, 'categoryId');
  return row.name;
}

/** A variant names an existing parent and gives a value for each of its options, and no others. */
async function checkVariant(
  db: HqDb,
  parentId: string | null | undefined,
  options: Record<string, string> | undefined,
): Promise<void> {
  if (!parentId) return;
  const parent = await catalogDb(db)
    .selectFrom('product_parents')
    .select(['id', 'name', 'option_names'])
    .where('id', '=', parentId)
    .executeTakeFirst();
  if (!parent) throw notFound(`product ${parentId} (a parent with options)`, 'parentId');
  const given = options ?? {};
  for (const n of parent.option_names)
    if (!given[n]?.trim())
      throw invalid(`options.${n}`, `a variant of ${parent.name} needs a value for ${n}`);
  for (const k of Object.keys(given))
    if (!parent.option_names.includes(k)) throw invalid(`options.${k}`, `${parent.name} has no option ${k}`);
}

/** upsertProducts names fields `products.0.…`; the form knows them without the prefix. */
async function upsertOne(db: HqDb, input: ProductInput): Promise<void> {
  try {
    await upsertProducts(db, [input]);
  } catch (e) {
    const field = (e as { field?: unknown }).field;
    if (typeof field === 'string' && field.startsWith('products.0.'))
      Object.assign(e as object, { field: field.slice('products.0.'.length) });
    throw e;
  }
}

const details = (p: ProductPatch): Partial<ProductInput> => {
  const out: Partial<ProductInput> = {};
  for (const k of [
    'categoryId',
    'unit',
    'packSize',
    'supplier',
    'supplierCode',
    'costMinor',
    'taxClass',
    'parentId',
    'options',
  ] as const)
    if (p[k] !== undefined) Object.assign(out, { [k]: p[k] });
  return out;
};

export async function createProduct(db: HqDb, p: ProductCreate): Promise<ProductRow> {
  return inTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('products')
      .select(['sku', 'name'])
      .where('sku', '=', p.sku)
      .executeTakeFirst();
    if (existing) throw conflict(`sku: ${p.sku} already exists (${existing.name})`, 'sku');
    const barcodes = await checkBarcodes(trx, p.sku, p.barcodes ?? []);
    const catName = await categoryName(trx, p.categoryId);
    await checkVariant(trx, p.parentId, p.options);
    await upsertOne(trx, {
      sku: p.sku,
      name: p.name,
      category: p.category ?? catName ?? '',
      priceMinor: p.priceMinor,
      taxRateBp: p.taxRateBp,
      barcodes,
      status: 'active',
      ...details(p),
    });
    return (await productRows(trx, [p.sku]))[0]!;
  });
}

/** Changes the fields given; a barcodes list replaces the product's barcodes (removed ones leave the tills). */
export async function updateProduct(
  db: HqDb,
  sku: string,
  p: ProductPatch,
): Promise<{ before: ProductRow; after: ProductRow }> {
  return inTransaction(db, async (trx) => {
    const [before] = await productRows(trx, [sku]);
    if (!before) throw notFound(`product ${sku}`, 'sku');
    const barcodes = p.barcodes === undefined ? before.barcodes : await checkBarcodes(trx, sku, p.barcodes);
    const catName = await categoryName(trx, p.categoryId);
    const parentId = p.parentId === undefined ? before.parentId : p.parentId;
    if (p.parentId !== undefined || p.options !== undefined)
      await checkVariant(trx, parentId, p.options ?? before.options);
    const current = await trx
      .selectFrom('products')
      .select(['price_minor', 'active'])
      .where('sku', '=', sku)
      .executeTakeFirstOrThrow();
    await upsertOne(trx, {
      sku,
      name: p.name ?? before.name,
      category: p.category ?? catName ?? before.category,
      priceMinor: Number(current.price_minor),
      taxRateBp: p.taxRateBp ?? before.taxRateBp,
      active: current.active,
      barcodes,
      ...details(p),
      // Leaving a parent leaves its options behind.
      ...(p.parentId === null ? { options: {} } : {}),
    });
    const dropped = before.barcodes.filter((c) => !barcodes.includes(c));
    if (dropped.length > 0)
      await trx.deleteFrom('barcodes').where('sku', '=', sku).where('code', 'in', dropped).execute();
    return { before, after: (await productRows(trx, [sku]))[0]! };
  });
}

/**
 * Archive (discontinued, off sale at every till) or restore (active, on sale again). The price and
 * barcodes stay, so a restored product sells as before.
 */
export async function setArchived(
  db: HqDb,
  sku: string,
  archived: boolean,
): Promise<{ before: ProductRow; after: ProductRow }> {
  return inTransaction(db, async (trx) => {
    const [before] = await productRows(trx, [sku]);
    if (!before) throw notFound(`product ${sku}`, 'sku');
    await catalogDb(trx)
      .updateTable('products')
      .set({ status: archived ? 'discontinued' : 'active', active: !archived })
      .where('sku', '=', sku)
      .execute();
    return { before, after: (await productRows(trx, [sku]))[0]! };
  });
}
