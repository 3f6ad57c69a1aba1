import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hqBackends } from '../../../test/helpers/hq-db.ts';
import { catalogDb } from '../hq/catalog-tables.ts';
import { upsertProducts } from '../hq/products.ts';
import { applyPlan, loadExistingCatalog } from './apply.ts';
import { consolidate } from './consolidate.ts';
import { UPDATABLE_FIELDS, type UpdatableField } from './merge-policy.ts';
import type { ReadResult } from './read.ts';
import type { LegacyRecord } from './record.ts';
import { singleClassPolicy } from './tax-classes.ts';

/**
 * The promise of the dry run: applying a plan changes exactly the fields it listed on the products HQ
 * holds, creates exactly the products it listed as new, and touches nothing else.
 */
const word = fc.constantFrom('Oat', 'Tea', 'Soap', 'Bread', 'Milk', 'Jam');
const held = fc.record({
  name: fc.tuple(word, word).map(([a, b]) => `${a} ${b}`),
  priceMinor: fc.integer({ min: 1, max: 5000 }),
  costMinor: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
  supplier: fc.option(fc.constantFrom('Acme', 'Fjord'), { nil: undefined }),
  category: fc.option(fc.constantFrom('Food', 'Drinks'), { nil: undefined }),
});
const exported = fc.record({
  /** Index of the held product whose barcode it carries (-1: a barcode HQ does not know). */
  matches: fc.integer({ min: -1, max: 3 }),
  extraCode: fc.boolean(),
  name: fc.tuple(word, word).map(([a, b]) => `${a} ${b}`),
  priceMinor: fc.integer({ min: 1, max: 5000 }),
  costMinor: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
  supplier: fc.option(fc.constantFrom('Acme', 'Northwind'), { nil: undefined }),
  category: fc.array(fc.constantFrom('Food', 'Bakery', 'Drinks'), { maxLength: 2 }),
});

type Exported = typeof exported extends fc.Arbitrary<infer T> ? T : never;
const record = (e: Exported, i: number): LegacyRecord => ({
  source: 'shopify',
  file: 'export.csv',
  row: i + 2,
  legacyId: `h${i}`,
  parentKey: `h${i}`,
  parentName: e.name,
  options: {},
  name: e.name,
  sku: `NEW-${i}`,
  identifiers: [e.matches >= 0 ? `HELD-${e.matches}` : `FREE-${i}`, ...(e.extraCode ? [`EXTRA-${i}`] : [])],
  priceMinor: e.priceMinor,
  costMinor: e.costMinor,
  categoryPath: e.category,
  supplier: e.supplier,
  supplierCode: undefined,
  giftCard: false,
  status: 'active',
  unit: 'each',
  stock: {},
  locationPrices: {},
  tax: { taxable: undefined, names: [] },
});

const columnOf: Record<string, string> = {
  name: 'name',
  price: 'price_minor',
  category: 'category',
  supplier: 'supplier',
  supplierCode: 'supplier_code',
  cost: 'cost_minor',
};

describe.each(hqBackends().slice(0, 1))('import merge policy on $name', ({ open }) => {
  it('applying a plan changes exactly the fields its dry run listed, nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(held, { minLength: 1, maxLength: 4 }),
        fc.array(exported, { minLength: 1, maxLength: 6 }),
        fc.subarray([...UPDATABLE_FIELDS]),
        async (catalog, rows, update) => {
          const h = await open();
          try {
            await upsertProducts(
              h.db,
              catalog.map((p, i) => ({
                sku: `HELD-SKU-${i}`,
                name: p.name,
                priceMinor: p.priceMinor,
                taxRateBp: 700,
                barcodes: [`HELD-${i}`],
                ...(p.costMinor !== undefined ? { costMinor: p.costMinor } : {}),
                ...(p.supplier !== undefined ? { supplier: p.supplier } : {}),
                ...(p.category !== undefined ? { category: p.category } : {}),
              })),
            );
            const snapshot = async () => {
              const cdb = catalogDb(h.db);
              const products = await cdb.selectFrom('products').selectAll().execute();
              const codes = await cdb.selectFrom('barcodes').select(['code', 'sku']).execute();
              return new Map(
                products.map((p) => {
                  const { version: _v, updated_at: _u, ...rest } = p as Record<string, unknown>;
                  const barcodes = codes
                    .filter((c) => c.sku === p.sku)
                    .map((c) => c.code)
                    .sort();
                  return [p.sku, { ...rest, barcodes }] as const;
                }),
              );
            };
            const before = await snapshot();
            const result: ReadResult = {
              file: 'export.csv',
              format: { source: 'shopify', label: 'test', required: [], mapper: () => ({ map: () => [] }) },
              rows: rows.length,
              records: rows.map(record),
              rejected: [],
              rejectedIdentifiers: [],
            };
            const plan = consolidate([result], {
              existing: await loadExistingCatalog(h.db),
              update: new Set<UpdatableField>(update),
              tax: singleClassPolicy('standard', 1900),
            });
            await applyPlan(h.db, plan);
            const after = await snapshot();
            const listed = new Map(plan.products.filter((p) => p.existing).map((p) => [p.sku, p.changes]));
            const created = plan.products.filter((p) => !p.existing).map((p) => p.sku);
            expect([...after.keys()].filter((s) => !before.has(s)).sort()).toEqual([...created].sort());
            for (const [sku, was] of before) {
              const now = after.get(sku)! as Record<string, unknown>;
              const changes = listed.get(sku) ?? [];
              const expected: Record<string, unknown> = { ...was };
              for (const c of changes) {
                if (c.field === 'barcodes') expected.barcodes = String(c.after).split(', ').sort();
                else expected[columnOf[c.field]!] = c.after;
                if (c.field === 'category') expected.category_id = now.category_id;
              }
              expect(now).toEqual(expected);
              // A listed change is a real change.
              for (const c of changes) expect(c.before).not.toEqual(c.after);
            }
          } finally {
            await h.close();
          }
        },
      ),
      { numRuns: 15 },
    );
  }, 300_000);
});
