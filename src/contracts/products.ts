import { z } from 'zod';

/**
 * The back office's product API (HQ `/api/v1/catalog/products…` and `/catalog/prices/bulk`): what the
 * routes validate and answer, and what the dashboard's products view reads (as types only).
 */

const minor = z.number().int().describe('money in minor units');

export const productStatus = z.enum(['active', 'discontinued']);
export const productUnit = z.enum(['each', 'kg', 'l', 'pack']);

export const productRowSchema = z.object({
  sku: z.string(),
  name: z.string(),
  barcodes: z.array(z.string()),
  /** The category as reports name it, and the category tree's id when the product is placed in it. */
  category: z.string(),
  categoryId: z.string().nullable(),
  /** The chain's price in force now (the list price where no chain pricebook entry is). */
  priceMinor: minor,
  costMinor: minor.nullable(),
  /** (price − cost) / price in basis points of the shelf price; null without a cost or a price. */
  marginBp: z.number().int().nullable(),
  supplier: z.string().nullable(),
  supplierCode: z.string().nullable(),
  taxClass: z.string().nullable(),
  /** The product's own rate, charged only where the store's jurisdiction has no class for it. */
  taxRateBp: z.number().int(),
  status: productStatus,
  /** On sale at the tills (an archived product is not). */
  active: z.boolean(),
  unit: productUnit,
  packSize: z.number().int().nullable(),
  /** Variant info: the product with options this one is a variant of, and its option values. */
  parentId: z.string().nullable(),
  parentName: z.string().nullable(),
  options: z.record(z.string(), z.string()),
});
export type ProductRow = z.infer<typeof productRowSchema>;

export const productListQuery = z.object({
  q: z.string().max(200).optional().describe('words matched in SKU, barcode or name, any order'),
  category: z.string().optional().describe('category tree id or category name'),
  status: productStatus.optional(),
  supplier: z.string().optional(),
  taxClass: z.string().optional().describe("a class name, or 'none' for products without one"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ProductListQuery = z.infer<typeof productListQuery>;

export const productListResponse = z.object({
  products: z.array(productRowSchema),
  /** Products matching the filters, of which this page shows `products.length` from `offset`. */
  total: z.number().int(),
  offset: z.number().int(),
  /** More match than this page shows. */
  truncated: z.boolean(),
});
export type ProductListResponse = z.infer<typeof productListResponse>;

export const productVariantSchema = z.object({
  sku: z.string(),
  name: z.string(),
  options: z.record(z.string(), z.string()),
  priceMinor: minor,
  active: z.boolean(),
  barcodes: z.array(z.string()),
});

export const productDetailSchema = productRowSchema.extend({
  parent: z.object({ id: z.string(), name: z.string(), optionNames: z.array(z.string()) }).nullable(),
  /** Every variant of the product's parent, itself included; empty for a product without options. */
  variants: z.array(productVariantSchema),
  /** Where its price history is (GET). */
  priceHistory: z.string(),
});
export type ProductDetail = z.infer<typeof productDetailSchema>;

/** What an edit may change; a field left out keeps what HQ holds, null clears it. */
export const productPatchSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  category: z.string().max(200).optional(),
  categoryId: z.string().min(1).nullable().optional(),
  taxRateBp: z.number().int().min(0).max(10_000).optional(),
  barcodes: z.array(z.string().max(64)).max(50).optional(),
  unit: productUnit.optional(),
  packSize: z.number().int().positive().nullable().optional(),
  supplier: z.string().max(200).nullable().optional(),
  supplierCode: z.string().max(64).nullable().optional(),
  costMinor: z.number().int().nonnegative().nullable().optional(),
  taxClass: z.string().min(1).max(64).nullable().optional(),
  parentId: z.string().min(1).nullable().optional(),
  options: z.record(z.string(), z.string()).optional(),
});
export type ProductPatch = z.infer<typeof productPatchSchema>;

export const productCreateSchema = productPatchSchema.extend({
  sku: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, ".", "-" and "_" (up to 64)')
    .describe('the product code, fixed once created'),
  name: z.string().trim().min(1).max(200),
  /** The list price: what every store charges until a pricebook entry says otherwise. */
  priceMinor: minor.nonnegative(),
  taxRateBp: z.number().int().min(0).max(10_000),
});
export type ProductCreate = z.infer<typeof productCreateSchema>;

export const productFacetsResponse = z.object({
  /** Tree categories by id, and category names products carry outside the tree. */
  categories: z.array(z.object({ value: z.string(), label: z.string(), inTree: z.boolean() })),
  suppliers: z.array(z.string()),
  /** Classes the tax jurisdictions define, and any a product already carries. */
  taxClasses: z.array(z.string()),
});
export type ProductFacets = z.infer<typeof productFacetsResponse>;

// ---------------------------------------------------------------- bulk price change

export const PRICE_ENDING_CHOICES = ['none', '99', '95', '90', '49', '00'] as const;

export const bulkPriceRequest = z.strictObject({
  /** The products by SKU; or `filter` to take every product matching it. */
  skus: z.array(z.string().min(1)).min(1).max(5_000).optional(),
  filter: z
    .strictObject({
      category: z.string().optional(),
      supplier: z.string().optional(),
      q: z.string().max(200).optional(),
      status: productStatus.optional(),
      taxClass: z.string().optional(),
    })
    .optional(),
  change: z.strictObject({
    kind: z.enum(['percent', 'amount', 'set']),
    /** percent: a percentage ("5" = +5 %, two decimals at most); amount and set: minor units. */
    value: z.number(),
  }),
  rounding: z.enum(PRICE_ENDING_CHOICES).default('none'),
  scope: z.enum(['chain', 'zone', 'store']),
  scopeId: z.string().optional(),
  /** ISO instant with its offset; now when absent. */
  effectiveFrom: z.string().optional(),
  /** true: answer the preview and write nothing. */
  dryRun: z.boolean().default(true),
});
export type BulkPriceRequest = z.input<typeof bulkPriceRequest>;

export const bulkPriceResponse = z.object({
  dryRun: z.boolean(),
  count: z.number().int(),
  /** Lines whose price actually moves. */
  changed: z.number().int(),
  effectiveFrom: z.string(),
  lines: z.array(z.object({ sku: z.string(), name: z.string(), oldMinor: minor, newMinor: minor })),
});
export type BulkPriceResponse = z.infer<typeof bulkPriceResponse>;
