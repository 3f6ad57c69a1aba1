import { type FieldChange, fieldChanges, type HeldProduct, type UpdatableField } from './merge-policy.ts';
import type { ReadResult } from './read.ts';
import type { LegacyRecord, RejectedIdentifier, RejectedRecord } from './record.ts';
import { nameSimilarity, nameTokens } from './similarity.ts';
import { decideTaxClass, type TaxClassPolicy } from './tax-classes.ts';

/**
 * Turns the records of one or more exports into one catalog plan. Each record is matched, in order:
 * 1. by provenance: HQ already holds this legacy id (a re-run), so it updates that product;
 * 2. by identifier: a GTIN (or other code) already in the plan or at HQ;
 * 3. by name and attributes, against products from other files only (a file never lists one
 *    product twice): a score at or above `mergeAt` merges, one at or above `reviewAt` goes to the
 *    review list with both records side by side, and anything lower creates a product.
 * Pure: the existing HQ catalog comes in as plain maps.
 */

export interface ExistingCatalog {
  /** Identifier → SKU. */
  barcodes: ReadonlyMap<string, string>;
  /** `${source}\u0000${legacyId}` → SKU. */
  provenance: ReadonlyMap<string, string>;
  /** SKU → what HQ holds now. */
  products: ReadonlyMap<string, HeldProduct>;
}

export const emptyCatalog: ExistingCatalog = {
  barcodes: new Map(),
  provenance: new Map(),
  products: new Map(),
};

export interface PlannedProduct {
  sku: string;
  /** True when the SKU already exists at HQ (the import updates it). */
  existing: boolean;
  name: string;
  parent: { id: string; name: string; optionNames: string[] } | undefined;
  options: Record<string, string>;
  identifiers: string[];
  priceMinor: number;
  costMinor: number | undefined;
  categoryPath: string[];
  supplier: string | undefined;
  supplierCode: string | undefined;
  giftCard: boolean;
  status: 'active' | 'discontinued';
  unit: 'each' | 'kg' | 'l';
  /** Every legacy record behind it: its provenance. */
  records: LegacyRecord[];
  /** For a product HQ holds: every field the import changes (empty: kept as it is). */
  changes: FieldChange[];
  /** For a new product: its tax class and fallback rate, once decided (see tax-classes.ts). */
  taxClass: string | undefined;
  taxRateBp: number | undefined;
  /** What decided the class ("Food", "*", "not taxable in the export"). */
  taxBy: string | undefined;
}

export interface Merge {
  sku: string;
  name: string;
  file: string;
  row: number;
  legacyId: string;
  by: 'provenance' | 'identifier' | 'name';
  score?: number;
}

export interface ReviewItem {
  score: number;
  /** What was done with it: nothing (the default), or what --review asked. */
  resolution: 'skipped' | 'merged' | 'created';
  reason: string;
  record: LegacyRecord;
  candidate: {
    sku: string;
    name: string;
    identifiers: string[];
    priceMinor: number;
    file: string;
    row: number;
  };
}

export interface PriceConflict {
  sku: string;
  name: string;
  prices: { file: string; row: number; source: string; priceMinor: number }[];
}

export interface ImportPlan {
  files: { file: string; format: string; rows: number; records: number }[];
  products: PlannedProduct[];
  created: number;
  updated: number;
  merged: Merge[];
  review: ReviewItem[];
  rejected: RejectedRecord[];
  rejectedIdentifiers: RejectedIdentifier[];
  priceConflicts: PriceConflict[];
  missingCost: { sku: string; name: string; file: string; row: number }[];
  /** Products HQ holds whose list price the import changes (recorded as chain prices on --apply). */
  priceChanges: { sku: string; name: string; fromMinor: number; toMinor: number }[];
  /** SKUs the file gave that were taken, and the SKU used instead. */
  renamedSkus: { file: string; row: number; given: string; sku: string }[];
  /** The fields the import was allowed to change on products HQ holds. */
  update: UpdatableField[];
  /** New products whose tax class or rate nothing decided: applying waits for the operator. */
  needsDecision: {
    sku: string;
    name: string;
    file: string;
    row: number;
    taxClass: string | undefined;
    reason: string;
  }[];
  /** New products per tax class. */
  taxClasses: Record<string, number>;
}

/** Nothing mapped: every new product needs a decision. */
export const noTaxPolicy: TaxClassPolicy = {
  map: new Map(),
  fallback: undefined,
  exemptClass: 'exempt',
  rates: new Map(),
  defaultRateBp: undefined,
};

export interface ConsolidateOptions {
  mergeAt?: number;
  reviewAt?: number;
  /** Below this name similarity, a shared identifier goes to review instead of merging. */
  barcodeNameFloor?: number;
  /** Doubtful matches: leave out (default), merge into the candidate, or create as new products. */
  review?: 'skip' | 'merge' | 'create';
  existing?: ExistingCatalog;
  /** Fields a match may change on a product HQ holds; default none (see merge-policy.ts). */
  update?: ReadonlySet<UpdatableField>;
  /** How new products get their tax class; default: each needs a decision. */
  tax?: TaxClassPolicy;
}

const SOURCE_PREFIX: Record<string, string> = {
  shopify: 'SHP',
  square: 'SQ',
  'lightspeed-r': 'LSR',
  'lightspeed-x': 'LSX',
};

interface Entry {
  p: PlannedProduct;
  tokens: string[];
  files: Set<string>;
}

export function consolidate(results: readonly ReadResult[], opts: ConsolidateOptions = {}): ImportPlan {
  const mergeAt = opts.mergeAt ?? 0.9;
  const reviewAt = opts.reviewAt ?? 0.7;
  const barcodeNameFloor = opts.barcodeNameFloor ?? 0.3;
  const existing = opts.existing ?? emptyCatalog;
  const plan: ImportPlan = {
    files: results.map((r) => ({
      file: r.file,
      format: r.format.label,
      rows: r.rows,
      records: r.records.length,
    })),
    products: [],
    created: 0,
    updated: 0,
    merged: [],
    review: [],
    rejected: results.flatMap((r) => r.rejected),
    rejectedIdentifiers: results.flatMap((r) => r.rejectedIdentifiers),
    priceConflicts: [],
    missingCost: [],
    priceChanges: [],
    renamedSkus: [],
    update: [...(opts.update ?? [])],
    needsDecision: [],
    taxClasses: {},
  };
  const entries: Entry[] = [];
  const bySku = new Map<string, Entry>();
  const byCode = new Map<string, Entry>();
  const byToken = new Map<string, Entry[]>();
  const conflicts = new Map<string, PriceConflict>();

  // Names are matched only against products from earlier files: a file's own products are indexed
  // when the file is done, so the first file (or a single one) costs no name comparisons at all.
  let pending: Entry[] = [];
  const index = (e: Entry): void => {
    pending.push(e);
  };
  const flushIndex = (): void => {
    for (const e of pending) indexNow(e);
    pending = [];
  };
  const indexNow = (e: Entry): void => {
    for (const t of new Set(e.tokens)) {
      const list = byToken.get(t);
      if (list) list.push(e);
      else byToken.set(t, [e]);
    }
  };

  const add = (r: LegacyRecord, sku: string, isExisting: boolean): Entry => {
    const p: PlannedProduct = {
      sku,
      existing: isExisting,
      name: r.name,
      parent:
        Object.keys(r.options).length > 0
          ? {
              id: `${SOURCE_PREFIX[r.source]}:${r.parentKey}`.slice(0, 120),
              name: r.parentName,
              optionNames: Object.keys(r.options),
            }
          : undefined,
      options: r.options,
      identifiers: [],
      priceMinor: r.priceMinor!,
      costMinor: r.costMinor,
      categoryPath: r.categoryPath,
      supplier: r.supplier,
      supplierCode: r.supplierCode,
      giftCard: r.giftCard,
      status: r.status,
      unit: r.unit,
      records: [r],
      changes: [],
      taxClass: undefined,
      taxRateBp: undefined,
      taxBy: undefined,
    };
    const e: Entry = { p, tokens: nameTokens(r.name), files: new Set([r.file]) };
    entries.push(e);
    bySku.set(sku, e);
    if (isExisting) plan.updated++;
    else plan.created++;
    index(e);
    return e;
  };

  const claimCodes = (e: Entry, r: LegacyRecord): void => {
    for (const code of r.identifiers) {
      const owner = byCode.get(code);
      const hqOwner = existing.barcodes.get(code);
      if ((owner && owner !== e) || (hqOwner !== undefined && hqOwner !== e.p.sku)) {
        const other = owner?.p.sku ?? hqOwner;
        plan.rejectedIdentifiers.push({
          code,
          reason: `already belongs to ${other}${owner ? ` (${owner.p.name})` : ' at HQ'}`,
          file: r.file,
          row: r.row,
          product: r.name,
        });
        continue;
      }
      byCode.set(code, e);
      if (!e.p.identifiers.includes(code)) e.p.identifiers.push(code);
    }
  };

  const merge = (e: Entry, r: LegacyRecord, m: Omit<Merge, 'sku' | 'name' | 'file' | 'row' | 'legacyId'>) => {
    const p = e.p;
    p.records.push(r);
    e.files.add(r.file);
    if (r.priceMinor !== undefined && r.priceMinor !== p.priceMinor) {
      let c = conflicts.get(p.sku);
      if (!c) {
        const first = p.records[0]!;
        c = {
          sku: p.sku,
          name: p.name,
          prices: [{ file: first.file, row: first.row, source: first.source, priceMinor: p.priceMinor }],
        };
        conflicts.set(p.sku, c);
      }
      c.prices.push({ file: r.file, row: r.row, source: r.source, priceMinor: r.priceMinor });
    }
    p.costMinor ??= r.costMinor;
    p.supplier ??= r.supplier;
    p.supplierCode ??= r.supplierCode;
    if (p.categoryPath.length === 0) p.categoryPath = r.categoryPath;
    claimCodes(e, r);
    plan.merged.push({ sku: p.sku, name: p.name, file: r.file, row: r.row, legacyId: r.legacyId, ...m });
  };

  const chooseSku = (r: LegacyRecord): string => {
    const given = r.sku?.slice(0, 64);
    if (given !== undefined && !bySku.has(given) && !existing.products.has(given)) return given;
    let sku = `${SOURCE_PREFIX[r.source]}-${r.legacyId}`.replace(/\s+/g, '-').slice(0, 64);
    for (let n = 2; bySku.has(sku) || existing.products.has(sku); n++) sku = `${sku.slice(0, 58)}-${n}`;
    if (given !== undefined) plan.renamedSkus.push({ file: r.file, row: r.row, given, sku });
    return sku;
  };

  const bestByName = (r: LegacyRecord, tokens: string[]): { e: Entry; score: number } | undefined => {
    // Block on the record's rarest words, so a 100,000-row import compares each record with a few
    // hundred products at most: a word that hundreds of products share says little about identity.
    const lists = [...new Set(tokens)]
      .map((t) => byToken.get(t))
      .filter((l): l is Entry[] => l !== undefined)
      .sort((a, b) => a.length - b.length);
    const chosen: Entry[][] = [];
    let budget = 300;
    for (const l of lists) {
      if (budget <= 0) break;
      chosen.push(l.length > budget ? l.slice(0, budget) : l);
      budget -= l.length;
    }
    let best: { e: Entry; score: number } | undefined;
    const seen = new Set<Entry>();
    for (const list of chosen) {
      for (const e of list) {
        if (seen.has(e) || e.files.has(r.file)) continue;
        seen.add(e);
        let score = nameSimilarity(tokens, e.tokens);
        // Two different barcodes under one name are more likely two pack sizes than one product.
        const gtins = (ids: readonly string[]) => ids.filter((c) => /^\d{13,14}$/.test(c));
        const a = gtins(r.identifiers);
        const b = gtins(e.p.identifiers);
        if (a.length > 0 && b.length > 0 && !a.some((c) => b.includes(c)))
          score = Math.min(score, mergeAt - 0.01);
        if (!best || score > best.score) best = { e, score };
      }
    }
    return best;
  };

  const doubt = (r: LegacyRecord, e: Entry, score: number, reason: string, by: Merge['by']): void => {
    const c = e.p;
    const first = c.records[0]!;
    const resolution = opts.review === 'merge' ? 'merged' : opts.review === 'create' ? 'created' : 'skipped';
    plan.review.push({
      score: round(score),
      resolution,
      reason,
      record: r,
      candidate: {
        sku: c.sku,
        name: c.name,
        identifiers: [...c.identifiers],
        priceMinor: c.priceMinor,
        file: first.file,
        row: first.row,
      },
    });
    if (resolution === 'merged') merge(e, r, { by, score: round(score) });
    if (resolution === 'created') claimCodes(add(r, chooseSku(r), false), r);
  };

  for (const result of results) {
    flushIndex();
    for (const r of result.records) {
      const known = existing.provenance.get(`${r.source}\u0000${r.legacyId}`);
      if (known !== undefined) {
        const e = bySku.get(known);
        if (e) merge(e, r, { by: 'provenance' });
        else claimCodes(add(r, known, true), r);
        continue;
      }
      let byId: Entry | undefined;
      let handled = false;
      for (const code of r.identifiers) {
        const e = byCode.get(code);
        if (e && !e.files.has(r.file)) {
          byId = e;
          break;
        }
        const hq = existing.barcodes.get(code);
        if (!e && hq !== undefined) {
          byId = bySku.get(hq);
          if (!byId) {
            // The first record to meet an HQ product updates it.
            claimCodes(add(r, hq, true), r);
            plan.merged.push({
              sku: hq,
              name: r.name,
              file: r.file,
              row: r.row,
              legacyId: r.legacyId,
              by: 'identifier',
            });
            handled = true;
          }
          break;
        }
      }
      if (handled) continue;
      if (byId) {
        // One barcode under two unrelated names is a data error in one of the systems, not a match.
        const score = nameSimilarity(nameTokens(r.name), nameTokens(byId.p.name));
        if (score < barcodeNameFloor) {
          const shared = r.identifiers.filter((code) => byId.p.identifiers.includes(code));
          const pct = Math.round(score * 100);
          doubt(
            r,
            byId,
            score,
            `same identifier ${shared.join(', ')} under names only ${pct} % alike`,
            'identifier',
          );
          continue;
        }
        merge(byId, r, { by: 'identifier' });
        continue;
      }
      if (r.identifiers.length === 0 || r.identifiers.every((c) => !byCode.has(c))) {
        const tokens = nameTokens(r.name);
        const best = byToken.size > 0 ? bestByName(r, tokens) : undefined;
        if (best && best.score >= mergeAt) {
          merge(best.e, r, { by: 'name', score: round(best.score) });
          continue;
        }
        if (best && best.score >= reviewAt) {
          doubt(r, best.e, best.score, `names ${Math.round(best.score * 100)} % alike`, 'name');
          continue;
        }
      }
      claimCodes(add(r, chooseSku(r), false), r);
    }
  }
  plan.products = entries.map((e) => e.p);
  plan.priceConflicts = [...conflicts.values()];
  const update = opts.update ?? new Set<UpdatableField>();
  const tax = opts.tax ?? noTaxPolicy;
  for (const p of plan.products) {
    const held = p.existing ? existing.products.get(p.sku) : undefined;
    if (held) {
      p.changes = fieldChanges(p, held, update);
      continue;
    }
    const d = decideTaxClass(p.records, tax);
    p.taxClass = d.taxClass;
    if ('reason' in d) {
      const r = p.records[0]!;
      plan.needsDecision.push({
        sku: p.sku,
        name: p.name,
        file: r.file,
        row: r.row,
        taxClass: d.taxClass,
        reason: d.reason,
      });
      continue;
    }
    p.taxRateBp = d.taxRateBp;
    p.taxBy = d.by;
    plan.taxClasses[d.taxClass] = (plan.taxClasses[d.taxClass] ?? 0) + 1;
  }
  plan.priceChanges = plan.products.flatMap((p) =>
    p.changes
      .filter((c) => c.field === 'price')
      .map((c) => ({ sku: p.sku, name: p.name, fromMinor: c.before as number, toMinor: c.after as number })),
  );
  plan.missingCost = plan.products
    .filter((p) => p.costMinor === undefined && !p.giftCard)
    .map((p) => ({ sku: p.sku, name: p.name, file: p.records[0]!.file, row: p.records[0]!.row }));
  return plan;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
