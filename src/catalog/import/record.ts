import { normalizeGtin } from '../gtin.ts';

/**
 * One sellable item as a legacy system exported it (a Shopify variant, a Square variation, a
 * Lightspeed item), already mapped to Tally's vocabulary but not yet matched against anything.
 */
export type ImportKind = 'shopify' | 'square' | 'lightspeed';
export type ImportSource = 'shopify' | 'square' | 'lightspeed-r' | 'lightspeed-x';

export interface LegacyRecord {
  source: ImportSource;
  file: string;
  /** Line of the file where the record starts (1 = header), as a spreadsheet shows it. */
  row: number;
  /** The legacy system's id for this sellable item, kept as provenance. */
  legacyId: string;
  /** Groups variants of one product (Shopify handle, Square item, Lightspeed matrix). */
  parentKey: string;
  parentName: string;
  options: Record<string, string>;
  /** The parent name with the option values, as a till would show it. */
  name: string;
  sku: string | undefined;
  /** Valid GTINs in normal form and other codes the file gave as barcodes. */
  identifiers: string[];
  priceMinor: number | undefined;
  costMinor: number | undefined;
  categoryPath: string[];
  supplier: string | undefined;
  supplierCode: string | undefined;
  giftCard: boolean;
  status: 'active' | 'discontinued';
  unit: 'each' | 'kg' | 'l';
  /** Quantity on hand per legacy location name. */
  stock: Record<string, number>;
  /** Price per legacy location where it differs from the default (Square "Price <Location>"). */
  locationPrices: Record<string, number>;
  /** What the export says about tax: the basis of the product's tax class (see tax-classes.ts). */
  tax: LegacyTax;
}

/**
 * Tax as each system exports it: Shopify's "Variant Taxable" and "Variant Tax Code", Square's
 * "Tax - <name>" Y/N columns, Lightspeed R-Series' "Tax" and "Tax Class", X-Series' tax name columns.
 */
export interface LegacyTax {
  /** False when the export marks the item non-taxable; undefined when it does not say. */
  taxable: boolean | undefined;
  /** The export's own names for the taxes or tax class on the item, most specific first. */
  names: string[];
}

export interface RejectedIdentifier {
  code: string;
  reason: string;
  file: string;
  row: number;
  product: string;
}

export interface RejectedRecord {
  file: string;
  row: number;
  product: string;
  reasons: string[];
}

/** What reading one row gave: a record (maybe with identifiers dropped) or a rejection. */
export interface RowOutcome {
  record?: LegacyRecord;
  rejectedIdentifiers: RejectedIdentifier[];
  rejected?: RejectedRecord;
}

/**
 * A decimal amount as exports write it ("19.99", "$1,299.00", "12.5", "(3.00)" is refused) to integer
 * minor units, by string arithmetic so no binary float ever rounds a price. Undefined when empty.
 */
export function parseMoney(raw: string | undefined, decimals = 2): number | undefined | Error {
  // Currency symbols and ISO codes some exports prefix ("$12.50", "EUR 12.50") are dropped.
  const t = (raw ?? '')
    .trim()
    .replace(/^(?:[$€£¥]|[A-Z]{3}\s?)/, '')
    .replace(/[\s\u00a0]/g, '');
  if (t === '') return undefined;
  const m = /^(-?)(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return new Error(`"${raw}" is not an amount`);
  if (m[1] === '-') return new Error(`"${raw}" is negative`);
  const whole = (m[2] ?? '').replace(/,/g, '') || '0';
  const frac = m[3] ?? '';
  if (frac.length > decimals && /[1-9]/.test(frac.slice(decimals)))
    return new Error(`"${raw}" has more than ${decimals} decimals`);
  const minor = Number(whole) * 10 ** decimals + Number(frac.slice(0, decimals).padEnd(decimals, '0') || '0');
  if (!Number.isSafeInteger(minor)) return new Error(`"${raw}" is too large`);
  return minor;
}

/** A whole quantity ("12", "12.0", "-3"); NaN-free: undefined when empty or not a number. */
export function parseQty(raw: string | undefined): number | undefined {
  const t = (raw ?? '').trim();
  if (t === '') return undefined;
  const n = Number(t.replace(/,/g, ''));
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

export type IdentifierCheck = { ok: true; code: string; note?: string } | { ok: false; reason: string };

/**
 * A barcode cell to an identifier. Digits of GTIN length must carry a valid check digit; 11 digits
 * are a UPC-A whose leading zero a spreadsheet dropped (accepted when the check digit then holds);
 * scientific notation ("4.00638E+12") is a barcode a spreadsheet destroyed. Other codes (PLUs,
 * in-house codes) are kept as given.
 */
export function checkIdentifier(raw: string): IdentifierCheck {
  const t = raw.trim().replace(/^'/, '').replace(/\s+/g, '');
  if (/^\d+(\.\d+)?E\+\d+$/i.test(t))
    return { ok: false, reason: 'written in scientific notation by a spreadsheet; digits lost' };
  if (/^\d+$/.test(t)) {
    if (t.length === 11) {
      const g = normalizeGtin(`0${t}`);
      return g
        ? { ok: true, code: g, note: 'leading zero restored' }
        : { ok: false, reason: 'UPC-A missing a digit' };
    }
    if ([8, 12, 13, 14].includes(t.length)) {
      const g = normalizeGtin(t);
      return g ? { ok: true, code: g } : { ok: false, reason: 'wrong GS1 check digit' };
    }
    if (t.length > 14) return { ok: false, reason: `${t.length} digits is no GTIN` };
  }
  return { ok: true, code: t };
}

/** True for a cell meaning no ("FALSE", "N", "No", "0"); an empty cell is neither. */
export const isNo = (raw: string | undefined): boolean => /^(false|n|no|0)$/i.test((raw ?? '').trim());

/** True for a non-empty cell meaning yes in the exports ("TRUE", "Y", "Yes", "1"). */
export const isYes = (raw: string | undefined): boolean => /^(true|y|yes|1)$/i.test((raw ?? '').trim());
