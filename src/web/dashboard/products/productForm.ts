import type { ProductCreate, ProductPatch, ProductRow } from '../../../contracts/index.ts';
import { identifierProblem } from '../../../contracts/index.ts';
import { formatMinor, parseMinor } from '../../../core/money.ts';
import { ApiError } from '../api.ts';

/**
 * The product editor's form as text fields, and the API body it makes: money typed as "3.49" becomes
 * minor units exactly (core/money.ts), a rate typed as "7" becomes 700 bp, and an edit sends only the
 * fields that changed. Pure, so it is tested without a browser.
 */
export interface ProductForm {
  sku: string;
  name: string;
  categoryId: string;
  category: string;
  price: string;
  taxRate: string;
  taxClass: string;
  cost: string;
  supplier: string;
  supplierCode: string;
  unit: 'each' | 'kg' | 'l' | 'pack';
  packSize: string;
  barcodes: string[];
  parentId: string;
  options: Record<string, string>;
}

export const emptyForm = (): ProductForm => ({
  sku: '',
  name: '',
  categoryId: '',
  category: '',
  price: '',
  taxRate: '',
  taxClass: '',
  cost: '',
  supplier: '',
  supplierCode: '',
  unit: 'each',
  packSize: '',
  barcodes: [],
  parentId: '',
  options: {},
});

/** Basis points as a percentage text: 700 → "7", 1250 → "12.5". */
const bpText = (bp: number): string => String(bp / 100);

export const formOf = (p: ProductRow, currency: string): ProductForm => ({
  sku: p.sku,
  name: p.name,
  categoryId: p.categoryId ?? '',
  category: p.category,
  price: formatMinor(p.priceMinor, currency),
  taxRate: bpText(p.taxRateBp),
  taxClass: p.taxClass ?? '',
  cost: p.costMinor === null ? '' : formatMinor(p.costMinor, currency),
  supplier: p.supplier ?? '',
  supplierCode: p.supplierCode ?? '',
  unit: p.unit,
  packSize: p.packSize === null ? '' : String(p.packSize),
  barcodes: [...p.barcodes],
  parentId: p.parentId ?? '',
  options: { ...p.options },
});

/** A field the screen itself refuses before asking HQ, worded as HQ would. */
const fieldError = (field: string, message: string): ApiError =>
  new ApiError(400, 'validation', `${field}: ${message}`, field);

function money(text: string, currency: string, field: string): number {
  try {
    return parseMinor(text, currency, field);
  } catch (e) {
    throw fieldError(field, e instanceof Error ? e.message.replace(`${field}: `, '') : 'is not an amount');
  }
}

function rateBp(text: string): number {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) throw fieldError('taxRateBp', 'a percentage such as 7 or 19 (two decimals at most)');
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** The live check of each barcode as typed: undefined when HQ would take it. */
export const barcodeProblems = (codes: readonly string[]): (string | undefined)[] =>
  codes.map((c) => identifierProblem(c));

/** Everything the form says, as the API's fields (throws an ApiError naming the field it cannot read). */
function fields(f: ProductForm, currency: string): Required<ProductPatch> & { priceMinor: number } {
  const problem = barcodeProblems(f.barcodes).findIndex((p) => p !== undefined);
  if (problem >= 0) throw fieldError(`barcodes.${problem}`, identifierProblem(f.barcodes[problem]!)!);
  return {
    name: f.name.trim(),
    category: f.category.trim(),
    categoryId: orNull(f.categoryId),
    taxRateBp: rateBp(f.taxRate),
    barcodes: f.barcodes.map((b) => b.trim()),
    unit: f.unit,
    packSize: f.unit === 'pack' && f.packSize.trim() ? Number(f.packSize) : null,
    supplier: orNull(f.supplier),
    supplierCode: orNull(f.supplierCode),
    costMinor: f.cost.trim() === '' ? null : money(f.cost, currency, 'costMinor'),
    taxClass: orNull(f.taxClass),
    parentId: orNull(f.parentId),
    options: f.parentId ? f.options : {},
    priceMinor: money(f.price, currency, 'priceMinor'),
  };
}

export function createBody(f: ProductForm, currency: string): ProductCreate {
  const { category, ...rest } = fields(f, currency);
  // A category picked from the tree names the product's category; free text only without one.
  return { sku: f.sku.trim(), ...rest, ...(rest.categoryId ? {} : { category }) };
}

/** Only what changed since `before` (the price is changed through the pricebook, not here). */
export function patchBody(f: ProductForm, before: ProductForm, currency: string): ProductPatch {
  const now = fields(f, currency);
  const was = fields({ ...before, barcodes: before.barcodes }, currency);
  const patch: Record<string, unknown> = {};
  for (const k of Object.keys(now) as (keyof typeof now)[]) {
    if (k === 'priceMinor') continue;
    if (JSON.stringify(now[k]) !== JSON.stringify(was[k])) patch[k] = now[k];
  }
  return patch as ProductPatch;
}

/** Margin as the editor shows it while typing: "39.7 %", or '' without a price and a cost. */
export function marginText(price: string, cost: string, currency: string): string {
  try {
    const p = parseMinor(price, currency, 'price');
    const c = parseMinor(cost, currency, 'cost');
    if (p <= 0) return '';
    return `${(Math.round(((p - c) * 1000) / p) / 10).toFixed(1)} %`;
  } catch {
    return '';
  }
}
