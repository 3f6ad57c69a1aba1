import { z } from 'zod';

/**
 * HQ's catalog import API (POST /api/v1/catalog/imports): the exports as text, the options the CLI
 * takes, and the plan report a dry run answers and an apply confirms. The CLI and the dashboard read
 * the same report.
 */
export const IMPORT_KINDS = ['shopify', 'square', 'lightspeed'] as const;
export const IMPORT_UPDATE_FIELDS = [
  'name',
  'price',
  'category',
  'supplier',
  'cost',
  'barcodes',
  'stock',
] as const;
/** Bytes of CSV one request may carry in all. */
export const IMPORT_MAX_BYTES = 8 * 1024 * 1024;

export const importFileSchema = z.object({
  kind: z.enum(IMPORT_KINDS),
  name: z.string().min(1).max(200),
  content: z.string().max(IMPORT_MAX_BYTES),
});

export const importOptionsSchema = z.object({
  /** Fields a match may change on a product HQ holds; none by default. */
  update: z.array(z.enum(IMPORT_UPDATE_FIELDS)).default([]),
  /** "Food=reduced,Books=reduced,*=standard": source tax name or category → tax class. */
  taxClassMap: z.string().max(10_000).default(''),
  /** The class of items the export marks non-taxable. */
  exemptClass: z.string().min(1).max(64).default('exempt'),
  /** Rate of a class no tax jurisdiction gives a rate for. */
  taxRateBp: z.number().int().min(0).max(10_000).optional(),
  decimals: z.number().int().min(0).max(4).default(2),
  mergeAt: z.number().min(0).max(1).default(0.9),
  reviewAt: z.number().min(0).max(1).default(0.7),
  review: z.enum(['skip', 'merge', 'create']).default('skip'),
  /** Export location → HQ store id, for per-location stock. */
  locations: z.record(z.string(), z.string()).default({}),
});
export type ImportOptionsInput = z.input<typeof importOptionsSchema>;
export type ImportOptions = z.output<typeof importOptionsSchema>;

export const importRequestSchema = z.object({
  files: z.array(importFileSchema).min(1).max(20),
  options: importOptionsSchema.default(importOptionsSchema.parse({})),
  /** True: plan only. False: apply the plan `planId` names (from the dry run). */
  dryRun: z.boolean(),
  planId: z.string().max(128).optional(),
});
export type ImportRequest = z.input<typeof importRequestSchema>;

const value = z.union([z.string(), z.number(), z.null()]);
const at = { file: z.string(), row: z.number().int() };

export const importReportSchema = z.object({
  /** Names this exact plan against this exact catalog: apply with it. */
  planId: z.string(),
  applied: z.boolean(),
  files: z.array(
    z.object({ file: z.string(), format: z.string(), rows: z.number().int(), records: z.number().int() }),
  ),
  update: z.array(z.string()),
  counts: z.object({
    created: z.number().int(),
    matched: z.number().int(),
    changed: z.number().int(),
    merged: z.number().int(),
    review: z.number().int(),
    needsDecision: z.number().int(),
    problems: z.number().int(),
    stockMovements: z.number().int(),
    stockKept: z.number().int(),
  }),
  created: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      priceMinor: z.number().int(),
      taxClass: z.string().nullable(),
      taxRateBp: z.number().int().nullable(),
      taxBy: z.string().nullable(),
      ...at,
    }),
  ),
  /** Every product HQ holds that the import matched, with each field it changes (none: kept). */
  matched: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      by: z.string(),
      changes: z.array(z.object({ field: z.string(), before: value, after: value })),
      ...at,
    }),
  ),
  taxClasses: z.array(z.object({ taxClass: z.string(), products: z.number().int() })),
  needsDecision: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      taxClass: z.string().nullable(),
      reason: z.string(),
      ...at,
    }),
  ),
  stock: z.array(
    z.object({
      sku: z.string(),
      storeId: z.string(),
      location: z.string(),
      onHand: z.number().int(),
      target: z.number().int(),
      qty: z.number().int(),
      kind: z.string(),
      ...at,
    }),
  ),
  stockUnmapped: z.array(z.object({ location: z.string(), skus: z.number().int(), units: z.number().int() })),
  review: z.array(
    z.object({
      reason: z.string(),
      resolution: z.string(),
      name: z.string(),
      candidateSku: z.string(),
      ...at,
    }),
  ),
  /** Rejected rows and identifiers, price conflicts, missing costs, renamed SKUs: file and line each. */
  problems: z.array(z.object({ kind: z.string(), product: z.string(), message: z.string(), ...at })),
});
export type ImportReport = z.output<typeof importReportSchema>;
