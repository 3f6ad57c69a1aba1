import { sql } from 'kysely';
import type { ProductDetail, ProductFacets, ProductListQuery, ProductRow } from '../../contracts/index.ts';
import { notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { catalogDb } from './catalog-tables.ts';
import { activeTaxJurisdictions } from './prices.ts';
import { listVariants } from './variants.ts';

/**
 * The back office's product list: search (every word of `q` in the SKU, a barcode or the name, in any
 * order, ignoring case), filters, paging, and one product with its variants. Prices shown are the
 * chain's price in force now, so a bulk change at chain scope shows once it starts.
 */

export type ProductFilter = Omit<ProductListQuery, 'limit' | 'offset'>;

const productsQuery = (db: HqDb) => catalogDb(db).selectFrom('products');
type ProductsQuery = ReturnType<typeof productsQuery>;

/** `%` and `_` typed by a user are letters, not wildcards. */
const likeText = (word: string): string => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const searchWords = (q: string | undefined): string[] =>
  (q ?? '')
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '')
    .slice(0, 8);

function filtered(db: HqDb, f: ProductFilter): ProductsQuery {
  let q: ProductsQuery = productsQuery(db);
  for (const word of searchWords(f.q)) {
    const like = likeText(word);
    q = q.where((eb) =>
      eb.or([
        eb('products.sku', 'ilike', like),
        eb('products.name', 'ilike', like),
        eb.exists(
          eb
            .selectFrom('barcodes')
            .select('barcodes.code')
            .whereRef('barcodes.sku', '=', 'products.sku')
            .where('barcodes.code', 'like', like),
        ),
      ]),
    );
  }
  const category = f.category;
  if (category)
    // A tree id or a category name: legacy products carry the name only.
    q = q.where((eb) =>
      eb.or([
        eb('products.category_id', '=', category),
        eb('products.category', '=', category),
        eb(
          'products.category',
          'in',
          eb.selectFrom('categories').select('categories.name').where('categories.id', '=', category),
        ),
      ]),
    );
  if (f.status) q = q.where('products.status', '=', f.status);
  if (f.supplier) q = q.where('products.supplier', '=', f.supplier);
  if (f.taxClass)
    q =
      f.taxClass === 'none'
        ? q.where('products.tax_class', 'is', null)
        : q.where('products.tax_class', '=', f.taxClass);
  return q;
}

/** The SKUs matching a filter, by SKU (what a bulk change by filter acts on). */
export async function matchingSkus(db: HqDb, f: ProductFilter, max: number): Promise<string[]> {
  const rows = await filtered(db, f).select('products.sku').orderBy('products.sku').limit(max).execute();
  return rows.map((r) => r.sku);
}

export async function countProducts(db: HqDb, f: ProductFilter): Promise<number> {
  const r = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

const marginBp = (price: number, cost: number | null): number | null =>
  cost === null || price <= 0 ? null : Math.round(((price - cost) * 10_000) / price);

/** Rows for these SKUs (or a filtered page), with barcodes, parent name and the chain price now. */
async function rows(
  db: HqDb,
  where: { skus: readonly string[] } | { filter: ProductFilter; limit: number; offset: number },
  now: Date,
): Promise<ProductRow[]> {
  let q =
    'skus' in where
      ? productsQuery(db).where('products.sku', 'in', where.skus)
      : filtered(db, where.filter).limit(where.limit).offset(where.offset);
  q = q.orderBy('products.name').orderBy('products.sku');
  if ('skus' in where && where.skus.length === 0) return [];
  const found = await q
    .leftJoin('product_parents as pp', 'pp.id', 'products.parent_id')
    .select([
      'products.sku',
      'products.name',
      'products.category',
      'products.category_id',
      'products.price_minor',
      'products.cost_minor',
      'products.supplier',
      'products.supplier_code',
      'products.tax_class',
      'products.tax_rate_bp',
      'products.status',
      'products.active',
      'products.unit',
      'products.pack_size',
      'products.parent_id',
      'products.option_values',
      'pp.name as parent_name',
      sql<
        number | null
      >`(SELECT pr.price_minor FROM prices pr WHERE pr.sku = products.sku AND pr.scope = 'chain'
        AND pr.effective_from <= ${now} AND (pr.effective_to IS NULL OR pr.effective_to > ${now})
        ORDER BY pr.effective_from DESC, pr.id DESC LIMIT 1)`.as('chain_price'),
      sql<
        string[]
      >`coalesce((SELECT array_agg(b.code ORDER BY b.code) FROM barcodes b WHERE b.sku = products.sku), '{}')`.as(
        'barcodes',
      ),
    ])
    .execute();
  return found.map((r) => {
    const price = r.chain_price === null ? Number(r.price_minor) : Number(r.chain_price);
    const cost = r.cost_minor === null ? null : Number(r.cost_minor);
    return {
      sku: r.sku,
      name: r.name,
      barcodes: r.barcodes,
      category: r.category,
      categoryId: r.category_id,
      priceMinor: price,
      costMinor: cost,
      marginBp: marginBp(price, cost),
      supplier: r.supplier,
      supplierCode: r.supplier_code,
      taxClass: r.tax_class,
      taxRateBp: r.tax_rate_bp,
      status: r.status,
      active: r.active,
      unit: r.unit,
      packSize: r.pack_size,
      parentId: r.parent_id,
      parentName: r.parent_name,
      options: r.option_values ?? {},
    };
  });
}

export async function listProducts(
  db: HqDb,
  query: ProductListQuery,
  now: Date = new Date(),
): Promise<{ products: ProductRow[]; total: number; offset: number; truncated: boolean }> {
  const { limit, offset, ...filter } = query;
  const [products, total] = await Promise.all([
    rows(db, { filter, limit, offset }, now),
    countProducts(db, filter),
  ]);
  return { products, total, offset, truncated: offset + products.length < total };
}

export async function productRows(
  db: HqDb,
  skus: readonly string[],
  now: Date = new Date(),
): Promise<ProductRow[]> {
  return rows(db, { skus }, now);
}

export async function productDetail(db: HqDb, sku: string, now: Date = new Date()): Promise<ProductDetail> {
  const [row] = await rows(db, { skus: [sku] }, now);
  if (!row) throw notFound(`product ${sku}`, 'sku');
  const parent = row.parentId
    ? ((await catalogDb(db)
        .selectFrom('product_parents')
        .select(['id', 'name', 'option_names'])
        .where('id', '=', row.parentId)
        .executeTakeFirst()) ?? null)
    : null;
  return {
    ...row,
    parent: parent ? { id: parent.id, name: parent.name, optionNames: parent.option_names } : null,
    variants: parent ? await listVariants(db, parent.id) : [],
    priceHistory: `/api/v1/catalog/products/${encodeURIComponent(sku)}/prices`,
  };
}

/** What the filters offer: categories (tree and names), suppliers and tax classes in use or defined. */
export async function productFacets(db: HqDb): Promise<ProductFacets> {
  const cdb = catalogDb(db);
  const [tree, named, suppliers, classes, jurisdictions] = await Promise.all([
    cdb.selectFrom('categories').select(['id', 'name']).orderBy('name').execute(),
    cdb
      .selectFrom('products')
      .select('category')
      .distinct()
      .where('category', '!=', '')
      .orderBy('category')
      .execute(),
    cdb
      .selectFrom('products')
      .select('supplier')
      .distinct()
      .where('supplier', 'is not', null)
      .orderBy('supplier')
      .execute(),
    cdb.selectFrom('products').select('tax_class').distinct().where('tax_class', 'is not', null).execute(),
    activeTaxJurisdictions(db),
  ]);
  const treeIds = new Set(tree.map((c) => c.id));
  const treeNames = new Set(tree.map((c) => c.name));
  const taxClasses = new Set(classes.map((c) => c.tax_class as string));
  for (const j of jurisdictions)
    for (const k of Object.keys((j.classes as Record<string, unknown> | undefined) ?? {})) taxClasses.add(k);
  return {
    categories: [
      ...tree.map((c) => ({ value: c.id, label: c.name, inTree: true })),
      ...named
        .filter((c) => !treeIds.has(c.category) && !treeNames.has(c.category))
        .map((c) => ({ value: c.category, label: c.category, inTree: false })),
    ],
    suppliers: suppliers.map((s) => s.supplier as string),
    taxClasses: [...taxClasses].sort(),
  };
}
