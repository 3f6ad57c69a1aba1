import { sql } from 'kysely';
import type { HqDb } from '../../db/index.ts';
import { catalogDb } from '../hq/catalog-tables.ts';
import type { ExistingCatalog, ImportPlan, PlannedProduct } from './consolidate.ts';

/** What HQ already holds, as the maps consolidation matches against. */
export async function loadExistingCatalog(db: HqDb): Promise<ExistingCatalog> {
  const cdb = catalogDb(db);
  const [barcodes, provenance, products] = await Promise.all([
    cdb.selectFrom('barcodes').select(['code', 'sku']).execute(),
    cdb.selectFrom('product_provenance').select(['source', 'legacy_id', 'sku']).execute(),
    cdb.selectFrom('products').select(['sku', 'name', 'price_minor']).execute(),
  ]);
  return {
    barcodes: new Map(barcodes.map((b) => [b.code, b.sku])),
    provenance: new Map(provenance.map((p) => [`${p.source}\u0000${p.legacy_id}`, p.sku])),
    products: new Map(products.map((p) => [p.sku, { name: p.name, priceMinor: p.price_minor }])),
  };
}

export interface ApplyOptions {
  /** Tax rate of new products on the wire (basis points); existing products keep theirs. */
  taxRateBp: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ApplyResult {
  products: number;
  identifiers: number;
  provenance: number;
  categories: number;
}

const CHUNK = 1_000;

/** Category path → ids of each level ("Apparel/Tops"), so a tree is one table with parent links. */
const categoryIds = (path: readonly string[]): { id: string; name: string; parent: string | null }[] =>
  path.map((name, i) => ({
    id: path
      .slice(0, i + 1)
      .join('/')
      .slice(0, 200),
    name,
    parent: i === 0 ? null : path.slice(0, i).join('/').slice(0, 200),
  }));

/**
 * Writes a plan to HQ in one transaction: categories, parents, products (new ones created, matched
 * ones updated with what the import knows), their identifiers and their provenance. Every written
 * product moves the catalog version, so tills receive the result with their next pull.
 */
export async function applyPlan(db: HqDb, plan: ImportPlan, opts: ApplyOptions): Promise<ApplyResult> {
  const products = plan.products;
  return db.transaction().execute(async (trx) => {
    const cdb = catalogDb(trx);
    const cats = new Map<string, { id: string; name: string; parent: string | null }>();
    for (const p of products) for (const c of categoryIds(p.categoryPath)) cats.set(c.id, c);
    const catRows = [...cats.values()];
    for (let i = 0; i < catRows.length; i += CHUNK) {
      await cdb
        .insertInto('categories')
        .values(catRows.slice(i, i + CHUNK).map((c) => ({ id: c.id, name: c.name, parent_id: c.parent })))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
    const parents = new Map<string, NonNullable<PlannedProduct['parent']>>();
    for (const p of products) if (p.parent) parents.set(p.parent.id, p.parent);
    const parentRows = [...parents.values()];
    for (let i = 0; i < parentRows.length; i += CHUNK) {
      await cdb
        .insertInto('product_parents')
        .values(
          parentRows
            .slice(i, i + CHUNK)
            .map((p) => ({ id: p.id, name: p.name, option_names: JSON.stringify(p.optionNames) })),
        )
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({ name: sql`excluded.name`, option_names: sql`excluded.option_names` }),
        )
        .execute();
    }
    let identifiers = 0;
    let provenance = 0;
    for (let i = 0; i < products.length; i += CHUNK) {
      const chunk = products.slice(i, i + CHUNK);
      await cdb
        .insertInto('products')
        .values(
          chunk.map((p) => ({
            sku: p.sku,
            name: p.name.slice(0, 500),
            category: p.categoryPath.join(' > '),
            price_minor: p.priceMinor,
            tax_rate_bp: opts.taxRateBp,
            active: p.status === 'active',
            parent_id: p.parent?.id ?? null,
            option_values: JSON.stringify(p.options),
            category_id: p.categoryPath.length > 0 ? categoryIds(p.categoryPath).at(-1)!.id : null,
            unit: p.unit,
            supplier: p.supplier ?? null,
            supplier_code: p.supplierCode ?? null,
            cost_minor: p.costMinor ?? null,
            status: p.status,
            gift_card: p.giftCard,
          })),
        )
        .onConflict((oc) =>
          // An existing product keeps its tax rate and its name; the import fills in what it knows.
          oc.column('sku').doUpdateSet({
            price_minor: sql`excluded.price_minor`,
            active: sql`excluded.active`,
            status: sql`excluded.status`,
            parent_id: sql`coalesce(products.parent_id, excluded.parent_id)`,
            category_id: sql`coalesce(products.category_id, excluded.category_id)`,
            supplier: sql`coalesce(excluded.supplier, products.supplier)`,
            supplier_code: sql`coalesce(excluded.supplier_code, products.supplier_code)`,
            cost_minor: sql`coalesce(excluded.cost_minor, products.cost_minor)`,
            gift_card: sql`excluded.gift_card`,
          }),
        )
        .execute();
      const codes = chunk.flatMap((p) => p.identifiers.map((code) => ({ code, sku: p.sku })));
      if (codes.length > 0) {
        const r = await cdb
          .insertInto('barcodes')
          .values(codes)
          .onConflict((oc) => oc.column('code').doNothing())
          .executeTakeFirst();
        identifiers += Number(r.numInsertedOrUpdatedRows ?? 0n);
      }
      const prov = chunk.flatMap((p) =>
        p.records.map((r) => ({
          source: r.source,
          legacy_id: r.legacyId.slice(0, 500),
          sku: p.sku,
          file: r.file,
          row_number: r.row,
        })),
      );
      const uniqueProv = [...new Map(prov.map((r) => [`${r.source}\u0000${r.legacy_id}`, r])).values()];
      if (uniqueProv.length > 0) {
        await cdb
          .insertInto('product_provenance')
          .values(uniqueProv)
          .onConflict((oc) =>
            oc.columns(['source', 'legacy_id']).doUpdateSet({
              sku: sql`excluded.sku`,
              file: sql`excluded.file`,
              row_number: sql`excluded.row_number`,
            }),
          )
          .execute();
        provenance += uniqueProv.length;
      }
      opts.onProgress?.(Math.min(i + CHUNK, products.length), products.length);
    }
    // A changed list price enters the price history like any other chain price change.
    const now = new Date();
    for (let i = 0; i < plan.priceChanges.length; i += CHUNK) {
      await cdb
        .insertInto('prices')
        .values(
          plan.priceChanges.slice(i, i + CHUNK).map((c) => ({
            sku: c.sku,
            scope: 'chain' as const,
            scope_id: '',
            price_minor: c.toMinor,
            effective_from: now,
          })),
        )
        .execute();
    }
    return { products: products.length, identifiers, provenance, categories: catRows.length };
  });
}
