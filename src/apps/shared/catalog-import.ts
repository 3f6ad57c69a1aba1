import { createHash } from 'node:crypto';
import { activeTaxJurisdictions } from '../../catalog/hq/index.ts';
import {
  applyPlan,
  catalogFingerprint,
  classRates,
  consolidate,
  emptyCatalog,
  type ImportPlan,
  loadExistingCatalog,
  parseTaxClassMap,
  type ReadResult,
} from '../../catalog/index.ts';
import type { ImportOptions, ImportReport } from '../../contracts/index.ts';
import { TallyError } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import {
  applyStock,
  loadOnHand,
  mapLocations,
  planStock,
  type StockPlan,
  stockLocations,
} from '../../inventory/index.ts';
import { parseTaxJurisdictions } from '../../pricing/index.ts';
import { appendToHqLog } from './event-registry.ts';

/**
 * The catalog import as one use case for the CLI and HQ's API: plan the exports against HQ's catalog
 * and stock (products, field changes under the update policy, tax classes, stock movements), name the
 * plan with an id that covers the catalog it was made against, and apply exactly that plan — refused
 * when the catalog moved since, so nobody writes what they did not see.
 */
export interface PlannedImport {
  plan: ImportPlan;
  stock: StockPlan;
  report: ImportReport;
}

export async function planCatalogImport(
  db: HqDb | undefined,
  results: readonly ReadResult[],
  o: ImportOptions,
): Promise<PlannedImport> {
  const { map, fallback } = parseTaxClassMap(o.taxClassMap, 'taxClassMap');
  const jurisdictions = db ? parseTaxJurisdictions(await activeTaxJurisdictions(db)) : [];
  const update = new Set(o.update);
  const plan = consolidate(results, {
    mergeAt: o.mergeAt,
    reviewAt: o.reviewAt,
    review: o.review,
    existing: db ? await loadExistingCatalog(db) : emptyCatalog,
    update,
    tax: {
      map,
      fallback,
      exemptClass: o.exemptClass,
      rates: classRates(jurisdictions),
      defaultRateBp: o.taxRateBp,
    },
  });
  // Stock of a product HQ holds is set only when asked; a new product starts at the export's figure.
  const stocked = update.has('stock') ? plan.products : plan.products.filter((p) => !p.existing);
  const stockPlan = { ...plan, products: stocked };
  const locations = stockLocations(plan);
  let stock: StockPlan = { movements: [], unchanged: 0, unmapped: [], negative: [] };
  if (locations.length > 0) {
    const stores = db
      ? (await db.selectFrom('stores').select(['id', 'name']).execute()).map((s) => ({
          storeId: s.id,
          name: s.name,
        }))
      : [];
    const where = mapLocations(locations, stores, db ? o.locations : {});
    stock = planStock(stockPlan, where, db ? await loadOnHand(db, [...new Set(where.values())]) : new Map());
  }
  const stockKept = plan.products.filter(
    (p) => p.existing && !update.has('stock') && p.records.some((r) => Object.keys(r.stock).length > 0),
  ).length;
  const body = importReport(plan, stock, stockKept);
  const fingerprint = db ? await catalogFingerprint(db) : 'empty';
  const planId = createHash('sha256')
    .update(fingerprint)
    .update(JSON.stringify(body))
    .digest('hex')
    .slice(0, 32);
  return { plan, stock, report: { ...body, planId, applied: false } };
}

/**
 * Re-plans against the catalog as it is now and applies only when that is the plan `planId` named.
 * Throws a conflict (HTTP 409) naming the next step otherwise.
 */
export async function applyCatalogImport(
  db: HqDb,
  results: readonly ReadResult[],
  o: ImportOptions,
  planId: string,
  opts: { note: string; onProgress?: (what: string, done: number, total: number) => void },
): Promise<PlannedImport> {
  const now = await planCatalogImport(db, results, o);
  if (now.report.planId !== planId)
    throw new TallyError(
      'conflict',
      'the catalog (or the files, or the options) changed since this plan was made: run the dry run again and apply the new plan',
      'planId',
    );
  await applyPlan(db, now.plan, { onProgress: (d, t) => opts.onProgress?.('writing to HQ', d, t) });
  if (now.stock.movements.length > 0)
    await applyStock(db, now.stock, {
      note: opts.note,
      append: appendToHqLog,
      onProgress: (d, t) => opts.onProgress?.('writing stock', d, t),
    });
  return { ...now, report: { ...now.report, applied: true } };
}

/** The report a person reads: everything that would change, every decision needed, every problem. */
function importReport(
  plan: ImportPlan,
  stock: StockPlan,
  stockKept: number,
): Omit<ImportReport, 'planId' | 'applied'> {
  const first = (p: ImportPlan['products'][number]) => ({ file: p.records[0]!.file, row: p.records[0]!.row });
  const mergeBy = new Map(plan.merged.map((m) => [m.sku, m.by]));
  const created = plan.products.filter((p) => !p.existing);
  const matched = plan.products.filter((p) => p.existing);
  const problems: ImportReport['problems'] = [
    ...plan.rejected.map((r) => ({
      kind: 'rejected row',
      file: r.file,
      row: r.row,
      product: r.product,
      message: r.reasons.join('; '),
    })),
    ...plan.rejectedIdentifiers.map((r) => ({
      kind: 'rejected identifier',
      file: r.file,
      row: r.row,
      product: r.product,
      message: `${r.code}: ${r.reason}`,
    })),
    ...plan.priceConflicts.flatMap((c) =>
      c.prices.slice(1).map((x) => ({
        kind: 'price conflict',
        file: x.file,
        row: x.row,
        product: c.name,
        message: `${c.sku}: ${x.priceMinor} here vs ${c.prices[0]!.priceMinor} in ${c.prices[0]!.file} row ${c.prices[0]!.row} (the first file wins)`,
      })),
    ),
    ...plan.missingCost.map((m) => ({
      kind: 'missing cost',
      file: m.file,
      row: m.row,
      product: m.name,
      message: `${m.sku} has no cost`,
    })),
    ...plan.renamedSkus.map((s) => ({
      kind: 'renamed sku',
      file: s.file,
      row: s.row,
      product: s.given,
      message: `SKU ${s.given} is taken; imported as ${s.sku}`,
    })),
    ...stock.negative.map((n) => ({
      kind: 'negative stock',
      file: n.file,
      row: n.row,
      product: n.sku,
      message: `${n.qty} at ${n.location} counted as 0`,
    })),
  ];
  return {
    files: plan.files,
    update: plan.update,
    counts: {
      created: created.length,
      matched: matched.length,
      changed: matched.filter((p) => p.changes.length > 0).length,
      merged: plan.merged.length,
      review: plan.review.length,
      needsDecision: plan.needsDecision.length,
      problems: problems.length,
      stockMovements: stock.movements.length,
      stockKept,
    },
    created: created.map((p) => ({
      sku: p.sku,
      name: p.name,
      priceMinor: p.priceMinor,
      taxClass: p.taxClass ?? null,
      taxRateBp: p.taxRateBp ?? null,
      taxBy: p.taxBy ?? null,
      ...first(p),
    })),
    matched: matched.map((p) => ({
      sku: p.sku,
      name: p.name,
      by: mergeBy.get(p.sku) ?? 'provenance',
      changes: p.changes,
      ...first(p),
    })),
    taxClasses: Object.entries(plan.taxClasses)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([taxClass, products]) => ({ taxClass, products })),
    needsDecision: plan.needsDecision.map((n) => ({ ...n, taxClass: n.taxClass ?? null })),
    stock: stock.movements.map((m) => ({
      sku: m.sku,
      storeId: m.storeId,
      location: m.location,
      onHand: m.onHand,
      target: m.target,
      qty: m.qty,
      kind: m.kind,
      file: m.file,
      row: m.row,
    })),
    stockUnmapped: stock.unmapped,
    review: plan.review.map((r) => ({
      reason: r.reason,
      resolution: r.resolution,
      name: r.record.name,
      candidateSku: r.candidate.sku,
      file: r.record.file,
      row: r.record.row,
    })),
    problems,
  };
}

/** sha256 of the uploaded files, for the audit entry: which bytes were imported, without keeping them. */
export const contentHash = (files: readonly { name: string; content: string }[]): string => {
  const h = createHash('sha256');
  for (const f of files) h.update(f.name).update('\u0000').update(f.content).update('\u0000');
  return h.digest('hex');
};
