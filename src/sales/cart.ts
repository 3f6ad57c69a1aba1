import { invalid, notFound } from '../core/errors.ts';
import { cartTotals, type TaxBreakdownRow } from '../pricing/tax.ts';

/**
 * A cart as plain data and the pure functions that change it. The price and tax rate are taken when
 * the item is scanned, so a catalog update mid-sale does not change what the customer was shown.
 */
export interface CartLine {
  lineNo: number;
  sku: string;
  name: string;
  qty: number;
  unitPriceMinor: number;
  taxRateBp: number;
}

export interface Cart {
  id: string;
  currency: string;
  taxInclusive: boolean;
  createdAt: string;
  lines: CartLine[];
}

export interface PricedLine extends CartLine {
  netMinor: number;
  taxMinor: number;
  grossMinor: number;
}

export interface CartView {
  id: string;
  currency: string;
  taxInclusive: boolean;
  createdAt: string;
  lines: PricedLine[];
  totals: { netMinor: number; taxMinor: number; grossMinor: number; byRate: TaxBreakdownRow[] };
}

export interface SellableProduct {
  sku: string;
  name: string;
  priceMinor: number;
  taxRateBp: number;
}

/** A quantity a person could mean at a till; beyond it a typo, and the maths would leave safe integers. */
export const MAX_QTY = 100_000;

export function assertQty(qty: number): void {
  if (!Number.isInteger(qty) || qty <= 0) throw invalid('qty', `must be a whole number above 0, got ${qty}`);
  if (qty > MAX_QTY) throw invalid('qty', `must be at most ${MAX_QTY}, got ${qty}`);
}

/** Scanning an item already in the cart adds to its line, as cashiers expect. */
export function addLine(cart: Cart, product: SellableProduct, qty: number): Cart {
  assertQty(qty);
  const existing = cart.lines.find((l) => l.sku === product.sku && l.unitPriceMinor === product.priceMinor);
  if (existing) return changeQty(cart, existing.lineNo, existing.qty + qty);
  // Line numbers stay stable after a removal, so a client holding lineNo 3 still edits the same line.
  const lineNo = cart.lines.reduce((m, l) => Math.max(m, l.lineNo), 0) + 1;
  const line: CartLine = {
    lineNo,
    sku: product.sku,
    name: product.name,
    qty,
    unitPriceMinor: product.priceMinor,
    taxRateBp: product.taxRateBp,
  };
  return { ...cart, lines: [...cart.lines, line] };
}

function findLine(cart: Cart, lineNo: number): CartLine {
  const line = cart.lines.find((l) => l.lineNo === lineNo);
  if (!line) throw notFound(`line ${lineNo} of cart ${cart.id}`, 'lineNo');
  return line;
}

export function changeQty(cart: Cart, lineNo: number, qty: number): Cart {
  assertQty(qty);
  findLine(cart, lineNo);
  return { ...cart, lines: cart.lines.map((l) => (l.lineNo === lineNo ? { ...l, qty } : l)) };
}

export function removeLine(cart: Cart, lineNo: number): Cart {
  findLine(cart, lineNo);
  return { ...cart, lines: cart.lines.filter((l) => l.lineNo !== lineNo) };
}

export function priceCart(cart: Cart): CartView {
  const t = cartTotals(cart.lines, { inclusive: cart.taxInclusive });
  return {
    id: cart.id,
    currency: cart.currency,
    taxInclusive: cart.taxInclusive,
    createdAt: cart.createdAt,
    lines: cart.lines.map((l, i) => ({ ...l, ...t.lines[i]! })),
    totals: { netMinor: t.netMinor, taxMinor: t.taxMinor, grossMinor: t.grossMinor, byRate: t.byRate },
  };
}
