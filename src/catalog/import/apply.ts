import { sql } from 'kysely';
import { invalid } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { catalogDb } from '../hq/catalog-tables.ts';
import type { ExistingCatalog, ImportPlan, PlannedProduct } from './consolidate.ts';
import { categoryText, type FieldChange, type HeldProduct } from './merge-policy.ts';

/** What HQ already holds, as the maps consolidation matches against. */
export async function loadExistingCatalog(db: HqDb): Promise<ExistingCatalog> {
  const cdb = catalogDb(db);
  const [barcodes, provenance, products] = await Promise.all([
    cdb.selectFrom('barcodes').select(['code', 'sku']).orderBy('code').execute(),
    cdb.selectFrom('product_provenance').select(['source', 'legacy_id', 'sku']).execute(),
    cdb
      .selectFrom('products')
      .select(['sku', 'name', 'price_minor', 'category', 'supplier', 'supplier_code', 'cost_minor'])
      .execute(),
  ]);
  const codesOf = new Map<string, string[]>();
  for (const b of barcodes) {
    const list = codesOf.get(b.sku);
    if (list) list.push(b.code);
    else codesOf.set(b.sku, [b.code]);
  }
  return {
    barcodes: new Map(barcodes.map((b) => [b.code, b.sku])),
    provenance: new Map(provenance.map((p) => [`${p.source}\u0000${p.legacy_id}`, p.sku])),
    products: new Map(
      products.map((p): [string, HeldProduct] => [
        p.sku,
        {
          name: p.name,
          priceMinor: p.price_minor,
          category: p.category,
          supplier: p.supplier,
          supplierCode: p.supplier_code,
          costMinor: p.cost_minor,
          barcodes: codesOf.get(p.sku) ?? [],
        },
      ]),
    ),
  };
}

/**
 * A fingerprint of the catalog an import plans against: any product, barcode, provenance or tax
 * change moves it, so a plan made before such a change is refused rather than applied blind.
 */
export async function catalogFingerprint(db: HqDb): Promise<string> {
  const r = await sql<Record<string, number>>`SELECT
      (SELECT coalesce(max(version), 0) FROM products) AS products,
      (SELECT count(*) FROM products) AS product_count,
      (SELECT count(*) FROM barcodes) AS barcodes,
      (SELECT count(*) FROM product_provenance) AS provenance,
      (SELECT coalesce(max(version), 0) FROM tax_jurisdictions) AS tax`.execute(db);
  const row = r.rows[0]!;
  return Object.keys(row)
    .sort()
    .map((k) => `${k}=${row[k]}`)
    .join(';');
}

export interface ApplyOptions {
  onProgress?: (done: number, total: number) => void;
}

export interface ApplyResult {
  products: number;
  created: number;
  changed: number;
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
export async function applyPlan(db: HqDb, plan: ImportPlan, opts: ApplyOptions = {}): Promise<ApplyResult> {
  if (plan.needsDecision.length > 0)
    throw invalid(
      'taxClassMap',
      `${plan.needsDecision.length} new product${plan.needsDecision.length === 1 ? ' needs' : 's need'} a tax class decision (first: ${plan.needsDecision[0]!.name}: ${plan.needsDecision[0]!.reason})`,
    );
  const products = plan.products;
  const created = products.filter((p) => !p.existing);
  const changed = products.filter((p) => p.existing && p.changes.length > 0);
  // A held product's category is written only when the plan changes it.
  const categorised = [...created, ...changed.filter((p) => p.changes.some((c) => c.field === 'category'))];
  return db.transaction().execute(async (trx) => {
    const cdb = catalogDb(trx);
    const cats = new Map<string, { id: string; name: string; parent: string | null }>();
    for (const p of categorised) for (const c of categoryIds(p.categoryPath)) cats.set(c.id, c);
    const catRows = [...cats.values()];
    for (let i = 0; i < catRows.length; i += CHUNK) {
      await cdb
        .insertInto('categories')
        .values(catRows.slice(i, i + CHUNK).map((c) => ({ id: c.id, name: c.name, parent_id: c.parent })))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
    const parents = new Map<string, NonNullable<PlannedProduct['parent']>>();
    for (const p of created) if (p.parent) parents.set(p.parent.id, p.parent);
    const parentRows = [...parents.values()];
    for (let i = 0; i < parentRows.length; i += CHUNK) {
      await cdb
        .insertInto('product_parents')
        .values(
          parentRows
            .slice(i, i + CHUNK)
            .map((p) => ({ id: p.id, name: p.name, option_names: JSON.stringify(p.optionNames) })),
        )
        // A parent HQ holds already is other products' too: the import leaves it as it is.
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
    for (const p of changed) await writeChanges(cdb, p);
    let identifiers = 0;
    let provenance = 0;
    for (let i = 0; i < products.length; i += CHUNK) {
      const chunk = products.slice(i, i + CHUNK);
      const fresh = chunk.filter((p) => !p.existing);
      if (fresh.length > 0)
        await cdb
          .insertInto('products')
          .values(
            fresh.map((p) => ({
              sku: p.sku,
              name: p.name.slice(0, 500),
              category: categoryText(p.categoryPath),
              price_minor: p.priceMinor,
              tax_rate_bp: p.taxRateBp!,
              tax_class: p.taxClass ?? null,
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
          .execute();
      // A held product gains barcodes only when the plan lists them.
      const codes = chunk.flatMap((p) =>
        !p.existing || p.changes.some((c) => c.field === 'barcodes')
          ? p.identifiers.map((code) => ({ code, sku: p.sku }))
          : [],
      );
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
    return {
      products: products.length,
      created: created.length,
      changed: changed.length,
      identifiers,
      provenance,
      categories: catRows.length,
    };
  });
}

/** The columns of one held product the plan changes, and nothing else. */
async function writeChanges(cdb: ReturnType<typeof catalogDb>, p: PlannedProduct): Promise<void> {
  const set: Record<string, string | number | null> = {};
  const column: Record<Exclude<FieldChange['field'], 'barcodes'>, string> = {
    name: 'name',
    price: 'price_minor',
    category: 'category',
    supplier: 'supplier',
    supplierCode: 'supplier_code',
    cost: 'cost_minor',
  };
  for (const c of p.changes) {
    if (c.field === 'barcodes') continue;
    set[column[c.field]] = c.after;
    if (c.field === 'category')
      set.category_id = p.categoryPath.length > 0 ? categoryIds(p.categoryPath).at(-1)!.id : null;
  }
  if (Object.keys(set).length === 0) return;
  await cdb.updateTable('products').set(set).where('sku', '=', p.sku).execute();
}
