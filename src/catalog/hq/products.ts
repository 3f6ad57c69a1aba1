import { sql } from 'kysely';
import { z } from 'zod';
import { conflict, invalid, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { identifierProblem, normalizeGtin } from '../gtin.ts';
import { catalogDb } from './catalog-tables.ts';

export const productInputSchema = z
  .object({
    sku: z.string().min(1).max(64),
    name: z.string().min(1),
    category: z.string().default(''),
    priceMinor: z.number().int().nonnegative(),
    taxRateBp: z.number().int().nonnegative().max(10_000),
    active: z.boolean().default(true),
    /** GTINs are stored in normal form (see gtin.ts); other identifiers (PLUs, in-house codes) as given. */
    barcodes: z.array(z.string().min(1)).default([]),
    // Catalog details (migration 0004); a field left out keeps what HQ holds.
    /** The product with variants this one is a variant of (see upsertProductParent), and its option values. */
    parentId: z.string().min(1).nullable().optional(),
    options: z.record(z.string(), z.string()).optional(),
    categoryId: z.string().min(1).nullable().optional(),
    unit: z.enum(['each', 'kg', 'l', 'pack']).optional(),
    /** Units in a pack, for unit 'pack'. */
    packSize: z.number().int().positive().nullable().optional(),
    supplier: z.string().nullable().optional(),
    supplierCode: z.string().nullable().optional(),
    costMinor: z.number().int().nonnegative().nullable().optional(),
    status: z.enum(['active', 'discontinued']).optional(),
    /** The tax class the store's jurisdiction charges it at ("reduced" for food in Germany); null clears it. */
    taxClass: z.string().min(1).max(64).nullable().optional(),
  })
  .refine((p) => p.unit !== 'pack' || (p.packSize ?? 0) > 0, {
    message: 'a pack names its packSize',
    path: ['packSize'],
  });
export type ProductInput = z.input<typeof productInputSchema>;

/** A digit string of GTIN length must carry a valid check digit; anything else is an in-house code. */
export function normalizeIdentifier(code: string, field: string): string {
  const c = code.trim();
  const problem = identifierProblem(c);
  if (problem) throw invalid(field, problem);
  return normalizeGtin(c) ?? c;
}

/**
 * Creates or replaces products and their identifiers in one transaction. Each write bumps the
 * product's catalog version, so tills receive it in their next delta. An identifier that already
 * belongs to another product is refused, naming it.
 */
export async function upsertProducts(db: HqDb, inputs: readonly ProductInput[]): Promise<number> {
  if (inputs.length === 0) return 0;
  const products = inputs.map((p, i) => {
    const parsed = productInputSchema.safeParse(p);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalid(['products', i, ...(issue?.path ?? [])].join('.'), issue?.message ?? 'invalid');
    }
    return {
      ...parsed.data,
      barcodes: parsed.data.barcodes.map((b, j) => normalizeIdentifier(b, `products.${i}.barcodes.${j}`)),
    };
  });
  const run = async (trx: HqDb): Promise<number> => {
    for (let i = 0; i < products.length; i += 2_000) {
      const chunk = products.slice(i, i + 2_000);
      await trx
        .insertInto('products')
        .values(
          chunk.map((p) => ({
            sku: p.sku,
            name: p.name,
            category: p.category,
            price_minor: p.priceMinor,
            tax_rate_bp: p.taxRateBp,
            active: p.active,
          })),
        )
        .onConflict((oc) =>
          oc.column('sku').doUpdateSet({
            name: sql`excluded.name`,
            category: sql`excluded.category`,
            price_minor: sql`excluded.price_minor`,
            tax_rate_bp: sql`excluded.tax_rate_bp`,
            active: sql`excluded.active`,
          }),
        )
        .execute();
      for (const p of chunk) await writeDetails(trx, p);
      const codes = chunk.flatMap((p) => p.barcodes.map((code) => ({ code, sku: p.sku })));
      if (codes.length === 0) continue;
      const taken = await trx
        .selectFrom('barcodes')
        .select(['code', 'sku'])
        .where(
          'code',
          'in',
          codes.map((c) => c.code),
        )
        .execute();
      const owner = new Map(taken.map((t) => [t.code, t.sku]));
      const seen = new Map<string, string>();
      for (const c of codes) {
        const other = owner.get(c.code) ?? seen.get(c.code);
        if (other !== undefined && other !== c.sku)
          throw conflict(`identifier ${c.code} already belongs to ${other}`, 'barcodes');
        seen.set(c.code, c.sku);
      }
      const fresh = codes.filter((c) => !owner.has(c.code));
      if (fresh.length > 0) await trx.insertInto('barcodes').values(dedupe(fresh)).execute();
    }
    return products.length;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** The catalog details an input gives, written over what HQ holds; nothing when it gives none. */
async function writeDetails(db: HqDb, p: z.output<typeof productInputSchema>): Promise<void> {
  const set: Record<string, unknown> = {};
  if (p.parentId !== undefined) set.parent_id = p.parentId;
  if (p.options !== undefined) set.option_values = JSON.stringify(p.options);
  if (p.categoryId !== undefined) set.category_id = p.categoryId;
  if (p.unit !== undefined) set.unit = p.unit;
  if (p.packSize !== undefined) set.pack_size = p.packSize;
  if (p.supplier !== undefined) set.supplier = p.supplier;
  if (p.supplierCode !== undefined) set.supplier_code = p.supplierCode;
  if (p.costMinor !== undefined) set.cost_minor = p.costMinor;
  if (p.taxClass !== undefined) set.tax_class = p.taxClass;
  if (p.status !== undefined) {
    set.status = p.status;
    // A discontinued product is off sale at the tills.
    if (p.status === 'discontinued') set.active = false;
  }
  if (Object.keys(set).length === 0) return;
  await catalogDb(db).updateTable('products').set(set).where('sku', '=', p.sku).execute();
}

const dedupe = (codes: { code: string; sku: string }[]): { code: string; sku: string }[] => [
  ...new Map(codes.map((c) => [c.code, c])).values(),
];

/**
 * Changes a product's chain-wide shelf price from now on. The list price moves and a chain pricebook
 * entry is recorded, so the change stays in the price history; zone and store prices still win
 * where they are in force. The change reaches tills with the next catalog delta.
 */
export async function setPrice(
  db: HqDb,
  sku: string,
  priceMinor: number,
  now: Date = new Date(),
): Promise<void> {
  if (!Number.isSafeInteger(priceMinor) || priceMinor < 0)
    throw invalid('priceMinor', 'must be a whole, non-negative number of minor units');
  const run = async (trx: HqDb): Promise<void> => {
    const r = await trx
      .updateTable('products')
      .set({ price_minor: priceMinor })
      .where('sku', '=', sku)
      .executeTakeFirst();
    if (r.numUpdatedRows === 0n) throw notFound(`product ${sku}`, 'sku');
    await catalogDb(trx)
      .insertInto('prices')
      .values({ sku, scope: 'chain', scope_id: '', price_minor: priceMinor, effective_from: now })
      .execute();
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** Takes a product off sale; tills learn it from the delta (active: false) and stop selling it. */
export async function setActive(db: HqDb, sku: string, active: boolean): Promise<void> {
  const r = await db.updateTable('products').set({ active }).where('sku', '=', sku).executeTakeFirst();
  if (r.numUpdatedRows === 0n) throw notFound(`product ${sku}`, 'sku');
}
